"""Rebuilding logical appendix rows across pages: grid fragments -> `Table`/`Row`/`Cell`.

Why a stage of its own: generic extractors stop at page boundaries, while
the statistics live in a grid that runs over many pages with the header
repeated on each, rows cut by page breaks, section rows without values and
"Trong đó" sub-rows without codes.  This module decides, with no knowledge
of the indicator catalog, what is one row, what kind of row it is and which
row it belongs to; the matchers then map rows to indicators.

Raw text is kept exactly as printed (`Row.code.text` is the STT cell as read,
misnumbering included); normalised codes only drive structure
(`parent_code`, `section_code`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from cchc.core.model import BBox, Cell, Page, Row, Table
from cchc.core.vntext import code_depth, fold, normalize_code
from extractors import column_roles
from extractors.grid import (
    GridCell,
    GridFragment,
    HeaderReader,
    classify_header,
    find_grids,
    is_column_number_row,
)

__all__ = ["extract_tables", "build_tables", "fragments_for_pages", "continues"]

_BULLET = re.compile(r"^[-+•–*]$")


CONTINUED_ROWS = 5  # body rows with a unit or a figure where the previous page's columns say they are


def _rows_go_on(frag: GridFragment) -> bool:
    """A page without rules or header whose lines still fill the previous page's columns as rows do.

    A 1-bit scan at 170 dpi loses 0.4 pt rules altogether and OCR mangles the codes ("23." for
    "2.3."), so neither the rules nor the text test see the grid going on; the previous page's
    unit and value columns still hold units and figures line after line.
    """
    if frag.roles_from != "previous" or frag.header_rows:
        return False
    unit, values = frag.col("unit"), frag.cols("value")
    if unit is None and not values:
        return False
    filled = 0
    for r in range(frag.n_rows):
        texts = frag.row_texts(r)
        if (unit is not None and column_roles.looks_like_unit(texts[unit])) or any(
                column_roles.looks_like_value(texts[v]) and any(ch.isdigit() for ch in texts[v]) for v in values):
            filled += 1
    return filled >= CONTINUED_ROWS and filled >= 0.5 * frag.n_rows


def fragments_for_pages(pages: Iterable[Page], only_appendix: bool = False,
                        header_reader: HeaderReader | None = None) -> list[GridFragment]:
    """Grid fragments of each page in order, each page seeing the previous page's last fragment.

    With `only_appendix`, a page not flagged `is_appendix` is still read when
    the page before it ended inside a grid, and kept if a ruled grid (or a body
    below a ruled header box, or a grid with a header of its own) goes on there:
    a continuation page without a repeated header, or with one OCR garbled,
    rarely looks like an appendix on its own (bullets, bare numbers, no "STT").
    """
    out: list[GridFragment] = []
    last: GridFragment | None = None
    last_page: int | None = None
    for page in pages:
        prev = last if last_page is not None and page.number == last_page + 1 else None
        if only_appendix and not page.is_appendix:
            if prev is None:
                last, last_page = None, page.number
                continue
            # a ruled grid, a body hanging below a ruled header box, or a header of its own: a repeated
            # header OCR garbled ("bá phòng, địa Tin sua") keeps the page from looking like an appendix
            frags = [f for f in find_grids(page, previous=prev, header_reader=header_reader)
                     if f.method == "ruled" or f.boxed_header
                     or (f.header_rows and f.col("label") is not None) or _rows_go_on(f)]
        else:
            frags = find_grids(page, previous=prev, header_reader=header_reader)
        out.extend(frags)
        last = frags[-1] if frags else None
        last_page = page.number
    return out


def extract_tables(pages: Iterable[Page], only_appendix: bool = False,
                   header_reader: HeaderReader | None = None) -> list[Table]:
    """Find grids on the pages and rebuild their logical rows (the table half of issue 5).

    With `only_appendix`, pages not flagged `is_appendix` are skipped unless
    they continue a ruled grid from the page before.  `header_reader` re-reads scanned header
    cells full-page OCR garbled (`extractors.image_grid.header_reader`).
    """
    return build_tables(fragments_for_pages(pages, only_appendix=only_appendix, header_reader=header_reader))


def continues(prev: GridFragment, frag: GridFragment, prev_is_last: bool, frag_is_first: bool) -> bool:
    """Is `frag` the same grid as `prev`, carried over a page break?"""
    if frag.page != prev.page + 1 or not prev_is_last or not frag_is_first:
        return False
    if frag.title:
        return False
    if frag.header_rows:
        if frag.header_signature() != prev.header_signature():
            # the same columns with a differently worded header still continue
            roles_a = [c.role for c in prev.columns if c.role != "other"]
            roles_b = [c.role for c in frag.columns if c.role != "other"]
            if roles_a != roles_b:
                return False
    return True


def _is_table(frag: GridFragment) -> bool:
    return frag.col("label") is not None and (frag.col("code") is not None or bool(frag.cols("value")))


def build_tables(fragments: list[GridFragment]) -> list[Table]:
    """Join fragments into tables and their body rows into logical rows."""
    tables: list[Table] = []
    states: list[_TableState] = []
    frags = [f for f in fragments if _is_table(f)]
    for i, frag in enumerate(frags):
        prev = frags[i - 1] if i else None
        prev_is_last = prev is not None and not any(f.page == prev.page and f.bbox[1] > prev.bbox[1] for f in frags)
        frag_is_first = not any(f.page == frag.page and f.bbox[1] < frag.bbox[1] for f in frags)
        if prev is not None and states and continues(prev, frag, prev_is_last, frag_is_first):
            state = states[-1]
            state.add_fragment(frag, continuation=True)
        else:
            table = Table(
                page_first=frag.page,
                page_last=frag.page,
                columns=[c.header or _ROLE_NAMES.get(c.role, "") for c in frag.columns],
                title=frag.title,
            )
            state = _TableState(table)
            state.add_fragment(frag, continuation=False)
            states.append(state)
            tables.append(table)
    return tables


_ROLE_NAMES = {"code": "STT", "label": "Chỉ tiêu", "unit": "Đơn vị tính", "value": "Số liệu", "note": "Ghi chú"}


def _union(boxes: Iterable[BBox | None]) -> BBox | None:
    bs = [b for b in boxes if b is not None]
    if not bs:
        return None
    return (min(b[0] for b in bs), min(b[1] for b in bs), max(b[2] for b in bs), max(b[3] for b in bs))


def _cell(gc: GridCell | None) -> Cell:
    if gc is None:
        return Cell(text="")
    return Cell(text=gc.text, bbox=gc.bbox, confidence=gc.confidence)


def _join(a: str, b: str) -> str:
    a, b = a.strip(), b.strip()
    if not a:
        return b
    if not b:
        return a
    return f"{a} {b}"


class _TableState:
    """Running state while rows of one logical table are appended."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.header_texts: set[str] = set()
        self.last_coded: Row | None = None
        self.sections: list[tuple[str, int, bool]] = []  # (code, depth, has unit) of every coded row so far

    def add_fragment(self, frag: GridFragment, continuation: bool) -> None:
        t = self.table
        t.page_last = max(t.page_last, frag.page)
        bb = t.bbox_by_page.get(frag.page)
        t.bbox_by_page[frag.page] = _union([bb, frag.bbox])  # type: ignore[assignment]
        for r in range(frag.header_rows):
            self.header_texts.add(_row_key(frag.row_texts(r)))
        first_body = True
        for r in range(frag.header_rows, frag.n_rows):
            texts = frag.row_texts(r)
            if not any(t.strip() for t in texts):
                continue
            if self._is_repeated_header(frag, texts):
                continue
            row = self._make_row(frag, r)
            has_unit_col = frag.col("unit") is not None
            if first_body and continuation and self.table.rows and self._is_cut_continuation(row, has_unit_col):
                self._append_to_previous(row)
                first_body = False
                continue
            first_body = False
            self._classify_and_add(row)

    def _is_repeated_header(self, frag: GridFragment, texts: list[str]) -> bool:
        """A header line inside the body: the page's header repeated, its sub-header or "1 2 3 4"."""
        if is_column_number_row(texts):
            return True
        if _row_key(texts) in self.header_texts:
            return True
        code = frag.col("code")
        if code is not None and classify_header(texts[code]) == "code":
            return True
        label = frag.col("label")
        non_empty = [t for t in texts if t.strip()]
        if (
            label is not None
            and not texts[label].strip()
            and non_empty
            and all(classify_header(t) in ("unit", "value", "note") and len(t) <= 40 for t in non_empty)
            and (code is None or not texts[code].strip())
        ):
            # the "Đơn vị tính | Số liệu" sub-header line of a repeated header
            return True
        return False

    def _make_row(self, frag: GridFragment, r: int) -> Row:
        cells = frag.cells[r]
        code_i, label_i, unit_i, note_i = frag.col("code"), frag.col("label"), frag.col("unit"), frag.col("note")
        values = {}
        for vi in frag.cols("value"):
            values[frag.columns[vi].key] = _cell(cells[vi])
        row = Row(
            code=_cell(cells[code_i]) if code_i is not None else Cell(text=""),
            label=_cell(cells[label_i]) if label_i is not None else Cell(text=""),
            unit=_cell(cells[unit_i]) if unit_i is not None else Cell(text=""),
            values=values,
            note=_cell(cells[note_i]) if note_i is not None else None,
            page=frag.page,
            # the row band across the grid (a merged STT cell may span several rows)
            bbox=(frag.col_bounds[0], frag.row_bounds[r], frag.col_bounds[-1], frag.row_bounds[r + 1]),
            origin=frag.origin,
        )
        return row

    def _is_cut_continuation(self, row: Row, has_unit_col: bool = True) -> bool:
        """A top-of-page row that only continues the previous page's last row.

        Its STT is empty, a bullet, or the rest of a code cut with the row
        ("7.2.7." + "2", "Trong" + "đó"); it has no value; its label, if any,
        goes on in lowercase, starts with an acronym ("UBND tỉnh giao)"),
        follows an unfinished label ("… của", "… (Tỉnh ủy,"), or brings no
        unit of its own in a grid that has a unit column.  A capitalised
        codeless row after a finished label is a row of its own ("Tiếp nhận
        và xử lý PAKN" in a multi-year grid).
        """
        prev = self.table.rows[-1]
        code = row.code.text.strip()
        code_cut = bool(code) and not _BULLET.match(code)
        if code_cut and _code_tail(prev.code.text, code) is None:
            return False
        if any(c.text.strip() for c in row.values.values()):
            return False
        label = row.label.text.strip()
        unit = row.unit.text.strip()
        if not label and not unit and not (row.note and row.note.text.strip()):
            return False
        if label:
            if label[:1].islower() or label[:1] in "(,;:-/":
                return True
            first = label.split()[0]
            if len(first) >= 2 and first.isupper():
                return True
            if _unfinished(prev.label.text):
                return True
            # "2." + "Cải cách thể chế" is a new section, not the tail of "1.5."
            return not code_cut and has_unit_col and not unit
        # label empty: a unit/note cell continued (e.g. "Kết hợp = 2" under a coded unit)
        return True

    def _append_to_previous(self, row: Row) -> None:
        prev = self.table.rows[-1]
        tail = _code_tail(prev.code.text, row.code.text.strip())
        if tail is not None:
            prev.code.text = tail
        prev.label.text = _join(prev.label.text, row.label.text)
        prev.unit.text = _join(prev.unit.text, row.unit.text)
        if prev.note is not None and row.note is not None:
            prev.note.text = _join(prev.note.text, row.note.text)
        # re-classify: the joined part may have brought a unit or completed the code
        if prev.kind == "section" and prev.unit.text.strip():
            prev.kind = "data"
        if tail is not None:
            self._reclassify_last()

    def _reclassify_last(self) -> None:
        """The last row's code changed (a cut "Trong" became "Trong đó"): decide its kind again."""
        row = self.table.rows.pop()
        if self.sections and self.last_coded is row:
            self.sections.pop()
            self.last_coded = next((r for r in reversed(self.table.rows) if r.kind != "subrow"), None)
        row.kind, row.parent_code, row.section_code = "data", None, None
        self._classify_and_add(row)

    def _classify_and_add(self, row: Row) -> None:
        raw = row.code.text.strip()
        code = normalize_code(raw)
        trong_do = fold(raw).startswith("trong do")
        has_unit = bool(row.unit.text.strip())
        has_value = any(c.text.strip() for c in row.values.values())
        is_letter = code is not None and code_depth(code) == 9
        if code is None and not trong_do and re.search(r"\d", raw):
            # a code OCR could not read ("B111,", "t2"): a row of its own, not a sub-row
            row.section_code = self.last_coded.section_code if self.last_coded is not None else None
            row.kind = "data" if (has_unit or has_value) else "section"
            self.last_coded = row
            self.table.rows.append(row)
            return
        if trong_do or code is None or is_letter:
            if self.last_coded is not None:
                row.kind = "subrow"
                parent = self.last_coded
                row.parent_code = normalize_code(parent.code.text)
                row.section_code = row.parent_code if parent.kind == "section" else parent.section_code
            else:
                row.kind = "data" if (has_unit or has_value) else "section"
            self.table.rows.append(row)
            return
        depth = code_depth(code)
        row.section_code = _enclosing_code(self.sections, code, depth)
        row.kind = "section" if depth == 0 or (not has_unit and not has_value) else "data"
        self.sections.append((code, depth, has_unit))
        self.last_coded = row
        self.table.rows.append(row)


