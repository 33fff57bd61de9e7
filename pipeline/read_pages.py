"""Stage — pages: give every page words, lines and ruling lines, choosing per page where they come from.

Per page, in order of cost: the PDF's own text layer when it is good; the
text layer converted from a legacy Vietnamese font (TCVN3/VNI) or re-joined
when glyphs were placed one by one; otherwise OCR of the rendered page.
Images (PNG/JPEG/TIFF, or a scan wearing a `.pdf` name) always go to OCR.
Each page records why it went which way (`Page.origin_reason`).
"""

from __future__ import annotations

import logging

import pypdfium2 as pdfium

from cchc.core.errors import DeadlineExceeded, MissingDependency, ResourceLimit
from cchc.core.model import Document, FileKind, Page, TextOrigin
from extractors import legacy_fonts, page_quality, text_layer
from pipeline import formats, ocr_pages, pdf_guard
from pipeline.load import Workspace

log = logging.getLogger("cchc.pages")


def run(doc: Document, ws: Workspace) -> None:
    if doc.kind is FileKind.PDF:
        _read_pdf(doc, ws)
    elif doc.kind is FileKind.IMAGE:
        _read_image(doc, ws)
    elif not isinstance(doc.kind, FileKind):
        formats.named(doc.kind).read_pages(doc, ws)
    _flag_empty_pages(doc)
    for page in doc.pages:
        doc.warnings.extend(f"page {page.number}: {w}" for w in page.warnings)


def _flag_empty_pages(doc: Document) -> None:
    """A page that yielded no words makes the document partial, and says so on that page."""
    if not doc.pages:
        return
    empty = [p for p in doc.pages if not p.words]
    if not empty:
        return
    for page in empty:
        if not page.warnings:
            page.warnings.append("no text found on this page (blank, damaged or unreadable); check it by hand")
    numbers = ", ".join(str(p.number) for p in empty[:20]) + (" …" if len(empty) > 20 else "")
    first = empty[0]
    reason = first.warnings[0]
    reason = reason if reason.startswith(f"page {first.number} ") else f"page {first.number}: {reason}"
    doc.degrade(f"{len(empty)} of {len(doc.pages)} page(s) yielded no text (page {numbers}); {reason}")


def _limit(doc: Document, ws: Workspace) -> int:
    n = doc.n_pages or 0
    if n > ws.options.max_pages:
        doc.degrade(f"document has {n} pages; only the first {ws.options.max_pages} were read (--max-pages)")
        return ws.options.max_pages
    return n


def _read_pdf(doc: Document, ws: Workspace) -> None:
    n = _limit(doc, ws)
    pdfium_doc = pdfium.PdfDocument(ws.data, password=ws.options.password)
    ws.cleanups.append(pdfium_doc.close)
    ws.pdfium = pdfium_doc
    previous_is_grid = False
    for number in range(1, n + 1):
        ws.check_deadline(f"page {number}")
        bomb = pdf_guard.oversized_content(ws.reader, number) if ws.reader is not None else None
        if bomb:
            doc.pages.append(Page(number, 0.0, 0.0, TextOrigin.NONE, bomb, warnings=[bomb]))
            continue
        try:
            page = _read_pdf_page(doc, ws, number, pdfium_doc, previous_is_grid)
            previous_is_grid = page.is_appendix
        except (DeadlineExceeded, MissingDependency):
            raise
        except ResourceLimit as exc:  # one oversized page: its own warning, the other pages go on
            page = Page(number, 0.0, 0.0, TextOrigin.NONE, str(exc), warnings=[str(exc)])
        except Exception as exc:  # one bad page degrades the document, not the run
            log.debug("page %d of %s failed", number, doc.source_path, exc_info=True)
            page = Page(number, 0.0, 0.0, TextOrigin.NONE, f"page could not be read: {type(exc).__name__}: {exc}")
            doc.degrade(f"page {number} could not be read ({type(exc).__name__})")
        doc.pages.append(page)


def _read_pdf_page(doc: Document, ws: Workspace, number: int, pdfium_doc: pdfium.PdfDocument,
                   previous_is_grid: bool) -> Page:
    """Triage with the fast reader; pages that hold (or continue) a grid also get their ruling lines.

    Both readers are pypdfium2 (~0.01 s/page); pdfplumber (~0.1 s/page) reads the
    grid pages pdfium cannot be trusted with.  tests/test_text_layer_fast.py
    holds the pdfium grid reader equal to pdfplumber's on every sample page.
    """
    fast_page = pdfium_doc[number - 1]
    textpage = fast_page.get_textpage()
    try:
        page = text_layer.read_page_fast(fast_page, textpage, number)
        if page.is_appendix or previous_is_grid:
            grid_page = text_layer.read_grid_page_fast(fast_page, textpage, number)
            if grid_page is None:  # rotated page, drawing in form XObjects: pdfplumber reads it
                plumber_page = ws.pdf.pages[number - 1]
                grid_page = text_layer.read_page(plumber_page, number)
                plumber_page.flush_cache()
            grid_page.is_appendix = True
            page = grid_page
    finally:
        textpage.close()
        fast_page.close()
    if ws.options.ocr_mode == "force":
        ocr_page = ocr_pages.ocr_pdf_page(ws, number, page.width, page.height)
        ocr_page.origin_reason = f"OCR forced (--ocr force): text layer ignored; {ocr_page.origin_reason}"
        return ocr_page
    verdict = page_quality.assess_words(page.words)
    if verdict.action == "text":
        page.origin_reason = verdict.reason
        return page
    if verdict.action == "repair":
        if verdict.problem == "spaced_glyphs":
            words = page_quality.rejoin_spaced_words(page.words)
        else:
            words, _ = legacy_fonts.repair_words(page.words, verdict.encoding)
        page.words = words
        page.lines = text_layer.group_lines(words)
        page.origin = TextOrigin.REPAIRED
        page.origin_reason = verdict.reason
        page.is_appendix = text_layer.looks_like_appendix(page.text)
        return page
    if not ws.options.ocr:
        page.origin = TextOrigin.NONE if not page.words else page.origin
        page.origin_reason = f"{verdict.reason}; OCR disabled (--no-ocr)"
        page.warnings.append(f"{verdict.reason}; not OCR'd because --no-ocr was given")
        return page
    ocr_page = ocr_pages.ocr_pdf_page(ws, number, page.width, page.height)
    ocr_page.origin_reason = f"OCR: {verdict.reason}; {ocr_page.origin_reason}"
    return ocr_page


def _read_image(doc: Document, ws: Workspace) -> None:
    if not ws.options.ocr:
        doc.degrade("image file not read: OCR disabled (--no-ocr)")
        return
    doc.pages.extend(ocr_pages.ocr_image_pages(ws, _limit(doc, ws)))
