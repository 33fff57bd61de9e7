"""Verification of scanned value cells (extractors.cell_vote) and the review flags it feeds (pipeline.match).

Real pixels throughout: a grid drawn with reportlab and rendered by poppler at
200 dpi then thresholded to 1 bit, like a fax-grade scan, and one page of the
scan corpus kept as a G4 TIFF (tests/fixtures/scans/README.md).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from cchc.core.model import Cell, Row, Table, TextOrigin, Value
from extractors import cell_vote
from extractors.image_prep import PageImage, prepare_page, render_pdf_page
from extractors.ocr_engine import engine_for
from pipeline.match import (
    doubled_value_columns,
    flag_doubtful_ocr_value,
    pages_missing_a_column,
    plan_and_result_read_as_one,
)
from tests import ocr_support as S

FIXTURES = Path(__file__).parent / "fixtures" / "scans"


@pytest.fixture(scope="module")
def fax_grid(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The test grid rendered at 200 dpi and cut to 1 bit (no grey edges left), prepared for OCR."""
    pdf = tmp_path_factory.mktemp("fax") / "grid.pdf"
    S.make_grid_pdf(pdf)
    page = render_pdf_page(pdf, 1, dpi=200)
    bw = np.where(np.asarray(Image.fromarray(page.image).convert("L")) < 150, 0, 255).astype(np.uint8)
    rgb = np.ascontiguousarray(np.stack([bw] * 3, axis=2))
    return prepare_page(PageImage(rgb, 1, page.width_pt, page.height_pt, 200.0, kind="pdf"))


def _value_cells(texts: list[str]) -> list[Cell]:
    return [Cell(t, bbox, 96.0) for t, bbox in zip(texts, S.grid_cells_pt(3), strict=True)]


def test_right_readings_are_confirmed_and_left_alone(fax_grid) -> None:
    truth = [row[3] for row in S.GRID_ROWS[1:]]  # "12,5", "1.245", "03", "-", "100"
    cells = _value_cells(truth)
    stats = cell_vote.verify_value_cells(fax_grid, [(c, "") for c in cells], engine_for())
    assert [c.text for c in cells] == truth
    assert all(c.confidence == 96.0 for c in cells)
    assert stats.count("disputed") == 0
    assert stats.count("agree") == 4  # the dash has no digit: decided by its shape, not verified


def test_a_confident_misread_is_disputed_or_outvoted(fax_grid) -> None:
    # what full-page OCR does to such cells: a decimal comma dropped, digits changed
    cells = _value_cells(["125", "1.215", "08", "-", "100"])
    others = ["", "1.245", "", "", ""]  # the cell re-read of row 2 disagreed with the page and lost
    stats = cell_vote.verify_value_cells(fax_grid, list(zip(cells, others, strict=True)), engine_for())
    outcome = {v.before: v.outcome for v in stats.votes}
    assert outcome["125"] == "disputed" and cells[0].confidence == cell_vote.DISPUTED_CONFIDENCE
    assert outcome["1.215"] == "majority" and cells[1].text == "1.245" and cells[1].confidence == 96.0
    assert outcome["08"] == "disputed" and cells[2].confidence == cell_vote.DISPUTED_CONFIDENCE
    assert outcome["100"] == "agree" and cells[4].confidence == 96.0


@pytest.mark.parametrize(("kept", "other", "verify", "expected"), [
    ("12,5", "", "12.5", ("12,5", "agree")),  # same figure, other separator
    ("125", "12,5", "12,5", ("12,5", "majority")),
    ("7741", "", "77,1", ("7741", "disputed")),  # one reading never overrides another
    ("125", "", "12,5", ("125", "disputed")),  # a separator the kept reading lacks
    ("401", "", ",401", ("401", "agree")),  # a speck before the figure
    ("14", "", "4", ("14", "unread")),  # digits lost contradict nothing
    ("298", "", "288", ("298", "disputed")),
    ("55", "", "155", ("55", "disputed")),
    ("45", "", "", ("45", "unread")),
    ("45", "", "..", ("45", "unread")),
    ("-", "", "-", ("-", "unread")),
    ("3", "Trong đó", "8", ("3", "disputed")),  # words are no majority
])
def test_decide(kept: str, other: str, verify: str, expected: tuple[str, str]) -> None:
    assert cell_vote.decide(kept, other, verify) == expected


