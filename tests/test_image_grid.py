"""Rulings and cell re-reading on a scanned-looking grid: 1° skew and a red stamp over the values."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from extractors import image_grid as ig
from extractors import rulings
from extractors.image_prep import PageImage, prepare_page, render_pdf_page
from extractors.ocr import read_page_image
from tests import ocr_support as S

VALUES = [row[3] for row in S.GRID_ROWS[1:]]  # "12,5", "1.245", "03", "-", "100"
CODES = [row[0] for row in S.GRID_ROWS[1:]]


@pytest.fixture(scope="module")
def scanned_grid(tmp_path_factory: pytest.TempPathFactory):
    d = tmp_path_factory.mktemp("grid")
    S.make_grid_pdf(d / "grid.pdf")
    clean = render_pdf_page(d / "grid.pdf", 1, dpi=300)
    img = S.skew(Image.fromarray(clean.image), 1.0)
    # the stamp sits over the value column, rows 1–3, and over two horizontal rulings
    cx = int((S.GRID_COLS[3] + 40) * 300 / 72)
    cy = int((S.GRID_TOP + 2.5 * S.GRID_ROW_H) * 300 / 72)
    img = S.stamp(img, (cx, cy))
    page = PageImage(np.asarray(img), 1, clean.width_pt, clean.height_pt, 300, kind="pdf")
    t0 = time.perf_counter()
    res = read_page_image(page)
    res.seconds["total"] = time.perf_counter() - t0
    return res


def _near(a: float, b: float, tol: float) -> bool:
    return abs(a - b) <= tol


def test_rulings_form_the_grid(scanned_grid) -> None:
    page = scanned_grid.page
    assert scanned_grid.prepared.skew_deg == pytest.approx(1.0, abs=0.15)
    hs = [r for r in page.rulings if r[1] == r[3]]
    vs = [r for r in page.rulings if r[0] == r[2]]
    want_y = [S.GRID_TOP + i * S.GRID_ROW_H for i in range(len(S.GRID_ROWS) + 1)]
    # exactly one full-width horizontal per drawn line — the stamp left no extra and cut none
    assert len(hs) == len(want_y), hs
    for y, h in zip(want_y, sorted(hs, key=lambda r: r[1]), strict=True):
        assert _near(h[1], y, 2.5)
        assert _near(h[0], S.GRID_COLS[0], 2.5) and _near(h[2], S.GRID_COLS[-1], 2.5)
    assert len(vs) == len(S.GRID_COLS), vs
    for x, v in zip(S.GRID_COLS, sorted(vs, key=lambda r: r[0]), strict=True):
        assert _near(v[0], x, 2.5)
        assert _near(v[1], want_y[0], 2.5) and _near(v[3], want_y[-1], 2.5)
    rows = rulings.cells_from_rulings(page.rulings)
    assert [len(r) for r in rows] == [4] * len(S.GRID_ROWS)


def test_value_and_code_cells_reread_correctly(scanned_grid) -> None:
    rows = rulings.cells_from_rulings(scanned_grid.page.rulings)[1:]
    cells = [(r[3], "value") for r in rows] + [(r[0], "code") for r in rows]
    t0 = time.perf_counter()
    out = ig.reread_cells(scanned_grid.prepared, cells)
    dt = time.perf_counter() - t0
    print(f"\ncell strip re-read of {len(cells)} cells: {dt:.2f} s; page {scanned_grid.seconds}")
    texts = [t for t, _ in out]
    assert texts[: len(VALUES)] == VALUES
    assert texts[len(VALUES):] == CODES
    assert all(c >= 30 for _, c in out)


def test_empty_cells_stay_empty_and_text_cells_read(scanned_grid) -> None:
    rows = rulings.cells_from_rulings(scanned_grid.page.rulings)
    label = rows[2][1]  # "Số hồ sơ tiếp nhận"
    # an empty box in the page margin (no ink) must not become "-"
    empty = (300.0, 500.0, 380.0, 525.0)
    out = ig.reread_cells(scanned_grid.prepared, [(empty, "value"), (label, "text")])
    assert out[0][0] == ""
    assert out[1][0] == "Số hồ sơ tiếp nhận"


def test_reread_works_on_a_plain_array_with_a_scale(scanned_grid) -> None:
    rows = rulings.cells_from_rulings(scanned_grid.page.rulings)[1:]
    prep = scanned_grid.prepared
    out = ig.reread_cells(prep.gray, [(rows[1][3], "value")], scale=prep.scale)
    assert out == [("1.245", pytest.approx(out[0][1]))] and out[0][0] == "1.245"


def test_page_words_sit_inside_their_cells(scanned_grid) -> None:
    rows = rulings.cells_from_rulings(scanned_grid.page.rulings)
    label_cell = rows[1][1]
    words = [w for w in scanned_grid.page.words if w.text == "Tỷ" and w.bbox[1] < label_cell[3]]
    assert words, [w.text for w in scanned_grid.page.words]
    w = words[0]
    assert label_cell[0] <= w.bbox[0] and w.bbox[2] <= label_cell[2]
    assert label_cell[1] <= w.bbox[1] and w.bbox[3] <= label_cell[3]


@pytest.mark.parametrize(
    ("page", "cell", "kind", "expected"),
    [
        (("125", 91.0), ("12,5", 80.0), "value", "12,5"),  # parseable beats a confident misreading
        (("1.245", 95.0), ("1245", 96.0), "value", "1.245"),  # "1245" parses too: confidence decides
        (("21.", 90.0), ("2.1.", 85.0), "code", "2.1."),
        (("12,5", 96.0), ("", 0.0), "value", "12,5"),
        (("x7", 40.0), ("-", 90.0), "value", "-"),
    ],
)
def test_better_reading(page, cell, kind, expected) -> None:
    assert ig.better_reading(page, cell, kind)[0] == expected


@pytest.mark.parametrize(
    ("text", "kind", "ok"),
    [("12,5", "value", True), ("1.245", "value", True), ("03", "value", True), ("-", "value", True),
     ("100%", "value", True), ("3/6", "value", True), ("12,,5", "value", False), ("abc", "value", False),
     ("2.1.3", "code", True), ("2.1.", "code", True), ("21..", "code", False)],
)
def test_is_parseable(text: str, kind: str, ok: bool) -> None:
    assert ig.is_parseable(text, kind) is ok


@pytest.mark.slow
def test_grey_noisy_jpeg_scan_still_rereads(tmp_path: Path) -> None:
    """Yellowed paper, sensor noise, blur, JPEG at quality 60, skew and a stamp: the digits still read."""
    import io

    from PIL import ImageFilter

    S.make_grid_pdf(tmp_path / "g.pdf")
    clean = render_pdf_page(tmp_path / "g.pdf", 1, dpi=300)
    img = S.skew(Image.fromarray(clean.image), -0.8)
    img = S.stamp(img, (int((S.GRID_COLS[3] + 40) * 300 / 72), int((S.GRID_TOP + 3.5 * S.GRID_ROW_H) * 300 / 72)))
    a = np.asarray(img).astype(np.float32) * 0.8 + 30 + np.random.default_rng(7).normal(0, 12, (img.height, img.width, 3))
    img = Image.fromarray(a.clip(0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.8))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=60)
    page = PageImage(np.asarray(Image.open(buf).convert("RGB")), 1, clean.width_pt, clean.height_pt, 300, kind="pdf")
    prepared = prepare_page(page)  # no full-page OCR needed to re-read cells
    rows = rulings.cells_from_rulings(rulings.find_rulings(prepared))
    assert [len(r) for r in rows] == [4] * len(S.GRID_ROWS)
    data = rows[1:]
    out = ig.reread_cells(prepared, [(r[3], "value") for r in data] + [(r[0], "code") for r in data])
    assert [t for t, _ in out] == VALUES + CODES


def test_roman_and_letter_codes_are_not_overwritten_by_digits() -> None:
    assert ig.better_reading(("II", 90.0), ("11", 95.0), "code")[0] == "II"
    assert ig.better_reading(("a)", 90.0), ("1", 95.0), "code")[0] == "a)"


def test_refine_table_cells_fixes_ocr_rows_in_place(scanned_grid) -> None:
    from cchc.core.model import Cell, Row, Table, TextOrigin

    grid = rulings.cells_from_rulings(scanned_grid.page.rulings)[1:]
    garbled = ["125", "1245", "03", "", "100"]  # what full-page OCR typically returns (field notes)
    rows = [
        Row(code=Cell("21." if i == 4 else CODES[i], bbox=g[0], confidence=90.0), label=Cell("x"), unit=Cell(""),
            values={None: Cell(garbled[i], bbox=g[3], confidence=90.0)}, page=1, origin=TextOrigin.OCR)
        for i, g in enumerate(grid)
    ]
    table = Table(page_first=1, page_last=1, columns=["STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu"], rows=rows)
    changed = ig.refine_table_cells(table, {1: scanned_grid.prepared})
    assert [r.values[None].text for r in table.rows] == VALUES
    assert [r.code.text for r in table.rows] == CODES
    assert changed == 4
    # rows from a text layer are never touched
    text_row = Row(code=Cell("9.", bbox=grid[0][0]), label=Cell("x"), unit=Cell(""),
                   values={None: Cell("7", bbox=grid[0][3])}, page=1, origin=TextOrigin.TEXT)
    assert ig.refine_table_cells(Table(1, 1, [], rows=[text_row]), {1: scanned_grid.prepared}) == 0
    assert text_row.values[None].text == "7"


def test_small_table_rules_hold_each_other_and_text_runs_are_dropped() -> None:
    """A 3×3 table far smaller than the page keeps its rules; a bold text run floating in a cell does not."""
    import cv2

    img = np.full((3508, 2480), 255, np.uint8)
    xs, ys = [300, 700, 900, 1100], [400, 480, 560, 640]
    for y in ys:
        cv2.line(img, (xs[0], y), (xs[-1], y), 0, 3)
    for x in xs:
        cv2.line(img, (x, ys[0]), (x, ys[-1]), 0, 3)
    cv2.rectangle(img, (380, 500), (620, 505), 0, -1)  # a baseline of touching bold glyphs inside a cell
    cv2.rectangle(img, (800, 570), (804, 630), 0, -1)  # stems stacked into a tall stroke
    hs, vs = rulings.find_ruling_segments(img)
    assert sorted(round(s.pos) for s in hs) == [400, 480, 560, 640]
    assert sorted(round(s.pos) for s in vs) == [300, 700, 900, 1100]
    assert all(s.hi - s.lo > 200 for s in hs + vs)


def test_hints_trigger_an_arbitrating_single_line_read(scanned_grid) -> None:
    rows = rulings.cells_from_rulings(scanned_grid.page.rulings)[1:]
    cells = [(rows[1][3], "value"), (rows[4][0], "code")]
    # a full-page reading that disagrees on the digits is outvoted by the strip and the single read
    out = ig.reread_cells(scanned_grid.prepared, cells, hints=["1.246", "2.7."])
    assert [t for t, _ in out] == ["1.245", "2.1."]
    # one that agrees keeps its digits, with the separators the cell read kept
    out = ig.reread_cells(scanned_grid.prepared, cells, hints=["1245", "21."])
    assert [t for t, _ in out] == ["1.245", "2.1."]


def test_low_confidence_debris_gives_way_to_a_clean_digit_read() -> None:
    assert ig.better_reading(("TT `U _", 40.0), ("0", 90.0), "value")[0] == "0"
    assert ig.better_reading(("Không thuộc chuyên môn", 88.0), ("0", 90.0), "value")[0] == "Không thuộc chuyên môn"


def test_specks_in_an_empty_cell_are_not_a_dash() -> None:
    img = np.full((200, 400), 255, np.uint8)
    img[100:103, 200:203] = 0  # dust
    img[60:62, 300:302] = 0
    out = ig.reread_cells(img, [((0.0, 0.0, 96.0, 48.0), "value")], scale=(72 / 300, 72 / 300))
    assert out[0][0] == ""
    assert ig.better_reading((",", 60.0), ("", 95.0), "value")[0] == ""


def test_a_crop_over_two_stacked_value_cells_reads_two_figures_not_one(scanned_grid) -> None:
    """A rule the grid missed leaves one cell over two rows: its figures stay apart ("1.245 27", not "1.24527"),
    which no value parses as one number."""
    from extractors.numbers import parse_value

    rows = rulings.cells_from_rulings(scanned_grid.page.rulings)[1:]
    (x0, y0, x1, _), (_, _, _, y1) = rows[1][3], rows[2][3]
    text, _ = ig.reread_cells(scanned_grid.prepared, [((x0, y0, x1, y1), "value")])[0]
    assert text.split() == VALUES[1:3]
    assert parse_value(text).value_num is None
