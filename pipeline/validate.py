"""Stage — validate: consistency rules over a document's figures (table and narrative).

Completed ≤ planned, parts add up to their total, percentages within 0–100
and consistent with their numerator/denominator rows, and the text agreeing
with the table.  Rules are data in `extractors.validation_rules`.
"""

from __future__ import annotations

from cchc.core.model import Document
from extractors.validation_rules import flag_narrative_contradictions, validate_values
from pipeline.catalog import catalog_for
from pipeline.load import Workspace


def run(doc: Document, ws: Workspace) -> None:
    if doc.values:
        doc.issues.extend(validate_values(doc.values, catalog=catalog_for(ws.options)))
        flag_narrative_contradictions(doc.values, catalog=catalog_for(ws.options))
