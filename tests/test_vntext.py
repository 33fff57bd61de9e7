"""The one Vietnamese text module (cchc/core/vntext.py): each rule the old copies disagreed on, and its decision.

Before issue 15 the rules lived in five places that disagreed.  DISAGREEMENTS
lists every input on which two old copies gave different answers (found by
running both over every code, unit and label of the catalog plus OCR slips),
what each copy said, and what the one module now says and why.  The
properties below then hold the module to the invariants the callers rely on.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.core import vntext
from cchc.core.vntext import (
    clean,
    code_depth,
    fold,
    fold_aligned,
    fold_key,
    level_hints,
    level_of,
    normalize_code,
    parse_codes,
    parse_number,
    strip_accents,
)
from extractors.narrative import parse_vn_number

# (function, input, old extractors/numbers or units answer, old matchers/catalog/narrative answer, decided, why)
DISAGREEMENTS = [
    # --- STT codes: extractors.numbers.normalize_code vs matchers.normalize.normalize_code
    (normalize_code, "5:2", "5.2", "52", "5.2", "a colon between digits is OCR's dot; deleting it merged two levels"),
    (normalize_code, "1;2", "1.2", "12", "1.2", "same for a semicolon"),
    (normalize_code, "1 2", None, "12", None, "a space is not a dot: two numbers or a lost dot, judged by neighbours"),
    (normalize_code, "l.2", "1.2", None, "1.2", "l/I/O inside digits are OCR slips"),
    (normalize_code, "a)", "a", None, "a", "a lettered sub-row is a code; the matcher places it under its parent"),
    (normalize_code, "đ", "đ", None, "đ", "Vietnamese alphabet letter"),
    (normalize_code, "II.1", "11.1", "II.1", "II.1", "a Roman section head is not repaired into digits"),
    (normalize_code, "PL3.1", None, "PL3.1", "PL3.1", "the catalog's appendix codes must survive"),
    (normalize_code, "2.1.a", None, "2.1.a", "2.1.a", "the catalog's lettered sub-row codes must survive"),
    # --- code depth: numbers (outline depth) vs matchers (number of parts)
    (code_depth, "I", 0, 1, 0, "a Roman section encloses the numbered rows under it"),
    (code_depth, "a", 9, 1, 9, "a letter sits below every numbered level"),
    (code_depth, None, 99, 0, 99, "no code sorts after every code"),
    # --- legends: extractors.numbers.parse_codes vs indicator_catalog.parse_codes
    (parse_codes, "Không - 0\nCó - 1", {}, {"Không": 0, "Có": 1}, {"Không": 0, "Có": 1}, "templates print dashes"),
    (parse_codes, "Chưa = 0 / Hoàn thành = 1", {"Chưa": 0, "/ Hoàn thành": 1}, {"Chưa": 0, "Hoàn thành": 1},
     {"Chưa": 0, "Hoàn thành": 1}, "the slash separates answers, it is not part of one"),
    (parse_codes, "Có = 1; Không = 0 (ghi rõ)", {"Có": 1, "Không": 0}, {}, {"Có": 1, "Không": 0},
     "a bracketed remark after the last pair does not unmake the legend"),
    (parse_codes, "Tỷ lệ - 5%", {}, {}, {}, "a percentage is not a code"),
    # --- numbers: extractors.numbers.parse_number vs extractors.narrative.parse_vn_number
    (parse_vn_number, "l2", 12.0, None, 12.0, "OCR's l for 1 inside digits"),
    (parse_vn_number, "1O", 10.0, None, 10.0, "OCR's O for 0 inside digits"),
    (parse_vn_number, "1 2", None, 12.0, None, "two numbers are not one"),
    (parse_vn_number, "1e5", None, 100000.0, None, "Python float syntax is not a printed number"),
    (parse_vn_number, "inf", None, float("inf"), None, "ditto"),
    (parse_vn_number, "12.", None, 12.0, None, "a trailing dot ends a sentence, the narrative regex never passes it"),
    (parse_vn_number, "1,245.5", 1245.5, None, 1245.5, "English separators in a copied spreadsheet"),
    (parse_vn_number, "ba", None, 3.0, 3.0, "number words stay in the narrative wrapper"),
    # --- folding: extractors.numbers.fold vs extractors.narrative.fold (NFD input)
    (fold, unicodedata.normalize("NFD", "Thủ tục"), "thu tuc", "thu  tu c", "thu tuc",
     "fold drops marks; fold_aligned keeps one char per char (callers give it NFC)"),
    (fold, "ß", "ss", "ß", "ss", "fold casefolds; fold_aligned lower-cases only where the length stays"),
]


@pytest.mark.parametrize("func, raw, old_a, old_b, decided, why", DISAGREEMENTS,
                         ids=[f"{d[0].__name__}:{d[1]!r}" for d in DISAGREEMENTS])
def test_each_old_disagreement_is_decided(func, raw, old_a, old_b, decided, why) -> None:
    assert old_a != old_b or old_a == decided, why
    assert func(raw) == decided, why


def test_no_module_keeps_its_own_copy() -> None:
    """The removed copies stay removed: the rules are reached through cchc.core.vntext only."""
    import extractors.numbers
    import indicator_catalog
    import matchers.normalize

    for mod, names in ((extractors.numbers, ("normalize_code", "code_depth", "_fix_ocr_digits")),
                       (matchers.normalize, ("normalize_code", "code_depth", "is_subrow_marker")),
                       (indicator_catalog, ("nfc",))):
        for name in names:
            assert getattr(mod, name, None) in (None, getattr(vntext, name, None)), f"{mod.__name__}.{name}"
    assert indicator_catalog.parse_codes is parse_codes  # the documented catalog API, one implementation


VIET = st.text(alphabet=st.sampled_from(list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ àáảãạằắẳẵặầấẩẫậèéẻẽẹ"
                                             "ềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ\t\n\u00a0.,:-")),
               max_size=40)


@given(VIET)
def test_fold_aligned_keeps_offsets_and_agrees_with_fold(text: str) -> None:
    text = unicodedata.normalize("NFC", text)
    aligned = fold_aligned(text)
    assert len(aligned) == len(text)
    assert " ".join(aligned.split()) == fold(text)


@given(VIET)
def test_fold_is_idempotent_and_blind_to_normal_form(text: str) -> None:
    assert fold(fold(text)) == fold(text)
    assert fold(unicodedata.normalize("NFD", text)) == fold(unicodedata.normalize("NFC", text))
    assert fold(text).isascii() or not strip_accents(text).isascii()
    assert fold_key(text) == " ".join(fold_key(text).split())


@given(st.lists(st.integers(0, 40), min_size=1, max_size=5), st.sampled_from(["", ".", ". ", ".,", " _"]))
def test_normalize_code_is_idempotent(parts: list[int], trailing: str) -> None:
    code = ".".join(map(str, parts))
    assert normalize_code(code + trailing) == code
    assert normalize_code(normalize_code(code)) == code
    assert code_depth(code) == len(parts)


@given(st.integers(0, 10**9))
def test_parse_number_reads_thousands_dots(n: int) -> None:
    printed = f"{n:,}".replace(",", ".")
    assert parse_number(printed) == n
    assert parse_number(f"{n},5") == n + 0.5


@given(VIET)
def test_clean_collapses_every_whitespace(text: str) -> None:
    c = clean(text)
    assert c == c.strip() and "  " not in c and "\u00a0" not in c and "\n" not in c
    assert unicodedata.is_normalized("NFC", c)


@pytest.mark.parametrize("name, level", [("UBND huyện Cẩm Xuyên", "huyen"), ("Ủy ban nhân dân xã Bình Yên", "xa"),
                                         ("Thành phố Hà Nội", "tinh"), ("Sở Nội vụ", "so_nganh"), ("Bộ Tư pháp", "bo"),
                                         ("Thị xã Kỳ Anh", "huyen"), ("Báo cáo", None)])
def test_level_of(name: str, level: str | None) -> None:
    assert level_of(name) == level


def test_level_hints_reads_titles() -> None:
    assert level_hints("Báo cáo của UBND xã Bình Yên") == {"xa"}
    assert level_hints("UBND thị xã Kỳ Anh") == {"huyen"}
    assert level_hints(None) == set()


def test_numbers_in_running_text_are_found_whole_and_parse() -> None:
    """The one pattern the narrative readers share: whole numbers as written, none cut out of a date or code."""
    from cchc.core.vntext import NUMBER_IN_TEXT, parse_number

    text = "tiếp nhận 1.245 hồ sơ, đạt 12,5%; 03 phòng; ngày 12/3/2024 theo 61/2018/NĐ-CP, mã H2"
    found = [m.group() for m in NUMBER_IN_TEXT.finditer(text)]
    assert found == ["1.245", "12,5", "03"], found
    assert [parse_number(f) for f in found] == [1245.0, 12.5, 3.0]
