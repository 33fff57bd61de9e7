"""Header rows and column roles of a grid fragment: from the header text read bottom-up, from the cells' content, or from the previous page.

The header is evidence, not a precondition: a column whose header is unreadable gets its role from
what it holds (`extractors.column_roles`), and a headerless continuation page borrows the roles of the
previous page's fragment.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from cchc.core.model import Line, TextOrigin, Word
from cchc.core.vntext import fold
from extractors import column_roles
from extractors.grid_model import (
    DEFAULT_HEADERS,
    TOL,
    UNIT_WORDS,
    ColumnInfo,
    GridCell,
    GridFragment,
    HeaderReader,
    code_like,
    col_text,
    collapse,
    is_code_cell,
)
from extractors.numbers import parse_value

_ROLE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("code", re.compile(r"^(s\.?\s?t\.?\s?t|t\.?\s?t|so tt|so thu tu|thu tu|ma so|ma chi tieu)\b")),
    ("unit", re.compile(r"^(don vi tinh|dvt|don vi do|dv)\b")),
    ("note", re.compile(r"^ghi chu\b")),
    (
        "label",
        re.compile(r"^(cac |ten )?(chi tieu|nhiem vu|noi dung|tieu chi|linh vuc|hang muc|danh muc)\b"),
    ),
    (
        "value",
        re.compile(
            r"^(tong so$|so lieu|so luong|ket qua|ty le|(nam )?(19|20)\d{2}\b|nam [(\d]|gia tri|thuc hien|quy [ivx1-4]+|6 thang|9 thang|"
            r"luy ke|uoc thuc hien|ke hoach|muc do|giai doan)"
        ),
    ),
]


_VALUE_WORDS_INSIDE = re.compile(r"\b(so lieu|ket? qua|thuc hien)\b")
_HEADER_WORDS: list[tuple[str, str]] = [
    ("stt", "code"), ("chi tieu", "label"), ("chi tieu thong ke", "label"), ("noi dung", "label"),
    ("ten chi tieu", "label"), ("don vi tinh", "unit"), ("so lieu", "value"), ("ket qua", "value"),
    ("ke hoach", "value"), ("thuc hien", "value"), ("ghi chu", "note"),
]


def classify_header(text: str) -> str | None:
    """Role named by a header cell's text, or None ("Số liệu" -> value, "ĐVT" -> unit).

    OCR slips are tolerated: punctuation read into the words ("Kế - hoạch") is dropped, and a
    short header close to a usual one ("Chỉ "in tiêu", "Đơn vi tinh") is taken as it.
    """
    f = fold(text).strip(" .:*()")
    if not f:
        return None
    for role, pat in _ROLE_PATTERNS:
        if pat.search(f):
            return role
    bare = re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", f)).strip()
    if bare != f:
        for role, pat in _ROLE_PATTERNS:
            if pat.search(bare):
                return role
    if column_roles.canonical_value_header(text).startswith("Năm "):
        return "value"  # "Năm Š 2012": a speck of the group header above read into a year header
    if 4 <= len(bare) <= 24:
        words = {w: r for w, r in _HEADER_WORDS}
        best = process.extractOne(bare, list(words), scorer=fuzz.ratio)
        if best is not None and best[1] >= 82:
            return words[best[0]]
    return None


def is_column_number_row(texts: list[str]) -> bool:
    """"1 | 2 | 3 | 4" or "(1) | (2) | …" under a header: a printed column index, not data."""
    nums = []
    for t in texts:
        t = t.strip()
        if not t:
            continue
        # OCR of a small "(2)" on a 1-bit scan: "@2)", "(2", "{2}", "2)"
        m = re.fullmatch(r"[(\[{@©]?(\d{1,2})[)\]}]?", t)
        if not m:
            return False
        nums.append(int(m.group(1)))
    if len(nums) >= 3 and nums == sorted(nums) and len(set(nums)) == len(nums) and nums[0] <= 2:
        return True
    # one digit misread ("(4)" as "4", "(2)" as "@2)"): still consecutive numbers in brackets, mostly
    bracketed = sum(1 for t in texts if re.fullmatch(r"\S?\d{1,2}\)", t.strip()))
    steps = sum(1 for a, b in zip(nums, nums[1:], strict=False) if b == a + 1)
    return len(nums) >= 3 and bracketed >= len(nums) - 1 and steps >= len(nums) - 2


def detect_header(cells: list[list[GridCell]]) -> tuple[int, int | None]:
    """Number of header rows at the top (a title row drawn inside the grid included),
    and the label column index the header names."""
    if not cells:
        return 0, None
    start = None
    roles: list[str | None] = []
    for s in range(min(3, len(cells))):
        texts = [c.text for c in cells[s]]
        roles = [classify_header(t) if len(t) <= 160 else None for t in texts]
        below = [classify_header(c.text) for c in cells[s + 1]] if s + 1 < len(cells) else []
        named = {r for r in roles if r} | {r for r in below if r in ("unit", "value", "note")}
        # "STT" misread by OCR ("tr", "s/") still leaves "Chỉ tiêu" over "Đơn vị tính | Số liệu"
        if "code" in roles or sum(r is not None for r in roles) >= 2 or ("label" in roles and len(named) >= 2):
            start = s
            break
        # only a title row spanning the grid ("PHỤ LỤC …" drawn inside the table) may come first
        if sum(1 for t in texts if t.strip()) > 1:
            return 0, None
    if start is None:
        return 0, None
    label_col = roles.index("label") if "label" in roles else None
    n = start + 1
    for r in range(start + 1, min(len(cells), start + 6)):
        texts = [c.text for c in cells[r]]
        if not any(texts):
            n += 1
            continue
        if is_column_number_row(texts):
            n += 1
            continue
        if label_col is not None and texts[label_col].strip():
            break
        non_empty = [t for t in texts if t.strip()]
        code_col = roles.index("code") if "code" in roles else None
        if label_col is not None and (code_col is None or not texts[code_col].strip()) \
                and not any(column_roles.looks_like_value(t) for t in non_empty) and r == start + 1:
            # the lower level of a two-level header OCR could not read ("HBụn d : tính" for "Đơn vị tính")
            n += 1
            continue
        if all(classify_header(t) is not None and len(t) <= 60 for t in non_empty):
            n += 1
            continue
        break
    return n, label_col


def assign_roles(cells: list[list[GridCell]], header_rows: int, col_bounds: list[float]) -> list[ColumnInfo]:
    """Roles from the header text of each column.

    A column's header cells are read as blocks (consecutive non-empty lines
    are one wrapped cell: "Chỉ tiêu thống" + "kê (Sử dụng …, 6 tháng, năm)").
    Blocks are tried bottom-up so a two-level header resolves to its specific
    lower cell ("Đơn vị tính" under "Kết quả thống kê").
    """
    cols = [ColumnInfo(index=i, x0=col_bounds[i], x1=col_bounds[i + 1]) for i in range(len(col_bounds) - 1)]
    for ci, col in enumerate(cols):
        blocks: list[list[str]] = [[]]
        for r in range(header_rows):
            t = cells[r][ci].text.strip()
            if not t or re.fullmatch(r"\(?\d{1,2}\)?", t):
                if blocks[-1]:
                    blocks.append([])
                continue
            blocks[-1].append(t)
        blocks = [b for b in blocks if b]
        for block in reversed(blocks):
            role, header = _classify_block(block)
            if role:
                col.role, col.header = role, header
                break
        else:
            col.header = collapse(" ".join(blocks[-1])) if blocks else ""
    finish_roles(cols)
    return cols


_SPECIFIC = [("unit", re.compile(r"\b(don vi tinh|dvt)\b")), ("note", re.compile(r"\bghi chu\b")),
             ("code", re.compile(r"^(stt|tt|so tt)$"))]


def _classify_block(lines: list[str]) -> tuple[str | None, str]:
    """Role and header text of one header block (the lines of one wrapped header cell)."""
    # the shortest tail of the block that names a specific role ("Kết quả thống kê" + "Đơn vị tính")
    for k in range(len(lines) - 1, -1, -1):
        tail = collapse(" ".join(lines[k:]))
        for name, pat in _SPECIFIC:
            if pat.search(fold(tail)):
                return name, tail
    full = collapse(" ".join(lines))
    role = classify_header(full)
    if role == "value":
        # keep the most specific value header: "Số liệu" under "Kết quả thống kê", "Năm 2011"
        for k in range(len(lines) - 1, -1, -1):
            tail = collapse(" ".join(lines[k:]))
            if classify_header(tail) == "value":
                return "value", tail
    if role:
        return role, full
    for k in range(len(lines) - 1, -1, -1):
        tail = collapse(" ".join(lines[k:]))
        r = classify_header(tail)
        if r:
            return r, tail
    if _VALUE_WORDS_INSIDE.search(re.sub(r"[^\w\s]", " ", fold(full))):
        # a two-level header read as one cell: the group's words, garbled, before the value
        # column's own ("blện kỳ kế quả thực hiện trong kỳ", "kỳ báo Sồ Zlieu liệu thực hiện")
        return "value", full
    return None, full


def finish_roles(cols: list[ColumnInfo]) -> None:
    """One code/label/unit/note column each; value keys (None for a single value column)."""
    for role in ("code", "label", "unit", "note"):
        idx = [c for c in cols if c.role == role]
        for extra in idx[1:]:
            # a second "label" right of the first is usually a value-ish column (e.g. "Nhiệm vụ" unit)
            extra.role = "value" if role in ("label",) else "other"
    # a year column the body demoted (its cells garbled under a seal) still takes its place in the
    # sequence: "Năm 2011 | (other) Năm 2012 | Năm 2013" must not shift 2012 onto the first column
    seq = [c for c in cols if c.role == "value"
           or (c.role == "other" and column_roles.canonical_value_header(c.header).startswith("Năm "))]
    heads = [column_roles.canonical_value_header(c.header) for c in seq]
    keys = column_roles.fill_year_sequence(heads) if sum(c.role == "value" for c in seq) > 1 else heads
    for k, c in enumerate(seq):
        if c.role == "other" and _between_years(keys, k):
            c.role = "value"
    values = [c for c in cols if c.role == "value"]
    # "Kết quả thống kê" left above an unlabeled value column in an atomic grid
    if len(values) == 1:
        values[0].key = None
    else:
        key_of = {c.index: key for c, key in zip(seq, keys, strict=True)}
        for c in values:
            c.key = key_of.get(c.index) or f"col{c.index}"


def _year(key: str | None) -> int | None:
    m = re.match(r"Năm ((?:19|20)\d{2})\b", key or "")
    return int(m.group(1)) if m else None


def _between_years(keys: list[str], k: int) -> bool:
    """Column k names the year between its neighbours' ("Năm 2011", "Năm 2012", "Năm 2013")."""
    y = _year(keys[k])
    if y is None:
        return False
    left = _year(keys[k - 1]) if k > 0 else None
    right = _year(keys[k + 1]) if k + 1 < len(keys) else None
    return (left is not None or right is not None) and left in (None, y - 1) and right in (None, y + 1)


