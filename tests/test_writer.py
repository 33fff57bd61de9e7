"""Output files: contract schema, readable by pandas/pyarrow/DuckDB/Polars, swapped in atomically."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow.dataset as ds
import pytest

from cchc.core.model import Candidate, Document, Match, Metadata, Status, TextOrigin, ValidationIssue, Value
from pipeline import writer


def _docs() -> list[Document]:
    ok = Document(doc_id="a" * 64, source_path="in/b.pdf", file_name="b.pdf", other_paths=["in/copy/b.pdf"],
                  n_pages=2, metadata=Metadata(doc_number="89/BC-BDT", issue_date=dt.date(2023, 6, 12),
                                               period_type="H1", report_year=2023, signed=True, signer="Hồ Xuân Trăng"))
    ok.values = [
        Value(source="table", raw_label="Số nhiệm vụ đề ra", raw_value="16", page=2, raw_code="1.1.1.", value_num=16.0,
              bbox=(10.0, 20.0, 300.0, 35.0), match=Match(indicator_id="KH_NHIEM_VU_DE_RA", match_score=97.5, match_method="exact")),
        Value(source="table", raw_label="Số cây xanh", raw_value="Không thuộc chuyên môn", page=2,
              value_text="Không thuộc chuyên môn", needs_review=True, review_reason="weak",
              match=Match(match_score=41.0, match_method="review",
                          candidates=[Candidate("X", "9.9", "Số cây", 41.0, {"label": 41.0})]),
              text_source=TextOrigin.OCR),
    ]
    ok.issues = [ValidationIssue("completed_le_planned", "12 completed > 10 planned", ["A", "B"], {"A": 12, "B": 10})]
    bad = Document(doc_id="b" * 64, source_path="in/a.pdf", file_name="a.pdf")
    bad.fail("encrypted; needs a password")
    return [ok, bad]


def _write(out: Path, docs: list[Document]) -> None:
    writer.write_outputs(out, docs, {"tool": "test"}, "0.1.0", "cat123")


def test_outputs_follow_the_contract_and_every_reader_agrees(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _write(out, _docs())
    docs = pd.read_parquet(out / "documents.parquet")
    assert list(docs.file_name) == ["a.pdf", "b.pdf"]  # sorted by source path: deterministic
    assert docs.set_index("file_name").loc["a.pdf", "status"] == "failed"
    row = docs.set_index("file_name").loc["b.pdf"]
    assert list(row.other_paths) == ["in/copy/b.pdf"] and row.signer == "Hồ Xuân Trăng" and bool(row.signed)
    assert row.issue_date == dt.date(2023, 6, 12) and row.report_year == 2023
    values = pd.read_parquet(out / "values")
    assert len(values) == 2 and values.value_num.dtype == "float64"
    assert list(values.bbox.iloc[0]) == [10.0, 20.0, 300.0, 35.0]
    assert ds.dataset(out / "values", format="parquet").count_rows() == 2
    got = duckdb.sql(f"SELECT count(*) FROM '{out}/values/*.parquet' WHERE needs_review").fetchall()
    assert got == [(1,)]
    assert pl.read_parquet(out / "values" / "*.parquet").height == 2
    queue = pd.read_parquet(out / "review_queue.parquet")
    assert len(queue) == 1 and queue.candidates.iloc[0][0]["indicator_id"] == "X"
    issues = pd.read_parquet(out / "validation_issues.parquet")
    assert json.loads(issues.figures.iloc[0]) == {"A": 12, "B": 10}
    assert json.loads((out / "run.json").read_text())["tool"] == "test"


def test_empty_run_still_writes_readable_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _write(out, [])
    assert pd.read_parquet(out / "values").empty
    assert "doc_id" in pd.read_parquet(out / "documents.parquet").columns


def test_crash_while_writing_leaves_previous_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    _write(out, _docs())
    before = (out / "documents.parquet").read_bytes()
    real = writer._write_table

    def dying(path: Path, rows, schema) -> None:  # type: ignore[no-untyped-def]
        if path.name == "review_queue.parquet":
            raise KeyboardInterrupt("killed")
        real(path, rows, schema)

    monkeypatch.setattr(writer, "_write_table", dying)
    with pytest.raises(KeyboardInterrupt):
        _write(out, _docs()[:1])
    assert (out / "documents.parquet").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # temp folder cleaned up


def test_kill_between_renames_is_recovered(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _write(out, _docs())
    out.rename(tmp_path / "out.previous")  # as if killed right after the first rename
    writer.recover_interrupted_swap(out)
    assert (out / "documents.parquet").exists()


def test_same_input_same_bytes(tmp_path: Path) -> None:
    _write(tmp_path / "one", _docs())
    _write(tmp_path / "two", _docs())
    a = pd.read_parquet(tmp_path / "one" / "values")
    b = pd.read_parquet(tmp_path / "two" / "values")
    pd.testing.assert_frame_equal(a, b)
    assert Status.OK.value == "ok"
