"""Stage — match: decide the document's template, then map every grid row to a catalog indicator.

One `Value` per non-empty value cell (one per year column in multi-year
grids), parsed per the output contract and carrying the row's match: the
corrected code, score, method, candidates and whether a steward should look.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from cchc.core.model import ColumnRole, Document, Row, Table, TextOrigin, Value, ValueSource
from cchc.core.vntext import fold, parse_codes
from extractors.cell_vote import INK_NOTE
from extractors.numbers import parse_value
from extractors.page_quality import is_vietnamese_syllable
from matchers import apply_match, detect_template, match_rows
from pipeline import ocr_pages
from pipeline.catalog import catalog_for
from pipeline.load import Workspace


def run(doc: Document, ws: Workspace) -> None:
    all_rows = [row for table in doc.tables for row in table.rows]
    if all_rows:
        _match(doc, ws, all_rows)
    _flag_empty_appendix_pages(doc)


def _flag_empty_appendix_pages(doc: Document) -> None:
    """No silent emptiness: a page that reads like an appendix but gave no grid row makes the document partial.

    Rows read with blank value cells are not flagged on a text layer: agencies
    leave whole sections of the form unfilled, and the rows themselves show it
    was read. On a scan, a page whose rows hold no figure at all lost its value
    column (a rule the grid did not find), which the reader cannot tell from a
    blank form: partial too, with its own reason.
    """
    with_rows = {row.page for table in doc.tables for row in table.rows}
    with_figures = {row.page for table in doc.tables for row in table.rows
                    if any(cell.text.strip() for cell in row.values.values())}
    empty = [p.number for p in doc.pages if p.is_appendix and p.number not in with_rows]
    blank = [p.number for p in doc.pages if p.is_appendix and p.origin is TextOrigin.OCR
             and p.number in with_rows and p.number not in with_figures]
    if empty:
        pages = ", ".join(str(n) for n in empty)
        doc.degrade(f"page(s) {pages} look like a statistical appendix but no grid rows could be read from them; "
                    f"check with: cchc debug {doc.file_name} --page {empty[0]}")
    if blank:
        pages = ", ".join(str(n) for n in blank)
        doc.degrade(f"scanned page(s) {pages}: grid rows were read but no value cell holds a figure, so the value "
                    f"column was probably lost; check with: cchc debug {doc.file_name} --page {blank[0]}")


def _match(doc: Document, ws: Workspace, all_rows: list[Row]) -> None:
    catalog = catalog_for(ws.options)
    title = " ".join(t for t in [doc.metadata.title, *(tb.title or "" for tb in doc.tables)] if t)
    guess = detect_template(all_rows, catalog, title=title or None)
    doc.template_id, doc.template_score = guess.template_id, round(guess.score, 2)
    origin_of = {p.number: p.origin for p in doc.pages}
    for table in doc.tables:
        results = match_rows(table.rows, catalog, guess.template_id)
        narrowed = pages_missing_a_column(table.rows, origin_of)
        doubled = doubled_value_columns(table)
        merged = plan_and_result_read_as_one(table)
        placeholders = placeholder_columns(table)
        for row, result in zip(table.rows, results, strict=True):
            template_row = (
                catalog.template(result.template_id).row(result.indicator_code)
                if result.template_id and result.indicator_code
                else None
            )
            tid = result.template_id or guess.template_id
            template = catalog.template(tid) if tid else None
            template_columns = (template_row.value_columns if template_row is not None else None) or (
                template.value_columns if template is not None else None)
            named = columns_named_by_template(placeholders, template_columns)
            for value in _row_values(row, origin_of.get(row.page, TextOrigin.TEXT), template_row):
                apply_match(value, result)
                kind = template_row.value_kind if template_row is not None else None
                cell = row.values.get(value.column_label)
                flag_doubtful_ocr_value(value, kind, n_columns=len(row.values),
                                        readings=ocr_pages.disputed_readings(ws, cell) if cell is not None else None,
                                        header_doubled=value.column_label in doubled,
                                        column_lost=row.page in narrowed, plan_result_merged=merged)
                _flag_unreadable(value, kind)
                if value.column_label in named:
                    _name_by_template(value, named, template.id if template is not None else "?")
                elif value.text_source is TextOrigin.OCR:
                    restore_year_note(value, template_columns)
                doc.values.append(value)


def placeholder_columns(table: Table) -> list[str]:
    """The table's value columns that no header named ("col3", "col4" …), in page order."""
    keys = {k for row in table.rows for k in row.values if k and _PLACEHOLDER_COLUMN.match(k)}
    return sorted(keys, key=lambda k: int(k[3:]))