def _ocr_value(raw: str, num: float | None, unit: str = "%", column: str | None = None,
               source: TextOrigin = TextOrigin.OCR) -> Value:
    return Value(source="table", raw_label="Tỷ lệ hồ sơ", raw_value=raw, page=1, value_num=num, unit=unit,
                 column_label=column, text_source=source, ocr_confidence=90.0)


def test_percent_above_100_read_by_ocr_is_flagged() -> None:
    v = _ocr_value("7741", 7741.0)
    flag_doubtful_ocr_value(v, "percent")
    assert v.needs_review and "above 100" in (v.review_reason or "")
    ok = _ocr_value("77,1", 77.1)
    flag_doubtful_ocr_value(ok, "percent")
    assert not ok.needs_review
    text_layer = _ocr_value("120", 120.0, source=TextOrigin.TEXT)  # a typed figure is what the agency wrote
    flag_doubtful_ocr_value(text_layer, "percent")
    assert not text_layer.needs_review


def test_value_under_an_unread_header_is_flagged() -> None:
    v = _ocr_value("56", 56.0, unit="Nhiệm vụ", column="col3")
    flag_doubtful_ocr_value(v, "count", n_columns=2)
    assert v.needs_review and "col3" in (v.review_reason or "")
    named = _ocr_value("56", 56.0, unit="Nhiệm vụ", column="Kế hoạch")
    flag_doubtful_ocr_value(named, "count", n_columns=2)
    assert not named.needs_review


def test_disputed_readings_are_flagged_with_the_readings() -> None:
    v = _ocr_value("7741", 7741.0, unit="Thủ tục")
    flag_doubtful_ocr_value(v, "count", readings=("7741", "77,1"))
    assert v.needs_review and "'7741' / '77,1'" in (v.review_reason or "")


# values of the fixture page, from the corpus truth file: (code, column) -> printed value
G4_TRUTH = {
    ("3.1.3.c", "Thực hiện"): "119", ("3.1.3.c", "Kế hoạch"): "119", ("3.2.1", "Thực hiện"): "5",
    ("3.2.1", "Kế hoạch"): "6", ("3.2.2", "Thực hiện"): "417", ("3.2.2", "Kế hoạch"): "418",
    ("3.3.1", "Thực hiện"): "283", ("3.3.1", "Kế hoạch"): "284", ("3.3.2", "Thực hiện"): "899",
    ("3.3.2", "Kế hoạch"): "900", ("3.3.3", "Thực hiện"): "77,1", ("3.3.3", "Kế hoạch"): "100",
    ("3.3.4", "Thực hiện"): "59", ("3.3.4", "Kế hoạch"): "100", ("3.4.1", "Thực hiện"): "77",
    ("3.4.1", "Kế hoạch"): "100", ("3.4.3", "Thực hiện"): "100", ("3.4.3", "Kế hoạch"): "100",
    ("3.4.4", "Thực hiện"): "49", ("3.4.4", "Kế hoạch"): "100", ("3.5.1", "Thực hiện"): "-",
    ("3.5.2", "Thực hiện"): "311", ("3.5.2", "Kế hoạch"): "313", ("4.1.1", "Thực hiện"): "0",
    ("4.1.1", "Kế hoạch"): "0", ("4.1.3", "Thực hiện"): "37", ("4.1.3", "Kế hoạch"): "42",
    ("4.1.4", "Thực hiện"): "57", ("4.1.4", "Kế hoạch"): "57", ("4.1.4.b", "Thực hiện"): "57",
    ("4.1.4.b", "Kế hoạch"): "59", ("4.2.2", "Thực hiện"): "6", ("4.2.2", "Kế hoạch"): "6",
}


