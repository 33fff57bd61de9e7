"""Stage — metadata: doc number, issuer, date and period from the first page(s).

Signature fields were already read from the PDF by `load`; this stage reads
the header block and title from whatever text the page stage produced (text
layer or OCR), so scans get the same metadata as text PDFs.
"""

from __future__ import annotations

from cchc.core.model import Document
from extractors.metadata import extract_metadata, left_header_lines
from pipeline.load import Workspace


def run(doc: Document, ws: Workspace) -> None:
    if not doc.pages:
        return
    head_text = "\n".join(p.text for p in doc.pages[:2])
    first = doc.pages[0]
    left = left_header_lines([(w.text, w.bbox) for line in first.lines for w in line.words], first.height)
    found = extract_metadata(head_text, left_header=left or None)
    meta = doc.metadata
    for name in ("doc_number", "issuer", "issue_date", "period_label", "period_type", "report_year", "title"):
        setattr(meta, name, getattr(found, name))
