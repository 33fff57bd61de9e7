"""The consistency rule engine on the seed documents' figures and on planted inconsistencies.

Table figures are built from the seeds' appendix cells (read by hand from
samples/seeds/001 and 002) through the catalog's templates; narrative figures
come from the real extractor on the seeds' running text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cchc.core.model import Match, ValidationIssue, Value
from extractors import narrative_patterns as ids
from extractors.narrative import extract_figures
from extractors.validation_rules import (
    COMPLETED_LE_PLANNED,
    NARRATIVE_VS_TABLE,
    PARTS_SUM_TO_TOTAL,
    PERCENT_CONSISTENT,
    PERCENT_RANGE,
    RULES,
    RuleSpec,
    rules_from_catalog,
    validate_values,
)
from indicator_catalog import load_catalog

SEEDS = Path(__file__).resolve().parent.parent / "samples" / "seeds"
CAT = load_catalog()

# Non-empty value cells of the seeds' appendices (code in the catalog template -> value).
TABLE_001 = {"1.1": 50, "1.1.a": 6, "1.1.b": 3, "1.5": 0, "3.1.3.b": 118, "3.2.4": 100, "3.2.4.a": 351,
             "3.2.4.b": 351, "3.4.2": 100, "3.4.2.a": 348, "3.4.2.b": 348, "4.2.1": 19, "4.2.2": 19}
TABLE_002 = {"1.1.1": 16, "1.1.2": 12, "2.1": 0, "3.1.3": 3, "3.1.3.a": 3, "3.1.3.b": 0, "3.1.3.c": 0,
             "3.3.3": 100, "3.3.4": 100, "3.4.1": 100, "4.2.1": 15, "4.2.2": 15, "4.2.3": 3, "4.2.4": 1,
             "4.2.5": 12.5, "4.3.1": 2, "4.3.2": 0, "7.8.1": 1, "7.8.2": 2, "7.8.3": 100, "7.8.4": 100}


def table(template_id: str, cells: dict[str, float], column: str | None = None, page: int = 9) -> list[Value]:
    t = CAT.template(template_id)
    out = []
    for code, value in cells.items():
        row = t.row(code)
        assert row is not None, code
        out.append(Value(source="table", raw_label=row.label, raw_value=str(value), page=page,
                         raw_code=row.printed_code, value_num=float(value), unit=row.unit, column_label=column,
                         match=Match(indicator_id=row.indicator_id, template_id=template_id, match_method="exact")))
    return out


def narrative(seed: str, marker: str, level: str) -> list[Value]:
    text = next(SEEDS.glob(f"{seed}*.txt")).read_text(encoding="utf-8")
    return extract_figures(text[: text.index(marker)], level=level)


def n(indicator: str, value: float, page: int = 1, unit: str | None = None) -> Value:
    return Value(source="narrative", raw_label=f"phrase {indicator}", raw_value=str(value), page=page,
                 value_num=float(value), unit=unit, match=Match(indicator_id=indicator))


def rules_of(issues: list[ValidationIssue]) -> list[tuple[str, tuple[str, ...]]]:
    return sorted((i.rule, tuple(sorted(i.indicator_ids))) for i in issues)


# --------------------------------------------------------------------------- the seeds

def test_seed_001_narrative_alone_is_consistent() -> None:
    values = narrative("001", "PHỤ LỤC SỐ II", "xa")
    got = {v.indicator_id: v.value_num for v in values}
    assert got["HS_DA_GIAI_QUYET_XA"] == 348 == got[ids.HS_TRUOC_HAN] + got[ids.HS_DUNG_HAN] + got[ids.HS_QUA_HAN]
    assert validate_values(values, catalog=CAT) == []


def test_seed_001_table_alone_is_consistent() -> None:
    assert validate_values(table("commune_2024", TABLE_001), catalog=CAT) == []


def test_seed_001_text_and_table_disagree_only_on_online_dossiers() -> None:
    """The commune writes 348 dossiers received online; its appendix says 351 (it counted the 3 carried over)."""
    issues = validate_values(narrative("001", "PHỤ LỤC SỐ II", "xa") + table("commune_2024", TABLE_001), catalog=CAT)
    assert rules_of(issues) == [(NARRATIVE_VS_TABLE, (ids.HS_TRUC_TUYEN,))]
    (issue,) = issues
    assert issue.figures == {f"{ids.HS_TRUC_TUYEN}@narrative": 348.0, f"{ids.HS_TRUC_TUYEN}@table": 351.0}
    assert "348" in issue.message and "351" in issue.message and "qua mạng" in issue.message
    assert issue.page == 1


def test_seed_002_text_and_table_disagree_only_on_assigned_posts() -> None:
    """002's text: "15 biên chế QLNN/14 chỉ tiêu"; its appendix: 15 posts assigned."""
    values = narrative("002", "Phụ lục\nTHỐNG KÊ", "so_nganh") + table("department_bdt_2023", TABLE_002)
    issues = validate_values(values, catalog=CAT)
    assert rules_of(issues) == [(NARRATIVE_VS_TABLE, (ids.BC_GIAO,))]
    assert "14" in issues[0].message and "15" in issues[0].message