def _roles_from_content(cells: list[list[GridCell]], col_bounds: list[float]) -> list[ColumnInfo]:
    """Guess roles of a headerless fragment: codes on the left, the longest text is the label."""
    cols = [ColumnInfo(index=i, x0=col_bounds[i], x1=col_bounds[i + 1]) for i in range(len(col_bounds) - 1)]
    n = len(cols)
    stats = []
    for ci in range(n):
        texts = [row[ci].text for row in cells if row[ci].text.strip()]
        codes = sum(is_code_cell(t) for t in texts)
        nums = sum(parse_value(t).kind in ("number", "percent", "dash") for t in texts)
        units = sum(bool(UNIT_WORDS.match(fold(t))) for t in texts)
        avg = sum(len(t) for t in texts) / len(texts) if texts else 0
        stats.append((len(texts), codes, nums, units, avg))
    code_col = next((i for i, s in enumerate(stats) if s[0] and s[1] / s[0] >= 0.5), None)
    label_col = max(range(n), key=lambda i: stats[i][4]) if n else None
    if code_col is not None:
        cols[code_col].role, cols[code_col].header = "code", DEFAULT_HEADERS["code"]
    if label_col is not None and label_col != code_col:
        cols[label_col].role, cols[label_col].header = "label", DEFAULT_HEADERS["label"]
    for i in range(n):
        if cols[i].role != "other" or label_col is None or i < label_col:
            continue
        cnt, _, nums, units, _ = stats[i]
        if cnt and units / cnt >= 0.5 and "unit" not in {c.role for c in cols}:
            cols[i].role, cols[i].header = "unit", DEFAULT_HEADERS["unit"]
        elif cnt and nums / cnt >= 0.4:
            cols[i].role, cols[i].header = "value", DEFAULT_HEADERS["value"]
    finish_roles(cols)
    values = [c for c in cols if c.role == "value"]
    if len(values) > 1:
        # no header names them: one placeholder each, or every row keeps only its last figure
        for c in values:
            c.key = f"col{c.index}"
    return cols


