"""Row and label matching against the real catalog, on rows rebuilt from the seed appendices."""

from __future__ import annotations

import copy
import random

import pytest

from cchc.core.model import Candidate, Cell, Row, Value
from matchers import apply_match, detect_template, match_label, match_rows
from tests.matching_grids import SEED_TITLES, seed_rows, truth_walk

SEED_TEMPLATE = {
    "000a": "ministry_6459_app1",
    "000b": "province_6459_app2",
    "001": "commune_2024",
    "002": "department_bdt_2023",
    "003": "district_camxuyen_2021",
    "004": "district_trieuson_2011_2020",
}


@pytest.fixture(scope="module")
def rows002() -> list[Row]:
    return seed_rows("002")


def _row(code: str, label: str, unit: str = "", value: str = "", kind: str = "data") -> Row:
    return Row(code=Cell(code), label=Cell(label), unit=Cell(unit), values={None: Cell(value)}, kind=kind)


def _by_label(rows: list[Row], label: str, nth: int = 0) -> int:
    hits = [k for k, r in enumerate(rows) if r.label.text.startswith(label)]
    return hits[nth]


# --------------------------------------------------------------------------- own template


@pytest.mark.parametrize("seed", sorted(SEED_TEMPLATE))
def test_every_seed_row_maps_to_its_own_template_row(cat, seed: str) -> None:  # noqa: ANN001
    rows = seed_rows(seed)
    tpl = cat.template(SEED_TEMPLATE[seed])
    truth = truth_walk(rows, tpl)
    assert len(truth) >= 0.95 * len(rows), "answer key should cover the grid"
    results = match_rows(rows, cat, tpl.id)
    assert len(results) == len(rows)
    wrong = [
        (k, rows[k].label.text, r.indicator_code, truth[k])
        for k, r in enumerate(results)
        if k in truth and r.indicator_code != truth[k]
    ]
    assert not wrong
    flagged = [k for k, r in enumerate(results) if k in truth and r.needs_review]
    assert len(flagged) <= 0.02 * len(truth), flagged
    for k, r in enumerate(results):
        if k in truth:
            assert r.indicator_id == tpl.row(truth[k]).indicator_id
            assert r.template_id == tpl.id


def test_misnumbered_block_gets_corrected_codes_in_own_template(cat, rows002) -> None:  # noqa: ANN001
    results = match_rows(rows002, cat, "department_bdt_2023")
    start = _by_label(rows002, "Kiểm tra CCHC")
    got = [(rows002[k].code.text, results[k].indicator_code) for k in range(start + 1, start + 5)]
    assert got == [("1.1.1.", "1.2.1"), ("1.1.2.", "1.2.2"), ("1.1.3.", "1.2.3"), ("1.1.4.", "1.2.4")]
    assert not any(results[k].needs_review for k in range(start + 1, start + 5))


def test_misnumbered_block_maps_into_the_ministry_province_form(cat, rows002) -> None:  # noqa: ANN001
    """The department prints 1.1.1–1.1.4 under 1.2; the province form numbers them 1.2.x (and
    itself prints 1.2.2 twice): codes are corrected from section and order, not copied."""
    results = match_rows(rows002, cat, "province_6459_app2")
    start = _by_label(rows002, "Kiểm tra CCHC")
    block = [results[k] for k in range(start + 1, start + 5)]
    assert [r.indicator_code for r in block] == ["1.2.1", "1.2.2", "1.2.3", "1.2.4"]
    assert [r.indicator_id for r in block] == [
        "KT_SO_SO_NGANH",
        "KT_SO_UBND_HUYEN",
        "KT_VAN_DE_PHAT_HIEN",
        "KT_VAN_DE_DA_XU_LY",
    ]
    assert not any(r.needs_review for r in block)
    # the printed code disagreed with the chosen row: decided by context, and the features say so
    assert all(r.features["code"] < 1.0 for r in block)
    assert all(r.features["section"] == 1.0 for r in block)
    assert {r.match_method for r in block} <= {"context", "fuzzy"}