# --------------------------------------------------------------------------- planted inconsistencies

def test_completed_more_than_planned() -> None:
    issues = validate_values([n(ids.KH_NV_DE_RA, 6), n(ids.KH_NV_HOAN_THANH, 7)], catalog=CAT)
    assert rules_of(issues) == [(COMPLETED_LE_PLANNED, tuple(sorted((ids.KH_NV_HOAN_THANH, ids.KH_NV_DE_RA))))]
    assert issues[0].figures == {ids.KH_NV_HOAN_THANH: 7.0, ids.KH_NV_DE_RA: 6.0}
    assert "exceeds" in issues[0].message and "= 7" in issues[0].message and "= 6" in issues[0].message


def test_assigned_parts_bound_the_total_even_when_one_is_missing() -> None:
    ok = [n(ids.GIAO_TONG, 45), n(ids.GIAO_DUNG_HAN, 44), n(ids.GIAO_QUA_HAN, 1)]
    assert validate_values(ok, catalog=CAT) == []
    bad = [n(ids.GIAO_TONG, 45), n(ids.GIAO_DUNG_HAN, 44), n(ids.GIAO_QUA_HAN, 3)]
    assert rules_of(validate_values(bad, catalog=CAT)) == [
        (COMPLETED_LE_PLANNED, tuple(sorted((ids.GIAO_DUNG_HAN, ids.GIAO_QUA_HAN, ids.GIAO_TONG))))]
    assert rules_of(validate_values([n(ids.GIAO_TONG, 4), n(ids.GIAO_DUNG_HAN, 5)], catalog=CAT)) == [
        (COMPLETED_LE_PLANNED, tuple(sorted((ids.GIAO_DUNG_HAN, ids.GIAO_TONG))))]


def test_dossiers_parts_must_sum_to_resolved() -> None:
    values = [n(ids.HS_DA_GIAI_QUYET, 348), n(ids.HS_TRUOC_HAN, 325), n(ids.HS_DUNG_HAN, 20), n(ids.HS_QUA_HAN, 0)]
    issues = validate_values(values, catalog=CAT)
    assert [i.rule for i in issues] == [PARTS_SUM_TO_TOTAL]
    assert "325 + 20 + 0 = 345" in issues[0].message and "348" in issues[0].message
    # Not all parts present: nothing to say.
    assert validate_values(values[:3], catalog=CAT) == []


def test_resolved_more_than_received_across_table_and_text() -> None:
    """Received only in the table, resolved only in the text: checked on both together."""
    values = table("commune_2024", {"3.2.4.a": 300}) + [n("HS_DA_GIAI_QUYET_XA", 348)]
    assert rules_of(validate_values(values, catalog=CAT)) == [
        (COMPLETED_LE_PLANNED, tuple(sorted(("HS_DA_GIAI_QUYET_XA", ids.HS_TIEP_NHAN))))]


