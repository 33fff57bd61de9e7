"""Incremental seasons: `--append` adds documents to a dataset; re-adding changes nothing; replacing says so."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from tests.analyst_support import TEXT, cchc

FIRST = TEXT / "commune_binhyen_q1_2024.pdf"  # 2024-Q1, xã Bình Yên
SECOND = TEXT / "district_camxuyen_letter_no_appendix.pdf"  # 2021-H1, huyện Cẩm Xuyên


def _extract(*args: str) -> tuple[int, str]:
    res = cchc("extract", *args, "--executor", "inline")
    return res.exit_code, res.stderr


def _tables(out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    docs = pd.read_parquet(out / "documents.parquet").sort_values("doc_id").reset_index(drop=True)
    values = pd.read_parquet(out / "values")
    values = values.assign(bbox=values.bbox.map(lambda b: None if b is None else tuple(b)))
    return docs, values.sort_values(["doc_id", "page", "raw_label", "source"]).reset_index(drop=True)


@pytest.fixture(scope="module")
def seasons(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("append") / "out"
    code, _ = _extract(str(FIRST), "--out", str(out))
    assert code == 0
    return out


def test_append_keeps_the_first_season(seasons: Path, tmp_path: Path) -> None:
    before_docs, before_values = _tables(seasons)
    code, err = _extract(str(SECOND), "--out", str(seasons), "--append")
    assert code == 0, err
    assert "replac" not in err
    docs, values = _tables(seasons)
    assert set(docs.file_name) == {FIRST.name, SECOND.name}
    kept = values[values.doc_id.isin(before_docs.doc_id)].reset_index(drop=True)
    pd.testing.assert_frame_equal(kept.drop(columns=["preferred"]), before_values.drop(columns=["preferred"]))
    history = json.loads((seasons / "run.json").read_text(encoding="utf-8"))["history"]
    assert [h["documents"] for h in history] == [list(before_docs.doc_id),
                                                 list(docs[docs.file_name == SECOND.name].doc_id)]
    assert set(zip(docs.report_year, docs.period_type, strict=True)) == {(2024, "Q1"), (2021, "H1")}
    assert set(values.report_year) == {2024} and set(values.period_type) == {"Q1"}
    assert json.loads((seasons / "run.json").read_text(encoding="utf-8"))["append"] is True
    units = pd.read_parquet(seasons / "units.parquet")
    assert set(units.unit_id) == {"xa-binh-yen", "huyen-cam-xuyen"}


def test_readding_the_same_file_changes_nothing(seasons: Path) -> None:
    code, _ = _extract(str(SECOND), "--out", str(seasons), "--append")
    assert code == 0
    docs, values = _tables(seasons)
    code, _ = _extract(str(SECOND), str(FIRST), "--out", str(seasons), "--append")
    assert code == 0
    docs2, values2 = _tables(seasons)
    pd.testing.assert_frame_equal(docs.drop(columns=["seconds"]), docs2.drop(columns=["seconds"]))
    pd.testing.assert_frame_equal(values, values2)


def test_without_append_the_replaced_season_is_named(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _extract(str(FIRST), "--out", str(out))[0] == 0
    code, err = _extract(str(SECOND), "--out", str(out))
    assert code == 0
    assert "replacing the previous output" in err and "2024-Q1" in err and "--append" in err
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["replaced"]["documents"] == 1 and run["replaced"]["periods"] == ["2024-Q1"]
    assert run["replaced"]["source_paths"] == [str(FIRST)]
    assert list(pd.read_parquet(out / "documents.parquet").file_name) == [SECOND.name]