def test_seed002_rows_map_to_province_form_by_harmonised_id(cat, rows002) -> None:  # noqa: ANN001
    own = cat.template("department_bdt_2023")
    prov = cat.template("province_6459_app2")
    prov_ids = {r.indicator_id for r in prov.rows}
    truth = truth_walk(rows002, own)
    results = match_rows(rows002, cat, prov.id)
    checked = 0
    for k, r in enumerate(results):
        want = own.row(truth[k]).indicator_id
        if want in prov_ids:
            checked += 1
            assert r.indicator_id == want, (rows002[k].label.text, r.indicator_id, want)
            assert prov.row(r.indicator_code).indicator_id == want
        elif not r.needs_review:
            assert r.indicator_id is None
    assert checked >= 110


def test_typo_thong_ke_matches_thong_ke_strongly(cat, rows002) -> None:  # noqa: ANN001
    k = _by_label(rows002, "Thông kê TTHC")
    r = match_rows(rows002, cat, "province_6459_app2")[k]
    assert cat.template("province_6459_app2").row("3.1").label.startswith("Thống kê")
    assert (r.indicator_id, r.indicator_code) == ("THONG_KE_TTHC", "3.1")
    assert not r.needs_review and r.match_score >= 90
    assert r.features["label"] >= 95  # the de-accented form agrees exactly


def test_subrows_map_to_their_own_parents_sub_rows(cat) -> None:  # noqa: ANN001
    rows = seed_rows("001")
    results = match_rows(rows, cat, "commune_2024")
    # "Tổng số TTHC đủ điều kiện" is printed under 3.2.1 and again under 3.2.2
    first, second = (_by_label(rows, "Tổng số TTHC đủ điều kiện", n) for n in (0, 1))
    assert results[first].indicator_code == "3.2.1.a"
    assert results[second].indicator_code == "3.2.2.a"
    # "Tổng số hồ sơ TTHC đã giải quyết xong" under 3.4.1 (huyện) and 3.4.2 (xã)
    a, b = (_by_label(rows, "Tổng số hồ sơ TTHC đã giải quyết xong", n) for n in (0, 1))
    assert (results[a].indicator_id, results[b].indicator_id) == (
        "HS_DA_GIAI_QUYET_HUYEN",
        "HS_DA_GIAI_QUYET_XA",
    )
    subrows = [r for row, r in zip(rows, results, strict=True) if row.kind == "subrow"]
    assert len(subrows) >= 30
    assert all(r.indicator_code and r.indicator_code[-1].isalpha() for r in subrows)
    assert not any(r.needs_review for r in subrows)


# --------------------------------------------------------------------------- template detection


@pytest.mark.parametrize("seed", sorted(SEED_TEMPLATE))
def test_template_detection_picks_the_seed_template(cat, seed: str) -> None:  # noqa: ANN001
    guess = detect_template(seed_rows(seed), cat, title=SEED_TITLES[seed])
    assert guess.template_id == SEED_TEMPLATE[seed], guess.reason
    ranked = sorted(guess.scores.values(), reverse=True)
    assert ranked[0] - ranked[1] >= 5, guess.scores
    assert set(guess.parts[guess.template_id]) >= {"doc_coverage", "tpl_coverage", "order", "codes", "level"}


@pytest.mark.parametrize("seed", ["001", "002", "003", "000a"])
def test_template_detection_from_codes_and_units_when_labels_are_lost(cat, seed: str) -> None:  # noqa: ANN001
    """A phone photo keeps little more than the STT and unit columns: still enough to tell the form."""
    rows = copy.deepcopy(seed_rows(seed))
    rng = random.Random(seed)
    for r in rows:
        r.label = Cell("" if rng.random() < 0.8 else r.label.text)
        if rng.random() < 0.4:
            r.code = Cell(r.code.text.replace(".", "", 1))  # "1.2.1." read as "12.1."
    assert detect_template(rows, cat).template_id == SEED_TEMPLATE[seed]