def test_percent_consistent_with_its_sub_rows() -> None:
    good = table("commune_2024", {"1.1": 50, "1.1.a": 6, "1.1.b": 3, "3.4.2": 66.7, "3.4.2.a": 3, "3.4.2.b": 2})
    assert validate_values(good, catalog=CAT) == []
    truncated = table("commune_2024", {"3.4.2": 66, "3.4.2.a": 3, "3.4.2.b": 2})  # 66.67 written as 66
    assert validate_values(truncated, catalog=CAT) == []
    bad = table("commune_2024", {"1.1": 60, "1.1.a": 6, "1.1.b": 3})
    issues = validate_values(bad, catalog=CAT)
    assert rules_of(issues) == [(PERCENT_CONSISTENT, tuple(sorted((ids.KH_TY_LE, ids.KH_NV_HOAN_THANH,
                                                                   ids.KH_NV_DE_RA))))]
    assert "60%" in issues[0].message and "3 / 6 = 50.0%" in issues[0].message


def test_percent_out_of_range() -> None:
    values = table("commune_2024", {"3.2.4": 135}) + [n(ids.PCT_CBCC_MAY_TINH, 101, unit="%")]
    issues = validate_values(values, catalog=CAT)
    assert rules_of(issues) == [(PERCENT_RANGE, ("HS_TY_LE_TIEP_NHAN_TRUC_TUYEN",)),
                                (PERCENT_RANGE, (ids.PCT_CBCC_MAY_TINH,))]
    assert all("out of range" in i.message for i in issues)


def test_narrative_vs_table_tolerates_rounding_of_percentages_only() -> None:
    values = table("commune_2024", {"3.4.2": 98.5, "4.2.1": 19}) + [
        n("HS_TY_LE_DUNG_HAN_XA", 98.6, unit="%"), n(ids.BC_GIAO, 19)]
    assert validate_values(values, catalog=CAT) == []
    values.append(n(ids.BC_GIAO, 18, page=2))
    issues = validate_values(values, catalog=CAT)
    assert rules_of(issues) == [(NARRATIVE_VS_TABLE, (ids.BC_GIAO,))] and issues[0].page == 2


def test_multi_column_grids_are_checked_per_column() -> None:
    y1 = table("commune_2024", {"1.1.a": 10, "1.1.b": 8}, column="Năm 2019")
    y2 = table("commune_2024", {"1.1.a": 10, "1.1.b": 12}, column="Năm 2020")
    issues = validate_values(y1 + y2, catalog=CAT)
    assert [i.rule for i in issues] == [COMPLETED_LE_PLANNED]
    assert "Năm 2020" in issues[0].message and issues[0].figures[ids.KH_NV_HOAN_THANH] == 12


def test_one_wrong_figure_is_reported_once() -> None:
    """A narrative figure contradicting the table must not also break every rule of the merged view."""
    values = narrative("002", "Phụ lục\nTHỐNG KÊ", "so_nganh") + table("department_bdt_2023", TABLE_002)
    assert len(validate_values(values, catalog=CAT)) == 1


# --------------------------------------------------------------------------- rules as data

def test_rules_are_data_over_catalog_ids() -> None:
    assert {r.rule for r in RULES} == {COMPLETED_LE_PLANNED, PARTS_SUM_TO_TOTAL, PERCENT_CONSISTENT}
    for spec in RULES + rules_from_catalog(CAT):
        for indicator in spec.indicator_ids:
            assert indicator in CAT.indicators, (spec, indicator)


