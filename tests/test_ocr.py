"""Full-page OCR with real Tesseract `vie` on pages rendered by pdftoppm at 300 dpi."""

from __future__ import annotations

import time
import unicodedata

import pytesseract
import pytest

from cchc.core.errors import MissingDependency
from cchc.core.model import TextOrigin
from extractors import ocr, ocr_engine
from extractors.image_prep import render_pdf_page
from tests import ocr_support as S


@pytest.fixture(scope="module")
def text_page(tmp_path_factory: pytest.TempPathFactory):
    d = tmp_path_factory.mktemp("ocr_text")
    placed = S.make_text_pdf(d / "text.pdf")
    return render_pdf_page(d / "text.pdf", 1, dpi=300), placed


@pytest.fixture(scope="module")
def text_result(text_page):
    page_image, _ = text_page
    t0 = time.perf_counter()
    res = ocr.read_page_image(page_image, rulings=False)
    res.seconds["total"] = time.perf_counter() - t0
    return res


def test_vietnamese_page_cer_below_3_percent(text_result) -> None:
    page = text_result.page
    got = page.text
    err = S.cer("\n".join(S.TEXT_LINES), got)
    print(f"\nfull-page OCR CER {err:.4f}; seconds {text_result.seconds}")
    assert err < 0.03, got
    assert page.origin is TextOrigin.OCR
    assert "psm 3" in page.origin_reason


def test_everything_is_nfc_with_confidences(text_result) -> None:
    page = text_result.page
    assert page.words and page.lines
    for w in page.words:
        assert unicodedata.is_normalized("NFC", w.text)
        assert w.origin is TextOrigin.OCR
        assert w.confidence is not None and 0 <= w.confidence <= 100
    assert sum(len(ln.words) for ln in page.lines) == len(page.words)


def test_word_boxes_are_in_pdf_points_where_drawn(text_page, text_result) -> None:
    page_image, placed = text_page
    page = text_result.page
    assert page.width == pytest.approx(S.PAGE_W, abs=0.01)
    assert page.height == pytest.approx(S.PAGE_H, abs=0.01)
    # line i was drawn with its baseline at y_top (pt from the top) starting at x=60 pt
    for line_text, x, baseline in placed[1:6]:
        first = line_text.split()[0]
        cands = [w for w in page.words if w.text == first and abs(w.bbox[3] - baseline) < 6]
        assert cands, f"{first!r} not found near baseline {baseline}"
        w = cands[0]
        assert w.bbox[0] == pytest.approx(x, abs=2.0)
        assert w.bbox[3] == pytest.approx(baseline, abs=4.0)  # bottom of the glyphs ≈ baseline (+descender)
        assert baseline - 12 <= w.bbox[1] <= baseline  # top inside the 12-pt em box


def test_ocr_page_scales_pixels_to_the_page_size(text_page) -> None:
    page_image, placed = text_page
    # the same pixels declared as a page twice as large: every box doubles
    crop = page_image.image[: 600, :]
    half = ocr.ocr_page(crop, 3, S.PAGE_W, 600 * 72 / 300)
    dbl = ocr.ocr_page(crop, 3, 2 * S.PAGE_W, 2 * 600 * 72 / 300)
    assert half.number == 3 and half.words
    a = next(w for w in half.words if w.text == "CÔNG")
    b = next(w for w in dbl.words if w.text == "CÔNG")
    assert b.bbox[0] == pytest.approx(2 * a.bbox[0], abs=0.5)
    assert b.bbox[3] == pytest.approx(2 * a.bbox[3], abs=0.5)


def test_missing_tesseract_raises_with_remedy(monkeypatch: pytest.MonkeyPatch) -> None:
    ocr_engine.check_tesseract.cache_clear()
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    monkeypatch.setenv("PATH", "/nonexistent")
    try:
        with pytest.raises(MissingDependency, match="tesseract-ocr-vie is not installed: run make setup"):
            ocr_engine.check_tesseract()
    finally:
        ocr_engine.check_tesseract.cache_clear()


def test_missing_language_raises() -> None:
    ocr_engine.check_tesseract.cache_clear()
    try:
        with pytest.raises(MissingDependency, match="tesseract-ocr-xyz"):
            ocr_engine.check_tesseract("xyz")
        assert ocr_engine.check_tesseract("vie")
    finally:
        ocr_engine.check_tesseract.cache_clear()


def test_blank_page_reads_as_nothing() -> None:
    import numpy as np

    page = ocr.ocr_page(np.full((400, 300), 255, np.uint8), 1, 72.0, 96.0)
    assert page.words == [] and page.origin is TextOrigin.NONE
    assert page.warnings


def test_ruling_artefacts_are_dropped_only_on_rulings() -> None:
    from cchc.core.model import Line, Page, Word

    words = [
        Word("Đơn", (100, 10, 120, 20), TextOrigin.OCR, 90.0),
        Word("|", (148, 9, 152, 21), TextOrigin.OCR, 40.0),  # the column rule at x=150
        Word("Số", (160, 10, 175, 20), TextOrigin.OCR, 90.0),
        Word("1.2.1.|", (60, 40, 92, 50), TextOrigin.OCR, 80.0),  # glued to the rule at x=91
        Word("|", (300, 40, 303, 50), TextOrigin.OCR, 40.0),  # no rule here: kept
        Word("I", (160, 40, 163, 50), TextOrigin.OCR, 90.0),  # a letter beside the rule, not on it
        Word("Ô", (148, 39, 152, 51), TextOrigin.OCR, 30.0),  # the rule read as a narrow letter
        Word("7", (148, 70, 152, 80), TextOrigin.OCR, 90.0),  # a digit on a rule stays
    ]
    page = Page(1, 595, 842, TextOrigin.OCR, words=list(words),
                lines=[Line(words[:3], (100, 9, 175, 21)), Line(words[3:7], (60, 40, 303, 50)),
                       Line(words[7:], (148, 70, 152, 80))],
                rulings=[(150.0, 0.0, 150.0, 100.0), (91.0, 30.0, 91.0, 60.0), (50.0, 5.0, 400.0, 5.0)])
    assert ocr.drop_ruling_artefacts(page) == 3
    assert [w.text for w in page.words] == ["Đơn", "Số", "1.2.1.", "|", "I", "7"]
    assert [ln.text for ln in page.lines] == ["Đơn Số", "1.2.1. | I", "7"]