def columns_named_by_template(placeholders: list[str], template_columns: tuple[str, ...] | None) -> dict[str, str]:
    """Name a headerless grid's value columns after the template's, when their counts agree.

    A photo or scan of one continuation page of a multi-year appendix shows ten
    figure columns and no header row; the detected template prints exactly ten
    year columns, and forms keep their column order, so the n-th column is the
    template's n-th. With any other count the columns stay unnamed placeholders.
    """
    if not template_columns or len(placeholders) < 2 or len(placeholders) != len(template_columns):
        return {}
    return dict(zip(placeholders, template_columns, strict=True))


def _name_by_template(value: Value, named: dict[str, str], template_id: str) -> None:
    """Rename a placeholder column to the template's column; the naming is a guess a steward confirms."""
    position = list(named).index(value.column_label or "") + 1
    value.column_label = named[value.column_label or ""]
    value.column_role = column_role(value.column_label)
    if value.review_reason and value.review_reason.startswith("the header of value column"):
        value.review_reason = None  # the placeholder's doubt, which this naming replaces
    _add_review_reason(value, f"this page prints no header over its {len(named)} value columns, so this figure's "
                              f"column ({position} of {len(named)}) is named {value.column_label!r} after template "
                              f"{template_id}'s columns, by position; check the scan")




def restore_year_note(value: Value, template_columns: tuple[str, ...] | None) -> None:
    """Give a scanned year header the template's label when OCR lost or misread its note.

    "Năm 2020" read bare where the template prints "Năm 2020 (tính đến 31/3)":
    the note sits on the lower lines of a narrow header cell, which OCR of a
    small bold header drops; the year alone would pass a part of a year off as
    the whole. The template's label is taken, flagged: the agency may have
    printed the year without the note. A note read with a digit or two wrong
    ("(tính đến 33)") or a bare year with a speck after it ("Năm 2012.)") is
    the template's column beyond doubt and takes its label unflagged; a note
    the template does not print is the agency's own and is kept.
    """
    m = _YEAR_WITH_ANY_TAIL.match(value.column_label or "")
    if m is None or not template_columns or value.column_label in template_columns:
        return
    year, tail = m.group(1), m.group(2).strip()
    same_year = [c for c in template_columns if re.match(rf"Năm {year}(?!\d)", c)]
    if len(same_year) != 1:
        return
    target, read = same_year[0], value.column_label
    note = target[len(f"Năm {year}"):].strip()
    if not tail.strip(_SPECKS):
        value.column_label = target
        value.column_role = column_role(target)
        if note:
            _add_review_reason(value, f"the scan's header reads {read!r} where the template prints {target!r}: "
                                      "the note (a part of the year) was probably lost in OCR; check the scan")
    elif note and fuzz.ratio(fold(tail), fold(note)) >= NOTE_LIKENESS:
        value.column_label = target
        value.column_role = column_role(target)


_YEAR_WITH_ANY_TAIL = re.compile(r"^Năm ((?:19|20)\d{2})(?!\d)(.*)$")
_SPECKS = " .,;:-_()'\"|"
NOTE_LIKENESS = 75  # rapidfuzz ratio of the read note to the template's: "(tính đến 33)" ~ "(tính đến 31/3)" 89


def _add_review_reason(value: Value, reason: str) -> None:
    """Flag the value with `reason`, after any doubt it already carries."""
    earlier = value.review_reason if value.needs_review else None
    value.needs_review = True
    value.review_reason = f"{earlier}; {reason}" if earlier else reason


def doubled_value_columns(table: Table) -> set[str | None]:
    """Value-column keys whose header text the table prints (or OCR read) twice.

    Rows key their cells by header text, so two columns read as "Số liệu"
    (a misread "Kế hoạch | Thực hiện" pair) leave one figure per row under
    one name and the other column's figures gone: which one survived is unknown.
    """
    keys = {k for row in table.rows for k in row.values}
    seen = [c for c in table.columns if c]
    return {k for k in keys if k is not None and seen.count(k) > 1}


def plan_and_result_read_as_one(table: Table) -> bool:
    """The header's words name a plan and a result column ("Kế hoạch", "Thực hiện"), the rows one value column.

    On a scan whose column rule between the two was not found (dashed, faint),
    the grid has one value column under a header that OCR read whole: its
    words still say two columns were printed, the figures kept are only one's.
    """
    if len({k for row in table.rows for k in row.values}) > 1:
        return False
    words = set(fold(" ".join(c for c in table.columns if c)).split())
    return "hoach" in words and "hien" in words


def pages_missing_a_column(rows: list[Row], origin_of: dict[int, TextOrigin]) -> set[int]:
    """OCR'd pages on which a table has a single value column while another of its pages has several.

    A grid keeps its columns from page to page; on a scan whose header row
    was misread, the plan column can vanish and its figures read as the only
    ("Số liệu") column, which no word confidence shows.
    """
    widest: dict[int, int] = {}
    for row in rows:
        widest[row.page] = max(widest.get(row.page, 0), len(row.values))
    if max(widest.values(), default=0) < 2:
        return set()
    return {page for page, n in widest.items() if n == 1 and origin_of.get(page) is TextOrigin.OCR}


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