def test_rules_derived_from_templates() -> None:
    derived = rules_from_catalog(CAT)
    assert RuleSpec(PERCENT_CONSISTENT, ids.KH_NV_DE_RA, (ids.KH_NV_HOAN_THANH,), ids.KH_TY_LE, 1.0,
                    "commune_2024 1.1 percentage") in derived
    # "Tỷ lệ ĐVSN đã cắt giảm so với năm 2015" is not numerator/denominator of its sub-rows.
    assert not [s for s in derived if s.percent == "DVSNCL_TY_LE_CAT_GIAM_2015"]


def test_custom_rules_without_catalog() -> None:
    spec = RuleSpec(PARTS_SUM_TO_TOTAL, "A_TOTAL", ("A_X", "A_Y"), what="x + y = total")
    values = [n("A_TOTAL", 10), n("A_X", 4), n("A_Y", 5)]
    (issue,) = validate_values(values, rules=[spec])
    assert issue.rule == PARTS_SUM_TO_TOTAL and issue.indicator_ids == ["A_X", "A_Y", "A_TOTAL"]
    assert issue.figures == {"A_X": 4.0, "A_Y": 5.0, "A_TOTAL": 10.0} and issue.severity == "warning"
    with pytest.raises(ValueError):
        validate_values(values, rules=[RuleSpec("no_such_rule", "A_TOTAL", ("A_X",))])


# --------------------------------------------------------------------------- parts with an optional level


def _tthc_issues(cells: dict[str, float], template_id: str) -> list[ValidationIssue]:
    return [i for i in validate_values(table(template_id, cells), catalog=CAT) if i.rule == PARTS_SUM_TO_TOTAL]


def test_ministry_tthc_by_level_includes_trung_uong() -> None:
    """The ministry template also has "Số TTHC cấp Trung ương": 104 + 52 + 21 + 9 = 186 is consistent."""
    ok = {"3.1.3": 186, "3.1.3.a": 104, "3.1.3.b": 52, "3.1.3.c": 21, "3.1.3.d": 9}
    assert _tthc_issues(ok, "ministry_6459_app1") == []
    bad = dict(ok, **{"3.1.3.a": 100})
    (issue,) = _tthc_issues(bad, "ministry_6459_app1")
    assert "TTHC_HIEU_LUC_CAP_TW" in issue.figures and "182" in issue.message


def test_tthc_parts_not_checked_when_the_template_part_is_missing() -> None:
    """Trung ương left empty in a ministry report: tỉnh + huyện + xã is not the full set."""
    partial = {"3.1.3": 186, "3.1.3.b": 52, "3.1.3.c": 21, "3.1.3.d": 9}
    assert _tthc_issues(partial, "ministry_6459_app1") == []


def test_province_tthc_by_level_still_checked_without_trung_uong() -> None:
    """The province template has no Trung ương row: its three levels are the full set."""
    assert _tthc_issues({"3.1.3": 1794, "3.1.3.a": 1302, "3.1.3.b": 324, "3.1.3.c": 168}, "province_6459_app2") == []
    (issue,) = _tthc_issues({"3.1.3": 1800, "3.1.3.a": 1302, "3.1.3.b": 324, "3.1.3.c": 168},
                            "province_6459_app2")
    assert set(issue.indicator_ids) == {ids.TTHC_TINH, ids.TTHC_HUYEN, ids.TTHC_XA, ids.TTHC_TONG}


def test_narrative_tthc_with_trung_uong_from_text() -> None:
    """The same relation when the text states the figures (ministry phrasing)."""
    text = ("Tổng số TTHC đang có hiệu lực thuộc phạm vi quản lý của Bộ là 186 thủ tục, trong đó 104 thủ tục "
            "cấp Trung ương, cấp tỉnh 52 thủ tục, cấp huyện 21 thủ tục, cấp xã 9 thủ tục.")
    values = extract_figures(text, level="bo")
    assert {v.indicator_id for v in values} >= {ids.TTHC_TW, ids.TTHC_TONG}
    assert [i for i in validate_values(values, catalog=CAT) if i.rule == PARTS_SUM_TO_TOTAL] == []
