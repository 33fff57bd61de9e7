"""Stage — narrative: figures written in the running text ("Tổng số 351 hồ sơ …").

Appendix pages are skipped (their numbers belong to the grid).  The
template's level (xã / huyện / …) lets level-specific indicators be chosen
for phrases such as "hồ sơ giải quyết đúng hạn"; without a template the issuer's name
says it (`cchc.core.vntext.level_of`, the rule the unit register uses too).
"""

from __future__ import annotations

from cchc.core.model import Document, Value
from cchc.core.vntext import level_of
from extractors.narrative import extract_document_figures
from pipeline.catalog import catalog_for
from pipeline.load import Workspace


def run(doc: Document, ws: Workspace) -> None:
    if not ws.options.narrative or not doc.pages:
        return
    catalog = catalog_for(ws.options)
    level = catalog.template(doc.template_id).level if doc.template_id else level_of(doc.metadata.issuer)
    figures = [f for f in extract_document_figures(doc.pages, level=level) if not _inside_a_grid(f, doc)]
    for value in figures:
        value.match.template_id = value.match.template_id or doc.template_id
    doc.values.extend(figures)


def _inside_a_grid(value: Value, doc: Document) -> bool:
    """A 'sentence' read off a grid row (OCR pages blur the line between text and table) is the table's."""
    if value.bbox is None:
        return False
    x0, y0, x1, y1 = value.bbox
    cy = (y0 + y1) / 2
    for table in doc.tables:
        box = table.bbox_by_page.get(value.page)
        if box is not None and box[1] <= cy <= box[3] and x0 < box[2] and x1 > box[0]:
            return True
    return False
