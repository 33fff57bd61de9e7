"""Value columns analysts need, and `cchc export` (wide xlsx/csv/parquet, DuckDB) on a real extraction."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from cchc.core.dictionary import TABLES
from cchc.dictionary_doc import render_markdown
from pipeline.enrich import norm_unit
from tests.analyst_support import COPY_NAME, cchc

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def out(analyst_output: Path) -> Path:
    return analyst_output


@pytest.fixture(scope="module")
def docs(out: Path) -> pd.DataFrame:
    return pd.read_parquet(out / "documents.parquet")


@pytest.fixture(scope="module")
def values(out: Path) -> pd.DataFrame:
    return pd.read_parquet(out / "values")


def _doc(docs: pd.DataFrame, name: str) -> pd.Series:
    return docs[docs.file_name == name].iloc[0]


def test_same_report_twice_is_linked_not_doubled(out: Path, docs: pd.DataFrame, values: pd.DataFrame) -> None:
    original = _doc(docs, "province_6459_app2_h1_2021.pdf")
    copy = _doc(docs, COPY_NAME)
    assert original.doc_id != copy.doc_id  # other bytes: two documents
    assert copy.duplicate_of == original.doc_id and pd.isna(original.duplicate_of)
    copy_values = values[values.doc_id == copy.doc_id]
    assert len(copy_values) > 100
    assert not copy_values.preferred.any() and (copy_values.duplicate_of == original.doc_id).all()
    issues = pd.read_parquet(out / "validation_issues.parquet")
    of_copy, of_original = issues[issues.doc_id == copy.doc_id], issues[issues.doc_id == original.doc_id]
    assert len(of_copy) == len(of_original) > 0  # the planted issues, once per copy …
    assert (of_copy.duplicate_of == original.doc_id).all() and of_original.duplicate_of.isna().all()  # … told apart
    # counting the preferred figures of the province gives each figure once
    prov = values[values.preferred & (values.unit_id == original.unit_id)]
    assert not prov.duplicated(["indicator_id", "column_label"]).any()


def test_preferred_is_one_per_document_indicator_column(values: pd.DataFrame) -> None:
    pref = values[values.preferred]
    key = ["doc_id", "indicator_id", pref.column_label.fillna("").name, "year"]
    assert not pref.assign(column_label=pref.column_label.fillna("")).duplicated(key).any()
    assert pref.indicator_id.notna().all()


def test_table_figure_preferred_over_the_texts(docs: pd.DataFrame, values: pd.DataFrame) -> None:
    # planted in the province sample: the text says 18 directive documents, the table 16
    doc_id = _doc(docs, "province_6459_app2_h1_2021.pdf").doc_id
    both = values[(values.doc_id == doc_id) & (values.indicator_id == "VB_CHI_DAO_CCHC")]
    assert set(both.source) == {"table", "narrative"}
    chosen = both[both.preferred]
    assert len(chosen) == 1 and chosen.iloc[0].source == "table" and chosen.iloc[0].value_num == 16


def test_year_from_year_columns(docs: pd.DataFrame, values: pd.DataFrame) -> None:
    doc_id = _doc(docs, "district_trieuson_2011_2020_multiyear.pdf").doc_id
    v = values[(values.doc_id == doc_id) & values.column_label.notna()]
    assert len(v) > 100
    for label, year in v[["column_label", "year"]].drop_duplicates().itertuples(index=False):
        assert year == int(label.split()[1]), label  # "Năm 2016" -> 2016, "Năm 2020 (tính đến 31/3)" -> 2020
    assert set(v.year) == set(range(2011, 2021)) and (v.year_source == "column").all()
    commune = values[values.doc_id == _doc(docs, "commune_binhyen_q1_2024.pdf").doc_id]
    assert (commune.year == 2024).all() and (commune.year_source == "report").all()


def test_units_of_measure_have_one_spelling(values: pd.DataFrame) -> None:
    printed = values[values.unit.notna() & values.unit_norm.notna()]
    assert printed.unit.nunique() > printed.unit_norm.nunique()  # "Hồ sơ"/"hồ sơ", "Văn bản"/"văn bản", …
    spellings = printed.groupby(printed.unit.str.casefold().str.strip(" _-:")).unit_norm.nunique()
    assert (spellings == 1).all()
    assert not printed.unit_norm.str.match(r"^[_\-–•:'\"“ ]").any()
    for raw in ("Hồ sơ", "hồ sơ", " Hồ sơ "):
        assert norm_unit(raw) == "hồ sơ"
    assert norm_unit("_ Cơ quan, đơn vị") == norm_unit("Cơ quan, đơn vị :") == "cơ quan, đơn vị"
    assert norm_unit("TTHC") == norm_unit("Thủ tục") == "thủ tục"
    assert norm_unit("UBND cấp huyện") == "UBND cấp huyện"  # an acronym keeps its capitals
    assert norm_unit("Không - 0 Có - 1") is None
    legends = values[values.unit.fillna("").str.contains("=")]
    assert len(legends) and legends.unit_norm.isna().all()


def test_coded_answers_decoded(values: pd.DataFrame) -> None:
    coded = values[values.unit.fillna("").str.contains("Hoàn thành = 2") & values.value_num.notna()]
    assert len(coded)
    names = {0.0: "Chưa", 1.0: "Đang làm", 2.0: "Hoàn thành"}
    for num, decoded in coded[["value_num", "value_decoded"]].itertuples(index=False):
        assert decoded == names[num]
    assert values[values.value_decoded.notna()].value_num.notna().all()


def test_concept_groups_levels(values: pd.DataFrame) -> None:
    v = values[values.indicator_id.isin(["HS_TY_LE_DUNG_HAN_XA", "HS_TY_LE_DUNG_HAN_HUYEN"])]
    assert len(v) and set(v.concept) == {"HS_TY_LE_DUNG_HAN"}
    assert set(v.concept_level) <= {"xa", "huyen"}
    other = values[values.indicator_id == "KH_NHIEM_VU_DE_RA"]
    assert set(other.concept) == {"KH_NHIEM_VU_DE_RA"}  # no concept in the catalog: the ID itself


def test_wide_xlsx_one_row_per_unit_and_period(out: Path, values: pd.DataFrame, tmp_path: Path) -> None:
    target = tmp_path / "wide.xlsx"
    res = cchc("export", str(out), "--wide", "--format", "xlsx", "--to", str(target))
    assert res.exit_code == 0, res.output
    ws = load_workbook(target, read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    header, labels, body = rows[0], rows[1], rows[2:]
    assert header[:5] == ("unit_id", "unit_name", "unit_level", "period_type", "period_year")
    col = header.index("VB_CHI_DAO_CCHC")
    assert labels[col] == "Số văn bản chỉ đạo CCHC đã ban hành"
    keys = [(r[0], r[3], r[4]) for r in body]
    assert len(keys) == len(set(keys))  # one row per unit and period
    province = [r for r in body if r[0] == "tinh-ninh-binh" and r[3] == "H1" and r[4] == 2021]
    assert len(province) == 1 and province[0][col] == 16  # the table's figure, the copy not doubling it
    trieuson = sorted(r[4] for r in body if r[0] == "huyen-trieu-son" and r[3] == "Y")
    assert trieuson == list(range(2011, 2021))
    # every preferred matched figure with a value (a dash is none) is somewhere in the sheet
    dash = values.value_text.fillna("").str.fullmatch(r"\s*[-–—.]+\s*")
    assert sum(1 for r in body for x in r[5:] if x is not None) == len(
        values[values.preferred & (values.value_num.notna() | (values.value_text.notna() & ~dash))]
        .drop_duplicates(["unit_id", "year", "period_type", "indicator_id", "column_role"]))
    assert "-" not in {x for r in body for x in r[5:]}


def test_wide_csv_and_parquet_agree(out: Path, tmp_path: Path) -> None:
    assert cchc("export", str(out), "--format", "csv", "--to", str(tmp_path / "w.csv")).exit_code == 0
    assert cchc("export", str(out), "--format", "parquet", "--to", str(tmp_path / "w.parquet")).exit_code == 0
    csv_df = pd.read_csv(tmp_path / "w.csv", skiprows=[1], encoding="utf-8-sig")
    pq_df = pd.read_parquet(tmp_path / "w.parquet")
    assert list(csv_df.columns) == list(pq_df.columns)
    assert len(csv_df) == len(pq_df)
    a = csv_df.set_index(["unit_id", "period_type", "period_year"])["VB_CHI_DAO_CCHC"].dropna()
    b = pq_df.set_index(["unit_id", "period_type", "period_year"])["VB_CHI_DAO_CCHC"].dropna()
    assert a.to_dict() == b.to_dict() and a.to_dict()
    field = pq.read_schema(tmp_path / "w.parquet").field("VB_CHI_DAO_CCHC")
    assert field.metadata[b"label"].decode() == "Số văn bản chỉ đạo CCHC đã ban hành"


def test_duckdb_file_has_tables_and_views(out: Path, tmp_path: Path) -> None:
    db = tmp_path / "cchc.duckdb"
    assert cchc("export", str(out), "--format", "duckdb", "--to", str(db)).exit_code == 0
    con = duckdb.connect(str(db), read_only=True)
    names = dict(con.execute("SELECT table_name, table_type FROM information_schema.tables").fetchall())
    for t in ("documents", "values", "units", "review_queue", "validation_issues", "indicators", "wide"):
        assert names[t] == "BASE TABLE", t
    for view in ("figures", "unit_periods", "concept_values"):
        assert names[view] == "VIEW", view
    n_pref = con.execute("""SELECT count(*) FROM "values" v JOIN documents d USING (doc_id)
                            WHERE v.preferred AND d.duplicate_of IS NULL""").fetchone()[0]
    assert con.execute("SELECT count(*) FROM figures").fetchone()[0] == n_pref > 0
    periods = con.execute("SELECT unit_id, n_reports FROM unit_periods WHERE unit_id = 'tinh-ninh-binh'").fetchall()
    assert periods == [("tinh-ninh-binh", 1)]  # the second copy is not a second report
    assert "figures" in (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")


def test_every_column_described_in_parquet_and_docs(out: Path) -> None:
    files = {"documents": out / "documents.parquet", "values": next((out / "values").glob("*.parquet")),
             "review_queue": out / "review_queue.parquet", "validation_issues": out / "validation_issues.parquet",
             "units": out / "units.parquet"}
    for table, path in files.items():
        schema = pq.read_schema(path)
        assert set(schema.names) == set(TABLES[table][1]), table
        for f in schema:
            assert f.metadata and f.metadata[b"description"].decode().strip(), (table, f.name)
    assert (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8") == render_markdown(), (
        "docs/data-dictionary.md is stale: python -m cchc.dictionary_doc > docs/data-dictionary.md")


def test_contract_columns_kept(out: Path) -> None:
    contract = (ROOT / "docs" / "output-contract.md").read_text(encoding="utf-8")
    for table, path in (("documents", out / "documents.parquet"), ("values", out / "values")):
        section = contract.split(f"## DIR/{table}")[1].split("## ")[0]
        cols = [line.split("|")[1].strip() for line in section.splitlines() if line.startswith("| ") and
                not line.startswith("| column")]
        got = pd.read_parquet(path).columns
        assert cols and set(cols) <= set(got), table
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["append"] is False
