"""Stage — narrative: figures written in the running text ("Tổng số 351 hồ sơ …").

Appendix pages are skipped (their numbers belong to the grid).  The
template's level (xã / huyện / …) lets level-specific indicators be chosen
for phrases such as "hồ sơ giải quyết đúng hạn".
"""

from __future__ import annotations

from cchc.model import Document
from extractors.narrative import extract_document_figures
from pipeline.catalog import catalog_for
from pipeline.load import Workspace


def run(doc: Document, ws: Workspace) -> None:
    if not ws.options.narrative or not doc.pages:
        return
    catalog = catalog_for(ws.options)
    level = catalog.template(doc.template_id).level if doc.template_id else None
    figures = extract_document_figures(doc.pages, level=level)
    for value in figures:
        value.template_id = value.template_id or doc.template_id
    doc.values.extend(figures)