def roles_from_previous(previous: GridFragment, col_bounds: list[float]) -> list[ColumnInfo] | None:
    """Map the previous fragment's roles onto these columns by x-overlap."""
    cols = [ColumnInfo(index=i, x0=col_bounds[i], x1=col_bounds[i + 1]) for i in range(len(col_bounds) - 1)]
    matched = 0
    for c in cols:
        best, best_ov = None, 0.0
        for p in previous.columns:
            ov = min(c.x1, p.x1) - max(c.x0, p.x0)
            if ov > best_ov:
                best, best_ov = p, ov
        if best is not None and best_ov >= 0.5 * min(c.x1 - c.x0, best.x1 - best.x0):
            c.role, c.header, c.key = best.role, best.header, best.key
            matched += 1
    if matched < max(2, len(cols) // 2):
        return None
    # keep keys as the previous fragment had them (single value column -> None)
    return cols


def _header_rows_to_reread(frag: GridFragment, previous: GridFragment | None, box_bottom: float | None) -> int:
    """How many top rows of a ruled fragment are a header worth reading again (0: none).

    Only where the header failed: a header row whose non-empty cells name no role, value columns
    left without a name ("col3"), or no header found at the top of a grid's first page or in a
    small box (a header box over an unruled body).  A continuation page without a header costs nothing.
    """
    if box_bottom is not None:
        n = sum(1 for r in range(frag.n_rows) if frag.row_bounds[r + 1] <= box_bottom + TOL)
    elif frag.header_rows:
        n = frag.header_rows
    elif previous is None or frag.n_rows <= 3:
        n = min(frag.n_rows, 3 if frag.n_rows <= 3 else 2)
        # a top row holding a code or a figure is body, not header (a lone dash or speck is OCR debris
        # of a header cell: "Ghi chú" read as "_.")
        for r in range(n):
            texts = frag.row_texts(r)
            if any(is_code_cell(t) or _holds_figure(t) for t in texts if t.strip()):
                n = r
                break
    else:
        return 0
    if not n:
        return 0
    unnamed = [c for c in frag.columns if c.role == "other" or (c.role == "value" and (c.key or "").startswith("col"))]
    header_ok = frag.header_rows > 0 and all(
        classify_header(t) is not None or not t.strip() for r in range(n) for t in frag.row_texts(r))
    return 0 if header_ok and not unnamed else n


def _holds_figure(text: str) -> bool:
    return column_roles.looks_like_value(text) and any(ch.isdigit() for ch in text)


def reread_header(frag: GridFragment, reader: HeaderReader, previous: GridFragment | None,
                   box_bottom: float | None) -> bool:
    """Read a failed header's cells again on their own (see `image_grid.read_text_cells`) and keep
    the readings that name a role where the page's did not; True when a cell changed."""
    if frag.origin is not TextOrigin.OCR:
        return False
    n = _header_rows_to_reread(frag, previous, box_bottom)
    cells = [c for r in range(n) for c in frag.cells[r] if c.covered_by is None]
    readings = reader(frag.page, [c.bbox for c in cells]) if cells else None
    if not readings:
        return False
    changed = False
    for cell, (text, conf) in zip(cells, readings, strict=True):
        old = cell.text
        new_role, old_role = classify_header(text), classify_header(old)
        if new_role is None and old_role is None:
            # a two-level header whose inner rule was lost: the cell ends with its own header
            sub = column_roles.value_header_at_end(text) or column_roles.value_header_at_end(old)
            if sub is not None:
                text, new_role = sub, "value"
        better = new_role is not None and (old_role is None or (
            new_role == old_role == "value" and _known_value_header(text) and not _known_value_header(old)))
        if better and text != old:
            cell.words = [Word(text, cell.bbox, TextOrigin.OCR, conf)]
            changed = True
    if changed:
        frag.warnings.append("header unreadable on the page: its cells were read again on their own")
    return changed


def _known_value_header(text: str) -> bool:
    canon = column_roles.canonical_value_header(text)
    return canon != " ".join(text.split()) or canon in column_roles.VALUE_HEADERS or canon.startswith("Năm ")


def resolve_roles(frag: GridFragment, previous: GridFragment | None) -> None:
    n_header, _ = detect_header(frag.cells)
    frag.header_rows = n_header
    if n_header:
        frag.columns = assign_roles(frag.cells, n_header, frag.col_bounds)
        frag.roles_from = "header"
        _fill_missing_roles(frag)
    else:
        cols = roles_from_previous(previous, frag.col_bounds) if previous is not None else None
        if cols is not None:
            frag.columns = cols
            frag.roles_from = "previous"
        else:
            frag.columns = _roles_from_content(frag.cells, frag.col_bounds)
            frag.roles_from = "content"
    check_roles_against_content(frag)


def check_roles_against_content(frag: GridFragment) -> None:
    """Let the body overrule header roles it contradicts (see `extractors.column_roles`)."""
    notes = _reconcile_columns(frag.columns, [frag.row_texts(r) for r in range(frag.header_rows, frag.n_rows)])
    if not notes:
        return
    label, code = frag.col("label"), frag.col("code")
    while frag.header_rows and frag.header_rows < frag.n_rows and label is not None:
        texts = frag.row_texts(frag.header_rows)
        if texts[label].strip() or (code is not None and texts[code].strip()) or not any(t.strip() for t in texts) \
                or any(column_roles.looks_like_value(t) for t in texts if t.strip()):
            break
        frag.header_rows += 1  # a lower header row that named no role ("= Số liệu" misread)
    frag.warnings.extend(notes)


def _reconcile_columns(columns: list[ColumnInfo], texts: list[list[str]]) -> list[str]:
    """Roles of `columns` corrected by the body `texts` (rows × columns); returns why, one note per change."""
    roles, notes = column_roles.reconcile_roles([c.role for c in columns], [c.header for c in columns], texts)
    if notes:
        _apply_roles(columns, roles)
    return notes


def _apply_roles(columns: list[ColumnInfo], roles: list[str]) -> None:
    """Set content-decided roles; a column that became a value column keeps its header text as its
    label only when that text names a value column ("Thực hiện"), not another role ("Chỉ tiêu")."""
    for c, role in zip(columns, roles, strict=True):
        if c.role != role:
            if role == "value" and classify_header(c.header) != "value":
                c.header = ""
            c.role = role
            c.header = c.header or (DEFAULT_HEADERS["unit"] if role == "unit" else "")
    finish_roles(columns)


def _fill_missing_roles(frag: GridFragment) -> None:
    """Header words OCR could not read ("STT" as "tr", "Ghi chú" as "Gia"): decide from the body.

    Only for columns the header left unnamed: the leftmost one holding mostly
    codes becomes STT, the last one right of the values becomes Ghi chú.
    """
    body = frag.cells[frag.header_rows :]
    if not body:
        return
    others = [c for c in frag.columns if c.role == "other"]
    if not others:
        return
    label = frag.col("label")
    if frag.col("code") is None:
        for c in others:
            if label is not None and c.index > label:
                break
            texts = [row[c.index].text for row in body if row[c.index].text.strip()]
            if texts and sum(code_like(t) for t in texts) / len(texts) >= 0.5:
                c.role, c.header = "code", c.header or "STT"
                frag.warnings.append(f"column {c.index}: header unreadable, STT decided from its codes")
                break
    values = frag.cols("value")
    last = frag.columns[-1]
    if frag.col("note") is None and last.role == "other" and values and last.index > max(values):
        last.role = "note"
        frag.warnings.append(f"column {last.index}: header unreadable, taken as Ghi chú (rightmost)")


def reconcile_on_lines(frag: GridFragment, body: list[Line]) -> None:
    """Provisional roles checked against the body's text lines, before rows are split by them."""
    if frag.columns:
        _reconcile_columns(frag.columns, [[col_text(ln, c.x0, c.x1) for c in frag.columns] for ln in body])


def body_codes(frag: GridFragment) -> int:
    return sum(1 for r in range(frag.header_rows, frag.n_rows) for t in frag.row_texts(r)[:1] if code_like(t))


def provisional_roles(frag: GridFragment) -> None:
    """A header box whose words OCR could not read: the leftmost narrow column is taken as STT so
    the body below can follow it; the body's content then settles the other roles."""
    if frag.header_rows == 0 and frag.n_rows:
        # all of the box is header: what its cells still say ("Năm 2011") is evidence for the roles
        frag.header_rows = frag.n_rows
        frag.columns = assign_roles(frag.cells, frag.n_rows, frag.col_bounds)
    if frag.col("code") is None and frag.columns and frag.columns[0].x1 - frag.columns[0].x0 < 70:
        frag.columns[0].role = "code"

