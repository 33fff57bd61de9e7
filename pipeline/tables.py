"""Stage — tables: find the appendix grids and rebuild their logical rows across pages.

The same grid finder and row rebuilder run on text-layer and OCR'd pages
(both give `Page.words` + `Page.rulings`); scanned grids then get their code
and value cells re-read on their own, where full-page OCR is weakest.
"""

from __future__ import annotations

from cchc.core.model import Document, TextOrigin
from extractors import image_grid, ocr_engine
from extractors.rows import extract_tables
from pipeline import ocr_pages
from pipeline.load import Workspace


def run(doc: Document, ws: Workspace) -> None:
    if not ws.options.tables or not doc.pages:
        return
    prepared = ws.ocr.prepared  # scan images of appendix pages (pipeline.ocr_pages)
    engine = ocr_engine.engine_for(ws.options.ocr_lang, ws.options.ocr_engine) if prepared else None
    reader = image_grid.header_reader(prepared, engine) if engine is not None else None
    doc.tables = extract_tables(doc.pages, only_appendix=True, header_reader=reader)
    ocr_numbers = {p.number for p in doc.pages if p.origin is TextOrigin.OCR}
    if ocr_numbers and doc.tables:
        ocr_pages.reread_table_cells(doc, ws, ocr_numbers)