def test_template_detection_without_title_still_works(cat) -> None:  # noqa: ANN001
    assert detect_template(seed_rows("003"), cat).template_id == "district_camxuyen_2021"


def test_template_detection_says_none_for_a_foreign_grid(cat) -> None:  # noqa: ANN001
    rows = [
        _row("1.", "Tổng sản lượng lúa cả năm", "Tấn", "1200"),
        _row("2.", "Diện tích rừng trồng mới", "Ha", "35"),
        _row("3.", "Số km đường giao thông nông thôn được bê tông hóa", "Km", "4"),
        _row("4.", "Số trận bóng đá giao hữu", "Trận", "2"),
    ]
    guess = detect_template(rows, cat, title="Báo cáo sản xuất nông nghiệp của UBND xã")
    assert guess.template_id is None
    assert "no template fits" in guess.reason


# --------------------------------------------------------------------------- labels


def test_abbreviation_swapped_labels_match_the_same_indicator(cat) -> None:  # noqa: ANN001
    a = match_label("Số văn bản quy phạm pháp luật đã rà soát", cat)
    b = match_label("Số VBQPPL đã rà soát", cat)
    assert a.indicator_id == b.indicator_id == "VBQPPL_RA_SOAT"
    assert a.match_score >= 95 and b.match_score >= 95
    assert not a.needs_review and not b.needs_review


def test_abbreviation_swap_inside_a_grid(cat) -> None:  # noqa: ANN001
    rows = copy.deepcopy(seed_rows("002"))
    k = _by_label(rows, "Số VBQPPL đã rà soát")
    rows[k].label = Cell("Số văn bản quy phạm pháp luật đã rà soát")
    r = match_rows(rows, cat, "department_bdt_2023")[k]
    assert (r.indicator_code, r.needs_review) == ("2.3", False)


def test_label_from_nowhere_is_flagged_or_unmatched(cat) -> None:  # noqa: ANN001
    r = match_label("Số cây xanh đã trồng", cat, unit="Cây")
    assert r.match_method in {"none", "review"}
    assert r.needs_review or r.indicator_id is None
    rows = copy.deepcopy(seed_rows("002"))
    rows.insert(10, _row("", "Số cây xanh đã trồng", "Cây", "150"))
    res = match_rows(rows, cat, "department_bdt_2023")
    assert res[10].match_method in {"none", "review"}
    assert res[10].needs_review  # it carries a figure nobody can place: a steward must look
    # its neighbours are not disturbed
    assert res[9].indicator_code == match_rows(seed_rows("002"), cat, "department_bdt_2023")[9].indicator_code


def test_tone_placement_variants_match_equally(cat) -> None:  # noqa: ANN001
    new = match_label("Tỷ lệ quy trình nội bộ giải quyết TTHC đã được điện tử hóa", cat)
    old = match_label("Tỷ lệ quy trình nội bộ giải quyết TTHC đã được điện tử hoá", cat)
    assert new.indicator_id == old.indicator_id is not None
    assert new.match_score == pytest.approx(old.match_score)
    assert new.features["label"] == pytest.approx(old.features["label"])


@pytest.mark.parametrize(
    ("label", "indicator"),
    [
        ("So TTHC cong bo moi", "TTHC_CONG_BO_MOI"),
        ("Vận hành Hệ thống thông tin một cửa điện tử tập ưung của tỉnh", "MOT_CUA_DIEN_TU_TINH"),
        ("Số TTHC bải bỏ, thay thê", "TTHC_BAI_BO_THAY_THE"),
    ],
)
def test_deaccented_and_ocr_damaged_labels_still_match(cat, label: str, indicator: str) -> None:  # noqa: ANN001
    r = match_label(label, cat)
    assert r.indicator_id == indicator
    assert r.match_score >= 75


