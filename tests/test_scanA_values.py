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
