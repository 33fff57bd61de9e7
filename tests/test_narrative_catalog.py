"""Narrative figures whose subject is read from the catalog's own labels (issue 13, second round).

Each sentence below is a class of failure the blind4 first look found: a table-row indicator
written in prose, a level/sector-specific rate, an activity's plan completion, a zero in words,
and a figure whose subject is only partly named (which must be flagged, never auto-accepted).
"""

from __future__ import annotations

import pytest
import yaml

from extractors import narrative_catalog as nc
from extractors.narrative import extract_figures, fold
from indicator_catalog import load_catalog


def _by_value(text: str) -> dict[float | None, tuple[str | None, bool]]:
    return {v.value_num: (v.indicator_id, v.needs_review) for v in extract_figures(text)}


@pytest.mark.parametrize(("text", "expected"), [
    # (a) table rows stated in prose: organisation counts, TTHC counts, e-government counts
    ("Bộ có 07 Vụ, 13 Cục và 02 Tổng cục.", {7.0: "TC_VU", 13.0: "TC_CUC", 2.0: "TC_TONG_CUC"}),
    ("Số TTHC tiếp nhận tại Bộ phận Một cửa cấp xã là 97 thủ tục.", {97.0: "TTHC_MOT_CUA_XA"}),
    ("Qua Trục liên thông văn bản quốc gia, Sở đã nhận 4.112 văn bản.", {4112.0: "TRUC_LT_VB_NHAN"}),
    ("Có 264 TTHC được tiếp nhận không phụ thuộc vào địa giới hành chính.", {264.0: "TTHC_PHI_DIA_GIOI"}),
    # (b) level- and sector-specific on-time rates
    ("Đối với lĩnh vực đất đai, tỷ lệ hồ sơ giải quyết đúng hạn là 91,4%.", {91.4: "HS_TY_LE_DUNG_HAN_DAT_DAI"}),
    ("Các sở, ban, ngành tiếp nhận 21.380 hồ sơ, tỷ lệ giải quyết đúng hạn 98,7%.",
     {98.7: "HS_TY_LE_DUNG_HAN_CAP_TINH"}),
    ("Huyện ủy ban hành 03 văn bản lãnh đạo, chỉ đạo về CCHC.", {3.0: "VB_CHI_DAO_HUYEN_UY"}),
    # (d) zeros written as words
    ("Số VBQPPL quy định chi tiết còn nợ đọng: không có.", {0.0: "VBQPPL_NO_DONG"}),
])
def test_a_sentence_naming_a_catalog_indicator_maps_to_it(text: str, expected: dict[float, str]) -> None:
    got = _by_value(text)
    for value, indicator in expected.items():
        assert got.get(value, (None,))[0] == indicator, (value, got)


def test_catalog_label_figures_are_flagged_for_review_with_their_score() -> None:
    """A subject matched by label similarity is a guess: kept, never auto-accepted."""
    [v] = [v for v in extract_figures("Bộ có 07 Vụ, 13 Cục và 02 Tổng cục.") if v.value_num == 7.0]
    assert v.needs_review and v.extractor == "catalog:TC_VU"
    assert "catalog label" in (v.review_reason or "")


def test_a_pattern_figure_whose_clause_names_a_narrower_indicator_is_flagged() -> None:
    """The generic on-time rate re-read as the land-sector one is a changed reading: for review."""
    [v] = [v for v in extract_figures("Đối với lĩnh vực đất đai, tỷ lệ hồ sơ giải quyết đúng hạn là 91,4%.")]
    assert v.indicator_id == "HS_TY_LE_DUNG_HAN_DAT_DAI" and v.needs_review


def test_an_activity_plan_is_not_the_cchc_plan_rate() -> None:
    """(c) 'đạt 100% kế hoạch kiểm tra' is one activity's plan: no catalog indicator measures it."""
    got = _by_value("Kiểm tra công tác CCHC tại 07 phòng chuyên môn, đạt 100% kế hoạch kiểm tra.")
    assert got.get(100.0, (None,))[0] is None
    assert _by_value("Tỷ lệ hoàn thành kế hoạch CCHC năm đạt 92,5%.")[92.5][0] == "KH_TY_LE_HOAN_THANH"


def test_numbers_of_dates_periods_documents_and_durations_are_never_catalog_figures() -> None:
    text = ("Thực hiện Nghị định số 61/2018/NĐ-CP, trong 9 tháng năm 2024 thời gian giải quyết rút ngắn từ "
            "15 ngày xuống 10 ngày đối với 21 TTHC được đơn giản hóa.")
    values = {v.value_num for v in extract_figures(text)}
    assert values & {61.0, 2018.0, 9.0, 2024.0, 15.0, 10.0} == set()
    assert _by_value(text)[21.0][0] == "TTHC_DON_GIAN_HOA"


def test_a_label_of_another_level_than_the_sentence_states_is_not_taken() -> None:
    """'UBND tỉnh … 19 quyết định' is not the district's VBQPPL_QUYET_DINH_UBND_HUYEN."""
    got = _by_value("Tham mưu UBND tỉnh ban hành 23 VBQPPL (19 quyết định, 04 nghị quyết của HĐND tỉnh).")
    assert got.get(19.0, (None,))[0] != "VBQPPL_QUYET_DINH_UBND_HUYEN"
    assert got.get(4.0, (None,))[0] != "VBQPPL_NGHI_QUYET_HDND_HUYEN"


def test_contraction_keeps_offsets_of_the_sentence() -> None:
    folded = fold("Số người làm việc có mặt trong lĩnh vực giáo dục và đào tạo là 31 người.")
    text, pos = nc._contract_map(folded)
    assert "giaoduc" in text and "nlv" in text
    i = text.index("31")
    assert folded[pos[i]:pos[i + 2]] == "31"


def test_stored_lexicon_is_what_underthesea_builds_from_the_catalog() -> None:
    """narrative_lexicon.txt is derived data: rebuild with `python -m extractors.narrative_catalog`."""
    stored = [w for w in nc.LEXICON.read_text(encoding="utf-8").splitlines() if w]
    assert stored == nc.build_lexicon()
    assert "ho so" in stored and "co quan" in stored


def test_prose_wordings_name_existing_indicators_and_are_not_table_aliases() -> None:
    data = yaml.safe_load(nc.WORDINGS.read_text(encoding="utf-8"))
    cat = load_catalog()
    assert set(data) <= set(cat.indicators)
    for ind_id, wordings in data.items():
        aliases = set(cat.indicators[ind_id].aliases or [])
        assert not aliases & set(wordings), ind_id
    with pytest.raises(ValueError, match="not catalog indicators"):
        nc._wordings({"VB_DI_TONG_SO"})


@pytest.mark.parametrize("text", [
    "Số TTHC mức độ 3 và 4 đã tích hợp lên Cổng DVC quốc gia là 1.287.",
    "Tỷ lệ hồ sơ TTHC được tiếp nhận trực tuyến mức độ 3, 4 đạt 67,25%.",
    "Riêng lĩnh vực đất đai, tỷ lệ hồ sơ giải quyết đúng hạn ở cả 3 cấp chỉ đạt 88,4%.",
])
def test_service_levels_and_tiers_of_government_are_never_figures(text: str) -> None:
    """'mức độ 3 và 4' names service levels and 'cả 3 cấp' the tiers: neither 3 nor 4 is a count."""
    values = [v.value_num for v in extract_figures(text)]
    assert values and not {3.0, 4.0} & set(values), values
