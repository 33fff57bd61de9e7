"""The stewards' review loop end to end on real outputs: extract → export → fill in Excel → apply → re-run.

Two commune reports (real PDFs drawn here) print the same odd label for
"new administrative procedures" that the matcher can only suggest; a steward
confirms it in document A, and the next run matches document B by itself.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook

from cchc.cli import main
from cchc.core.model import Document, Match, Value
from cchc.review import EXPORT_COLUMNS, FILL_COLUMNS, read_decision_file
from indicator_catalog import load_catalog
from pipeline.decisions import Decision, append_decisions, apply_decisions, decisions_path
from pipeline.writer import value_row_key
from tests.pdfmaker import grid_pdf

ODD = "Thủ tục mới được công bố, sửa đổi trong kỳ báo cáo"  # TTHC_CONG_BO_MOI, worded like no template
TOTAL_XA = "Thủ tục đang thực hiện tại xã (tổng)"  # value misread "l2O"
OWN = "Số sáng kiến cải tiến quy trình nội bộ được ghi nhận"  # the commune's own row: no indicator
HEAD = [
    ("1", "Công tác chỉ đạo, điều hành CCHC", "", ""),
    ("1.1", "Tỷ lệ hoàn thành kế hoạch CCHC năm", "%", "80"),
    ("3", "Cải cách thủ tục hành chính", "", ""),
    ("3.1", "Thống kê TTHC", "", ""),
]
ROWS_A = [*HEAD, ("3.1.1", ODD, "Thủ tục", "3"), ("3.1.2", "Số TTHC bãi bỏ, thay thế", "Thủ tục", "1"),
          ("3.1.3", TOTAL_XA, "Thủ tục", "l2O"), ("3.1.9", OWN, "Sáng kiến", "4")]
ROWS_B = [*HEAD, ("3.1.1", ODD, "Thủ tục", "5"), ("3.1.3", "Tổng số TTHC đang có hiệu lực", "Thủ tục", "98")]


def _grid_pdf(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    return grid_pdf(path, rows)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("reports")
    _grid_pdf(root / "xa_binh_yen_q1.pdf", ROWS_A)
    _grid_pdf(root / "xa_tan_lap_q1.pdf", ROWS_B)
    return root


def _cli(args: list[str], code: int = 0) -> str:
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


def _extract(inputs: Path, out: Path) -> None:
    _cli(["-q", "extract", str(inputs), "--out", str(out), "--executor", "inline"])


@pytest.fixture()
def out(inputs: Path, tmp_path: Path) -> Path:
    out = tmp_path / "dataset"
    _extract(inputs, out)
    return out


def _values(out: Path) -> pd.DataFrame:
    return pd.read_parquet(out / "values").set_index(["file_name", "raw_label"]).sort_index()


def _export_xlsx(out: Path, to: Path) -> Path:
    _cli(["review", "export", str(out), "--format", "xlsx", "--to", str(to)])
    return to


def _fill(path: Path, decide: dict[tuple[str, str], dict[str, object]]) -> None:
    """What a steward does in Excel: type into the yellow columns of the rows they decide."""
    wb = load_workbook(path)
    ws = wb["review"]
    col = {c.value: c.column for c in ws[1]}
    for r in range(2, ws.max_row + 1):
        key = (ws.cell(r, col["file_name"]).value, ws.cell(r, col["raw_label"]).value)
        for name, value in decide.get(key, {}).items():
            ws.cell(r, col[name]).value = value
    wb.save(path)


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


A, B = "xa_binh_yen_q1.pdf", "xa_tan_lap_q1.pdf"
STEWARD = {
    (A, ODD): {"decision": "accept", "reviewer": "Nguyễn Thị Hoa"},
    (A, TOTAL_XA): {"decision": "choose", "indicator_id": "TTHC_HIEU_LUC_CAP_XA", "corrected_value": 120,
                    "reviewer": "Nguyễn Thị Hoa", "comment": "đọc nhầm l2O"},
    (A, OWN): {"decision": "not_indicator", "comment": "chỉ tiêu riêng của xã"},  # reviewer from --reviewer
}


def test_the_matcher_flags_the_rows_the_steward_must_see(out: Path) -> None:
    queue = pq.read_table(out / "review_queue.parquet").to_pandas()
    assert sorted(zip(queue.file_name, queue.raw_label, strict=True)) == sorted([(A, ODD), (A, TOTAL_XA), (A, OWN),
                                                                                (B, ODD)])


def test_workbook_is_ready_to_fill_in_excel(out: Path, tmp_path: Path) -> None:
    path = _export_xlsx(out, tmp_path / "q.xlsx")
    wb = load_workbook(path)
    ws = wb["review"]
    header = [c.value for c in ws[1]]
    assert header == EXPORT_COLUMNS
    col = {name: ws.cell(1, i + 1).column_letter for i, name in enumerate(header)}
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 4
    rec = dict(zip(header, next(r for r in rows if r[header.index("raw_label")] == ODD), strict=True))
    assert rec["proposed_indicator"] == "TTHC_CONG_BO_MOI" and 50 <= rec["score"] < 75
    assert rec["raw_code"] == "3.1.1" and rec["page"] == 1 and rec["raw_value"] in ("3", "5")
    assert "TTHC_CONG_BO_MOI [3.1.1] — Số TTHC công bố mới" in rec["candidates"]
    assert len(rec["candidates"].splitlines()) >= 2  # the next candidates, one per line
    assert all(rec[c] is None for c in FILL_COLUMNS) and "|table|1|3.1.1|" in rec["row_key"]
    # drop-downs: decision words, and indicator IDs from the catalog sheet
    dvs = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert dvs[f"{col['decision']}2:{col['decision']}5"].formula1 == '"accept,choose,not_indicator"'
    id_dv = dvs[f"{col['indicator_id']}2:{col['indicator_id']}5"]
    cat_sheet = wb["catalog"]
    catalog = load_catalog()
    assert id_dv.formula1 == f"catalog!$A$2:$A${len(catalog.indicators) + 1}"
    listed = {r[0]: r[1] for r in cat_sheet.iter_rows(min_row=2, values_only=True)}
    assert listed["TTHC_CONG_BO_MOI"] == catalog.indicator("TTHC_CONG_BO_MOI").label
    assert set(listed) == set(catalog.indicators)
    # frozen header, hidden and locked key, editable decision cells, wrapped labels, widths
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions[col["row_key"]].hidden
    assert ws.protection.sheet
    assert ws[f"{col['row_key']}2"].protection.locked and ws[f"{col['raw_label']}2"].protection.locked
    assert not ws[f"{col['decision']}2"].protection.locked and not ws[f"{col['indicator_id']}3"].protection.locked
    assert ws[f"{col['raw_label']}2"].alignment.wrap_text
    assert ws.column_dimensions[col["raw_label"]].width >= 40


def test_csv_export_opens_in_excel_with_vietnamese(out: Path, tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    _cli(["review", "export", str(out), "--format", "csv", "--to", str(path)])
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel would otherwise read it as ANSI
    rows = list(csv.DictReader(data.decode("utf-8-sig").splitlines(keepends=True)))
    assert list(rows[0]) == EXPORT_COLUMNS
    assert {r["raw_label"] for r in rows} == {ODD, TOTAL_XA, OWN}


def test_default_export_is_kept_beside_the_decisions(out: Path) -> None:
    text = _cli(["review", "export", str(out), "--format", "xlsx"])
    made = list((out / "decisions").glob("review_queue_*.xlsx"))
    assert len(made) == 1 and str(made[0]) in text


def test_round_trip_decisions_survive_reruns_and_teach_the_matcher(inputs: Path, out: Path, tmp_path: Path) -> None:
    before = _values(out)
    assert before.loc[(B, ODD), "needs_review"]
    book = _export_xlsx(out, tmp_path / "q.xlsx")
    _fill(book, STEWARD)
    text = _cli(["review", "apply", str(book), str(out), "--reviewer", "Trần Văn Nam"])
    assert "recorded 3 decision(s)" in text and "1 row(s) left undecided" in text

    def check_decided(v: pd.DataFrame) -> None:
        acc = v.loc[(A, ODD)]
        assert (acc.indicator_id, acc.indicator_code, acc.match_method, acc.match_score, acc.needs_review) == (
            "TTHC_CONG_BO_MOI", "3.1.1", "review", 100.0, False)
        assert acc.value_num == 3.0
        ch = v.loc[(A, TOTAL_XA)]
        assert (ch.indicator_id, ch.indicator_code, ch.indicator_label) == (
            "TTHC_HIEU_LUC_CAP_XA", "3.1.3.b", "Số TTHC cấp xã")
        assert (ch.raw_value, ch.value_num, ch.match_method, ch.needs_review) == ("l2O", 120.0, "review", False)
        own = v.loc[(A, OWN)]
        assert pd.isna(own.indicator_id) and own.match_method == "review" and not own.needs_review
        assert own.value_num == 4.0
        untouched = v.loc[(A, "Số TTHC bãi bỏ, thay thế")]
        assert (untouched.indicator_id, untouched.match_method) == ("TTHC_BAI_BO_THAY_THE", "exact")

    after = _values(out)
    check_decided(after)
    assert after.loc[(B, ODD), "needs_review"]  # not decided by the steward, not re-matched in place
    queue = pd.read_parquet(out / "review_queue.parquet")
    assert list(zip(queue.file_name, queue.raw_label, strict=True)) == [(B, ODD)]
    assert json.loads((out / "run.json").read_text())["values"]["needs_review"] == 1

    stored = [json.loads(line) for line in decisions_path(out).read_text(encoding="utf-8").splitlines()]
    assert [(d["decision"], d["indicator_id"], d["corrected_value"], d["reviewer"]) for d in stored] == [
        ("accept", "TTHC_CONG_BO_MOI", None, "Nguyễn Thị Hoa"),
        ("choose", "TTHC_HIEU_LUC_CAP_XA", "120", "Nguyễn Thị Hoa"),
        ("not_indicator", None, None, "Trần Văn Nam"),
    ]
    assert all(d["source_file"] == "q.xlsx" and d["decided_at"].startswith("20") and d["doc_id"] for d in stored)
    aliases = yaml.safe_load((out / "decisions" / "aliases_steward.yaml").read_text(encoding="utf-8"))
    assert aliases == {"TTHC_CONG_BO_MOI": [ODD], "TTHC_HIEU_LUC_CAP_XA": [TOTAL_XA]}
    assert "3 decided" in _cli(["review", "list", str(out)]) and "1 flagged" in _cli(["review", "list", str(out)])

    # run the extraction again into the same folder: decisions re-applied, the alias matches B by itself
    _extract(inputs, out)
    rerun = _values(out)
    check_decided(rerun)
    b = rerun.loc[(B, ODD)]
    assert (b.indicator_id, b.match_method, b.needs_review) == ("TTHC_CONG_BO_MOI", "alias", False)
    assert b.match_score >= 75
    assert pd.read_parquet(out / "review_queue.parquet").empty
    assert len(decisions_path(out).read_text(encoding="utf-8").splitlines()) == 3
    listing = _cli(["review", "list", str(out)])
    assert "0 flagged, 3 decided (1 accept, 1 choose, 1 not_indicator)" in listing

    # a resumed run (nothing re-extracted) keeps them too
    _extract(inputs, out)
    check_decided(_values(out))

    # the alias is reversible: removed, B is flagged again on the next run; A stays decided
    _cli(["review", "aliases", str(out), "--remove", ODD])
    assert ODD not in (out / "decisions" / "aliases_steward.yaml").read_text(encoding="utf-8")
    _extract(inputs, out)
    again = _values(out)
    assert again.loc[(B, ODD), "needs_review"] and again.loc[(B, ODD), "match_method"] == "review"
    check_decided(again)


def test_applying_the_same_file_twice_records_nothing_new(out: Path, tmp_path: Path) -> None:
    book = _export_xlsx(out, tmp_path / "q.xlsx")
    _fill(book, STEWARD)
    _cli(["review", "apply", str(book), str(out), "--reviewer", "Trần Văn Nam"])
    snap = _snapshot(out / "values")
    text = _cli(["review", "apply", str(book), str(out), "--reviewer", "Trần Văn Nam"])
    assert "recorded 0 decision(s) (3 already in force" in text
    assert len(decisions_path(out).read_text(encoding="utf-8").splitlines()) == 3
    assert _snapshot(out / "values") == snap


def test_a_later_decision_replaces_the_earlier_one(out: Path, tmp_path: Path) -> None:
    first = _export_xlsx(out, tmp_path / "first.xlsx")
    _fill(first, {(A, TOTAL_XA): STEWARD[(A, TOTAL_XA)]})
    _cli(["review", "apply", str(first), str(out)])
    assert _values(out).loc[(A, TOTAL_XA), "value_num"] == 120.0
    # the queue no longer holds the row, so the second opinion comes from a CSV the steward wrote by hand
    key = next(d.row_key for d in _stored(out))
    second = tmp_path / "second.csv"
    second.write_text(f"row_key;decision;reviewer\n{key};not_indicator;Lê Minh\n", encoding="utf-8")
    _cli(["review", "apply", str(second), str(out)])
    row = _values(out).loc[(A, TOTAL_XA)]
    assert pd.isna(row.indicator_id) and row.match_method == "review"
    assert row.value_num == 120.0  # the extracted reading of "l2O": the correction was withdrawn
    assert row.review_reason.startswith("steward: not_indicator (Lê Minh")


def _stored(out: Path) -> list[Decision]:
    from pipeline.decisions import read_decisions

    return read_decisions(out)


BAD_FILES = {
    "unknown indicator": ({(A, TOTAL_XA): {"decision": "choose", "indicator_id": "TTHC_HIEU_LUC_CAP_XAA",
                                          "reviewer": "H"}},
                          "unknown indicator ID 'TTHC_HIEU_LUC_CAP_XAA' (did you mean TTHC_HIEU_LUC_CAP_XA"),
    "unparseable value": ({(A, TOTAL_XA): {"decision": "accept", "corrected_value": "một trăm hai mươi",
                                          "reviewer": "H"}},
                          "'một trăm hai mươi' is not a number"),
    "bad decision word": ({(A, ODD): {"decision": "đồng ý", "reviewer": "H"}}, "unknown decision 'đồng ý'"),
    "choose without id": ({(A, ODD): {"decision": "choose", "reviewer": "H"}}, "choose needs an indicator_id"),
    "accept with nothing proposed": ({(A, OWN): {"decision": "accept", "reviewer": "H"}},
                                     "accept, but nothing was proposed"),
    "no reviewer": ({(A, ODD): {"decision": "accept"}}, "no reviewer"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_row_is_reported_and_nothing_changes(case: str, out: Path, tmp_path: Path) -> None:
    book = _export_xlsx(out, tmp_path / "q.xlsx")
    decide, message = BAD_FILES[case]
    _fill(book, {**decide, (B, ODD): {"decision": "accept", "reviewer": "H"}})  # one good row does not pass alone
    snap = _snapshot(out)
    text = _cli(["review", "apply", str(book), str(out)], code=1)
    assert "nothing was changed" in text and message in text
    row = next(n for n, rec in read_decision_file(book) if rec.get("decision") and rec["file_name"] == A)
    assert any(line.startswith(f"{row} ") for line in text.splitlines()), text  # the row number in the file
    assert _snapshot(out) == snap


def test_stale_rows_and_conflicting_duplicates_are_reported(out: Path, tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    _cli(["review", "export", str(out), "--format", "csv", "--to", str(path)])
    rows = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines(keepends=True)))
    by_label = {(r["file_name"], r["raw_label"]): r for r in rows}
    stale = dict(by_label[(A, ODD)], decision="accept", reviewer="H")
    stale["row_key"] = stale["row_key"].replace("|table|1|", "|table|9|")  # a page the document does not have
    one = dict(by_label[(B, ODD)], decision="accept", reviewer="H")
    other = dict(by_label[(B, ODD)], decision="not_indicator", reviewer="H")
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=EXPORT_COLUMNS)
        w.writeheader()
        w.writerows([stale, one, other])
    snap = _snapshot(out)
    text = _cli(["review", "apply", str(path), str(out)], code=1)
    assert "2    row_key" in text and "no longer in the output" in text
    assert "rows 3, 4 decide the same figure differently" in text
    assert _snapshot(out) == snap


def test_dry_run_says_what_would_change_and_changes_nothing(out: Path, tmp_path: Path) -> None:
    book = _export_xlsx(out, tmp_path / "q.xlsx")
    _fill(book, STEWARD)
    snap = _snapshot(out)
    text = _cli(["review", "apply", str(book), str(out), "--reviewer", "T", "--dry-run"])
    assert "would record 3 decision(s)" in text and f"would add steward alias TTHC_CONG_BO_MOI ← {ODD!r}" in text
    assert _snapshot(out) == snap


def test_apply_decisions_lays_the_store_over_fresh_documents(tmp_path: Path) -> None:
    doc = Document(doc_id="d" * 64, source_path="x.pdf", file_name="x.pdf")
    v = Value(source="table", raw_label=TOTAL_XA, raw_value="l2O", page=2, raw_code="3.1.3", value_num=None,
              value_text="l2O", needs_review=True,
              match=Match(template_id="commune_2024", indicator_id="TTHC_HIEU_LUC_TONG", match_score=73,
                          match_method="review"))
    other = Value(source="table", raw_label="Số TTHC bãi bỏ, thay thế", raw_value="1", page=2, raw_code="3.1.2",
                  value_num=1.0, match=Match(indicator_id="TTHC_BAI_BO_THAY_THE", match_method="exact"))
    doc.values = [v, other]
    base = dict(doc_id=doc.doc_id, reviewer="H", decided_at="2026-01-02T03:04:05+00:00", source_file="q.xlsx")
    append_decisions(tmp_path, [
        Decision(row_key=value_row_key(doc, v), decision="accept", indicator_id="TTHC_HIEU_LUC_TONG",
                 corrected_value=None, value_num=None, value_text=None, **base),
        Decision(row_key=value_row_key(doc, v), decision="choose", indicator_id="TTHC_HIEU_LUC_CAP_XA",
                 corrected_value="120", value_num=120.0, value_text=None, **base),  # the later one wins
        Decision(row_key="gone|table|1||label||", decision="not_indicator", indicator_id=None,
                 corrected_value=None, value_num=None, value_text=None, **base),  # a document no longer here
    ])
    with decisions_path(tmp_path).open("a", encoding="utf-8") as fh:
        fh.write("not json\n[1, 2]\n")  # a damaged store line is skipped, not fatal
    assert apply_decisions([doc], tmp_path) == 1
    assert (v.indicator_id, v.indicator_code, v.value_num, v.value_text, v.needs_review, v.match_method) == (
        "TTHC_HIEU_LUC_CAP_XA", "3.1.3.b", 120.0, None, False, "review")
    assert (other.match_method, other.needs_review) == ("exact", False)
    assert apply_decisions([doc], tmp_path) == 1 and v.value_num == 120.0  # idempotent


def test_labels_that_cannot_name_one_indicator_do_not_become_aliases(tmp_path: Path) -> None:
    from cchc.review import plan_aliases

    catalog = load_catalog()
    added, notes = plan_aliases(tmp_path, [
        ("Số TTHC cấp huyện", "TTHC_HIEU_LUC_CAP_XA"),  # the catalog prints it for another indicator
        ("Số TTHC công bố mới", "TTHC_CONG_BO_MOI"),  # already the catalog's own label
        ("Thủ tục do xã tự rà soát", "TTHC_CONG_BO_MOI"),  # confirmed as two indicators in one file
        ("Thủ tục do xã tự rà soát", "TTHC_BAI_BO_THAY_THE"),
        (ODD, "TTHC_CONG_BO_MOI"),
    ], catalog)
    assert added == [(ODD, "TTHC_CONG_BO_MOI")]
    assert any("TTHC_HIEU_LUC_CAP_HUYEN" in n and "not added" in n for n in notes)
    assert any("confirmed as TTHC_BAI_BO_THAY_THE, TTHC_CONG_BO_MOI" in n for n in notes)


def test_number_cells_from_excel_keep_their_decimals(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from extractors.numbers import parse_value

    wb = Workbook()
    wb.active.title = "review"
    wb.active.append(["row_key", "decision", "corrected_value"])
    wb.active.append(["k", "accept", 1.245])  # Excel stores 1,245 (one and a bit) as a float
    wb.active.append(["k2", "accept", 1245])
    wb.save(tmp_path / "n.xlsx")
    rows = dict((rec["row_key"], rec["corrected_value"]) for _, rec in read_decision_file(tmp_path / "n.xlsx"))
    assert parse_value(rows["k"]).value_num == 1.245 and parse_value(rows["k2"]).value_num == 1245.0


def test_a_folder_that_is_not_an_output_is_refused_clearly(tmp_path: Path) -> None:
    text = _cli(["review", "list", str(tmp_path)], code=1)
    assert "is not a cchc output" in text and "cchc extract --out" in text


def test_bulk_row_keys_equal_the_writers_row_key() -> None:
    import pyarrow as pa

    from cchc.review import _keys
    from pipeline.writer import VALUES_SCHEMA, value_record

    doc = Document(doc_id="e" * 64, source_path="x.pdf", file_name="x.pdf")
    values = [
        Value(source="table", raw_label=TOTAL_XA, raw_value="l2O", page=12, raw_code="3.1.3", column_label="Năm 2019"),
        Value(source="table", raw_label="Số TTHC | cấp xã", raw_value="4", page=1, raw_code=None),
        Value(source="narrative", raw_label="hồ sơ đã giải quyết", raw_value="348", page=3, extractor="hs_giai_quyet"),
    ]
    table = pa.Table.from_pylist([value_record(doc, v, "c") for v in values], schema=VALUES_SCHEMA)
    assert _keys(table).to_pylist() == [value_row_key(doc, v) for v in values]


def test_files_the_review_rewrites_follow_the_umask(tmp_path: Path) -> None:
    """Colleagues must be able to read a reviewed dataset: not mkstemp's private 0600."""
    import os

    from cchc.review import _atomic_write_bytes

    old = os.umask(0o022)
    try:
        target = tmp_path / "decisions.jsonl"
        _atomic_write_bytes(target, b"{}\n")
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o644
