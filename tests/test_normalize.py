"""Label/code/unit normalisation: the forms both sides of a comparison are reduced to."""

from __future__ import annotations

import unicodedata

import pytest

from cchc.core.vntext import (
    code_parent,
    fix_tone_placement,
    is_subrow_marker,
    nfc,
    normalize_code,
    strip_accents,
)
from matchers.normalize import (
    AbbreviationExpander,
    clean_label,
    drop_parentheticals,
    label_forms,
    normalize_unit,
)

ABBR = {
    "TTHC": "thủ tục hành chính",
    "VBQPPL": "văn bản quy phạm pháp luật",
    "ĐVSNCL": "đơn vị sự nghiệp công lập",
    "ĐVSN": "đơn vị sự nghiệp",
    "SNCL": "sự nghiệp công lập",
    "DVC": "dịch vụ công",
    "CP": "Chính phủ",
}


def test_nfd_input_becomes_nfc() -> None:
    nfd = unicodedata.normalize("NFD", "Số thủ tục hành chính")
    assert nfd != "Số thủ tục hành chính"
    assert nfc(nfd) == "Số thủ tục hành chính"
    assert label_forms(nfd).full == label_forms("Số thủ tục hành chính").full


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("hoà", "hòa"),
        ("điện tử hoá", "điện tử hóa"),
        ("thuý", "thúy"),
        ("uỷ ban", "ủy ban"),
        ("Qúy I", "Quý I"),
    ],
)
def test_old_tone_placement_is_modernised(old: str, new: str) -> None:
    assert fix_tone_placement(old) == new


def test_tone_fix_leaves_punctuation_and_numbers_alone() -> None:
    s = "Tỷ lệ 12,5% (lũy kế), CB,CC: 1.245"
    assert fix_tone_placement(s) == s


def test_tone_variants_give_identical_forms() -> None:
    a = label_forms("Tỷ lệ quy trình nội bộ giải quyết TTHC đã được điện tử hoá", ABBR)
    b = label_forms("Tỷ lệ quy trình nội bộ giải quyết TTHC đã được điện tử hóa", ABBR)
    assert (a.full, a.core, a.full_plain, a.core_plain) == (b.full, b.core, b.full_plain, b.core_plain)


def test_strip_accents_handles_d_bar() -> None:
    assert strip_accents("Đơn vị sự nghiệp") == "Don vi su nghiep"


def test_parentheticals_dropped_including_nested_and_unclosed() -> None:
    assert drop_parentheticals("Số đơn vị (lũy kế đến thời điểm báo cáo)") == "Số đơn vị"
    assert drop_parentheticals("A (b (c) d) e") == "A e"
    assert drop_parentheticals("Tỷ lệ hoàn thành (lũy kế đến thời điểm báo") == "Tỷ lệ hoàn thành"


def test_clean_label_removes_markup_footnotes_bullets_and_subrow_prefix() -> None:
    assert clean_label("<i>Số ĐVSNCL thuộc UBND cấp huyện</i>") == "Số ĐVSNCL thuộc UBND cấp huyện"
    assert clean_label("Số tổ chức trực thuộc[1]") == "Số tổ chức trực thuộc"
    assert clean_label("Tổng số TTHC ²") == "Tổng số TTHC"
    assert clean_label("- Văn bản của Huyện ủy") == "Văn bản của Huyện ủy"
    assert clean_label("Trong đó Số TTHC cấp tỉnh:") == "Số TTHC cấp tỉnh"


def test_abbreviations_expand_on_both_sides() -> None:
    a = label_forms("Số VBQPPL đã rà soát", ABBR)
    b = label_forms("Số văn bản quy phạm pháp luật đã rà soát", ABBR)
    assert a.full == b.full == "số văn bản quy phạm pháp luật đã rà soát"
    assert a.full_plain == "so van ban quy pham phap luat da ra soat"


def test_longest_abbreviation_wins_and_words_are_whole() -> None:
    exp = AbbreviationExpander(ABBR)
    assert exp.expand("Số ĐVSNCL") == "Số đơn vị sự nghiệp công lập"
    assert exp.expand("Số ĐVSN") == "Số đơn vị sự nghiệp"
    # "CP" is a key but must not fire inside another word or in lower case
    assert exp.expand("CPU và cp") == "CPU và cp"


def test_ocr_deaccented_abbreviation_still_expands() -> None:
    a = label_forms("So DVSNCL thuoc UBND cap huyen", ABBR)
    b = label_forms("Số ĐVSNCL thuộc UBND cấp huyện", ABBR)
    assert a.full_plain == b.full_plain


def test_deaccented_form_absorbs_typos_in_diacritics() -> None:
    assert label_forms("Thông kê TTHC", ABBR).full_plain == label_forms("Thống kê TTHC", ABBR).full_plain


def test_core_form_drops_remarks_full_form_keeps_them() -> None:
    f = label_forms("Số đơn vị SNCL đã chuyển đổi (lũy kế đến thời điểm báo cáo)", ABBR)
    assert "lũy kế" in f.full and "lũy kế" not in f.core
    assert f.core == "số đơn vị sự nghiệp công lập đã chuyển đổi"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("1.1.1.", "1.1.1"),
        ("6.2 ", "6.2"),
        ("1,2.", "1.2"),
        ("PL3.1", "PL3.1"),
        ("Trong đó", None),
        ("-", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_code(raw: str | None, code: str | None) -> None:
    assert normalize_code(raw) == code


def test_code_parent() -> None:
    assert code_parent("1.2.3") == "1.2"
    assert code_parent("2.1.a") == "2.1"
    assert code_parent("3") is None


def test_subrow_marker_detected_in_ocr_forms() -> None:
    assert is_subrow_marker("Trong đó")
    assert is_subrow_marker("Trong do:")
    assert not is_subrow_marker("Trong năm")


def test_units_compare_by_meaning() -> None:
    assert normalize_unit("Cơ quan, đơn vị") == normalize_unit("Đơn vị")
    assert normalize_unit("TTHC") == normalize_unit("Thủ tục")
    assert normalize_unit("Chưa = 0 Hoàn thành = 1") == "coded"
    assert normalize_unit("-") == ""
    assert normalize_unit("Người") != normalize_unit("Văn bản")
