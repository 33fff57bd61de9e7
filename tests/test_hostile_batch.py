"""Every hostile case at once, mixed with good samples: exit 0, one row per input, the good values intact."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from tests import hostile_inputs as h

ROOT = Path(__file__).resolve().parent.parent


def build_hostile_folder(folder: Path, heavy: bool = False) -> int:
    """Write one file per hostile case into `folder`; returns the number of input paths (ZIP members counted)."""
    folder.mkdir(parents=True)
    report = h.REPORT.read_bytes()
    good = h.good_pdf(folder / "good_narrative.pdf", pages=3).read_bytes()
    cases: dict[str, bytes] = {
        "flipped.pdf": h.flip_bytes(report, [5000, 20000, 30000], [0x55, 0xAA, 0x0F]),
        "truncated.pdf": report[: len(report) // 3],
        "broken_xref.pdf": h.broken_xref(report),
        "deleted_object.pdf": h.delete_object(good, 5),
        "lying_count.pdf": h.lying_count_pdf(),
        "many_pages.pdf": h.many_pages_pdf(450),
        "huge_mediabox.pdf": h.huge_mediabox_pdf(),
        "pixel_bomb.pdf": h.pixel_bomb_pdf(20_000 if heavy else 9_000),
        "png_bomb.png": h.png_header_only(19_000, 19_000),
        "zero.png": h.png_header_only(0, 0),
        "truncated.jpg": h.truncated_jpeg(h.text_image(["Tổng số 351 hồ sơ"]), keep=0.4),
        "html.pdf": b"<!DOCTYPE html><html><body>download</body></html>",
        "empty.pdf": b"",
        "slip.zip": h.zip_bytes([("../../evil.pdf", b"%PDF-1.4 x"), ("ok/letter.pdf", h.LETTER.read_bytes())]),
        "symlink.zip": h.zip_with_symlink("link.pdf", "/etc/passwd"),
        "bomb.zip": h.bomb_member(64),
        "nested_bomb.zip": h.nested_bomb(levels=2, fan=4),
        "corrupt_cd.zip": h.corrupt_central_directory(h.zip_bytes([("a.pdf", good)])),
        "corrupt_data.zip": h.corrupt_member_data(h.zip_bytes([("bad.pdf", good), ("fine.pdf", report)]), "bad.pdf"),
        "legacy_names.zip": h.zip_with_raw_name("báo_cáo.pdf".encode("cp1258"), good[:-10] + b"\n%%EOF\n"),
        "nfd.zip": h.zip_bytes([("báo_cáo.pdf", b"one"), (unicodedata.normalize("NFD", "báo_cáo.pdf"), b"two")]),
        "duplicates.zip": h.zip_bytes([("bao_cao.pdf", h.LETTER.read_bytes()), ("bao_cao.pdf", report)]),
        "many.zip": h.many_tiny_entries(5000 if heavy else 500),
    }
    if heavy:
        cases["deflate_bomb.pdf"] = h.deflate_bomb_pdf(200)
    members = {"slip.zip": 2, "symlink.zip": 2, "bomb.zip": 1, "nested_bomb.zip": 16, "corrupt_data.zip": 2,
               "nfd.zip": 2, "duplicates.zip": 2, "many.zip": 5000 if heavy else 500, "legacy_names.zip": 1,
               "corrupt_cd.zip": 1}
    for name, data in cases.items():
        (folder / name).write_bytes(data)
    h.zip_encrypted(folder / "encrypted.zip", {"secret.pdf": report})
    pages = [h.text_image([f"Trang {i}", f"Tổng số {350 + i} hồ sơ"]) for i in (1, 2, 3)]
    (folder / "corrupt_page.tif").write_bytes(h.tiff_with_corrupt_page(pages, bad=2))
    with open(os.path.join(bytes(folder), "b\xe1o_c\xe1o.pdf".encode("latin-1")), "wb") as fh:
        fh.write(report + b"\n% renamed copy\n")
    os.mkfifo(folder / "pipe.pdf")
    (folder / "loop.pdf").symlink_to("loop.pdf")
    n_disk = len(cases) + 1 + 1 + 1 + 1 + 1 + 1  # cases, good, encrypted, tif, non-UTF-8, fifo, loop
    return n_disk - len(members) + sum(members.values())


def _cli(args: list[str], tmpdir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmpdir)}
    return subprocess.run([sys.executable, "-c", "from cchc.cli import main; main()", "extract", *args],
                          env=env, capture_output=True, text=True, timeout=1800, cwd=ROOT)


def _values(out: Path, doc_ids: set[str]) -> list[tuple]:
    values = pd.read_parquet(out / "values")
    keep = values[values["doc_id"].isin(doc_ids)]
    cols = keep[["doc_id", "page", "indicator_id", "raw_value"]]
    return sorted(tuple(str(x) for x in row) for row in cols.itertuples(index=False))


def run_mixed(tmp_path: Path, heavy: bool, ocr: bool) -> tuple[dict, pd.DataFrame, int]:
    inputs = tmp_path / "inputs"
    n_paths = build_hostile_folder(inputs / "hostile", heavy=heavy)
    if heavy:
        shutil.copytree(ROOT / "samples", inputs / "samples",
                        ignore=shutil.ignore_patterns("*.json", "seeds", "build", "*.md", "*.yaml", ".*"))
    else:  # two text reports keep `make test` fast
        (inputs / "samples").mkdir()
        for name in ("commune_binhyen_q1_2024.pdf", "district_camxuyen_h1_2021.pdf"):
            shutil.copy(ROOT / "samples" / "text" / name, inputs / "samples" / name)
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    flags = [] if ocr else ["--no-ocr"]
    if not heavy:  # many_pages.pdf still runs over the limit (partial) without reading 400 pages;
        flags += ["--max-pages", "50"]  # the 400-page default is test_hostile_pdf's many.pdf case
    clean = _cli([str(inputs / "samples"), "--out", str(tmp_path / "clean"), "--workers", "2", *flags], tmpdir)
    assert clean.returncode == 0, clean.stderr[-3000:]
    mixed = _cli([str(inputs), "--out", str(tmp_path / "mixed"), "--workers", "2", "--timeout", "300", *flags], tmpdir)
    assert mixed.returncode == 0, mixed.stderr[-3000:]
    assert "Traceback" not in mixed.stderr
    docs = pd.read_parquet(tmp_path / "mixed" / "documents.parquet")
    clean_docs = pd.read_parquet(tmp_path / "clean" / "documents.parquet")
    n_samples = sum(1 + len(p) for p in clean_docs["other_paths"])
    assert docs["doc_id"].is_unique
    assert sum(1 + len(p) for p in docs["other_paths"]) == n_paths + n_samples
    bad = docs[docs["status"] != "ok"]
    assert bad["error"].map(lambda e: isinstance(e, str) and len(e) > 10).all()
    good_ids = set(clean_docs["doc_id"])
    assert len(_values(tmp_path / "clean", good_ids)) > 50
    assert _values(tmp_path / "mixed", good_ids) == _values(tmp_path / "clean", good_ids)
    assert list(tmpdir.iterdir()) == []  # no temporary file left behind
    assert not (tmp_path / "evil.pdf").exists() and not (inputs / "evil.pdf").exists()
    info = json.loads((tmp_path / "mixed" / "run.json").read_text())
    return info, docs, n_paths


@pytest.mark.slow
def test_mixed_batch_of_every_hostile_case_keeps_the_good_values(tmp_path: Path) -> None:
    info, docs, n_paths = run_mixed(tmp_path, heavy=False, ocr=False)
    by_name = {Path(p.split("!/")[-1]).name: r for p, r in zip(docs["source_path"], docs.itertuples(), strict=True)}
    assert by_name["broken_xref.pdf"].status == "ok"
    assert by_name["pipe.pdf"].status == "failed" and by_name["loop.pdf"].status == "failed"
    assert info["peak_memory_mb"]["main"] > 0


@pytest.mark.fuzz
def test_worst_cases_with_ocr_and_peak_memory(tmp_path: Path) -> None:
    """The heavy variant (5,000 entries, 400 MP PDF image, 200 MB content stream, OCR on): prints the figures."""
    info, docs, n_paths = run_mixed(tmp_path, heavy=True, ocr=True)
    peak = info["peak_memory_mb"]
    print(f"\nhostile batch: {n_paths} hostile paths, {len(docs)} rows, by status {info['files']['by_status']}, "
          f"peak memory main {peak['main']} MB, largest worker {peak['largest_worker']} MB, {info['seconds']} s")
    assert peak["largest_worker"] < 4096 and peak["main"] < 2048
