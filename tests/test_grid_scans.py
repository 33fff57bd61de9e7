"""The table reader on real scanned appendix pages (cut from the scan corpus's tune/dev splits).

Each fixture is the top of one cleaned page image as the scan path made it (stamps removed,
deskewed), stored at the scan's own resolution; the test scales it to the OCR resolution, as the
pipeline does, runs real Tesseract over it and reads the grid.  They cover the failure classes of
issue 12: a header full-page OCR garbles (value columns named col3/col4), a ruled header box over
a frame-only body (its header cells merged, the body in one column), and a multi-year grid whose
year headers OCR loses or merges.
"""

from __future__ import annotations

import pytest

from cchc.core.model import Page
from extractors import column_roles, image_grid
from extractors.rows import extract_tables, fragments_for_pages
from tests.scan_fixtures import read_appendix_fixture, tables_with_header_rereads


@pytest.fixture(scope="module")
def garbled_header() -> tuple[Page, object]:
    return read_appendix_fixture("plan_actual_garbled_header_150dpi.png", 150, 595.68)


def test_a_garbled_plan_actual_header_is_read_again_and_names_the_value_columns(garbled_header) -> None:
    page, prepared = garbled_header
    # full-page OCR of this 150-dpi bold header gives debris ("PHẾ 2< Tấn _ảMẴ hiến chú")
    rows = [r for t in tables_with_header_rereads(page, prepared) for r in t.rows]
    keys = {k for r in rows for k, c in r.values.items() if c.text.strip()}
    assert keys == {"Kế hoạch", "Thực hiện"}, keys
    row = next(r for r in rows if r.label.text.startswith("Số nhiệm vụ đề ra"))
    assert (row.values["Kế hoạch"].text, row.values["Thực hiện"].text) == ("56", "56")
    assert row.unit.text == "Nhiệm vụ"


def test_without_the_image_the_garbled_header_leaves_unnamed_value_columns(garbled_header) -> None:
    """The re-read is what names them: the same page read without its image keeps "colN" keys."""
    page, _ = garbled_header
    keys = {k for t in extract_tables([page], only_appendix=True) for r in t.rows for k in r.values}
    assert keys and all(k is None or k.startswith("col") for k in keys), keys


def test_header_cells_read_on_their_own(garbled_header) -> None:
    page, prepared = garbled_header
    frag = fragments_for_pages([page], only_appendix=True,
                               header_reader=image_grid.header_reader({page.number: prepared}))[0]  # type: ignore[dict-item]
    headers = [c.header for c in frag.columns]
    assert headers[:3] == ["STT", "Chỉ tiêu", "Đơn vị tính"] and "Ghi chú" in headers


def test_a_header_box_over_a_frame_only_body_is_the_grids_header() -> None:
    """First appendix page: a one-level ruled header box OCR garbles ("s. Các chỉ tiêu . linh Đơn vị")
    over a body with only its outer frame.  The box gives the columns and is the header row (before,
    its short column rules were dropped next to the page-long frame and the header became a body row
    of a word-aligned grid)."""
    page, prep = read_appendix_fixture("frame_header_first_275dpi.jpg", 275, 595.37)
    reader = image_grid.header_reader({page.number: prep})  # type: ignore[dict-item]
    frag = fragments_for_pages([page], only_appendix=True, header_reader=reader)[0]
    assert frag.method == "ruled" and frag.header_rows == 1 and frag.roles_from == "header"
    assert [c.role for c in frag.columns] == ["code", "label", "value", "unit"]
    first = [frag.row_texts(r) for r in range(frag.header_rows, frag.header_rows + 3)]
    assert first[1][0] == "1.1." and first[1][2:] == ["100", "%"], first


def test_a_multi_year_grid_under_a_two_level_header_box() -> None:
    """Landscape multi-year grid, frame-only body, STT codes lost by OCR, year headers garbled or
    merged ("Năm 5 2011|2012|2013|2014"): rows are still split and every year column is named."""
    page, prep = read_appendix_fixture("multiyear_frame_header_225dpi.jpg", 225, 841.92)
    reader = image_grid.header_reader({page.number: prep})  # type: ignore[dict-item]
    tables = extract_tables([page], only_appendix=True, header_reader=reader)
    rows = [r for t in tables for r in t.rows]
    keys = [k for k in rows[0].values]
    assert keys == [f"Năm {y}" for y in range(2011, 2020)] + ["Năm 2020 (tính đến 31/3)"]
    assert len([r for r in rows if any(c.text for c in r.values.values())]) >= 4
    for t in tables:  # value cells read again on their own, as the pipeline does next
        image_grid.refine_table_cells(t, {page.number: prep})  # type: ignore[dict-item]
    first = next(r for r in rows if r.label.text.startswith("Số lượng văn bản chỉ đạo"))
    assert [first.values[k].text for k in keys] == ["", "", ""] + [str(v) for v in range(39, 58, 3)]


@pytest.mark.parametrize("headers, expected", [
    (["Năm 2011", "Năm ề", "Năm 2011", "Năm 2014", "Năm 2015", "Năm", "Năm 2017 (tnh đến 31/3)"],
     ["Năm 2011", "Năm 2012", "Năm 2013", "Năm 2014", "Năm 2015", "Năm 2016", "Năm 2017 (tính đến 31/3)"]),
    (["Năm 2011", "Năm 2012", "Năm 2013", "ke (tính đến 31/3)"],
     ["Năm 2011", "Năm 2012", "Năm 2013", "Năm 2014 (tính đến 31/3)"]),
    (["Kế hoạch", "Năm 2019", "Năm 2020", "Năm 2021"], ["Kế hoạch", "Năm 2019", "Năm 2020", "Năm 2021"]),
    (["Năm 2015", "Năm 2017", "Năm 2019"], ["Năm 2015", "Năm 2017", "Năm 2019"]),  # not consecutive: kept
    (["Năm 2011", "Năm 2011", "Năm 2013", "Năm 2014"], ["Năm 2011", "Năm 2012", "Năm 2013", "Năm 2014"]),
    (["Năm 2011", "Năm 2012", "Năm 2014", "Năm 2015"], ["Năm 2011", "Năm 2012", "Năm 2014", "Năm 2015"]),  # 2 vs 2
])
def test_year_sequence(headers: list[str], expected: list[str]) -> None:
    canon = [column_roles.canonical_value_header(h) for h in headers]
    assert column_roles.fill_year_sequence(canon) == expected
