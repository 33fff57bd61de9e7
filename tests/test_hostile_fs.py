"""Hostile filesystems and usage: FIFOs, loops, vanishing files, odd names, nested outputs, locks, kills."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from cchc.cli import main
from cchc.core.model import Status
from cchc.core.options import ExtractOptions
from pipeline.lock import OutputLock
from pipeline.run import run
from tests import hostile_inputs as h

ROOT = Path(__file__).resolve().parent.parent


def _extract(*args: str) -> object:
    return CliRunner().invoke(main, ["extract", *args])


def test_non_utf8_file_name_is_a_row_stored_escaped_with_raw_bytes(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    raw = "báo cáo quí 1.pdf".encode("cp1258")
    (Path(os.fsdecode(bytes(folder) + b"/" + raw))).write_bytes(h.REPORT.read_bytes())
    h.good_pdf(folder / "ok.pdf", pages=1)
    result = _extract(str(folder), "--out", str(tmp_path / "out"), "--executor", "inline", "--no-ocr")
    assert result.exit_code == 0, result.output
    docs = pd.read_parquet(tmp_path / "out" / "documents.parquet")
    odd = docs[docs["source_path_bytes"].notna()].iloc[0]
    assert odd["source_path"].endswith("b\\xe1o c\\xe1o qu\\xed 1.pdf")
    assert odd["source_path_bytes"] == bytes(folder) + b"/" + raw
    assert odd["status"] == "ok" and odd["n_values"] > 20
    assert any("'báo cáo quí 1.pdf'" in w for w in odd["warnings"])  # shown readably
    assert os.path.exists(os.fsdecode(odd["source_path_bytes"]))  # the raw bytes find the file again
    assert duckdb.sql(f"SELECT count(*) FROM '{tmp_path}/out/documents.parquet'").fetchall()[0][0] == 2
    assert pq.read_table(tmp_path / "out" / "documents.parquet").num_rows == 2
    again = _extract(str(folder), "--out", str(tmp_path / "out"), "--executor", "inline", "--no-ocr")
    assert again.exit_code == 0, again.output  # resumed from the cache: the name's bytes and warning stay
    redo = pd.read_parquet(tmp_path / "out" / "documents.parquet")
    assert redo["source_path_bytes"].notna().sum() == 1
    assert sum("not valid UTF-8" in w for ws in redo["warnings"] for w in ws) == 1


def test_fifo_given_as_input_is_a_usage_error(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    result = _extract(str(fifo), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2 and "named pipe" in result.output


def test_fifo_symlink_loop_and_broken_link_in_a_folder_are_rows_not_hangs(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "pipe.pdf")
    (folder / "loop.pdf").symlink_to("loop.pdf")
    (folder / "dangling.pdf").symlink_to("nowhere.pdf")
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to("..")  # a folder loop: not followed
    h.good_pdf(folder / "ok.pdf", pages=1)
    # a FIFO read would block for ever: the run returning at all is the check (timings belong in make bench)
    result = run(ExtractOptions(inputs=(folder,), out=tmp_path / "out", executor="inline", ocr=False))
    docs = {d.file_name: d for d in result.documents}
    assert set(docs) == {"pipe.pdf", "loop.pdf", "dangling.pdf", "ok.pdf"}
    assert "named pipe" in docs["pipe.pdf"].error
    assert "link loop" in docs["loop.pdf"].error
    assert "broken symbolic link" in docs["dangling.pdf"].error
    assert docs["ok.pdf"].status is Status.OK and docs["ok.pdf"].values


def test_file_deleted_during_the_run_is_a_failed_row(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    h.good_pdf(folder / "a.pdf", pages=1)
    h.good_pdf(folder / "gone.pdf", pages=2)
    result = run(ExtractOptions(inputs=(folder,), out=tmp_path / "out", executor="inline", ocr=False),
                 on_start=lambda total, reused: (folder / "gone.pdf").unlink())
    docs = {d.file_name: d for d in result.documents}
    assert docs["gone.pdf"].status is Status.FAILED and "cannot read file" in docs["gone.pdf"].error
    assert docs["a.pdf"].status is Status.OK


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = _extract(str(tmp_path / "empty"), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2 and "no input files found" in result.output
    h.good_pdf(tmp_path / "a.pdf", pages=1)
    for bad in ["nan", "inf", "-1", "0"]:
        result = _extract(str(tmp_path / "a.pdf"), "--out", str(tmp_path / "out"), "--timeout", bad)
        assert result.exit_code == 2, (bad, result.output)
    assert not (tmp_path / "out").exists()


def test_second_out_inside_the_input_does_not_read_the_first(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    h.good_pdf(folder / "a.pdf", pages=1)
    for out in ("out1", "out2"):
        result = _extract(str(folder), "--out", str(folder / out), "--executor", "inline", "--no-ocr")
        assert result.exit_code == 0, result.output
        docs = pd.read_parquet(folder / out / "documents.parquet")
        assert list(docs["file_name"]) == ["a.pdf"], docs["source_path"].tolist()


def test_a_second_run_on_the_same_out_is_refused_and_stale_temporaries_are_removed(tmp_path: Path) -> None:
    h.good_pdf(tmp_path / "a.pdf", pages=1)
    out = tmp_path / "out"
    stale = tmp_path / ".out.tmp-killed"
    (stale / "values").mkdir(parents=True)
    with OutputLock(out):
        assert not stale.exists()  # taking the lock cleans what a killed run left
        stale.mkdir()
        result = _extract(str(tmp_path / "a.pdf"), "--out", str(out), "--executor", "inline", "--no-ocr")
        assert result.exit_code == 1 and "another cchc run" in result.output
        assert not out.exists()
    result = _extract(str(tmp_path / "a.pdf"), "--out", str(out), "--executor", "inline", "--no-ocr")
    assert result.exit_code == 0 and not stale.exists()
    half_written = next((out / "_cache").iterdir()) / ".tmp-killed"  # a cache entry cut by SIGKILL
    half_written.write_bytes(b"\x80")
    result = _extract(str(tmp_path / "a.pdf"), "--out", str(out), "--executor", "inline", "--no-ocr")
    assert result.exit_code == 0 and not half_written.exists()


def _our_processes(tmpdir: Path) -> list[str]:
    """Processes (workers, tesseract, pdftoppm) still running with our private TMPDIR."""
    import psutil

    found = []
    for p in psutil.process_iter(["pid", "name"]):
        try:
            if p.pid != os.getpid() and p.environ().get("TMPDIR", "").startswith(str(tmpdir)):
                found.append(f"{p.pid} {p.info['name']}")
        except (psutil.Error, OSError):
            continue
    return found


def _cli(args: list[str], tmpdir: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TMPDIR": str(tmpdir), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", "from cchc.cli import main; main()", "extract", *args],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)


@pytest.fixture()
def scan_input(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    img = h.text_image(h.narrative_lines(1), size=(2480, 3508))  # an A4 page at 300 dpi: seconds of OCR
    img.save(folder / "scan.tif", dpi=(300, 300))
    return folder


@pytest.mark.slow
def test_timeout_leaves_no_temp_files_or_processes(tmp_path: Path, scan_input: Path) -> None:
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    proc = _cli([str(scan_input), "--out", str(tmp_path / "out"), "--workers", "1", "--timeout", "1"], tmpdir)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 3, err.decode()  # the dataset is written; every input failed (exit 3)
    docs = pd.read_parquet(tmp_path / "out" / "documents.parquet")
    assert docs.iloc[0]["status"] == "failed" and "time limit" in docs.iloc[0]["error"]
    time.sleep(0.5)
    assert list(tmpdir.iterdir()) == []
    assert _our_processes(tmpdir) == []


@pytest.mark.slow
def test_killed_main_process_takes_workers_and_tesseract_down(tmp_path: Path, scan_input: Path) -> None:
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    proc = _cli([str(scan_input), "--out", str(tmp_path / "out"), "--workers", "1"], tmpdir)
    deadline = time.monotonic() + 180  # a loaded machine may take a while to reach OCR
    while time.monotonic() < deadline and not any("tesseract" in p for p in _our_processes(tmpdir)):
        time.sleep(0.2)
    assert any("tesseract" in p for p in _our_processes(tmpdir)), "OCR never started"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _our_processes(tmpdir):
        time.sleep(0.2)
    assert _our_processes(tmpdir) == []
    # the next run removes the killed run's temporary folders and finishes
    proc = _cli([str(scan_input), "--out", str(tmp_path / "out"), "--workers", "1", "--no-ocr"], tmpdir)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()
    assert list(tmpdir.iterdir()) == []


def test_worker_memory_ceilings_fit_the_machine() -> None:
    from pipeline.executors import worker_memory_mb

    assert worker_memory_mb(4096, 2, physical_mb=24_000) == 4096
    assert worker_memory_mb(4096, 2, physical_mb=8_000) == 3200  # 2 × 4 GB would not fit in 8 GB
    assert worker_memory_mb(None, 8, physical_mb=8_000) is None  # --memory-mb 0: no ceiling asked for