_PLACEHOLDER_COLUMN = re.compile(r"^col\d+$")
_YEAR_WITH_TAIL = re.compile(r"^Năm (?:19|20)\d{2}\s+(\S.*)$")
_NOTE = re.compile(r"^\([\w\s/.,%-]+\)$")  # "(tính đến 31/3)", "(ước thực hiện)", "(6 tháng)"


def garbled_year_note(column_label: str | None) -> bool:
    """A year column whose header goes on past the year with what is no readable note: "Năm 2020 Xe ¬g".

    The note of a year header says the year is partial ("(tính đến 31/3)"); when OCR garbled
    it, the year is sure but not whether the figure covers the whole year.
    """
    m = _YEAR_WITH_TAIL.match(column_label or "")
    if m is None:
        return False
    tail = m.group(1).strip()
    words = re.findall(r"[^\W\d_]+", tail)
    return not (_NOTE.match(tail) and all(is_vietnamese_syllable(w) for w in words))
MAX_PERCENT = 100.0
MERGED_CODE_PARTS = 5  # the forms number rows four levels deep at most ("3.1.3.a"); "1.1.1.1.1.2." is two codes


def flag_doubtful_ocr_value(value: Value, value_kind: str | None, n_columns: int = 1,
                            readings: tuple[str, ...] | None = None, header_doubled: bool = False,
                            column_lost: bool = False, plan_result_merged: bool = False) -> None:
    """Flag an OCR'd figure a steward should check although OCR was sure of its glyphs.

    Doubts no word confidence shows (measured on the scan corpus, where they
    made most of the wrong unflagged rows): independent readings of the cell
    that disagree (`readings`, from `extractors.cell_vote`); a percentage
    above 100 (a decimal comma read as a digit, "77,1" → "7741"); a value
    from a column whose header could not be read (plan and result cannot be
    told apart, and a lost neighbouring column leaves even a lone one a guess);
    a code cell holding two codes (two rows read as one); a value column whose
    header the table reads twice (`header_doubled`, see `doubled_value_columns`)
    or a page that lost a value column the table's other pages have
    (`column_lost`, see `pages_missing_a_column`); a table whose header names
    a plan and a result column but which gave one value column
    (`plan_result_merged`, see `plan_and_result_read_as_one`).
    """
    if value.needs_review or value.text_source is not TextOrigin.OCR or value.source != "table":
        return
    if readings:
        value.needs_review = True
        ink = [r for r in readings if r.endswith(INK_NOTE)]
        shown = " / ".join(repr(r) for r in readings if r not in ink)
        value.review_reason = (f"the cell shows {ink[0]} but OCR read {value.raw_value!r} ({shown}): a digit was "
                               "probably lost; check the scan" if ink else
                               f"OCR readings of the cell disagree ({shown}); kept {value.raw_value!r}: check the scan")
        return
    if len(re.findall(r"\d+", value.raw_code or "")) >= MERGED_CODE_PARTS:
        value.needs_review = True
        value.review_reason = (f"the code cell reads {value.raw_code!r}, two codes run together: two rows of the scan "
                               "were probably read as one, so this figure may belong to the other; check the scan")
        return
    percent = value_kind == "percent" or "%" in (value.unit or "")
    if percent and value.value_num is not None and value.value_num > MAX_PERCENT:
        value.needs_review = True
        value.review_reason = (f"OCR read {value.raw_value!r} in a percentage row: above 100, probably a misread "
                               "decimal comma or digit; check the scan")
    elif _PLACEHOLDER_COLUMN.match(value.column_label or ""):
        value.needs_review = True
        value.review_reason = (f"the header of value column {value.column_label!r} could not be read, so what this "
                               f"figure is (plan, result, a year; {n_columns} value column(s) in the row) is a guess; "
                               "check the scan")
    elif garbled_year_note(value.column_label):
        value.needs_review = True
        value.review_reason = (f"the header of year column {value.column_label!r} goes on past the year with "
                               "words OCR could not read: its note (such as \"tính đến 31/3\", a part of the year) "
                               "is lost, so whether this figure covers the whole year is a guess; check the scan")
    elif header_doubled:
        value.needs_review = True
        value.review_reason = (f"two value columns of this table read the same header {value.column_label!r}: one "
                               "column's figures stand for both, so whether this is the plan or the result is a "
                               "guess; check the scan")
    elif column_lost:
        value.needs_review = True
        value.review_reason = (f"page {value.page} of this table reads one value column where its other pages read "
                               "several: a column was probably lost, so whether this figure is the plan or the "
                               "result is a guess; check the scan")
    elif plan_result_merged:
        value.needs_review = True
        value.review_reason = ("the header of this table names a plan (Kế hoạch) and a result (Thực hiện) column but "
                               "one value column was read: the other was probably lost with a rule the scan does not "
                               "show, so whether this figure is the plan or the result is a guess; check the scan")


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