def test_ocr_damaged_rows_inside_a_grid(cat) -> None:  # noqa: ANN001
    rows = copy.deepcopy(seed_rows("002"))
    k = _by_label(rows, "Số TTHC công bố mới")
    rows[k].label = Cell("So TTHC cong bo moi")
    rows[k].code = Cell("31.1.")  # OCR dropped a dot
    j = _by_label(rows, "Số nhiệm vụ đã hoàn thành")
    rows[j].label = Cell("Số nhiệm vụ đã hoàn thảnh")
    res = match_rows(rows, cat, "department_bdt_2023")
    assert (res[k].indicator_code, res[k].needs_review) == ("3.1.1", False)
    assert (res[j].indicator_code, res[j].needs_review) == ("1.1.2", False)


# --------------------------------------------------------------------------- result shape


def test_results_carry_candidates_features_and_methods(cat, rows002) -> None:  # noqa: ANN001
    results = match_rows(rows002, cat, "department_bdt_2023")
    r = results[_by_label(rows002, "Số nhiệm vụ đề ra trong kế hoạch")]
    assert r.match_method == "exact"
    assert 1 <= len(r.candidates) <= 5
    assert all(isinstance(c, Candidate) for c in r.candidates)
    assert [c.score for c in r.candidates] == sorted((c.score for c in r.candidates), reverse=True)
    assert r.candidates[0].indicator_id == r.indicator_id
    assert {"label", "code", "section", "unit", "kind", "value", "order", "margin"} <= set(r.features)
    assert 0 <= r.match_score <= 100


def test_header_rows_are_not_attempted_and_garbage_is_none(cat) -> None:  # noqa: ANN001
    rows = [
        _row("STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", kind="header"),
        _row("1.", "Công tác chỉ đạo điều hành CCHC"),
        _row("", "xqzv kkwp trrr", "", "7"),
    ]
    res = match_rows(rows, cat, "department_bdt_2023")
    assert res[0].match_method == "not_attempted" and res[0].indicator_id is None
    assert res[1].indicator_code == "1"
    assert res[2].match_method == "none" and res[2].indicator_id is None and res[2].needs_review


def test_rows_whose_label_and_code_ocr_lost_are_placed_by_position_for_review(cat) -> None:  # noqa: ANN001
    rows = copy.deepcopy(seed_rows("002"))
    start = _by_label(rows, "Số nhiệm vụ đề ra trong kế hoạch")
    for k in range(start, start + 3):  # 1.1.1-1.1.3 read as bare figures
        rows[k].label, rows[k].code, rows[k].values = Cell(""), Cell(""), {None: Cell("16")}
    res = match_rows(rows, cat, "department_bdt_2023")
    block = res[start : start + 3]
    assert [r.indicator_code for r in block] == ["1.1.1", "1.1.2", "1.1.3"]
    assert all(r.needs_review and r.match_method in {"review", "context"} for r in block)
    assert all("position" in (r.review_reason or "") for r in block)
    assert not res[start + 3].needs_review  # the next labelled row is unaffected
    # without a template there is nothing to place them by
    assert match_rows(rows[start : start + 1], cat, None)[0].match_method == "none"


def test_value_kind_disagreement_is_evidence(cat) -> None:  # noqa: ANN001
    """351 cannot be a percentage: without a printed code to confirm the row, it is flagged;
    with words and code in agreement it stays matched (an over-100 % is the validator's business)."""
    rows = copy.deepcopy(seed_rows("002"))
    k = _by_label(rows, "Tỷ lệ TTHC đã được phê duyệt quy trình nội bộ")
    rows[k].values = {None: Cell("351")}
    confirmed = match_rows(rows, cat, "department_bdt_2023")[k]
    assert confirmed.features["value"] == 0.0
    assert (confirmed.indicator_code, confirmed.needs_review) == ("3.3.3", False)
    rows[k].code = Cell("")
    r = match_rows(rows, cat, "department_bdt_2023")[k]
    assert r.indicator_code == "3.3.3"
    assert r.needs_review and "value" in (r.review_reason or "")


