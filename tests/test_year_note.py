"""Year columns whose note OCR garbled (issue 12): the figure is flagged, its year kept.

The labels are the headers the scan path read on the multi-year pages of
`dev3_027_district_trieuson_2011_2020_mixed.pdf` (dev3 split, 220 dpi, 0.3 pt rules): the last year
column is "Năm 2020 (tính đến 31/3)", a part of the year.  Its second line came out as "Xe ¬g",
"ty đến" or "(tính"; the values under it were right but went out unflagged under a label nobody
could read, 20 of the split's ~30 wrong unflagged rows.
"""

from __future__ import annotations

import pytest

from cchc.core.model import TextOrigin, Value
from pipeline.match import flag_doubtful_ocr_value, garbled_year_note, restore_year_note


@pytest.mark.parametrize(("label", "garbled"), [
    ("Năm 2020 Xe ¬g", True), ("Năm 2020 ty đến", True), ("Năm 2020 (tính", True), ("Năm 2020 _.", True),
    ("Năm 2020 (tính đến 31/3)", False), ("Năm 2020 (6 tháng)", False), ("Năm 2020 (ước thực hiện)", False),
    ("Năm 2019", False), ("Kế hoạch", False), (None, False),
])
def test_a_year_header_with_an_unreadable_note(label: str | None, garbled: bool) -> None:
    assert garbled_year_note(label) is garbled


def _value(label: str, source: TextOrigin) -> Value:
    return Value(source="table", raw_label="Số lượng chữ ký số", raw_value="146", page=9, value_num=146.0,
                 column_label=label, text_source=source, ocr_confidence=92.0)


def test_the_figure_under_it_is_flagged_with_why_and_keeps_its_label() -> None:
    v = _value("Năm 2020 ty đến", TextOrigin.OCR)
    flag_doubtful_ocr_value(v, "count")
    assert v.needs_review and "covers the whole year" in (v.review_reason or "")
    assert v.column_label == "Năm 2020 ty đến"  # provenance: what the page says, as read


def test_a_readable_note_and_a_text_layer_are_left_alone() -> None:
    for v in (_value("Năm 2020 (tính đến 31/3)", TextOrigin.OCR), _value("Năm 2020 Xe ¬g", TextOrigin.TEXT)):
        flag_doubtful_ocr_value(v, "count")
        assert not v.needs_review


TRIEUSON_YEARS = ("Năm 2018", "Năm 2019", "Năm 2020 (tính đến 31/3)")


def test_a_year_read_bare_where_the_template_prints_a_note_takes_the_template_s_label_flagged() -> None:
    # dev4's 1-bit TIFF of the 2011-2020 district report: the five-line header cell
    # "Năm / 2020 / (tính / đến / 31/3)" came out as "Năm 2020", and its figures went out unflagged
    v = _value("Năm 2020", TextOrigin.OCR)
    restore_year_note(v, TRIEUSON_YEARS)
    assert v.column_label == "Năm 2020 (tính đến 31/3)"
    assert v.needs_review and "Năm 2020" in (v.review_reason or "")


def test_years_the_template_prints_bare_and_earlier_doubts_are_kept() -> None:
    v = _value("Năm 2019", TextOrigin.OCR)
    restore_year_note(v, TRIEUSON_YEARS)
    assert v.column_label == "Năm 2019" and not v.needs_review
    v = _value("Năm 2020", TextOrigin.OCR)
    v.needs_review, v.review_reason = True, "OCR readings of the cell disagree"
    restore_year_note(v, TRIEUSON_YEARS)
    assert (v.review_reason or "").startswith("OCR readings of the cell disagree; ")
    v = _value("Năm 2020", TextOrigin.OCR)
    restore_year_note(v, None)  # no template detected
    assert v.column_label == "Năm 2020" and not v.needs_review


@pytest.mark.parametrize("read", ["Năm 2020 (tính đến 33)", "Năm 2020 (tính đến 313)", "Năm 2020 (tinh đến 31/3"])
def test_a_note_read_with_a_digit_wrong_takes_the_template_s_label_unflagged(read: str) -> None:
    # dev7's 1-bit TIFF of the 2011-2020 district report (faded, shaded header): "31/3" came out as "33" or
    # "313", and the figures under it went out unflagged under a label no truth or analyst knows
    v = _value(read, TextOrigin.OCR)
    restore_year_note(v, TRIEUSON_YEARS)
    assert v.column_label == "Năm 2020 (tính đến 31/3)" and not v.needs_review


def test_a_bare_year_with_a_speck_after_it_is_the_template_s_year() -> None:
    v = _value("Năm 2019.)", TextOrigin.OCR)
    restore_year_note(v, TRIEUSON_YEARS)
    assert v.column_label == "Năm 2019" and not v.needs_review


@pytest.mark.parametrize("read", ["Năm 2020 (6 tháng)", "Năm 2020 (ước thực hiện)", "Năm 2021 (tính đến 31/3)"])
def test_a_note_of_the_agency_s_own_or_a_year_the_template_lacks_is_kept(read: str) -> None:
    v = _value(read, TextOrigin.OCR)
    restore_year_note(v, TRIEUSON_YEARS)
    assert v.column_label == read and not v.needs_review
