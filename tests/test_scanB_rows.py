"""Rows and year columns of multi-year grids on real scanned pages (cut from the scan corpus's dev split).

Two cleaned page tops, as the scan path made them, run through real Tesseract and the grid reader:
* a colour scan with a seal over the body (dev_013 p2): OCR glues two year headers across their rule
  ("2011|2012") and reads garbled values under the seal with boxes twice as tall as the text, which
  hid the white space between codeless rows;
* a phone photo of a frame-only body (dev_015): OCR adds "__" after the bullet STT ("- __") and the
  rows are only 4 pt apart, against 2 pt between the wrapped lines of one row.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from cchc.core.model import BBox, Page, TextOrigin, Word
from extractors.grid import find_grids
from extractors.image_prep import PageImage
from extractors.ocr import read_page_image
from extractors.ruling_words import split_word
from tests.scan_fixtures import read_scan_fixture

SCANS = Path(__file__).parent / "fixtures" / "scans"
OCR_DPI = 300
YEARS = [f"Năm {y}" for y in range(2011, 2020)]


def _read(name: str, src_dpi: int, width_pt: float) -> Page:
    return read_scan_fixture(name, src_dpi, width_pt).page


def _labels(page: Page) -> list[str]:
    frag = next(f for f in find_grids(page) if f.col("label") is not None)
    label = frag.col("label")
    return [frag.row_texts(r)[label] for r in range(frag.header_rows, frag.n_rows)]


@pytest.fixture(scope="module")
def seal_page() -> Page:
    return _read("multiyear_seal_rows_225dpi.jpg", 225, 841.92)


@pytest.fixture(scope="module")
def photo_page() -> Page:
    return _read("photo_multiyear_frame_body_200dpi.jpg", 200, 841.89)


def test_year_headers_glued_across_a_rule_name_one_column_each(seal_page: Page) -> None:
    frag = next(f for f in find_grids(seal_page) if f.cols("value"))
    keys = [frag.columns[i].key for i in frag.cols("value")]
    assert keys[:9] == YEARS


def test_codeless_rows_under_a_seal_stay_apart(seal_page: Page) -> None:
    labels = _labels(seal_page)
    assert "Văn bản của Huyện ủy" in labels
    assert "Văn bản của HĐND, UBND huyện" in labels
    assert "Tuyên truyền CCHC" in labels


def test_photo_rows_with_bullets_and_tight_spacing_are_split(photo_page: Page) -> None:
    labels = _labels(photo_page)
    assert "Số lớp tập huấn chuyên đề CCHC" in labels
    assert any(t.startswith("Xây dựng chuyên mục CCHC") for t in labels)
    assert "Tuyên truyền CCHC" in labels
    assert not any("CCHC Xây dựng" in t for t in labels)


def _word(text: str, bbox: BBox) -> Word:
    return Word(text, bbox, TextOrigin.OCR, 80.0)


def test_split_word_cuts_at_the_rule_and_keeps_boxes() -> None:
    rule = (438.0, 100.0, 438.0, 300.0)
    parts = split_word(_word("2011|2012", (402.0, 179.0, 473.0, 196.0)), [rule])
    assert [p.text for p in parts] == ["2011", "2012"]
    assert parts[0].bbox[2] < 438.0 < parts[1].bbox[0]
    # an edge bar a few points from the rule goes; a bar far from any rule stays
    assert [p.text for p in split_word(_word("|2013", (483.0, 179.0, 513.0, 196.0)), [(478.0, 100.0, 478.0, 300.0)])] \
        == ["2013"]
    assert split_word(_word("a|b", (10.0, 179.0, 40.0, 196.0)), [rule])[0].text == "a|b"


def test_a_figure_read_across_a_rule_without_a_bar_is_cut_by_width() -> None:
    rule = (438.0, 100.0, 438.0, 300.0)
    assert [p.text for p in split_word(_word("20112012", (402.0, 179.0, 473.0, 196.0)), [rule])] == ["2011", "2012"]
    # a box overshooting a rule by a few points is not cut; nor is a word
    assert split_word(_word("2011", (402.0, 179.0, 440.0, 196.0)), [rule])[0].text == "2011"
    assert split_word(_word("Namxyz", (402.0, 179.0, 473.0, 196.0)), [rule])[0].text == "Namxyz"


def test_a_page_lying_on_its_side_is_turned_before_its_grid_is_read() -> None:
    """dev_005 p4, stored turned by 270 deg (the whole page, grey, 200 dpi): Tesseract reads it as vertical
    text (valid words, boxes running down the page), which neither the line profile nor the syllable
    check caught; the words standing on end send it through OSD and the grid is read upright."""
    gray = cv2.imread(str(SCANS / "sideways_grid_200dpi.jpg"), cv2.IMREAD_GRAYSCALE)
    assert gray is not None
    gray = cv2.resize(gray, None, fx=OCR_DPI / 200, fy=OCR_DPI / 200, interpolation=cv2.INTER_CUBIC)
    rgb = np.ascontiguousarray(cv2.cvtColor(gray, cv2.COLOR_GRAY2RGB))
    h, w = rgb.shape[:2]
    result = read_page_image(PageImage(rgb, 4, w / OCR_DPI * 72, h / OCR_DPI * 72, float(OCR_DPI), kind="pdf"))
    assert result.prepared.rotation in (90, 270)
    frag = next(f for f in find_grids(result.page) if f.col("label") is not None)
    assert frag.col("code") is not None and frag.n_rows - frag.header_rows >= 5


def test_a_page_drawn_as_a_grid_counts_as_an_appendix_without_codes() -> None:
    """dev2_023, a phone photo of a continuation page: full-page OCR loses its STT codes and most
    figures, so the text test saw no appendix (0 values for the document); its column rules still
    make it a grid page, and the grid reader splits its rows (codeless sections included).  Since the
    unexplained ink is read again (`extractors.unread_ink`) the codes come back and the text says it too."""
    from dataclasses import replace as dc_replace

    from extractors import text_layer
    from pipeline.ocr_pages import _ruled_grid_page

    page = _read("photo_grid_codes_lost_200dpi.jpg", 200, 595.28)
    assert text_layer.looks_like_appendix(page.text)
    assert _ruled_grid_page(page)
    assert not _ruled_grid_page(dc_replace(page, rulings=[r for r in page.rulings if abs(r[3] - r[1]) <= 1.0]))
    labels = _labels(page)
    assert "Vận hành Cổng dịch vụ công" in labels and len(labels) >= 25


@pytest.mark.parametrize(("read", "expected"), [
    ("Năm 2020 ( 2 tính 31/3)", "Năm 2020 (tính đến 31/3)"),  # dev_012 p6, a page stored upside down
    ("Năm 2020 th 31/3)", "Năm 2020 (tính đến 31/3)"),  # tune_013 p7, under a seal
    ("Năm 2020 (tính đn 31/3", "Năm 2020 (tính đến 31/3)"),
    ("Năm 2019 12/5", "Năm 2019 12/5"),  # no bracket, no piece of the note: left alone
    ("Năm 2020 (ước 6 tháng)", "Năm 2020 (ước 6 tháng)"),
])
def test_the_cut_off_note_of_the_last_year_is_mended_from_its_date(read: str, expected: str) -> None:
    from extractors.column_roles import canonical_value_header

    assert canonical_value_header(read) == expected


def test_a_rule_read_as_a_bracket_between_two_years_is_cut_there() -> None:
    rule = (438.0, 100.0, 438.0, 300.0)  # dev_013 p7: "Năm 2011)2012" named the first year column
    assert [p.text for p in split_word(_word("2011)2012", (402.0, 179.0, 473.0, 196.0)), [rule])] == ["2011", "2012"]


def test_a_year_from_the_sequence_keeps_a_mended_note() -> None:
    from extractors.column_roles import fill_year_sequence

    heads = ["Năm 2011", "Năm 2012", "Năm 2013", "Năm 20 ( tính đến 31/3)"]
    assert fill_year_sequence(heads)[-1] == "Năm 2014 (tính đến 31/3)"


def _line(top: float, label: str, code: str = "", value: str = "", value_box: tuple[float, float] | None = None):
    from cchc.core.model import Line

    words = []
    if code:
        words.append(_word(code, (58.0, top, 63.0, top + 10.0)))
    words.append(_word(label, (81.0, top, 81.0 + 5.0 * len(label), top + 10.0)))
    if value:
        vy = value_box or (top, top + 10.0)
        words.append(_word(value, (410.0, vy[0], 428.0, vy[1])))
    return Line(words=words, bbox=(min(w.bbox[0] for w in words), min(w.bbox[1] for w in words),
                                   max(w.bbox[2] for w in words), max(w.bbox[3] for w in words)))


def _cols():
    from extractors.grid_model import ColumnInfo

    return [ColumnInfo(index=0, x0=44.0, x1=77.0, role="code"), ColumnInfo(index=1, x0=77.0, x1=397.0, role="label"),
            ColumnInfo(index=2, x0=397.0, x1=438.0, role="value")]


def test_rows_four_points_apart_split_when_wrapped_lines_are_two_apart() -> None:
    """Gaps measured on the dev_015 photo: 1.2-1.9 pt inside a row, 4.4-7.5 pt between rows (codes lost)."""
    from extractors.grid_cells import split_lines_into_rows

    tops, t = [], 100.0
    plan = [("Số lượng văn bản", "1"), ("phương đã tham mưu", ""), ("Văn bản của Huyện ủy", ""),
            ("Văn bản của HĐND", ""), ("Số lớp tập huấn", ""), ("Xây dựng chuyên mục", ""), ("huyện, xã (Có", ""),
            ("Các hình thức", "")]
    gaps = [1.4, 4.4, 5.9, 7.5, 4.4, 1.9, 5.2]
    lines = []
    for (label, code), gap in zip(plan, [*gaps, 0.0], strict=True):
        lines.append(_line(t, label, code))
        tops.append(t)
        t += 10.0 + gap
    rows = split_lines_into_rows(lines, _cols())
    assert [round(a) for a, _ in rows] == [round(tops[i]) for i in (0, 2, 3, 4, 5, 7)]


def test_a_tall_garbled_value_box_does_not_hide_the_row_gap() -> None:
    """dev_013 p2: a value read under a seal got a box from 433 to 453 pt on a 10-pt line, reaching
    into the next row; the gaps are measured on the label words."""
    from extractors.grid_cells import split_lines_into_rows

    lines = [_line(100.0, "Số lượng văn bản"), _line(112.0, "phương đã tham"), _line(124.0, "cơ quan có thẩm"),
             _line(142.0, "Văn bản của Huyện ủy", value="100"), _line(160.0, "Văn bản của HĐND huyện"),
             _line(178.0, "Văn bản của HĐND xã", value="12Ồ.", value_box=(176.0, 196.0)),
             _line(198.0, "Số lượng cơ quan"), _line(216.0, "Tuyên truyền CCHC")]
    rows = split_lines_into_rows(lines, _cols())
    assert [round(a) for a, _ in rows] == [100, 142, 160, 176, 198, 216]


def test_a_bullet_stt_with_ocr_debris_still_starts_a_row() -> None:
    from extractors.grid_model import code_like

    assert code_like("- __") and code_like("2 __") and code_like("-")
    assert not code_like("__") and not code_like("Xây dựng")


def test_a_year_column_demoted_by_its_garbled_body_keeps_its_place() -> None:
    """dev_013 p2: "Năm Š 2012" over cells garbled under a seal; the years must not shift left."""
    from extractors.grid_header import classify_header, finish_roles
    from extractors.grid_model import ColumnInfo

    assert classify_header("Năm Š 2012") == "value"
    cols = [ColumnInfo(index=0, x0=0, x1=1, role="label", header="Các chỉ tiêu")]
    for i, (head, role) in enumerate([("Năm 2011", "value"), ("Năm Š 2012", "other"), ("Năm 2013", "value"),
                                      ("Năm 2014", "value"), ("Năm 2015", "value")], start=1):
        cols.append(ColumnInfo(index=i, x0=i, x1=i + 1, role=role, header=head))
    finish_roles(cols)
    assert [c.key for c in cols[1:]] == [f"Năm {y}" for y in range(2011, 2016)]
    assert all(c.role == "value" for c in cols[1:])