def test_a_number_on_a_heading_row_is_flagged(cat) -> None:  # noqa: ANN001
    """Section rows hold no figure (a plan number at most): a number there is usually a value
    the table reader put one row too high."""
    rows = copy.deepcopy(seed_rows("002"))
    k = _by_label(rows, "Số liệu về biên chế công chức")
    plan = _by_label(rows, "Kế hoạch CCHC")  # "Kế hoạch số 72/KH-BDT …": text is fine
    rows[k].values = {None: Cell("15")}
    res = match_rows(rows, cat, "department_bdt_2023")
    assert (res[k].indicator_code, res[k].needs_review) == ("4.2", True)
    assert "heading" in (res[k].review_reason or "")
    assert (res[plan].indicator_code, res[plan].needs_review) == ("1.1", False)


def test_duplicate_claims_on_one_template_row_are_flagged(cat) -> None:  # noqa: ANN001
    rows = copy.deepcopy(seed_rows("002"))
    k = _by_label(rows, "Số VBQPPL đã rà soát")
    rows.insert(k + 1, copy.deepcopy(rows[k]))
    res = match_rows(rows, cat, "department_bdt_2023")
    pair = [res[k], res[k + 1]]
    assert [r.indicator_code for r in pair].count("2.3") >= 1
    assert any(r.needs_review for r in pair)


def test_without_template_rows_match_all_indicators(cat) -> None:  # noqa: ANN001
    rows = seed_rows("002")[:20]
    res = match_rows(rows, cat, None)
    assert res[_by_label(rows, "Số nhiệm vụ đề ra trong kế hoạch")].indicator_id == "KH_NHIEM_VU_DE_RA"
    assert all(r.indicator_code is None for r in res)  # no template: no template code to give


def test_apply_match_copies_the_decision_onto_a_value(cat, rows002) -> None:  # noqa: ANN001
    r = match_rows(rows002, cat, "department_bdt_2023")[_by_label(rows002, "Số nhiệm vụ đã hoàn thành")]
    v = Value(source="table", raw_label="Số nhiệm vụ đã hoàn thành", raw_value="12", page=7)
    apply_match(v, r)
    assert (v.indicator_id, v.indicator_code, v.match_method) == ("KH_NHIEM_VU_HOAN_THANH", "1.1.2", "exact")
    assert v.template_id == "department_bdt_2023" and v.candidates and v.match_features


def test_a_unit_or_junk_in_the_value_cell_is_flagged(cat) -> None:  # noqa: ANN001
    """Scans shift columns ("Hồ sơ" read into the value cell) or read noise: the row is right,
    the figure is not, and a person should see it."""
    rows = copy.deepcopy(seed_rows("002"))
    unit_k = _by_label(rows, "Số TTHC liên thông cùng cấp")
    junk_k = _by_label(rows, "Số TTHC liên thông giữa các cấp chính quyền")
    text_k = _by_label(rows, "Số UBND cấp huyện đã kiểm tra")  # "Không thuộc chuyên môn": a real answer
    coded_k = _by_label(rows, "Tổ chức đối thoại của lãnh đạo")  # Không = 0 / Có = 1
    rows[coded_k].values = {None: Cell("70")}
    rows[unit_k].values = {None: Cell("Thủ tục")}
    rows[junk_k].values = {None: Cell("TT `U _")}
    res = match_rows(rows, cat, "department_bdt_2023")
    assert (res[unit_k].indicator_code, res[unit_k].needs_review) == ("3.3.1", True)
    assert "unit" in (res[unit_k].review_reason or "")
    assert (res[junk_k].indicator_code, res[junk_k].needs_review) == ("3.3.2", True)
    assert not res[text_k].needs_review
    assert (res[coded_k].indicator_code, res[coded_k].needs_review) == ("1.5", True)
    assert "legend" in (res[coded_k].review_reason or "")
