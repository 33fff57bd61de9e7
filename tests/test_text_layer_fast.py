"""The fast (pypdfium2) reader gives the running-text pages the same words as the full reader."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest

from extractors.text_layer import read_page, read_page_fast

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "text" / "commune_binhyen_q1_2024.pdf"


def _fast_pages(path: Path) -> list:
    pdf = pdfium.PdfDocument(str(path))
    out = []
    for i in range(len(pdf)):
        page = pdf[i]
        tp = page.get_textpage()
        out.append(read_page_fast(page, tp, i + 1))
        tp.close()
    pdf.close()
    return out


def test_fast_reader_matches_full_reader_on_narrative_pages() -> None:
    fast = _fast_pages(SAMPLE)
    with pdfplumber.open(SAMPLE) as pdf:
        for fp, pp in zip(fast, pdf.pages, strict=False):
            if fp.is_appendix:
                continue
            slow = read_page(pp, fp.number)
            assert fp.text == slow.text
            fast_words = [w for line in fp.lines for w in line.words]
            for a, b in zip(fast_words, [w for line in slow.lines for w in line.words], strict=True):
                assert abs(a.bbox[0] - b.bbox[0]) < 1.5 and abs(a.bbox[2] - b.bbox[2]) < 1.5
                assert abs((a.bbox[1] + a.bbox[3]) - (b.bbox[1] + b.bbox[3])) / 2 < 5  # same line (glyph box vs font box)
            assert fp.lines and fp.words[0].font  # fonts kept for legacy-font detection


def test_fast_reader_flags_the_appendix_pages() -> None:
    fast = _fast_pages(SAMPLE)
    flagged = [p.number for p in fast if p.is_appendix]
    assert flagged and flagged == list(range(flagged[0], flagged[-1] + 1))  # one contiguous appendix
    assert re.search(r"PHỤ LỤC", fast[flagged[0] - 1].text)


def _ruling_sets_match(a: list, b: list, tol: float = 0.05) -> bool:
    if len(a) != len(b):
        return False
    return all(all(abs(x - y) <= tol for x, y in zip(ra, rb, strict=True)) for ra, rb in zip(a, b, strict=True))


@pytest.mark.slow
def test_pdfium_grid_reader_equals_pdfplumber_reader_on_every_page() -> None:
    """Same words (clipped glyphs dropped, line-end hyphens kept) and the same ruling lines."""
    from extractors.text_layer import read_grid_page_fast

    root = Path(__file__).resolve().parent
    files = sorted((root.parent / "samples" / "text").glob("*.pdf")) + sorted(
        (root / "fixtures" / "grid").glob("seed003_libreoffice_*.pdf"))
    checked = 0
    for path in files:
        doc = pdfium.PdfDocument(str(path))
        with pdfplumber.open(path) as pdf:
            for i, plumber_page in enumerate(pdf.pages):
                page = doc[i]
                tp = page.get_textpage()
                fast = read_grid_page_fast(page, tp, i + 1)
                tp.close()
                assert fast is not None, (path.name, i + 1)
                slow = read_page(plumber_page, i + 1)
                assert fast.text == slow.text, (path.name, i + 1)
                assert _ruling_sets_match(sorted(fast.rulings), sorted(slow.rulings)), (path.name, i + 1)
                checked += 1
        doc.close()
    assert checked >= 80


def test_serif_ones_are_not_split_into_two_words(tmp_path: Path) -> None:
    """Regression: DejaVu Serif's "1" has wide side bearings; tight glyph boxes split "112" into "1 12"."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVuSerif", "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"))
    path = tmp_path / "ones.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("DejaVuSerif", 12)
    c.drawString(60, 780, "Số: 11/BC-UBND, ngày 11 tháng 11 năm 2024")
    c.drawString(60, 760, "Tổng số TTHC cấp xã là 112 thủ tục; biên chế có mặt 1.111 người")
    c.save()
    (page,) = _fast_pages(path)
    assert page.text.splitlines() == ["Số: 11/BC-UBND, ngày 11 tháng 11 năm 2024",
                                      "Tổng số TTHC cấp xã là 112 thủ tục; biên chế có mặt 1.111 người"]
