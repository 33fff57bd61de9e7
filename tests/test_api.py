"""The Python API (cchc.extract / read_values / catalog …) and the executed analyst notebook in docs/."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbclient import NotebookClient

import cchc
from indicator_catalog import load_catalog
from tests.analyst_support import TEXT

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "docs" / "analyst_walkthrough.ipynb"


def test_extract_and_read_values(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = cchc.extract(TEXT / "commune_binhyen_q1_2024.pdf", out, executor="inline")
    assert [d.status.value for d in result.documents] == ["ok"]
    values = cchc.read_values(out)
    everything = cchc.read_values(out, preferred=False, with_documents=False)
    assert len(everything) > len(values) > 20  # table and text give some figures twice
    assert values.preferred.all() and (values.unit_name == "UBND xã Bình Yên").all()
    assert not values.duplicated(["doc_id", "indicator_id", "column_label"]).any()
    assert {"unit_id", "year", "concept", "unit_norm", "value_decoded", "period_label"} <= set(values.columns)
    assert list(cchc.read_documents(out).file_name) == ["commune_binhyen_q1_2024.pdf"]
    assert list(cchc.read_units(out).unit_id) == ["xa-binh-yen"]


def test_catalog_joins_without_multiplying_rows(analyst_output: Path) -> None:
    cat = cchc.catalog()
    assert cat.indicator_id.is_unique and len(cat) == len(load_catalog().indicators)
    assert cat[cat.indicator_id.str.startswith("NAR_")].narrative_only.all()
    values = cchc.read_values(analyst_output)
    joined = values.merge(cat, on="indicator_id", how="left", suffixes=("", "_catalog"))
    assert len(joined) == len(values)


def test_wide_from_the_api(analyst_output: Path, tmp_path: Path) -> None:
    out = analyst_output
    wide = cchc.wide(out)
    assert not wide.duplicated(["unit_id", "period_type", "period_year"]).any()
    by_concept = cchc.wide(out, by="concept")
    assert "HS_TY_LE_DUNG_HAN" in by_concept.columns and "HS_TY_LE_DUNG_HAN_XA" not in by_concept.columns
    target = cchc.write_export(out, "parquet", to=tmp_path / "w.parquet")
    assert pd.read_parquet(target).shape == wide.shape


def test_one_top_level_package_and_lazy_api() -> None:
    code = "import sys, cchc; assert 'pandas' not in sys.modules; cchc.read_values; print('pandas' in sys.modules)"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    assert res.stdout.strip() == "True"  # the CLI does not pay for pandas until the API is used
    assert set(cchc.__all__) >= {"extract", "read_values", "catalog"}


@pytest.mark.slow
def test_notebook_answers_the_questions(tmp_path: Path) -> None:
    """docs/analyst_walkthrough.ipynb runs top to bottom on a fresh extraction of the text samples."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    env_before = dict(os.environ)
    os.environ.update(CCHC_REPO=str(ROOT), CCHC_WALKTHROUGH_OUT=str(tmp_path / "walk"),
                      PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    try:
        NotebookClient(nb, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(ROOT / "docs")}}).execute()
    finally:
        os.environ.clear()
        os.environ.update(env_before)
    text = "\n".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", ""))
                     for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "HT-CL" in text and "UBND huyện Can Lộc" in text  # question 1: a unit that has not reported
    assert "(7, ['HT', 'HT-CL'])" in text  # question 2: the added report kept the season, Bình Yên reported
    assert "HS_DUNG_HAN" in text and "UBND xã Bình Yên" in text  # question 3: dossiers per unit
    assert (tmp_path / "walk" / "wide.xlsx").exists() and (tmp_path / "walk" / "cchc.duckdb").exists()