def test_g4_tiff_page_every_unflagged_value_is_right(tmp_path: Path) -> None:
    """A 1-bit 200-dpi skewed TIFF page: nothing wrong goes out unflagged, and few right values are flagged."""
    from cchc.core.options import ExtractOptions
    from cchc.debug import process_one

    path = FIXTURES / "g4_200dpi_skewed_grid.tif"
    doc = process_one(path, ExtractOptions(inputs=(path,), out=tmp_path / "out"))
    values = [v for v in doc.values if v.source == "table"]
    unflagged = [v for v in values if not v.needs_review]
    wrong = [(v.indicator_code, v.column_label, v.raw_value) for v in unflagged
             if G4_TRUTH.get((v.indicator_code or "", v.column_label or "")) != v.raw_value]
    assert wrong == []
    right = sum(G4_TRUTH.get((v.indicator_code or "", v.column_label or "")) == v.raw_value for v in values)
    assert right >= 30  # of 33
    assert len(unflagged) >= 0.8 * len(values)


def _row(page: int, columns: list[str | None]) -> Row:
    return Row(Cell("1.1."), Cell("Số nhiệm vụ"), Cell("Nhiệm vụ"), {c: Cell("5") for c in columns}, page=page,
               origin=TextOrigin.OCR)


def test_scanned_page_that_lost_a_value_column_is_found() -> None:
    ocr = {1: TextOrigin.OCR, 2: TextOrigin.OCR, 3: TextOrigin.TEXT}
    rows = [_row(1, [None]), _row(2, ["Kế hoạch", "Thực hiện"]), _row(3, [None])]
    assert pages_missing_a_column(rows, ocr) == {1}  # a text-layer page says what the agency printed
    assert pages_missing_a_column([_row(1, [None]), _row(2, [None])], ocr) == set()


def test_value_of_a_row_whose_code_cell_holds_two_codes_is_flagged() -> None:
    merged = _ocr_value("45", 45.0, unit="Nhiệm vụ")
    merged.raw_code = "1.1.1.1.1.2."
    flag_doubtful_ocr_value(merged, "count")
    assert merged.needs_review and "two codes" in (merged.review_reason or "")
    deep = _ocr_value("45", 45.0, unit="Nhiệm vụ")
    deep.raw_code = "3.1.3.2."
    flag_doubtful_ocr_value(deep, "count")
    assert not deep.needs_review


def test_value_columns_read_with_the_same_header_are_found() -> None:
    table = Table(2, 2, ["STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Số liệu", ""], rows=[_row(2, ["Số liệu"])])
    assert doubled_value_columns(table) == {"Số liệu"}
    fine = Table(3, 3, ["STT", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch", "Thực hiện"],
                 rows=[_row(3, ["Kế hoạch", "Thực hiện"])])
    assert doubled_value_columns(fine) == set()


def test_a_header_naming_plan_and_result_over_one_value_column_flags_its_figures() -> None:
    # the header cells OCR read on page 2 of dev7_001_commune_2024_colour.pdf (dashed rules: the rule between
    # "Kế hoạch" and "Thực hiện" was not found, so one value column held the plan figures, sent out as results)
    read = ["Mục", "Chỉ tiêu cáo thống hàng kê quý, (Sử 6 dụng tháng, trong năm) kỳ báo „` hoạch Kế báo¡cáo Thực "
                    "hiện , ! ! Đ/ V tính ~==-==-—~--_—¬ chú Ghi Số liệu thống kê 7 l", "Số liệu", ""]
    assert plan_and_result_read_as_one(Table(2, 2, read, rows=[_row(2, [None])]))
    value = _ocr_value("100", 100.0, unit="%")
    flag_doubtful_ocr_value(value, "percent", plan_result_merged=True)
    assert value.needs_review and "Kế hoạch" in (value.review_reason or "")
    # both columns read, or a header that names no plan: nothing to doubt
    both = Table(3, 3, ["STT", "Chỉ tiêu", "Kế hoạch", "Thực hiện"], rows=[_row(3, ["Kế hoạch", "Thực hiện"])])
    assert not plan_and_result_read_as_one(both)
    single = Table(3, 3, ["STT", "Chỉ tiêu", "Đơn vị tính", "Kết quả thực hiện", "Ghi chú"], rows=[_row(3, [None])])
    assert not plan_and_result_read_as_one(single)
