"""OCR debris around a value that the parser can tell from the value (readings seen on dev_017 / dev_024 scans)."""

from __future__ import annotations

import pytest

from extractors.numbers import parse_value


@pytest.mark.parametrize(("raw", "num", "text"), [
    (",866", 866.0, None),  # a speck left of the figure read as a comma (dev_024, 225 dpi JPEG q58)
    ("Hoàn| thành", None, "Hoàn thành"),  # a ruling read between the words (dev_017, 175 dpi)
    ("12,5", 12.5, None),  # real separators are kept
    ("0,5", 0.5, None),
    ("1.245", 1245.0, None),
    ("34|", 34.0, None),
])
def test_debris_is_dropped_figures_kept(raw: str, num: float | None, text: str | None) -> None:
    got = parse_value(raw)
    assert (got.value_num, got.value_text) == (num, text)


def test_a_lone_separator_before_one_digit_is_not_guessed_away() -> None:
    """",5" could be a dropped leading zero: left as the parser always read it, not made into 5."""
    assert parse_value(",5").value_num != 5.0


def test_a_value_short_of_the_ink_is_flagged_with_why() -> None:
    from cchc.core.model import TextOrigin, Value
    from pipeline.match import flag_doubtful_ocr_value

    v = Value(source="table", raw_label="Số văn bản", raw_value="4", page=2, value_num=4.0, unit="Văn bản",
              column_label=None, text_source=TextOrigin.OCR, ocr_confidence=40.0)
    flag_doubtful_ocr_value(v, "count", readings=("4", "4", "2 characters of ink"))
    assert v.needs_review and "shows 2 characters of ink but OCR read '4'" in (v.review_reason or "")


@pytest.mark.parametrize(("page", "cell", "kept"), [
    (("Có", 91.0), ("6", 90.0), "Có"),  # a yes/no answer the digit re-read made a "6" (dev_010, 1-bit 175 dpi)
    (("Đạt", 88.0), ("04", 85.0), "Đạt"),
    (("l1", 60.0), ("11", 90.0), "11"),  # ASCII look-alikes of digits stay open to the re-read
    (("Trong đó", 90.0), ("0", 80.0), "Trong đó"),
])
def test_short_words_are_not_overridden_by_the_digit_reread(page: tuple[str, float], cell: tuple[str, float],
                                                            kept: str) -> None:
    from extractors.image_grid import better_reading

    assert better_reading(page, cell, "value")[0] == kept
