"""`cchc extract` end to end on real files: every input accounted for, errors a person can act on."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter

from cchc.cli import main
from tests.pdfmaker import HEADER_LINES, text_pdf

NARRATIVE = [
    "- Từ ngày 15/12/2022 đến ngày 10/6/2023, Ban Dân tộc có 45 ý kiến chỉ đạo của UBND tỉnh,",
    "Ban đã hoàn thành 44 ý kiến chỉ đạo trước, đúng hạn và 01 ý kiến hoàn thành quá hạn.",
]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("archive")
    report = text_pdf(root / "bao_cao.pdf", [HEADER_LINES + NARRATIVE])
    data = report.read_bytes()
    (root / "empty.pdf").write_bytes(b"")
    (root / "cut.pdf").write_bytes(data[: len(data) // 2])
    (root / "download.pdf").write_bytes("<!DOCTYPE html><html><body>Phiên làm việc hết hạn</body></html>".encode())
    (root / "notes.docx").write_bytes(_docx())
    writer = PdfWriter(clone_from=PdfReader(report))
    writer.encrypt(user_password="bí mật", owner_password="owner")
    with (root / "locked.pdf").open("wb") as fh:
        writer.write(fh)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("q1/xa/bao_cao_copy.pdf", data)
    (root / "season.zip").write_bytes(buf.getvalue())
    return root


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def _extract(args: list[str]) -> None:
    result = CliRunner().invoke(main, ["extract", *args, "--executor", "inline"], catch_exceptions=False)
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def out(archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out") / "dataset"
    _extract([str(archive), "--out", str(out)])
    return out


def test_every_input_file_is_accounted_for(archive: Path, out: Path) -> None:
    docs = pd.read_parquet(out / "documents.parquet")
    seen = set(docs.source_path) | {p for paths in docs.other_paths for p in paths}
    expected = {str(p) for p in archive.iterdir() if p.suffix != ".zip"} | {
        f"{archive / 'season.zip'}!/q1/xa/bao_cao_copy.pdf"
    }
    assert seen == expected
    assert docs.doc_id.is_unique


def test_failed_rows_say_what_to_do(out: Path) -> None:
    docs = pd.read_parquet(out / "documents.parquet").set_index("file_name")
    expectations = {
        "empty.pdf": "empty file",
        "cut.pdf": "truncated",
        "download.pdf": "html",
        "locked.pdf": "encrypted; needs a password",
        "notes.docx": "word document",
    }
    for name, phrase in expectations.items():
        assert docs.loc[name, "status"] == "failed", name
        assert phrase in docs.loc[name, "error"].lower(), (name, docs.loc[name, "error"])


def test_the_report_and_its_zip_copy_are_one_document(out: Path, archive: Path) -> None:
    docs = pd.read_parquet(out / "documents.parquet").set_index("file_name")
    row = docs.loc["bao_cao.pdf"]
    assert row.status == "ok" and row.text_source == "text" and row.n_pages == 1
    assert list(row.other_paths) == [f"{archive / 'season.zip'}!/q1/xa/bao_cao_copy.pdf"]
    assert (row.doc_number, row.issuer, row.period_type, row.report_year) == ("89/BC-BDT", "Ban Dân tộc", "H1", 2023)
    assert str(row.issue_date) == "2023-06-12"
    assert not row.signed and pd.isna(row.signer)


def test_narrative_values_with_provenance(out: Path) -> None:
    values = pd.read_parquet(out / "values")
    got = {(v.indicator_id, v.value_num) for v in values.itertuples() if v.file_name == "bao_cao.pdf"}
    assert ("NV_GIAO_TONG_SO", 45.0) in got and ("NV_HOAN_THANH_QUA_HAN", 1.0) in got
    row = values[values.raw_value == "45"].iloc[0]
    assert row.page == 1 and row.source == "narrative" and "45 ý kiến" in row.evidence
    x0, y0, x1, y1 = row.bbox
    assert 0 <= x0 < x1 and 0 <= y0 < y1 <= 842


def test_duckdb_reads_the_joined_dataset(out: Path) -> None:
    rows = duckdb.sql(
        f"SELECT d.issuer, count(*) AS n FROM '{out}/values/*.parquet' v "
        f"JOIN '{out}/documents.parquet' d USING (doc_id) GROUP BY d.issuer"
    ).fetchall()
    assert rows and rows[0][0] == "Ban Dân tộc"


def test_run_json_counts(out: Path) -> None:
    info = json.loads((out / "run.json").read_text())
    assert info["files"]["by_status"] == {"failed": 5, "ok": 1}
    assert info["catalog_version"] and info["pipeline_version"]
    assert set(info["stage_seconds"]) >= {"load", "pages", "tables", "match", "narrative", "validate"}


def test_same_command_twice_gives_the_same_rows(archive: Path, out: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    _extract([str(archive), "--out", str(again), "--no-resume"])
    cols = ["doc_id", "source", "indicator_id", "raw_value", "value_num", "page"]
    a = pd.read_parquet(out / "values")[cols]
    b = pd.read_parquet(again / "values")[cols]
    pd.testing.assert_frame_equal(a, b)
    docs_a = pd.read_parquet(out / "documents.parquet").drop(columns=["seconds"])
    docs_b = pd.read_parquet(again / "documents.parquet").drop(columns=["seconds"])
    pd.testing.assert_frame_equal(docs_a, docs_b)


def test_password_option_opens_the_locked_report(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "o"
    _extract([str(archive / "locked.pdf"), "--out", str(out), "--password", "bí mật"])
    docs = pd.read_parquet(out / "documents.parquet")
    assert docs.status.tolist() == ["ok"] and docs.doc_number.tolist() == ["89/BC-BDT"]


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert CliRunner().invoke(main, ["extract", str(tmp_path / "missing"), "--out", str(tmp_path)]).exit_code == 2
    assert CliRunner().invoke(main, ["extract", str(tmp_path), "--out", str(tmp_path / "o"), "--dpi", "5"]).exit_code == 2


@pytest.mark.slow
def test_real_subprocess_with_worker_pool(archive: Path, tmp_path: Path) -> None:
    """The installed console script, worker processes, logs on stderr, summary line."""
    exe = Path(sys.executable).with_name("cchc")
    out = tmp_path / "sub"
    proc = subprocess.run([str(exe), "extract", str(archive), "--out", str(out), "--workers", "2"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert "6 file(s): 5 failed, 1 ok" in proc.stderr
    assert len(pd.read_parquet(out / "documents.parquet")) == 6
    help_text = subprocess.run([str(exe), "extract", "--help"], capture_output=True, text=True).stdout
    assert "Examples:" in help_text and "--out" in help_text


def test_a_folder_that_is_not_a_cchc_output_is_never_replaced(archive: Path, tmp_path: Path) -> None:
    precious = tmp_path / "my_documents"
    precious.mkdir()
    (precious / "thesis.docx").write_bytes(b"do not lose me")
    result = CliRunner().invoke(main, ["extract", str(archive / "bao_cao.pdf"), "--out", str(precious)])
    assert result.exit_code == 2 and "not a cchc output" in result.output
    assert (precious / "thesis.docx").read_bytes() == b"do not lose me"