def _enclosing_code(sections: list[tuple[str, int, bool]], code: str, depth: int) -> str | None:
    """Code of the row that encloses `code`, looking back over the coded rows so far.

    The printed prefix wins ("1.4" encloses "1.4.2" even when it carries a
    value).  A misnumbered block ("1.1.1" printed right under "1.2") belongs
    to the heading just above it, if that heading has no unit of its own;
    rows of another top-level block never enclose.
    """
    top = code.split(".")[0]
    first = True
    for c, d, has_unit in reversed(sections):
        if d >= depth:
            continue
        if d == 0:
            return c
        if c.split(".")[0] != top:
            first = False
            continue
        if code.startswith(c + "."):
            return c
        if first and not has_unit and d == depth - 1:
            return c
        first = False
    return None


_CONNECTORS = {
    "của", "và", "các", "với", "theo", "trong", "tại", "được", "cho", "từ", "đến", "trên", "dưới", "về",
    "do", "bị", "đã", "có", "là", "những", "một", "lên", "qua", "vào", "khi", "hoặc", "hay", "để", "nhằm",
    "thuộc", "giữa", "ở", "đối", "số", "người", "như",
}


def _unfinished(label: str) -> bool:
    """Does the label stop mid-phrase (a connector word or an open punctuation at its end)?"""
    label = label.strip()
    if not label:
        return False
    if label[-1] in ",(-/:;" or label.count("(") > label.count(")"):
        return True
    return label.split()[-1].casefold() in _CONNECTORS


def _code_tail(prev_code: str, cont: str) -> str | None:
    """The whole STT when `cont` is the rest of a code cut by the page break, else None."""
    prev_code = prev_code.strip()
    if not cont or not prev_code:
        return None
    if re.fullmatch(r"\d+(\.\d+)*\.", prev_code) and re.fullmatch(r"\d+\.?", cont):
        return prev_code + cont
    if fold(prev_code) == "trong" and fold(cont).startswith("do"):
        return f"{prev_code} {cont}"
    return None


def _row_key(texts: list[str]) -> str:
    return " | ".join(fold(t) for t in texts)
