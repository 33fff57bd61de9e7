"""`cchc catalog list|show|export`, run in-process with click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from cchc.cli_catalog import EXPORT_COLUMNS, catalog
from indicator_catalog import load_catalog


@pytest.fixture()
def run():
    runner = CliRunner()

    def _run(*args: str):
        return runner.invoke(catalog, list(args), catch_exceptions=False)

    return _run


def test_list_templates(run):
    res = run("list")
    assert res.exit_code == 0, res.output
    for tid in (
        "province_6459_app2",
        "ministry_6459_app1",
        "commune_2024",
        "department_bdt_2023",
        "district_camxuyen_2021",
        "district_trieuson_2011_2020",
    ):
        assert tid in res.output
    assert load_catalog().version in res.output


def test_list_one_template_shows_corrected_codes(run):
    res = run("list", "--template", "district_camxuyen_2021")
    assert res.exit_code == 0
    line = next(li for li in res.output.splitlines() if li.startswith("1.2.1 "))
    assert "1.1.1." in line and "KT_SO_PHONG_BAN_TRUC_THUOC" in line
    assert "4.1.a" in res.output


def test_list_unknown_template_fails_with_the_known_ones(run):
    res = run("list", "--template", "nope")
    assert res.exit_code != 0
    assert "province_6459_app2" in res.output


def test_show_indicator_lists_occurrences(run):
    res = run("show", "TTHC_CONG_BO_MOI")
    assert res.exit_code == 0
    assert "Số TTHC công bố mới" in res.output
    for tid in ("province_6459_app2", "district_camxuyen_2021", "commune_2024"):
        assert f"{tid} 3.1.1" in res.output


def test_show_template_and_coded_indicator(run):
    res = run("show", "province_6459_app2")
    assert res.exit_code == 0 and "printed 1.2.2. -> 1.2.3" in res.output
    res = run("show", "LGSP")
    assert "Chưa = 0 / Đang làm = 1 / Hoàn thành = 2" in res.output


def test_show_unknown_suggests(run):
    res = run("show", "hồ sơ đúng hạn")
    assert res.exit_code != 0
    assert "HS_TY_LE_DUNG_HAN_XA" in res.output


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_export_loads_in_pandas(run, tmp_path: Path, fmt: str):
    out = tmp_path / f"catalog.{fmt}"
    res = run("export", "--rows", "--format", fmt, "--out", str(out))
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out, dtype=str, keep_default_na=False) if fmt == "csv" else pd.read_parquet(out)
    cat = load_catalog()
    assert list(df.columns) == EXPORT_COLUMNS
    assert len(df) == len(cat.all_rows())
    assert set(df["catalog_version"]) == {cat.version}
    row = df[(df.template_id == "province_6459_app2") & (df.code == "1.2.3")].iloc[0]
    assert row.printed_code == "1.2.2." and row.indicator_id == "KT_VAN_DE_PHAT_HIEN"
    coded = df[(df.template_id == "province_6459_app2") & (df.code == "7.5")].iloc[0]
    assert json.loads(coded.codes) == {"Chưa": 0, "Đang làm": 1, "Hoàn thành": 2}
    assert "Số thủ tục hành chính công bố mới" in json.loads(
        df[df.indicator_id == "TTHC_CONG_BO_MOI"].iloc[0].aliases
    )
    assert df.groupby("template_id").size().to_dict() == {t: len(cat.template(t).rows) for t in cat.templates}


def test_help_texts_carry_examples(run):
    for args in (["--help"], ["list", "--help"], ["show", "--help"], ["export", "--help"]):
        res = run(*args)
        assert res.exit_code == 0 and "cchc catalog" in res.output, args
