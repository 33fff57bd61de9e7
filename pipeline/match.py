"""Stage — match: decide the document's template, then map every grid row to a catalog indicator.

One `Value` per non-empty value cell (one per year column in multi-year
grids), parsed per the output contract and carrying the row's match: the
corrected code, score, method, candidates and whether a steward should look.
"""

from __future__ import annotations

import re

from cchc.model import ColumnRole, Document, Row, TextOrigin, Value, ValueSource
from cchc.vntext import fold, parse_codes
from extractors.numbers import parse_value
from matchers import apply_match, detect_template, match_rows
from pipeline.catalog import catalog_for
from pipeline.load import Workspace


def run(doc: Document, ws: Workspace) -> None:
    all_rows = [row for table in doc.tables for row in table.rows]
    if all_rows:
        _match(doc, ws, all_rows)
    _flag_empty_appendix_pages(doc)


def _flag_empty_appendix_pages(doc: Document) -> None:
    """No silent emptiness: a page that reads like an appendix but gave no grid row makes the document partial.

    Rows read with blank value cells are not flagged: agencies leave whole
    sections of the form unfilled, and the rows themselves show it was read.
    """
    with_rows = {row.page for table in doc.tables for row in table.rows}
    empty = [p.number for p in doc.pages if p.is_appendix and p.number not in with_rows]
    if not empty:
        return
    pages = ", ".join(str(n) for n in empty)
    doc.degrade(f"page(s) {pages} look like a statistical appendix but no grid rows could be read from them; "
                f"check with: cchc debug {doc.file_name} --page {empty[0]}")


def _match(doc: Document, ws: Workspace, all_rows: list[Row]) -> None:
    catalog = catalog_for(ws.options)
    title = " ".join(t for t in [doc.metadata.title, *(tb.title or "" for tb in doc.tables)] if t)
    guess = detect_template(all_rows, catalog, title=title or None)
    doc.template_id, doc.template_score = guess.template_id, round(guess.score, 2)
    origin_of = {p.number: p.origin for p in doc.pages}
    for table in doc.tables:
        results = match_rows(table.rows, catalog, guess.template_id)
        for row, result in zip(table.rows, results, strict=True):
            template_row = (
                catalog.template(result.template_id).row(result.indicator_code)
                if result.template_id and result.indicator_code
                else None
            )
            for value in _row_values(row, origin_of.get(row.page, TextOrigin.TEXT), template_row):
                apply_match(value, result)
                _flag_unreadable(value, template_row.value_kind if template_row is not None else None)
                doc.values.append(value)


NUMERIC_KINDS = ("count", "percent", "money", "coded")
MARKS = {"x", "X", "×", "v", "V", "✓", "✔", "+", "*"}
LOW_OCR_CONFIDENCE = 50.0


def _flag_unreadable(value: Value, value_kind: str | None) -> None:
    """A cell that should hold a number but holds a mark ("x"), or a scanned one that reads as words or faintly."""
    if value.needs_review:
        return
    if value_kind in NUMERIC_KINDS and value.value_num is None and (value.value_text or "").strip(" .") in MARKS:
        value.needs_review = True
        value.review_reason = f"a mark ({value.raw_value!r}), not a figure, in a {value_kind} row; what does it mean?"
        return
    if value.text_source is not TextOrigin.OCR:
        return
    if value_kind in NUMERIC_KINDS and value.value_num is None and value.value_text not in (None, "-"):
        value.needs_review = True
        value.review_reason = f"OCR read no number in a {value_kind} row ({value.raw_value!r}); check the scan"
    elif value.ocr_confidence is not None and value.ocr_confidence < LOW_OCR_CONFIDENCE:
        value.needs_review = True
        value.review_reason = f"low OCR confidence ({value.ocr_confidence:.0f}) on the value; check the scan"


_ROLES: list[tuple[re.Pattern[str], ColumnRole]] = [
    (re.compile(r"^(nam )?(19|20)\d{2}\b"), ColumnRole.YEAR),  # first: "Năm 2020 (tính đến 31/3)" is a year column
    (re.compile(r"\b(ke hoach|chi tieu giao|muc tieu)\b"), ColumnRole.PLAN),
    (re.compile(r"\b(luy ke|tinh den)\b"), ColumnRole.CUMULATIVE),
    (re.compile(r"\b(quy [ivx1-4]+|6 thang|9 thang|giai doan)\b"), ColumnRole.PERIOD),
]


def column_role(column: str | None) -> ColumnRole:
    """What a value column holds, so analysts can keep targets apart from results.

    The single "Số liệu" column and "Kết quả"/"Thực hiện" columns are `actual`;
    "Kế hoạch" is `plan`; "Lũy kế" `cumulative`; "Năm 2019" `year`; "Quý I" `period`.
    """
    if not column:
        return ColumnRole.ACTUAL
    folded = fold(column)
    for pattern, role in _ROLES:
        if pattern.search(folded):
            return role
    return ColumnRole.ACTUAL


def _row_values(row: Row, origin: TextOrigin, template_row) -> list[Value]:  # type: ignore[no-untyped-def]
    codes = parse_codes(row.unit.text) or (template_row.codes if template_row is not None else None) or None
    unit = row.unit.text or (template_row.unit if template_row is not None else None)
    out: list[Value] = []
    for column, cell in row.values.items():
        raw = cell.text.strip()
        if not raw:
            continue
        parsed = parse_value(raw, codes=codes, unit=unit)
        out.append(
            Value(
                source=ValueSource.TABLE,
                raw_label=row.label.text,
                raw_value=raw,
                page=row.page,
                raw_code=row.code.text or None,
                value_num=parsed.value_num,
                value_text=parsed.value_text,
                unit=row.unit.text or None,
                column_label=column,
                column_role=column_role(column),
                bbox=row.bbox,
                text_source=origin,
                ocr_confidence=cell.confidence,
            )
        )
    return out
