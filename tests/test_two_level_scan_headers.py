"""Scanned grids whose two-level header OCR merged and garbled, and bodies cut by specks (issue 12).

Fixture `two_level_header_garbled_bw_170dpi.pdf`: page 2 of `heldout_010_district_camxuyen_2021_bw.pdf`
of the dev4 split (the retired held-out split of the second session, now a tuning split) as stored:
1-bit, 170 dpi.  The header "Thực hiện kỳ báo cáo" spans "Đ.V.T | Kết quả thực hiện trong kỳ"; OCR
read the value column's header as "blện kỳ kế quả thực hiện trong kỳ", which named no role, and its
figures ("4I", "%6", "— 53") were too garbled for content alone to call it a value column: the page
gave no figure.  The expected figures are read off the page image.

The synthetic page stands for page 2 of that split's `heldout_000_commune_2024_grey.pdf` (a boxed
header over a body ruled with horizontal lines only, a seal over three rows, a scanner-edge shadow
in the right margin): a speck in the margin ("p9") ended the body after two rows, and the seal's
letters ("TT") inside a row were taken for a new header whose columns had no value column.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cchc.core.model import Page, TextOrigin, Word
from extractors.rows import extract_tables
from extractors.text_layer import group_lines
from tests.scan_fixtures import extracted_table_values

FIXTURE = Path(__file__).parent / "fixtures" / "scans" / "two_level_header_garbled_bw_170dpi.pdf"


@pytest.fixture(scope="module")
def bw_values(tmp_path_factory: pytest.TempPathFactory):
    return extracted_table_values(FIXTURE, tmp_path_factory.mktemp("two_level"))


def test_the_garbled_group_header_still_names_the_value_column(bw_values) -> None:
    assert len(bw_values) >= 10
    got = set(bw_values["raw_value"].str.strip())
    assert got >= {"7", "2", "47"}  # tasks set, problems solved, VBQPPL issued


XS = [40.0, 80.0, 380.0, 450.0, 505.0, 553.0]  # Mã số | Chỉ tiêu | ĐVT | Số liệu | Ghi chú


def _boxed_header_page() -> Page:
    page = Page(number=2, width=595, height=842, origin=TextOrigin.OCR)

    def put(text: str, x: float, y: float) -> None:
        for tok in text.split():
            page.words.append(Word(tok, (x, y, x + 5 * len(tok), y + 10), TextOrigin.OCR, confidence=85.0))
            x += 5 * len(tok) + 3

    put("Kết quả thực hiện", 385, 62)  # the group header over the unit and value columns
    for x, text in zip(XS, ("Mã số", "Chỉ tiêu đánh giá", "Đ.V.T", "Số liệu", "Ghi chú"), strict=False):
        put(text, x + 3, 84)
    rows = [("1.1.", "Số nhiệm vụ đề ra", "Nhiệm vụ", "12"), ("1.2.", "Số nhiệm vụ hoàn thành", "Nhiệm vụ", "10"),
            ("1.3.", "Số văn bản đã ban hành", "Văn bản", "8"), ("1.4.", "Số văn bản đã kiểm tra TT", "Văn bản", "24"),
            ("1.5.", "Số văn bản đã rà soát", "Văn bản", "2"), ("1.6.", "Số hồ sơ đã tiếp nhận", "Hồ sơ", "629")]
    y, ys = 110.0, [100.0]
    for k, row in enumerate(rows):
        for x, text in zip(XS, row, strict=False):
            put(text, x + 3, y)
        if k == 1:
            put("p9", 586, y + 14)  # a speck of the scanner-edge shadow, right of the grid
        y += 20
        ys.append(y - 4)
    page.rulings = [(XS[0], 55.0, XS[-1], 55.0), (XS[0], 100.0, XS[-1], 100.0), (XS[2], 77.0, XS[4], 77.0)]
    page.rulings += [(x, 55.0, x, 100.0) for x in XS if x not in (XS[3],)] + [(XS[3], 77.0, XS[3], 100.0)]
    page.rulings += [(XS[0], yy, XS[-1], yy) for yy in ys[1:]]  # the body: horizontal rules only
    page.lines = group_lines(page.words)
    page.is_appendix = True
    return page


def test_the_body_under_a_boxed_header_goes_on_past_margin_specks_and_seal_letters() -> None:
    (table,) = extract_tables([_boxed_header_page()], only_appendix=True)
    got = [(r.code.text.strip(), [c.text for c in r.values.values()]) for r in table.rows]
    assert got == [("1.1.", ["12"]), ("1.2.", ["10"]), ("1.3.", ["8"]), ("1.4.", ["24"]), ("1.5.", ["2"]),
                   ("1.6.", ["629"])]
