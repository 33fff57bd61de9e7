"""Value-cell and STT parsing: table-driven examples plus property-based round trips."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.core.vntext import code_depth, normalize_code, parse_codes, parse_number
from extractors.numbers import ParsedValue, is_count_unit, parse_value

COUNT = "Nhiệm vụ"


@pytest.mark.parametrize(
    "raw, codes, unit, expected",
    [
        ("12,5", None, "%", ParsedValue(12.5, None, "number")),
        ("1.245", None, COUNT, ParsedValue(1245.0, None, "number")),
        ("1.245,5", None, COUNT, ParsedValue(1245.5, None, "number")),
        ("12.500.000", None, "Đồng", ParsedValue(12500000.0, None, "number")),
        ("03", None, COUNT, ParsedValue(3.0, None, "number")),
        ("00", None, COUNT, ParsedValue(0.0, None, "number")),
        ("100%", None, "%", ParsedValue(100.0, None, "percent")),
        ("0,5%", None, "%", ParsedValue(0.5, None, "percent")),
        ("12,5 %", None, "%", ParsedValue(12.5, None, "percent")),
        ("12.5", None, "%", ParsedValue(12.5, None, "number")),
        ("0.5", None, "%", ParsedValue(0.5, None, "number")),
        (" 1 245 ", None, COUNT, ParsedValue(1245.0, None, "number")),
        ("-", None, COUNT, ParsedValue(None, "-", "dash")),
        ("--", None, COUNT, ParsedValue(None, "-", "dash")),
        ("—", None, COUNT, ParsedValue(None, "-", "dash")),
        ("–", None, COUNT, ParsedValue(None, "-", "dash")),
        ("", None, COUNT, ParsedValue(None, None, "blank")),
        ("   ", None, COUNT, ParsedValue(None, None, "blank")),
        ("Hoàn thành", {"Chưa": 0, "Hoàn thành": 1}, None, ParsedValue(1.0, None, "coded")),
        ("hoàn thành", {"Chưa": 0, "Hoàn thành": 1}, None, ParsedValue(1.0, None, "coded")),
        ("1", {"Chưa": 0, "Hoàn thành": 1}, None, ParsedValue(1.0, None, "coded")),
        ("Chưa hoàn thành", {"Chưa": 0, "Hoàn thành": 1}, None, ParsedValue(0.0, None, "coded")),
        ("Đang làm", None, "Chưa = 0 Đang làm = 1 Hoàn thành = 2", ParsedValue(1.0, None, "coded")),
        ("Kết hợp", None, "Trực tuyến = 0 Phát phiếu = 1 Kết hợp = 2", ParsedValue(2.0, None, "coded")),
        ("Không", None, "Không = 0 Có = 1", ParsedValue(0.0, None, "coded")),
        ("không", None, "Văn bản", ParsedValue(0.0, None, "zero_word")),
        ("Không có", None, "Thủ tục", ParsedValue(0.0, None, "zero_word")),
        ("Không", None, "%", ParsedValue(None, "Không", "text")),
        ("Không thuộc chuyên môn", None, "Cơ quan, đơn vị", ParsedValue(None, "Không thuộc chuyên môn", "text")),
        (
            "Kế hoạch số 72/KH-BDT ngày 28/12/2022",
            None,
            None,
            ParsedValue(None, "Kế hoạch số 72/KH-BDT ngày 28/12/2022", "text"),
        ),
        ("15/14", None, "Người", ParsedValue(None, "15/14", "fraction")),
        ("00/02", None, "Người", ParsedValue(None, "00/02", "fraction")),
        ("1O", None, COUNT, ParsedValue(10.0, None, "number")),
        ("l2", None, COUNT, ParsedValue(12.0, None, "number")),
        ("I00%", None, "%", ParsedValue(100.0, None, "percent")),
        ("O", None, COUNT, ParsedValue(None, "O", "text")),
        ("16 nhiệm vụ", None, COUNT, ParsedValue(16.0, None, "number")),
        ("Viên chức", None, "Người", ParsedValue(None, "Viên chức", "text")),
    ],
)
def test_parse_value_examples(raw: str, codes: dict | None, unit: str | None, expected: ParsedValue) -> None:
    assert parse_value(raw, codes=codes, unit=unit) == expected


def test_decomposed_input_is_normalised() -> None:
    import unicodedata

    raw = unicodedata.normalize("NFD", "Không thuộc chuyên môn")
    pv = parse_value(raw)
    assert pv.value_text == "Không thuộc chuyên môn" and unicodedata.is_normalized("NFC", pv.value_text)


@pytest.mark.parametrize(
    "unit, codes",
    [
        ("Chưa = 0 Đang làm = 1 Hoàn thành = 2", {"Chưa": 0, "Đang làm": 1, "Hoàn thành": 2}),
        ("Đã thực hiện = 1 Chưa thực hiện = 0", {"Đã thực hiện": 1, "Chưa thực hiện": 0}),
        ("Chưa có = 0 2 cấp = 1 3 cấp = 2", {"Chưa có": 0, "2 cấp": 1, "3 cấp": 2}),
        ("Văn bản", {}),
        (None, {}),
    ],
)
def test_parse_codes(unit: str | None, codes: dict) -> None:
    assert parse_codes(unit) == codes


def test_coded_digit_label_not_confused_with_number() -> None:
    unit = "Chưa có = 0 2 cấp = 1 3 cấp = 2"
    assert parse_value("2 cấp", unit=unit) == ParsedValue(1.0, None, "coded")
    assert parse_value("2", unit=unit) == ParsedValue(2.0, None, "coded")


@pytest.mark.parametrize(
    "unit, count", [("Văn bản", True), ("Cơ quan, đơn vị", True), ("%", False), ("Tỷ lệ", False),
                    ("Không = 0 Có = 1", False), (None, False), ("", False)]
)
def test_is_count_unit(unit: str | None, count: bool) -> None:
    assert is_count_unit(unit) is count


@pytest.mark.parametrize(
    "raw, code",
    [
        ("1.1.1.", "1.1.1"),
        ("1.1.1 ", "1.1.1"),
        ("7.2.3.1", "7.2.3.1"),
        ("1.", "1"),
        ("I.", "I"),
        ("IV", "IV"),
        ("Trong đó", None),
        ("Trong đó:", None),
        ("trong do", None),
        ("2.1,", "2.1"),
        ("2,1", "2.1"),
        ("21.", "21"),
        ("l.2", "1.2"),
        ("1. 2.", "1.2"),
        ("a)", "a"),
        ("-", None),
        ("+", None),
        ("", None),
        (None, None),
        ("Số", None),
        ("4.1.2. _", "4.1.2"),
        ("4.2.3. -", "4.2.3"),
        ("5:2.", "5.2"),
        ("5,2.", "5.2"),
        ("B111,", None),
    ],
)
def test_normalize_code(raw: str | None, code: str | None) -> None:
    assert normalize_code(raw) == code


def test_code_depth() -> None:
    assert [code_depth(c) for c in ("I", "1", "1.2", "7.2.3.1", "a", None)] == [0, 1, 2, 4, 9, 99]


# ------------------------------------------------------------------ properties


def vn_format(value: float, decimals: int, group: bool) -> str:
    """Format the Vietnamese way: thousands dot (optional), decimal comma."""
    text = f"{value:,.{decimals}f}" if group else f"{value:.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


@given(
    st.integers(min_value=0, max_value=10**12),
    st.integers(min_value=0, max_value=99),
    st.integers(min_value=0, max_value=2),
    st.booleans(),
)
@settings(max_examples=300, deadline=None)
def test_roundtrip_vietnamese_format(whole: int, frac: int, decimals: int, group: bool) -> None:
    value = whole + (frac / 100 if decimals else 0)
    text = vn_format(value, decimals, group)
    parsed = parse_value(text, unit=COUNT)
    assert parsed.kind == "number"
    assert parsed.value_num is not None
    assert math.isclose(parsed.value_num, round(value, decimals), rel_tol=1e-12, abs_tol=1e-9)


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=3))
def test_leading_zeros(n: int, zeros: int) -> None:
    assert parse_value("0" * zeros + str(n)).value_num == n


@given(st.integers(min_value=0, max_value=1000), st.integers(min_value=0, max_value=9), st.booleans())
def test_percent_suffix(whole: int, tenth: int, space: bool) -> None:
    text = f"{whole},{tenth}" + (" %" if space else "%")
    pv = parse_value(text, unit="%")
    assert pv.kind == "percent" and pv.value_num is not None
    assert math.isclose(pv.value_num, whole + tenth / 10)


@given(
    st.integers(min_value=0, max_value=10**9),
    st.text(alphabet=" \t\u00a0\n", max_size=3),
    st.text(alphabet=" \t\u00a0\n", max_size=3),
)
def test_surrounding_whitespace(n: int, pre: str, post: str) -> None:
    text = vn_format(float(n), 0, True)
    assert parse_value(pre + text + post).value_num == n


@given(st.text(max_size=40))
@settings(max_examples=300)
def test_never_raises_and_kinds_are_consistent(raw: str) -> None:
    pv = parse_value(raw)
    assert pv.kind in {"number", "percent", "coded", "zero_word", "dash", "blank", "fraction", "text"}
    if pv.kind in ("number", "percent", "coded", "zero_word"):
        assert pv.value_num is not None and pv.value_text is None
    elif pv.kind == "blank":
        assert pv.value_num is None and pv.value_text is None
    else:
        assert pv.value_num is None and pv.value_text


@given(st.lists(st.integers(min_value=1, max_value=30), min_size=1, max_size=4), st.sampled_from(["", ".", ". ", ","]))
def test_code_roundtrip(parts: list[int], trailing: str) -> None:
    code = ".".join(str(p) for p in parts)
    assert normalize_code(code + trailing) == code


def test_parse_number_rejects_words() -> None:
    assert parse_number("Không") is None
    assert parse_number("12a") is None
    assert parse_number("1.2.3") is None
