"""Text-layer page reading on real PDFs: words + fonts, lines, rulings (lines, thin rects, cell rects), triage."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pdfplumber
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from extractors.grid import find_grids
from extractors.rows import extract_tables
from extractors.text_layer import fast_page_texts, group_lines, looks_like_appendix, merge_segments, read_page

SEEDS = Path(__file__).resolve().parents[1] / "samples" / "seeds"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def _fonts() -> None:
    for name, fn in (("DejaVuSerif", "DejaVuSerif.ttf"), ("DejaVuSerif-Bold", "DejaVuSerif-Bold.ttf")):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / fn)))


ROWS = [
    ("STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu"),
    ("1.", "Cải cách thể chế", "", ""),
    ("1.1.", "Số VBQPPL đã ban hành", "Văn bản", "12"),
    ("1.2.", "Số VBQPPL đã rà soát", "Văn bản", "1.245"),
    ("1.3.", "Tỷ lệ xử lý", "%", "12,5"),
]
XS = [50, 100, 330, 430, 520]
ROW_H = 22


def word_style_pdf(path: Path, borders: str) -> Path:
    """A grid drawn as Word exports it: cell borders as thin filled rects (`thin`) or stroked cell rects (`cells`)."""
    _fonts()
    c = canvas.Canvas(str(path), pagesize=A4)
    h = A4[1]
    c.setFont("DejaVuSerif-Bold", 13)
    c.drawString(250, h - 60, "PHỤ LỤC")
    top = 100
    for r, row in enumerate(ROWS):
        y_top = top + r * ROW_H
        for i, text in enumerate(row):
            c.setFont("DejaVuSerif-Bold" if r == 0 else "DejaVuSerif", 10)
            if text:
                c.drawString(XS[i] + 4, h - (y_top + 15), text)
            if borders == "cells":
                c.setLineWidth(0.5)
                c.rect(XS[i], h - (y_top + ROW_H), XS[i + 1] - XS[i], ROW_H, stroke=1, fill=0)
    if borders == "thin":
        bottom = top + len(ROWS) * ROW_H
        for r in range(len(ROWS) + 1):  # horizontal borders: 0.5pt-high filled rects, cut per cell
            y = top + r * ROW_H
            for i in range(len(XS) - 1):
                c.rect(XS[i], h - y - 0.25, XS[i + 1] - XS[i], 0.5, stroke=0, fill=1)
        for x in XS:
            c.rect(x - 0.25, h - bottom, 0.5, bottom - top, stroke=0, fill=1)
    c.showPage()
    c.save()
    return path


@pytest.mark.parametrize("borders", ["thin", "cells"])
def test_word_style_borders_become_rulings_and_a_grid(tmp_path: Path, borders: str) -> None:
    path = word_style_pdf(tmp_path / f"{borders}.pdf", borders)
    with pdfplumber.open(path) as pdf:
        page = read_page(pdf.pages[0], 1)
    horiz = [s for s in page.rulings if s[1] == s[3]]
    vert = [s for s in page.rulings if s[0] == s[2]]
    # pieces merged: one horizontal per row border across the grid, one vertical per column border
    assert len(horiz) == len(ROWS) + 1 and len(vert) == len(XS)
    assert all(abs(s[0] - 50) < 1 and abs(s[2] - 520) < 1 for s in horiz)
    (frag,) = find_grids(page)
    assert frag.method == "ruled"
    assert [c.role for c in frag.columns] == ["code", "label", "unit", "value"]
    (t,) = extract_tables([page])
    assert [(r.code.text, r.label.text, r.unit.text, r.values[None].text, r.kind) for r in t.rows] == [
        ("1.", "Cải cách thể chế", "", "", "section"),
        ("1.1.", "Số VBQPPL đã ban hành", "Văn bản", "12", "data"),
        ("1.2.", "Số VBQPPL đã rà soát", "Văn bản", "1.245", "data"),
        ("1.3.", "Tỷ lệ xử lý", "%", "12,5", "data"),
    ]
    assert t.title == "PHỤ LỤC"


def test_words_fonts_lines_and_nfc(tmp_path: Path) -> None:
    _fonts()
    path = tmp_path / "nfd.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("DejaVuSerif", 12)
    c.drawString(60, 780, unicodedata.normalize("NFD", "Kết quả thống kê"))
    c.setFont("DejaVuSerif-Bold", 12)
    c.drawString(300, 780, "Ghi chú")
    c.setFont("DejaVuSerif", 12)
    c.drawString(60, 760, "Dòng thứ hai")
    c.showPage()
    c.save()
    with pdfplumber.open(path) as pdf:
        page = read_page(pdf.pages[0], 1)
    assert all(unicodedata.is_normalized("NFC", w.text) for w in page.words)
    assert [ln.text for ln in page.lines] == ["Kết quả thống kê Ghi chú", "Dòng thứ hai"]
    fonts = {w.text: w.font for w in page.words}
    assert fonts["Ghi"] == "DejaVuSerif-Bold" and fonts["quả"] == "DejaVuSerif"
    x0, top, x1, bottom = page.words[0].bbox
    assert 55 < x0 < 65 and 50 < top < 65 and bottom > top  # top-left origin, points
    assert page.origin.value == "text" and page.number == 1


def test_group_lines_keeps_superscripts_on_their_line() -> None:
    from cchc.core.model import Word

    words = [Word("Tổng", (10, 100, 40, 112)), Word("số", (45, 100, 60, 112)), Word("2", (61, 97, 65, 104)),
             Word("Dưới", (10, 120, 40, 132))]
    lines = group_lines(words)
    assert [ln.text for ln in lines] == ["Tổng số 2", "Dưới"]


def test_merge_segments_bridges_small_gaps_only() -> None:
    segs = [(0, 10, 50, 10), (51, 10.5, 100, 10.5), (110, 10, 150, 10), (5, 0, 5, 40), (5.8, 42, 5.8, 80)]
    merged = merge_segments(segs, gap=2.5)
    horiz = sorted(s for s in merged if s[1] == s[3])
    vert = sorted(s for s in merged if s[0] == s[2])
    assert [(s[0], s[2]) for s in horiz] == [(0, 100), (110, 150)]
    assert len(vert) == 1 and vert[0][1] == 0 and vert[0][3] == 80
    assert len([s for s in merge_segments(segs, gap=12) if s[1] == s[3]]) == 1


def test_fast_page_texts_matches_page_count_and_triage(tmp_path: Path) -> None:
    path = word_style_pdf(tmp_path / "grid.pdf", "thin")
    texts = fast_page_texts(path.read_bytes())
    assert len(texts) == 1
    assert "PHỤ LỤC" in texts[0] and unicodedata.is_normalized("NFC", texts[0])
    assert looks_like_appendix(texts[0])


def _seed(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def test_looks_like_appendix_on_seed_texts() -> None:
    t002 = _seed("002_department_bdt_h1_2023.txt")
    cut = t002.index("Phụ lục\nTHỐNG KÊ")
    narrative, appendix = t002[:cut], t002[cut:]
    # narrative in page-sized chunks: none looks like an appendix
    chunks = [narrative[i : i + 3000] for i in range(0, len(narrative), 3000)]
    assert not any(looks_like_appendix(c) for c in chunks)
    # the appendix: the heading page and every later page (each repeats the STT header)
    pages = appendix.split("\nSTT\t")
    assert looks_like_appendix(pages[0] + "\nSTT\t" + pages[1])
    assert all(looks_like_appendix("STT\t" + p) for p in pages[1:])
    letter = _seed("000_bnv_6459_templates.txt")[:2500]
    assert not looks_like_appendix(letter)
    # a continuation page with no header at all: many numbered rows
    rows = [ln.replace("\t", " ") for ln in appendix.splitlines() if ln[:1].isdigit()][:20]
    assert looks_like_appendix("\n".join(rows))
    assert not looks_like_appendix("")


def test_clipped_text_is_ignored(tmp_path: Path) -> None:
    """Text drawn outside its clipping path (how Word/LibreOffice cut a cell at a page break)
    is invisible: it must not interleave with the visible line it overlaps."""
    _fonts()
    path = tmp_path / "clip.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("DejaVuSerif", 12)
    c.drawString(100, 700, "tục hành chính")  # visible, unclipped
    c.saveState()
    clip = c.beginPath()
    clip.rect(90, 720, 200, 40)  # the "cell" above
    c.clipPath(clip, stroke=0, fill=0)
    c.drawString(100, 740, "Cải cách thủ")  # inside the clip: visible
    c.drawString(101, 700, "trong kỳ báo cáo")  # same line as the visible text, outside the clip
    c.restoreState()
    c.showPage()
    c.save()
    with pdfplumber.open(path) as pdf:
        page = read_page(pdf.pages[0], 1)
    assert [ln.text for ln in page.lines] == ["Cải cách thủ", "tục hành chính"]
    assert "clipped" in page.origin_reason
