"""Column roles decided by what the cells hold, the header only as evidence."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pdf2image import convert_from_path
from PIL import Image
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from cchc.core.options import ExtractOptions
from extractors import column_roles as cr
from extractors.grid import is_column_number_row
from pipeline.run import run
from tests import ocr_support as S

BODY = [
    ["1.", "Tỷ lệ hoàn thành kế hoạch CCHC năm", "%", "87", ""],
    ["", "Số nhiệm vụ đề ra trong kế hoạch", "Nhiệm vụ", "12", ""],
    ["", "Số nhiệm vụ đã hoàn thành", "Nhiệm vụ", "05", ""],
    ["2.", "Số hồ sơ TTHC đã tiếp nhận", "Hồ sơ", "1.245", ""],
    ["3.", "Số cơ quan đã kiểm tra", "Cơ quan, đơn vị", "3", ""],
]


def test_units_and_values_are_told_apart_by_content() -> None:
    assert cr.looks_like_unit("Hồ sơ") and cr.looks_like_unit("Cơ quan, đơn vị") and cr.looks_like_unit("%")
    assert cr.looks_like_unit("Hồ sử") and cr.looks_like_unit("Ngưòi")  # OCR slips
    assert cr.looks_like_unit("Chưa = 0 Hoàn thành = 1")  # coded answers' legend
    assert not cr.looks_like_unit("1.245") and not cr.looks_like_unit("Số hồ sơ TTHC đã tiếp nhận")
    assert cr.looks_like_value("12,5") and cr.looks_like_value("-") and cr.looks_like_value("03")
    assert not cr.looks_like_value("Người")


def test_header_that_names_the_unit_column_as_values_is_overruled() -> None:
    # "Kết quả" spanning "Đơn vị tính | Số liệu" lands on the unit column of an atomic grid;
    # the lower header row was unreadable, so the real value column has no name
    roles, notes = cr.reconcile_roles(["code", "label", "value", "other", "note"],
                                      ["STT", "Chỉ tiêu", "Kết quả", "", "Ghi chú"], BODY)
    assert roles == ["code", "label", "unit", "value", "note"]
    assert len(notes) == 2 and "units" in notes[0]


def test_roles_the_content_agrees_with_are_kept() -> None:
    roles = ["code", "label", "unit", "value", "note"]
    assert cr.reconcile_roles(roles, ["STT", "Chỉ tiêu", "ĐVT", "Số liệu", "Ghi chú"], BODY) == (roles, [])
    # value before unit, both named right
    swapped = [[r[0], r[1], r[3], r[2], r[4]] for r in BODY]
    roles2 = ["code", "label", "value", "unit", "note"]
    assert cr.reconcile_roles(roles2, ["STT", "Chỉ tiêu", "Số liệu", "ĐVT", ""], swapped) == (roles2, [])
    # a mostly empty column cannot overrule its header
    sparse = [r[:3] + ["", ""] for r in BODY]
    sparse[0][3] = "Người"
    assert cr.reconcile_roles(roles, ["STT", "Chỉ tiêu", "ĐVT", "Số liệu", "Ghi chú"], sparse)[0] == roles


def test_unit_after_value_with_a_wrong_header_is_swapped() -> None:
    swapped = [[r[0], r[1], r[3], r[2], r[4]] for r in BODY]
    roles, _ = cr.reconcile_roles(["code", "label", "unit", "value", "note"],
                                  ["STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú"], swapped)
    assert roles[2] == "value" and roles[3] == "unit"


def test_column_number_row_survives_ocr_slips() -> None:
    assert is_column_number_row(["(1)", "(2)", "(3)", "(4)"])
    assert is_column_number_row(["(1)", "@2)", "(3)", "4"])
    assert not is_column_number_row(["1.", "Tỷ lệ", "%", "100"])
    assert not is_column_number_row(["", "12", "5", "7"])


def _two_level_scan(tmp: Path) -> Path:
    """A commune-style grid with "Kết quả" over "Đơn vị tính | Số liệu", scanned grey at 300 dpi, 0.8° skew."""
    S._register()
    st = ParagraphStyle("c", fontName="DejaVuSerif", fontSize=10, leading=12)
    stb = ParagraphStyle("b", parent=st, fontName="DejaVuSerif-Bold")
    data = [[Paragraph("STT", stb), Paragraph("Chỉ tiêu", stb), Paragraph("Kết quả", stb), "",
             Paragraph("Ghi chú", stb)],
            ["", "", Paragraph("Đơn vị tính", stb), Paragraph("Số liệu", stb), ""]]
    data += [[r[0], Paragraph(r[1], st), Paragraph(r[2], st), r[3], r[4]] for r in BODY]
    table = Table(data, colWidths=[40, 250, 80, 60, 60])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                               ("FONT", (0, 0), (-1, -1), "DejaVuSerif", 10),
                               ("SPAN", (2, 0), (3, 0)), ("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1)),
                               ("SPAN", (4, 0), (4, 1)), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    pdf = tmp / "grid.pdf"
    SimpleDocTemplate(str(pdf), pagesize=A4).build(
        [Paragraph("PHỤ LỤC THỐNG KÊ SỐ LIỆU CẢI CÁCH HÀNH CHÍNH", stb), Spacer(1, 8), table])
    page = convert_from_path(str(pdf), dpi=300, grayscale=True)[0]
    page = page.rotate(0.8, expand=False, fillcolor=255, resample=Image.Resampling.BICUBIC)
    noisy = np.asarray(page, dtype=np.float32) + np.random.default_rng(0).normal(0, 8, (page.height, page.width))
    scan = tmp / "scan.pdf"
    Image.fromarray(noisy.clip(0, 255).astype(np.uint8)).convert("RGB").save(scan, resolution=300)
    return scan


@pytest.mark.slow
def test_scanned_two_level_header_reads_values_not_units(tmp_path: Path) -> None:
    scan = _two_level_scan(tmp_path)
    run(ExtractOptions(inputs=(scan,), out=tmp_path / "o", executor="inline"))
    values = pd.read_parquet(tmp_path / "o" / "values")
    table = values[values.source == "table"]
    got = dict(zip(table.raw_label.str[:20], table.raw_value, strict=True))
    assert "1.245" in got.values() and "87" in got.values(), got
    assert got.get("Số nhiệm vụ đề ra tr") == "12", got
    assert "" not in got  # the lower header row is not a figure
    assert not set(table.raw_value) & {"%", "Nhiệm vụ", "Hồ sơ", "Cơ quan, đơn vị"}


def test_grid_without_rules_or_header_is_read_from_word_alignment(tmp_path: Path) -> None:
    """A photographed middle page: no ruling lines, no header row, nothing before it to borrow from."""
    from reportlab.pdfgen import canvas

    from extractors.grid import find_grids
    from extractors.text_layer import read_page

    S._register()
    pdf = tmp_path / "headerless.pdf"
    c = canvas.Canvas(str(pdf), pagesize=A4)
    c.setFont("DejaVuSerif", 10)
    rows = [("4.1.1.", "Số cơ quan chuyên môn cấp tỉnh", "Cơ quan", "12"),
            ("4.1.2.", "Số ban quản lý trực thuộc UBND tỉnh", "Cơ quan", "3"),
            ("4.1.3.", "Số tổ chức liên ngành do tỉnh lập", "Tổ chức", "05"),
            ("4.2.", "Số liệu về biên chế công chức", "", ""),
            ("4.2.1.", "Tổng số biên chế được giao", "Người", "1.245"),
            ("4.2.2.", "Tổng số biên chế có mặt", "Người", "1.198"),
            ("4.2.3.", "Tỷ lệ biên chế đã tinh giản", "%", "12,5")]
    for i, (code, label, unit, value) in enumerate(rows):
        y = A4[1] - 80 - i * 22
        c.drawString(50, y, code)
        c.drawString(100, y, label)
        c.drawString(340, y, unit)
        c.drawRightString(470, y, value)
    c.save()
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        page = read_page(doc.pages[0], 1)
    (frag,) = find_grids(page)
    assert frag.roles_from == "content" and frag.header_rows == 0
    assert [c.role for c in frag.columns] == ["code", "label", "unit", "value"]
    got = {frag.row_texts(r)[0]: frag.row_texts(r)[3] for r in range(frag.n_rows)}
    assert got["4.2.1."] == "1.245" and got["4.1.3."] == "05" and got["4.2.3."] == "12,5"


def _partly_ruled_pdf(path: Path, style: str) -> Path:
    """A boxed header over a body ruled with column lines only ("vonly") or with just a frame ("frame")."""
    S._register()
    st = ParagraphStyle("c", fontName="DejaVuSerif", fontSize=10, leading=12)
    data = [["TT", "Tên chỉ tiêu", "Đơn vị tính", "Số lượng", "Ghi chú"]]
    data += [[r[0], Paragraph(r[1], st), Paragraph(r[2], st), r[3], r[4]] for r in BODY * 3]
    for i, row in enumerate(data[1:], 1):
        row[0] = f"{i}." if row[0] else ""
    nh = 1
    rules = [("GRID", (0, 0), (-1, nh - 1), 0.6, colors.black)]
    if style == "vonly":
        rules += [("LINEBEFORE", (0, nh), (-1, -1), 0.6, colors.black),
                  ("LINEAFTER", (-1, nh), (-1, -1), 0.6, colors.black), ("LINEBELOW", (0, -1), (-1, -1), 0.6, colors.black)]
    else:
        rules += [("BOX", (0, 0), (-1, -1), 0.8, colors.black)]
    table = Table(data, colWidths=[40, 250, 80, 60, 60])
    table.setStyle(TableStyle([*rules, ("FONT", (0, 0), (-1, -1), "DejaVuSerif", 10),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    SimpleDocTemplate(str(path), pagesize=A4).build([table])
    return path


def test_body_without_row_rules_is_split_into_rows(tmp_path: Path) -> None:
    """Column rules only in the body: rows come from the text lines, columns from the rules."""
    import pdfplumber

    from extractors.rows import extract_tables
    from extractors.text_layer import read_page

    for style in ("vonly",):  # a frame round a one-level header box: see the issue notes (still fails)
        pdf = _partly_ruled_pdf(tmp_path / f"{style}.pdf", style)
        with pdfplumber.open(pdf) as doc:
            pages = [read_page(p, i + 1) for i, p in enumerate(doc.pages)]
        (table,) = extract_tables(pages)
        got = [(r.label.text, r.unit.text, r.values[None].text) for r in table.rows if r.values[None].text]
        want = [(r[1], r[2], r[3]) for r in BODY * 3]
        assert [(" ".join(a.split()), " ".join(b.split()), c) for a, b, c in got] == want, style
