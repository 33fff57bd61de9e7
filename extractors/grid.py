"""Finding the appendix grid on one page, from word boxes and ruling segments only.

Why not a generic table finder: this code must run unchanged on OCR'd pages
(another stage fills `Page.words`/`Page.rulings` from a scan, where rulings
are broken by stamps and words carry confidences), and it must keep its
intermediates (ruling lines, column x-ranges, header rows, cell boxes) so
`cchc debug` can draw what was decided.

Two ways to the same `GridFragment`:

* **ruled** — cells from the intersections of horizontal and vertical rulings
  (an atomic grid: merged header cells simply leave one atomic cell holding
  the text);
* **words** — when vertical rules are missing: columns from the header
  phrases (STT, Chỉ tiêu, Đơn vị tính, Số liệu, Ghi chú, "Năm 2019", …) and the
  white "rivers" between body words; rows from horizontal rules when there are
  some, else from visual lines (a new row starts where the STT column holds a
  code).

Column roles come from the header text, read bottom-up so two-level headers
("Kết quả thống kê" over "Đơn vị tính | Số liệu") resolve to the specific
column.  A headerless continuation page borrows the roles of the previous
page's fragment (`previous=`).
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from cchc.model import BBox, Line, Page, TextOrigin, Word
from cchc.vntext import fold, normalize_code
from extractors import column_roles
from extractors.numbers import parse_value
from extractors.text_layer import group_lines, merge_segments

__all__ = [
    "GridCell",
    "ColumnInfo",
    "GridFragment",
    "HeaderReader",
    "find_grids",
    "classify_header",
    "is_column_number_row",
    "join_cell_lines",
]

# (page number, cell boxes in points) -> (text, confidence) per box, or None when the page has no scan image
HeaderReader = Callable[[int, list[BBox]], "list[tuple[str, float]] | None"]

# the header text a column is given when its role came from content, not from a readable header
DEFAULT_HEADERS = {"code": "STT", "label": "Chỉ tiêu", "unit": "Đơn vị tính", "value": "Số liệu"}
TOL = 3.0  # points: how far a ruling may miss an intersection and still meet it
MAX_HOLE = 15.0  # points: a gap in a ruling this short is a stamp or a faint line, not a cell border
MAX_HEADER_BOX = 150.0  # points: the tallest header box (four or five wrapped header lines)


# --------------------------------------------------------------------------- data


@dataclass
class GridCell:
    """One atomic cell: its box and the words whose centre falls inside."""

    row: int
    col: int
    bbox: BBox
    words: list[Word] = field(default_factory=list)
    rowspan: int = 1
    colspan: int = 1
    covered_by: tuple[int, int] | None = None  # (row, col) of the merged cell's anchor

    @property
    def text(self) -> str:
        if not self.words:
            return ""
        return join_cell_lines([ln.text for ln in group_lines(self.words)])

    @property
    def confidence(self) -> float | None:
        confs = [w.confidence for w in self.words if w.confidence is not None]
        return round(sum(confs) / len(confs), 2) if confs else None


def join_cell_lines(lines: list[str]) -> str:
    """Lines of one cell as one text: joined by a space, except where the line wrapped
    inside a compound ("2394/QĐ-" + "UBND") or a code ("7.1.6." + "2")."""
    out = ""
    for ln in lines:
        ln = unicodedata.normalize("NFC", ln).strip()
        if not ln:
            continue
        last = out.split()[-1] if out else ""
        if (len(last) > 1 and last[-1] in "-/" and ln[:1].isalnum()) or (
            re.fullmatch(r"\d+(\.\d+)*\.", last) and ln[:1].isdigit()
        ):
            # "2394/QĐ-" + "UBND"; an STT cell too narrow for "7.1.6." + "2"
            out += ln
        else:
            out = f"{out} {ln}" if out else ln
    return out


@dataclass
class ColumnInfo:
    """A column's x-range, its role (code|label|unit|value|note|other) and header text."""

    index: int
    x0: float
    x1: float
    role: str = "other"
    header: str = ""
    key: str | None = None  # Row.values key for value columns (None = the single "Số liệu" column)


@dataclass
class GridFragment:
    """The part of one grid found on one page, with every intermediate kept."""

    page: int
    bbox: BBox
    method: str  # "ruled" | "words"
    col_bounds: list[float]
    row_bounds: list[float]
    cells: list[list[GridCell]]
    header_rows: int = 0
    columns: list[ColumnInfo] = field(default_factory=list)
    h_lines: list[BBox] = field(default_factory=list)
    v_lines: list[BBox] = field(default_factory=list)
    title: str | None = None
    origin: TextOrigin = TextOrigin.TEXT
    roles_from: str = "header"  # header | previous | content
    warnings: list[str] = field(default_factory=list)
    boxed_header: bool = False  # an unruled body that hangs below a ruled header box on the same page

    @property
    def n_rows(self) -> int:
        return len(self.cells)

    @property
    def n_cols(self) -> int:
        return len(self.col_bounds) - 1

    def row_texts(self, i: int) -> list[str]:
        return [c.text for c in self.cells[i]]

    def col(self, role: str) -> int | None:
        for c in self.columns:
            if c.role == role:
                return c.index
        return None

    def cols(self, role: str) -> list[int]:
        return [c.index for c in self.columns if c.role == role]

    def header_signature(self) -> str:
        """Folded header text, to tell a repeated header from a new table."""
        return " | ".join(fold(c.header) for c in self.columns)


# --------------------------------------------------------------------- header text

_ROLE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("code", re.compile(r"^(stt|tt|so tt|so thu tu)\b")),
    ("unit", re.compile(r"^(don vi tinh|dvt|don vi do)\b")),
    ("note", re.compile(r"^ghi chu\b")),
    (
        "label",
        re.compile(r"^(cac |ten )?(chi tieu|nhiem vu|noi dung|tieu chi|linh vuc|hang muc|danh muc)\b"),
    ),
    (
        "value",
        re.compile(
            r"^(so lieu|so luong|ket qua|ty le|(nam )?(19|20)\d{2}\b|nam [(\d]|gia tri|thuc hien|quy [ivx1-4]+|6 thang|9 thang|"
            r"luy ke|uoc thuc hien|ke hoach|muc do|giai doan)"
        ),
    ),
]


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


def _is_code_cell(text: str) -> bool:
    return normalize_code(text) is not None


# ------------------------------------------------------------------ ruled regions


def _split_rulings(rulings: list[BBox]) -> tuple[list[BBox], list[BBox]]:
    h, v = [], []
    for x0, top, x1, bottom in rulings:
        if abs(bottom - top) <= 1.0 and x1 - x0 > 3:
            h.append((x0, top, x1, bottom))
        elif abs(x1 - x0) <= 1.0 and bottom - top > 3:
            v.append((x0, top, x1, bottom))
    return h, v


def _ruled_regions(h: list[BBox], v: list[BBox]) -> list[tuple[list[BBox], list[BBox]]]:
    """Connected groups of rulings (a horizontal meets a vertical within TOL)."""
    segs = [("h", s) for s in h] + [("v", s) for s in v]
    parent = list(range(len(segs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    nh = len(h)
    for i, (hx0, hy, hx1, _) in enumerate(h):
        for j, (vx, vy0, _, vy1) in enumerate(v):
            if hx0 - TOL <= vx <= hx1 + TOL and vy0 - TOL <= hy <= vy1 + TOL:
                a, b = find(i), find(nh + j)
                if a != b:
                    parent[a] = b
    # collinear pieces of one ruling broken by a stamp or a faint scan line
    for group, base in ((h, 0), (v, nh)):
        axis = 1 if group is h else 0
        order = sorted(range(len(group)), key=lambda k: (group[k][axis], group[k][1 - axis]))
        for a, b in zip(order, order[1:], strict=False):
            sa, sb = group[a], group[b]
            if abs(sa[axis] - sb[axis]) <= 1.5 and 0 <= sb[1 - axis] - sa[3 - axis] <= MAX_HOLE:
                ra, rb = find(base + a), find(base + b)
                if ra != rb:
                    parent[ra] = rb
    groups: dict[int, tuple[list[BBox], list[BBox]]] = {}
    for i, (kind, s) in enumerate(segs):
        g = groups.setdefault(find(i), ([], []))
        (g[0] if kind == "h" else g[1]).append(s)
    regions = [g for g in groups.values() if g[0] and g[1]]
    # regions whose boxes overlap are one grid cut apart by holes in its rulings
    merged = True
    while merged:
        merged = False
        for i in range(len(regions)):
            for j in range(i + 1, len(regions)):
                if _boxes_overlap(_region_box(regions[i]), _region_box(regions[j])):
                    regions[i][0].extend(regions[j][0])
                    regions[i][1].extend(regions[j][1])
                    del regions[j]
                    merged = True
                    break
            if merged:
                break
    return [g for g in regions if len(g[0]) >= 2 and len(g[1]) >= 2]


def _region_box(g: tuple[list[BBox], list[BBox]]) -> BBox:
    segs = g[0] + g[1]
    return (min(s[0] for s in segs), min(s[1] for s in segs), max(s[2] for s in segs), max(s[3] for s in segs))


def _boxes_overlap(a: BBox, b: BBox, pad: float = 2.0) -> bool:
    return a[0] < b[2] + pad and b[0] < a[2] + pad and a[1] < b[3] + pad and b[1] < a[3] + pad


def _cluster_positions(items: list[tuple[float, float]], tol: float = 2.5) -> list[tuple[float, float]]:
    """Cluster (position, length) pairs; returns (mean position, total length) per cluster."""
    items = sorted(items)
    out: list[list[float]] = []
    for pos, length in items:
        if out and pos - out[-1][2] <= tol:
            c = out[-1]
            c[0] += pos * length
            c[1] += length
            c[2] = pos
        else:
            out.append([pos * length, length, pos])
    return [(c[0] / c[1] if c[1] else c[2], c[1]) for c in out]


# ------------------------------------------------------------------ cell building


def _build_cells(
    words: list[Word], col_bounds: list[float], row_bounds: list[float], glue_into: frozenset[int] = frozenset()
) -> list[list[GridCell]]:
    """Atomic cells holding the words whose centre falls inside.

    `glue_into` (words method only: no vertical rule decides) names label
    columns that keep a wrapped line whole: a word set a normal word space
    after a word of such a column stays there even when its centre crosses
    the estimated boundary ("… được giải quyết đúng" must not leave "đúng"
    in the unit cell), unless it starts a unit of its own ("%", "Người").
    """
    cells = [
        [
            GridCell(row=r, col=c, bbox=(col_bounds[c], row_bounds[r], col_bounds[c + 1], row_bounds[r + 1]))
            for c in range(len(col_bounds) - 1)
        ]
        for r in range(len(row_bounds) - 1)
    ]
    for w in words:
        cx = (w.bbox[0] + w.bbox[2]) / 2
        cy = (w.bbox[1] + w.bbox[3]) / 2
        r = _index(row_bounds, cy)
        c = _index(col_bounds, cx)
        if r is None or c is None:
            continue
        cells[r][c].words.append(w)
    if glue_into:
        _glue_wrapped_words(cells, glue_into)
    return cells


def _glue_wrapped_words(cells: list[list[GridCell]], glue_into: frozenset[int]) -> None:
    """Move words glued (by a word space) to the end of a label line back into the label cell."""
    for row in cells:
        for c in sorted(glue_into):
            if c + 1 >= len(row):
                continue
            left, right = row[c], row[c + 1]
            if not left.words or not right.words:
                continue
            for ln in group_lines(left.words):
                last = ln.words[-1]
                h = max(last.bbox[3] - last.bbox[1], 1.0)
                same_line = sorted(
                    (w for w in right.words if _v_overlap(w.bbox, last.bbox) > 0.5 * h), key=lambda w: w.bbox[0]
                )
                moved: list[Word] = []
                prev = last
                for i, w in enumerate(same_line):
                    gap = w.bbox[0] - prev.bbox[2]
                    if gap > 0.45 * h or gap < -0.5 * h:
                        break
                    rest = " ".join(x.text for x in same_line[i:])
                    if not w.text[:1].islower() and (_UNIT_WORDS.match(fold(rest)) or w.text[:1].isdigit()):
                        break
                    moved.append(w)
                    prev = w
                for w in moved:
                    right.words.remove(w)
                    left.words.append(w)


def _v_overlap(a: BBox, b: BBox) -> float:
    return min(a[3], b[3]) - max(a[1], b[1])


def _index(bounds: list[float], x: float) -> int | None:
    if not bounds or x < bounds[0] or x > bounds[-1]:
        return None
    for i in range(len(bounds) - 1):
        if x <= bounds[i + 1]:
            return i
    return len(bounds) - 2


def _words_in(words: list[Word], bbox: BBox, pad: float = 1.0) -> list[Word]:
    x0, y0, x1, y1 = bbox
    out = []
    for w in words:
        cx = (w.bbox[0] + w.bbox[2]) / 2
        cy = (w.bbox[1] + w.bbox[3]) / 2
        if x0 - pad <= cx <= x1 + pad and y0 - pad <= cy <= y1 + pad:
            out.append(w)
    return out


# ------------------------------------------------------------------ header & roles


def _detect_header(cells: list[list[GridCell]]) -> tuple[int, int | None]:
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


def _assign_roles(cells: list[list[GridCell]], header_rows: int, col_bounds: list[float]) -> list[ColumnInfo]:
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
            col.header = _collapse(" ".join(blocks[-1])) if blocks else ""
    _finish_roles(cols)
    return cols


_SPECIFIC = [("unit", re.compile(r"\b(don vi tinh|dvt)\b")), ("note", re.compile(r"\bghi chu\b")),
             ("code", re.compile(r"^(stt|tt|so tt)$"))]


def _classify_block(lines: list[str]) -> tuple[str | None, str]:
    """Role and header text of one header block (the lines of one wrapped header cell)."""
    # the shortest tail of the block that names a specific role ("Kết quả thống kê" + "Đơn vị tính")
    for k in range(len(lines) - 1, -1, -1):
        tail = _collapse(" ".join(lines[k:]))
        for name, pat in _SPECIFIC:
            if pat.search(fold(tail)):
                return name, tail
    full = _collapse(" ".join(lines))
    role = classify_header(full)
    if role == "value":
        # keep the most specific value header: "Số liệu" under "Kết quả thống kê", "Năm 2011"
        for k in range(len(lines) - 1, -1, -1):
            tail = _collapse(" ".join(lines[k:]))
            if classify_header(tail) == "value":
                return "value", tail
    if role:
        return role, full
    for k in range(len(lines) - 1, -1, -1):
        tail = _collapse(" ".join(lines[k:]))
        r = classify_header(tail)
        if r:
            return r, tail
    return None, full


def _finish_roles(cols: list[ColumnInfo]) -> None:
    """One code/label/unit/note column each; value keys (None for a single value column)."""
    for role in ("code", "label", "unit", "note"):
        idx = [c for c in cols if c.role == role]
        for extra in idx[1:]:
            # a second "label" right of the first is usually a value-ish column (e.g. "Nhiệm vụ" unit)
            extra.role = "value" if role in ("label",) else "other"
    values = [c for c in cols if c.role == "value"]
    # "Kết quả thống kê" left above an unlabeled value column in an atomic grid
    if len(values) == 1:
        values[0].key = None
    else:
        keys = column_roles.fill_year_sequence([column_roles.canonical_value_header(c.header) for c in values])
        for c, key in zip(values, keys, strict=True):
            c.key = key or f"col{c.index}"


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


_UNIT_WORDS = re.compile(
    r"^(%|nhiem vu|van ban|nguoi|thu tuc|tthc|co quan|don vi|ho so|lan|quy trinh|quyet dinh|chi tieu|van de|"
    r"so luong|cap file|bo|trieu dong|dong|ty dong|phieu|cuoc|lop|mo hinh|de an)"
)


def _roles_from_content(cells: list[list[GridCell]], col_bounds: list[float]) -> list[ColumnInfo]:
    """Guess roles of a headerless fragment: codes on the left, the longest text is the label."""
    cols = [ColumnInfo(index=i, x0=col_bounds[i], x1=col_bounds[i + 1]) for i in range(len(col_bounds) - 1)]
    n = len(cols)
    stats = []
    for ci in range(n):
        texts = [row[ci].text for row in cells if row[ci].text.strip()]
        codes = sum(_is_code_cell(t) for t in texts)
        nums = sum(parse_value(t).kind in ("number", "percent", "dash") for t in texts)
        units = sum(bool(_UNIT_WORDS.match(fold(t))) for t in texts)
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
    _finish_roles(cols)
    return cols


def _roles_from_previous(previous: GridFragment, col_bounds: list[float]) -> list[ColumnInfo] | None:
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


# ------------------------------------------------------------------ row splitting


_BULLET = re.compile(r"^[-+•–*]$")


def _code_like(text: str) -> bool:
    t = text.strip()
    if not t:
        return False
    return _is_code_cell(t) or fold(t).startswith("trong do") or bool(_BULLET.match(t))


def _col_text(line: Line, x0: float, x1: float) -> str:
    return " ".join(w.text for w in line.words if x0 <= (w.bbox[0] + w.bbox[2]) / 2 <= x1)


def _split_lines_into_rows(
    lines: list[Line], cols: list[ColumnInfo], strict: bool = False
) -> list[tuple[float, float]]:
    """Group visual lines into logical rows; returns (top, bottom) per row.

    A line starts a row when its STT column holds a code (or "Trong đó", a
    bullet); otherwise it continues the current row, unless it brings a
    label with a unit/value of its own (a codeless sub-row).  `strict` only
    splits at codes (a ruled band that lost its inner rules).
    """
    if not strict:
        blocks = _gap_blocks(lines, cols)
        if blocks is not None:
            return [r for block in blocks for r in _split_block_at_codes(block, cols)]
    code = next((c for c in cols if c.role == "code"), None)
    label = next((c for c in cols if c.role == "label"), None)
    uv = [c for c in cols if c.role in ("unit", "value")]
    rows: list[list[float]] = []
    row_has_uv = False
    for ln in lines:
        code_txt = _col_text(ln, code.x0, code.x1) if code else ""
        label_txt = _col_text(ln, label.x0, label.x1) if label else ""
        unit_txt = " ".join(_col_text(ln, c.x0, c.x1) for c in uv if c.role == "unit").strip()
        value_txts = [t for t in (_col_text(ln, c.x0, c.x1).strip() for c in uv if c.role == "value") if t]
        has_uv = bool(unit_txt or value_txts)
        # A unit/value of its own: a value not going on in lowercase, or a unit from the usual
        # vocabulary ("Thủ tục", "%", "Cơ quan, đơn vị", "Chưa = 0 …"); "vị" or "2394/QĐ-UBND của"
        # only continue a wrapped unit cell.
        new_uv = any(not t[:1].islower() for t in value_txts) or (
            bool(unit_txt) and (bool(_UNIT_WORDS.match(fold(unit_txt))) or "=" in unit_txt)
        )
        start = not rows or _code_like(code_txt)
        words = label_txt.split()
        capital = bool(words) and words[0][:1].isupper() and not (len(words[0]) >= 2 and words[0].isupper())
        if not start and not strict and new_uv and label_txt and (row_has_uv or capital) and not label_txt[:1].islower():
            start = True
        if start:
            rows.append([ln.bbox[1], ln.bbox[3]])
            row_has_uv = has_uv
        else:
            rows[-1][1] = max(rows[-1][1], ln.bbox[3])
            row_has_uv = row_has_uv or has_uv
    return [(a, b) for a, b in rows]


def _split_block_at_codes(block: list[Line], cols: list[ColumnInfo]) -> list[tuple[float, float]]:
    """One white-space block is one row, unless it holds a second coded line (rules lost between rows)."""
    code = next((c for c in cols if c.role == "code"), None)
    rows: list[list[float]] = []
    seen_code = False
    for ln in block:
        is_code = code is not None and _code_like(_col_text(ln, code.x0, code.x1))
        if not rows or (is_code and seen_code):
            rows.append([ln.bbox[1], ln.bbox[3]])
        else:
            rows[-1][0] = min(rows[-1][0], ln.bbox[1])
            rows[-1][1] = max(rows[-1][1], ln.bbox[3])
        seen_code = seen_code or is_code
    return [(a, b) for a, b in rows]


MIN_ROW_GAP_JUMP = 3.0  # points between the line gap inside a row and the gap between rows


def _gap_blocks(lines: list[Line], cols: list[ColumnInfo]) -> list[list[Line]] | None:
    """Rows from white space, when the table has it: cell padding makes the gap between rows
    clearly larger than between the wrapped lines of one row.

    Trusted only when nearly every coded line starts its own block; then a label wrapped around a
    vertically centred code and value ("Tỷ lệ …" / "3.2.1. % 12,5" / "… mức độ 3") stays one row.
    Returns None when the gaps do not separate rows (tight tables): the caller splits by content.
    """
    if len(lines) < 6:
        return None
    gaps = [b.bbox[1] - a.bbox[3] for a, b in zip(lines, lines[1:], strict=False)]
    ordered = sorted(gaps)
    # the highest clear break with enough gaps above it: wrapped lines may overlap (-4 pt, centred cells)
    # or sit apart (+2 pt); only the class above the top break separates rows
    above_min = max(3, len(ordered) // 5)
    breaks = [i for i in range(len(ordered) - 1) if ordered[i + 1] - ordered[i] >= MIN_ROW_GAP_JUMP
              and ordered[i + 1] >= 1.0 and i + 1 >= 2 and len(ordered) - i - 1 >= above_min]
    if not breaks:
        return None
    at = max(breaks)
    threshold = (ordered[at] + ordered[at + 1]) / 2
    blocks: list[list[Line]] = [[lines[0]]]
    for ln, gap in zip(lines[1:], gaps, strict=True):
        if gap >= threshold:
            blocks.append([ln])
        else:
            blocks[-1].append(ln)
    code = next((c for c in cols if c.role == "code"), None)
    if code is None:
        return None
    coded = sum(1 for ln in lines if _code_like(_col_text(ln, code.x0, code.x1)))
    if coded < 3 or len(blocks) < 0.9 * coded:
        return None
    return blocks


def _bounds_from_rows(rows: list[tuple[float, float]], top: float, bottom: float) -> list[float]:
    bounds = [top]
    for (_, b1), (t2, _) in zip(rows, rows[1:], strict=False):
        bounds.append((b1 + t2) / 2)
    bounds.append(bottom)
    return bounds


# ------------------------------------------------------------------ ruled method


def _ruled_fragment(
    page: Page, hs: list[BBox], vs: list[BBox], previous: GridFragment | None,
    header_reader: HeaderReader | None = None,
) -> GridFragment | None:
    x0 = min(min(s[0] for s in hs), min(s[0] for s in vs))
    x1 = max(max(s[2] for s in hs), max(s[2] for s in vs))
    y0 = min(min(s[1] for s in hs), min(s[1] for s in vs))
    y1 = max(max(s[3] for s in hs), max(s[3] for s in vs))
    height, width = max(y1 - y0, 1.0), max(x1 - x0, 1.0)
    vx = _cluster_positions([(s[0], s[3] - s[1]) for s in vs])
    strong = [(p, length) for p, length in vx if length >= 0.12 * height or abs(p - x0) < TOL or abs(p - x1) < TOL]
    col_bounds = _drop_sliver_columns(strong)
    body_v: list[BBox] = []
    # a ruled header box over a body with only its outer frame: the box's column rules (short next to
    # the page-long frame, or tall in a two-level header) are the columns of the body too
    box, box_bottom = _header_box_columns(hs, vs, x0, x1, y0)
    if box and box_bottom - y0 <= MAX_HEADER_BOX and y1 - box_bottom >= 20 \
            and not any(x0 + TOL < s[0] < x1 - TOL and s[3] > box_bottom + 2 * TOL for s in vs):
        col_bounds = _drop_sliver_columns(sorted([c for c in strong if abs(c[0] - x0) < TOL or abs(c[0] - x1) < TOL]
                                                 + [(p, 0.0) for p in box]))
        # the body keeps those columns (its cells are not merged across them); its rows are
        # split by text lines below, as in a grid that lost its row rules
        body_v = [(p, box_bottom, p, y1) for p in col_bounds[1:-1]]
    else:
        box_bottom = y0
    hy = _cluster_positions([(s[1], s[2] - s[0]) for s in hs])
    row_bounds = [p for p, length in hy if length >= min(0.08 * width, 30.0)]
    # A row cut by a page break may have no closing rule (Chromium, some Word
    # exports): the column rules run on past the last row rule, so close it there.
    v_top, v_bottom = min(s[1] for s in vs), max(s[3] for s in vs)
    if row_bounds and v_bottom - row_bounds[-1] > 5:
        row_bounds.append(v_bottom)
    if row_bounds and row_bounds[0] - v_top > 5:
        row_bounds.insert(0, v_top)
    if len(row_bounds) < 2:
        return None
    words = _words_in(page.words, (x0, y0, x1, y1))
    if not words:
        return None
    if len(col_bounds) < 3:
        # an outer frame or horizontal rules only: columns from the words
        layout = _word_columns(page, words, (x0, y0, x1, y1), previous)
        if layout is None:
            return None
        col_bounds, _ = layout
        col_bounds[0], col_bounds[-1] = x0, x1
    cells = _build_cells(words, col_bounds, row_bounds)
    _merge_spanned(cells, col_bounds, row_bounds, hs, vs + body_v)
    frag = GridFragment(
        page=page.number,
        bbox=(x0, y0, x1, y1),
        method="ruled",
        col_bounds=col_bounds,
        row_bounds=row_bounds,
        cells=cells,
        h_lines=hs,
        v_lines=vs,
        origin=page.origin,
    )
    _resolve_roles(frag, previous)
    if header_reader is not None and _reread_header(frag, header_reader, previous, box_bottom if body_v else None):
        _resolve_roles(frag, previous)
    if body_v:
        _header_box_roles(frag, words, box_bottom, previous)
    one_band = not body_v and 0 < frag.header_rows == frag.n_rows - 1 and (frag.col("code") is None or frag.col("label") is None)
    if one_band:
        # column rules only, no row rules: the body is one band, so its roles are read line by line
        band_bottom = frag.row_bounds[frag.header_rows]
        _header_box_roles(frag, words, band_bottom, previous)
        one_band = len(group_lines([w for row in frag.cells[frag.header_rows:] for c in row for w in c.words])) >= 4
    if frag.col("label") is None and frag.col("code") is None:
        return frag
    if frag.n_rows - frag.header_rows == 1 and not one_band:
        # a continuation page ruled with its frame or column rules only: one band of many lines
        one_band = len(group_lines([w for c in frag.cells[-1] for w in c.words])) >= 8
    _split_overfull_bands(frag, words, frame_body=bool(body_v) or one_band)
    return frag


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
        # a top row holding a code or a value is body, not header
        for r in range(n):
            texts = frag.row_texts(r)
            if any(_is_code_cell(t) or column_roles.looks_like_value(t) for t in texts if t.strip()):
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


def _reread_header(frag: GridFragment, reader: HeaderReader, previous: GridFragment | None,
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


def _header_box_roles(frag: GridFragment, words: list[Word], box_bottom: float,
                      previous: GridFragment | None) -> None:
    """Roles of a header box over a frame-only body, before that body is split into rows.

    The box is the header whatever OCR made of its words; the body is still one band, so its
    content is read line by line (as for an unruled grid): roles come from the header text, then
    the previous page's fragment for columns the header left unnamed, then the body's lines.
    """
    n_box = sum(1 for r in range(frag.n_rows) if frag.row_bounds[r + 1] <= box_bottom + TOL)
    if not n_box or n_box >= frag.n_rows:
        return
    frag.header_rows = n_box
    cols = _assign_roles(frag.cells, n_box, frag.col_bounds)
    prev = _roles_from_previous(previous, frag.col_bounds) if previous is not None else None
    if prev is not None:
        taken = {c.role for c in cols if c.role != "other"}
        for c, p in zip(cols, prev, strict=True):
            if c.role == "other" and p.role != "other" and (p.role == "value" or p.role not in taken):
                c.role, c.header = p.role, c.header or p.header
                taken.add(p.role)
        _finish_roles(cols)
    frag.columns = cols
    frag.roles_from = "header"
    body = group_lines([w for w in words if (w.bbox[1] + w.bbox[3]) / 2 > box_bottom])
    _reconcile_on_lines(frag, body)
    if frag.col("code") is None and frag.columns and frag.columns[0].x1 - frag.columns[0].x0 < 70:
        texts = [_col_text(ln, frag.columns[0].x0, frag.columns[0].x1) for ln in body]
        if sum(_code_like(t) for t in texts) >= 3:
            frag.columns[0].role, frag.columns[0].header = "code", frag.columns[0].header or DEFAULT_HEADERS["code"]


def _header_box_columns(hs: list[BBox], vs: list[BBox], x0: float, x1: float,
                        y0: float) -> tuple[list[float], float]:
    """Inner column rules of a header box drawn at the top of a frame: x of each vertical that runs
    down to the box's bottom rule (a horizontal across the frame), from no higher than the frame's top.

    The bottom rule is the lowest full-width horizontal that at least two inner verticals reach.
    """
    width = max(x1 - x0, 1.0)
    full = sorted({round(y, 1) for y, length in _cluster_positions([(s[1], s[2] - s[0]) for s in hs])
                   if length >= 0.9 * width and y > y0 + 8})
    inner = [s for s in vs if x0 + TOL < s[0] < x1 - TOL and s[1] >= y0 - TOL]
    best: tuple[list[float], float] = ([], y0)
    for y in full:
        reach = [s for s in inner if abs(s[3] - y) <= TOL and s[3] - s[1] >= 6]
        xs = [p for p, _ in _cluster_positions([(s[0], s[3] - s[1]) for s in reach])]
        if len(xs) >= 2:
            best = (xs, y)
    return best


def _drop_sliver_columns(bounds: list[tuple[float, float]], min_width: float = 12.0) -> list[float]:
    """Column rules closer than `min_width`: keep the longer one (a stamp's edge or a
    scanner streak beside a real rule makes a sliver column no text fits in)."""
    kept = list(bounds)
    changed = True
    while changed and len(kept) > 2:
        changed = False
        for i in range(len(kept) - 1):
            (pa, la), (pb, lb) = kept[i], kept[i + 1]
            if pb - pa < min_width:
                outer_a, outer_b = i == 0, i + 1 == len(kept) - 1
                drop = i + 1 if outer_a or (not outer_b and la >= lb) else i
                del kept[drop]
                changed = True
                break
    return [p for p, _ in kept]


def _covers(segs: list[BBox], pos: float, lo: float, hi: float, horizontal: bool) -> bool:
    """Is the span [lo, hi] at `pos` ruled (>= 60% covered by segments within TOL)?"""
    need = 0.6 * (hi - lo)
    got = 0.0
    for s in segs:
        if horizontal:
            if abs(s[1] - pos) <= TOL:
                got += max(0.0, min(hi, s[2]) - max(lo, s[0]))
        elif abs(s[0] - pos) <= TOL:
            got += max(0.0, min(hi, s[3]) - max(lo, s[1]))
    return got >= need


def _merge_spanned(
    cells: list[list[GridCell]], col_bounds: list[float], row_bounds: list[float], hs: list[BBox], vs: list[BBox]
) -> None:
    """Merge atomic cells not separated by a ruling (merged header cells, "Trong đó" spans).

    The merged cell's words and box go to its top-left atomic cell; the others
    are marked `covered_by` and left empty, so text is never cut in two.
    """
    nr, nc = len(cells), len(cells[0]) if cells else 0
    parent = {(r, c): (r, c) for r in range(nr) for c in range(nc)}

    def find(k: tuple[int, int]) -> tuple[int, int]:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def union(a: tuple[int, int], b: tuple[int, int]) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for r in range(nr):
        for c in range(nc):
            if r + 1 < nr and not _covers(hs, row_bounds[r + 1], col_bounds[c], col_bounds[c + 1], True):
                union((r, c), (r + 1, c))
            if c + 1 < nc and not _covers(vs, col_bounds[c + 1], row_bounds[r], row_bounds[r + 1], False):
                union((r, c), (r, c + 1))
    groups: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for k in parent:
        groups.setdefault(find(k), []).append(k)
    for members in groups.values():
        if len(members) == 1:
            continue
        r0 = min(m[0] for m in members)
        c0 = min(m[1] for m in members)
        r1 = max(m[0] for m in members)
        c1 = max(m[1] for m in members)
        top = cells[r0][c0]
        top.rowspan, top.colspan = r1 - r0 + 1, c1 - c0 + 1
        top.bbox = (col_bounds[c0], row_bounds[r0], col_bounds[c1 + 1], row_bounds[r1 + 1])
        for r, c in members:
            if (r, c) == (r0, c0):
                continue
            top.words.extend(cells[r][c].words)
            cells[r][c].words = []
            cells[r][c].covered_by = (r0, c0)


def _resolve_roles(frag: GridFragment, previous: GridFragment | None) -> None:
    n_header, _ = _detect_header(frag.cells)
    frag.header_rows = n_header
    if n_header:
        frag.columns = _assign_roles(frag.cells, n_header, frag.col_bounds)
        frag.roles_from = "header"
        _fill_missing_roles(frag)
    else:
        cols = _roles_from_previous(previous, frag.col_bounds) if previous is not None else None
        if cols is not None:
            frag.columns = cols
            frag.roles_from = "previous"
        else:
            frag.columns = _roles_from_content(frag.cells, frag.col_bounds)
            frag.roles_from = "content"
    _check_roles_against_content(frag)


def _check_roles_against_content(frag: GridFragment) -> None:
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
    _finish_roles(columns)


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
            if texts and sum(_code_like(t) for t in texts) / len(texts) >= 0.5:
                c.role, c.header = "code", c.header or "STT"
                frag.warnings.append(f"column {c.index}: header unreadable, STT decided from its codes")
                break
    values = frag.cols("value")
    last = frag.columns[-1]
    if frag.col("note") is None and last.role == "other" and values and last.index > max(values):
        last.role = "note"
        frag.warnings.append(f"column {last.index}: header unreadable, taken as Ghi chú (rightmost)")


def _split_overfull_bands(frag: GridFragment, words: list[Word], frame_body: bool = False) -> None:
    """A row band holding several coded lines lost its horizontal rules: split it by lines.

    `frame_body`: the body below a header box has no rules at all, so its band is split even when
    OCR lost the codes (multi-year grids print "1", "-" in a narrow STT column): by white space and
    content, as an unruled grid.
    """
    code = frag.col("code")
    if code is None and not (frame_body and frag.col("label") is not None):
        return
    new_bounds = [frag.row_bounds[0]]
    changed = False
    for r in range(frag.n_rows):
        top, bottom = frag.row_bounds[r], frag.row_bounds[r + 1]
        if r >= frag.header_rows:
            band_words = [w for row_cell in frag.cells[r] for w in row_cell.words]
            lines = group_lines(band_words)
            cc = frag.columns[code] if code is not None else None
            coded = [ln for ln in lines if cc is not None and _code_like(_col_text(ln, cc.x0, cc.x1))]
            if len(coded) >= 2 or (frame_body and len(lines) >= 4):
                # a whole body without row rules (vertical rules only, a frame): split it like an
                # unruled grid (white space, codes, units); a band of two or three rows: at codes only
                rows = _split_lines_into_rows(lines, frag.columns,
                                              strict=len(coded) < 4 and not frame_body and len(lines) < 8)
                if len(rows) >= 2:
                    inner = _bounds_from_rows(rows, top, bottom)[1:-1]
                    new_bounds.extend(inner)
                    changed = True
        new_bounds.append(bottom)
    if changed:
        frag.row_bounds = new_bounds
        body_top, bottom = new_bounds[frag.header_rows], new_bounds[-1]
        inner_v = [v for v in frag.v_lines if v[1] < bottom - 5 and v[3] > body_top + 5
                   and frag.col_bounds[0] + 2 < v[0] < frag.col_bounds[-1] - 2]
        # no column rule in the body either (a frame): the header's columns hold, words of a wrapped
        # label stay in it as in an unruled grid
        glue = frozenset(c.index for c in frag.columns if c.role == "label") if not inner_v else frozenset()
        header_cells = frag.cells[: frag.header_rows]  # keep header cells read again on their own
        frag.cells = header_cells + _build_cells(words, frag.col_bounds, new_bounds, glue_into=glue)[frag.header_rows:]
        # the split acts as the missing rules: cells are not merged back across it
        virtual_h = [(frag.col_bounds[0], y, frag.col_bounds[-1], y) for y in new_bounds]
        virtual_v = [] if inner_v else [(x, body_top, x, bottom) for x in frag.col_bounds]
        _merge_spanned(frag.cells, frag.col_bounds, new_bounds, frag.h_lines + virtual_h, frag.v_lines + virtual_v)
        _check_roles_against_content(frag)
        frag.warnings.append("row rules missing inside the grid: rows split by text lines")


# ------------------------------------------------------------------ words method


def _phrases(line: Line, gap: float) -> list[list[Word]]:
    out: list[list[Word]] = []
    for w in line.words:
        if out and w.bbox[0] - out[-1][-1].bbox[2] <= gap:
            out[-1].append(w)
        else:
            out.append([w])
    return out


def _span(ws: list[Word]) -> tuple[float, float]:
    return min(w.bbox[0] for w in ws), max(w.bbox[2] for w in ws)


def _header_block(lines: list[Line], i_stt: int) -> tuple[int, int]:
    """Indices [first, last] of the header lines around the line holding "STT".

    Downwards the header runs while lines have no code under "STT" and are
    set in the font of "STT" (headers are bold, body text is not) or are made
    of header phrases ("Đơn vị tính | Số liệu", "1 2 3 4"); upwards it takes
    tightly spaced lines of header phrases ("Kết quả thống kê" above a
    vertically centred "STT").
    """
    stt = next(w for w in lines[i_stt].words if w.text.strip(".:") in ("STT", "TT"))
    cx0, cx1 = stt.bbox[0] - 6, stt.bbox[2] + 6
    h = max(lines[i_stt].bbox[3] - lines[i_stt].bbox[1], 1.0)
    first = i_stt
    for j in range(i_stt - 1, max(-1, i_stt - 4), -1):
        ln = lines[j]
        if lines[first].bbox[1] - ln.bbox[3] > 0.8 * h:
            break
        if all(classify_header(t) or _looks_header_tail(t) for t in _phrase_texts(ln)):
            first = j
        else:
            break
    last = i_stt
    for j in range(i_stt + 1, min(len(lines), i_stt + 9)):
        ln = lines[j]
        if ln.bbox[1] - lines[last].bbox[3] > 1.5 * h:
            break
        if _code_like(_col_text(ln, cx0, cx1)):
            break
        texts = _phrase_texts(ln)
        same_font = stt.font is not None and all(w.font == stt.font for w in ln.words)
        if not (same_font or is_column_number_row(texts) or all(classify_header(t) or _looks_header_tail(t) for t in texts)):
            break
        last = j
    return first, last


def _phrase_texts(line: Line) -> list[str]:
    return [" ".join(w.text for w in p) for p in _phrases(line, 6.0)]


def _looks_header_tail(text: str) -> bool:
    """Wrapped tail of a header phrase: "(Sử dụng trong kỳ báo cáo …)", "năm)"."""
    f = fold(text)
    return f.startswith("(") or f.endswith(")")


def _word_columns(
    page: Page, words: list[Word], region: BBox | None, previous: GridFragment | None
) -> tuple[list[float], tuple[int, int] | None] | None:
    """Column boundaries from header phrases and white rivers between body words.

    Returns (col_bounds, header line index range in the region's lines) or
    None when no header is found and there is no previous fragment to follow.
    """
    lines = group_lines(words)
    i_stt = next((i for i, ln in enumerate(lines) if any(w.text.strip(".:") in ("STT", "TT") for w in ln.words)), None)
    if i_stt is None:
        if previous is None:
            return None
        return [c.x0 for c in previous.columns] + [previous.columns[-1].x1], None
    first, last = _header_block(lines, i_stt)
    grid_words = [w for ln in lines[first:] for w in ln.words]
    x_lo = min(w.bbox[0] for w in grid_words) - 2
    x_hi = max(w.bbox[2] for w in grid_words) + 2
    if region is not None:
        x_lo, x_hi = region[0], region[2]
    header_lines = lines[first : last + 1]
    body_words = [w for ln in lines[last + 1 :] for w in ln.words]
    phrases_by_line = [[_span(p) for p in _phrases(ln, 6.0)] for ln in header_lines]
    anchors: list[tuple[float, float]] = []
    for li, spans in enumerate(phrases_by_line):
        lower = [s for ls in phrases_by_line[li + 1 :] for s in ls]
        for s in spans:
            overlapped = [t for t in lower if min(s[1], t[1]) - max(s[0], t[0]) > 0]
            # a phrase over two or more distinct lower columns is a spanning header
            distinct = _merge_spans(overlapped)
            if len(distinct) >= 2:
                continue
            anchors.append(s)
    cols = _merge_spans(anchors)
    if len(cols) < 2:
        return None
    bounds = [x_lo]
    for a, b in zip(cols, cols[1:], strict=False):
        lo = max((a[0] + a[1]) / 2, a[1])
        hi = min((b[0] + b[1]) / 2, b[0])
        if hi <= lo:
            lo, hi = min(a[1], b[0]), max(a[1], b[0])
        bounds.append(_river(body_words, lo, hi))
    bounds.append(x_hi)
    return bounds, (first, last)


def _merge_spans(spans: list[tuple[float, float]], gap: float = 0.0) -> list[tuple[float, float]]:
    out: list[list[float]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1] + gap:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def _river(words: list[Word], lo: float, hi: float) -> float:
    """x in [lo, hi] crossed by the fewest body words: the middle of the widest such run."""
    if hi - lo < 1:
        return (lo + hi) / 2
    step = 0.5
    xs = [lo + i * step for i in range(int((hi - lo) / step) + 1)]
    counts = [sum(1 for w in words if w.bbox[0] - 0.5 < x < w.bbox[2] + 0.5) for x in xs]
    best = min(counts)
    run_start, best_run = None, (xs[0], xs[0])
    for x, c in zip(xs + [None], counts + [None], strict=False):  # type: ignore[list-item]
        if c == best and run_start is None:
            run_start = x
        elif c != best and run_start is not None:
            end = x - step if x is not None else xs[-1]
            if end - run_start > best_run[1] - best_run[0]:
                best_run = (run_start, end)
            run_start = None
    if best_run == (xs[0], xs[0]) and counts[0] != best:
        i = counts.index(best)
        return xs[i]
    return (best_run[0] + best_run[1]) / 2


_STOP_LINE = re.compile(r"^(noi nhan|tm\.|kt\.|nguoi lap|thu truong|chu tich|phu luc)")


def _words_fragments(
    page: Page, words: list[Word], hs: list[BBox], previous: GridFragment | None
) -> list[GridFragment]:
    """Grids without vertical rules: one per "STT" header (or one continuing `previous`)."""
    out: list[GridFragment] = []
    lines = group_lines(words)
    starts = [i for i, ln in enumerate(lines) if _is_header_start(lines, i)]
    if not starts and previous is not None:
        starts = [-1]
    for k, s in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        if s == -1:
            assert previous is not None
            if previous.page == page.number and previous.n_rows:
                # the body under a header box on this very page: it starts right below the box,
                # codes or not (multi-year grids often leave the STT column empty)
                seg_lines = [ln for ln in lines[:end] if ln.bbox[1] >= previous.bbox[3] - 2]
            else:
                seg_lines = _continuation_lines(lines[:end], previous)
            if not seg_lines:
                continue
        else:
            seg_lines = lines[max(0, s - 3) : end]
        seg_words = [w for ln in seg_lines for w in ln.words]
        layout = _word_columns(page, seg_words, None, previous if s == -1 else None)
        if layout is None:
            continue
        col_bounds, header_range = layout
        seg = group_lines(seg_words)
        if header_range is not None:
            h_first, h_last = header_range
            header_lines = seg[h_first : h_last + 1]
            body = seg[h_last + 1 :]
        else:
            header_lines, body = [], seg
        body = _trim_body(body, col_bounds)
        if not body:
            continue
        top = header_lines[0].bbox[1] - 2 if header_lines else body[0].bbox[1] - 2
        bottom = body[-1].bbox[3] + 2
        frag_words = [w for ln in header_lines + body for w in ln.words]
        # provisional columns to split body rows
        tmp = GridFragment(
            page=page.number,
            bbox=(col_bounds[0], top, col_bounds[-1], bottom),
            method="words",
            col_bounds=col_bounds,
            row_bounds=[],
            cells=[],
            origin=page.origin,
        )
        header_bounds = [top] + [(a.bbox[3] + b.bbox[1]) / 2 for a, b in zip(header_lines, header_lines[1:], strict=False)]
        if header_lines:
            header_bounds.append((header_lines[-1].bbox[3] + body[0].bbox[1]) / 2)
        tmp.row_bounds = header_bounds if header_lines else [top]
        tmp.cells = _build_cells(frag_words, col_bounds, header_bounds) if header_lines else []
        tmp.header_rows = len(header_lines)
        if header_lines:
            tmp.columns = _assign_roles(tmp.cells, tmp.header_rows, col_bounds)
        elif previous is not None:
            tmp.columns = _roles_from_previous(previous, col_bounds) or previous.columns
            tmp.roles_from = "previous"
        _reconcile_on_lines(tmp, body)
        body_top = tmp.row_bounds[-1]
        inner_h = sorted(y for y in (_h[1] for _h in hs) if body_top + 1 < y < bottom - 1)
        if len(inner_h) >= 2:
            row_bounds = [body_top] + _dedupe(inner_h) + [bottom]
            row_bounds = [y for i, y in enumerate(row_bounds) if i == 0 or y - row_bounds[i - 1] > 2]
            method_note = "rows from horizontal rules"
        else:
            rows = _split_lines_into_rows(body, tmp.columns)
            row_bounds = _bounds_from_rows(rows, body_top, bottom)
            method_note = "rows from text lines"
        all_bounds = tmp.row_bounds[:-1] + row_bounds if header_lines else row_bounds
        frag = GridFragment(
            page=page.number,
            bbox=(col_bounds[0], top, col_bounds[-1], bottom),
            method="words",
            col_bounds=col_bounds,
            row_bounds=all_bounds,
            cells=_build_cells(
                frag_words,
                col_bounds,
                all_bounds,
                glue_into=frozenset(c.index for c in tmp.columns if c.role == "label"),
            ),
            header_rows=len(header_lines),
            columns=tmp.columns,
            h_lines=[h for h in hs if top - 2 <= h[1] <= bottom + 2],
            origin=page.origin,
            roles_from=tmp.roles_from,
            warnings=[f"no vertical rules: columns from header and word positions; {method_note}"],
        )
        if frag.header_rows:
            n, _ = _detect_header(frag.cells)
            frag.header_rows = max(frag.header_rows, n)
        _check_roles_against_content(frag)
        out.append(frag)
    return out


def _reconcile_on_lines(frag: GridFragment, body: list[Line]) -> None:
    """Provisional roles checked against the body's text lines, before rows are split by them."""
    if frag.columns:
        _reconcile_columns(frag.columns, [[_col_text(ln, c.x0, c.x1) for c in frag.columns] for ln in body])


def _is_header_start(lines: list[Line], i: int) -> bool:
    """An "STT"/"TT" word among the first on a line, with another header phrase on it or the next line."""
    ln = lines[i]
    if not any(w.text.strip(".:") in ("STT", "TT") for w in ln.words[:2]):
        return False
    near = [ln] + ([lines[i + 1]] if i + 1 < len(lines) and lines[i + 1].bbox[1] - ln.bbox[3] < 20 else [])
    phrases = [" ".join(w.text for w in p) for n in near for p in _phrases(n, 6.0)]
    return any(classify_header(p) in ("label", "unit", "value", "note") for p in phrases)


def _dedupe(ys: list[float], tol: float = 2.0) -> list[float]:
    out: list[float] = []
    for y in ys:
        if not out or y - out[-1] > tol:
            out.append(y)
    return out


def _continuation_lines(lines: list[Line], previous: GridFragment) -> list[Line]:
    """Lines of a headerless, unruled continuation page that belong to the grid.

    The grid starts at the first line with a code in the previous page's STT
    column, or just above it where lines only continue a label (the tail of
    a row cut by the page break).
    """
    code_col = previous.col("code")
    if code_col is None:
        return []
    pc = previous.columns[code_col]
    first = next((i for i, ln in enumerate(lines) if _code_like(_col_text(ln, pc.x0, pc.x1))), None)
    if first is None:
        return []
    start = first
    x_lo, x_hi = previous.col_bounds[0], previous.col_bounds[-1]
    while start > 0:
        ln, nxt = lines[start - 1], lines[start]
        h = max(ln.bbox[3] - ln.bbox[1], 1.0)
        inside = x_lo - 2 <= ln.bbox[0] and ln.bbox[2] <= x_hi + 2
        if not inside or _col_text(ln, pc.x0, pc.x1) or nxt.bbox[1] - ln.bbox[3] > 1.5 * h:
            break
        start -= 1
    return lines[start:]


def _trim_body(body: list[Line], col_bounds: list[float]) -> list[Line]:
    """Body lines up to the end of the grid: a signature block, a new heading or a wide gap."""
    if not body:
        return body
    gaps = [b.bbox[1] - a.bbox[3] for a, b in zip(body, body[1:], strict=False)]
    heights = [ln.bbox[3] - ln.bbox[1] for ln in body]
    h = statistics.median(heights) if heights else 10.0
    out = [body[0]]
    for ln, gap in zip(body[1:], gaps, strict=False):
        if gap > max(3.0 * h, 30.0):
            break
        if _STOP_LINE.match(fold(ln.text)) and ln.bbox[0] < col_bounds[1]:
            # "Nơi nhận:" at the left margin; "Phụ lục 1B" inside the note column is grid text
            break
        if ln.bbox[2] < col_bounds[0] or ln.bbox[0] > col_bounds[-1]:
            break
        out.append(ln)
    return out


# ------------------------------------------------------------------ entry point


def find_grids(page: Page, previous: GridFragment | None = None,
               header_reader: HeaderReader | None = None) -> list[GridFragment]:
    """All grid fragments on `page`, top to bottom.

    `previous` is the last fragment of the page before, so a headerless
    continuation can borrow its column roles (and, without rules, its
    column positions).  Fragments whose columns name neither an STT nor a
    label column are still returned (for debug drawings) with roles
    guessed from content.  `header_reader` (scanned pages) re-reads the cells of a header that
    full-page OCR could not read.
    """
    h, v = _split_rulings(merge_segments(page.rulings, snap=1.5, gap=1.0))
    h = h + _open_frame_edges(h, v)
    frags: list[GridFragment] = []
    used: list[BBox] = []
    prev = previous
    for hs, vs in sorted(_ruled_regions(h, v), key=lambda g: min(s[1] for s in g[0])):
        frag = _ruled_fragment(page, hs, vs, prev, header_reader)
        if frag is None:
            continue
        frags.append(frag)
        used.append(frag.bbox)
        prev = frag
    # words outside every ruled region may hold a grid drawn without vertical rules
    free = [w for w in page.words if not any(_inside(w, b) for b in used)]
    if free:
        free_h = [s for s in h if not any(_inside_box(s, b) for b in used)]
        # a boxed header over a body ruled with horizontal lines only: the body continues the header
        synthetic: GridFragment | None = None
        # (a header OCR could not read is still a box of one or two rows whose verticals give the columns)
        header_only = [f for f in frags if f.method == "ruled" and f.n_rows <= 3
                       and ((f.header_rows and f.n_rows <= f.header_rows) or not _body_codes(f))]
        if header_only:
            _provisional_roles(header_only[-1])
        cont = previous if not frags else (header_only[-1] if header_only else None)
        if cont is None and not frags and not _has_header_start(free):
            # no rules, no header, nothing before it (a photo of one page, an "STT" OCR could not read)
            cont = _headerless_layout(page, free)
            synthetic = cont
        below = [w for w in free if not header_only or w.bbox[1] >= header_only[-1].bbox[3] - 1]
        for frag in _words_fragments(page, below if header_only else free, free_h, cont):
            if frag.n_rows - frag.header_rows >= 2 or frag.header_rows:
                if header_only and frag.header_rows == 0:
                    frag.warnings.append("body below a boxed header: columns and roles from that header")
                    frag.boxed_header = True
                    frags = [f for f in frags if f is not header_only[-1]]
                if synthetic is not None and frag.header_rows == 0:
                    frag.roles_from = "content"
                    frag.warnings.extend(synthetic.warnings)
                frags.append(frag)
    frags.sort(key=lambda f: f.bbox[1])
    for f in frags:
        f.title = _title_above(page, f)
    return frags


def _open_frame_edges(h: list[BBox], v: list[BBox], min_len: float = 100.0) -> list[BBox]:
    """The missing top or bottom rule of a grid carried over a page break (column rules or a frame only,
    the page's edge of the table left open): a horizontal where three or more long verticals (or the
    two sides of a frame closed at its other end) start or end together and no horizontal across
    them is drawn there."""
    long_v = [s for s in v if s[3] - s[1] >= min_len]
    if len(long_v) < 2:
        return []
    out: list[BBox] = []
    for end in (1, 3):
        ys = sorted(s[end] for s in long_v)
        for y in ys:
            group = [s for s in long_v if abs(s[end] - y) <= 2 * TOL]
            if len(group) < 2:
                continue
            x0, x1 = min(s[0] for s in group), max(s[0] for s in group)
            other = 4 - end  # a bare frame (two sides) counts when a rule closes its other end
            if len(group) == 2 and (x1 - x0 < 200 or not any(
                    abs(hs[1] - sum(s[other] for s in group) / 2) <= 2 * TOL and hs[0] <= x0 + TOL
                    and hs[2] >= x1 - TOL for hs in h)):
                continue
            y_mean = sum(s[end] for s in group) / len(group)
            if not any(abs(hs[1] - y_mean) <= 2 * TOL and hs[0] <= x0 + TOL and hs[2] >= x1 - TOL for hs in h + out):
                out.append((x0, y_mean, x1, y_mean))
            break
    return out


def _body_codes(frag: GridFragment) -> int:
    return sum(1 for r in range(frag.header_rows, frag.n_rows) for t in frag.row_texts(r)[:1] if _code_like(t))


def _provisional_roles(frag: GridFragment) -> None:
    """A header box whose words OCR could not read: the leftmost narrow column is taken as STT so
    the body below can follow it; the body's content then settles the other roles."""
    if frag.header_rows == 0 and frag.n_rows:
        # all of the box is header: what its cells still say ("Năm 2011") is evidence for the roles
        frag.header_rows = frag.n_rows
        frag.columns = _assign_roles(frag.cells, frag.n_rows, frag.col_bounds)
    if frag.col("code") is None and frag.columns and frag.columns[0].x1 - frag.columns[0].x0 < 70:
        frag.columns[0].role = "code"


def _ruling_debris(text: str) -> bool:
    """OCR of a ruling or a speck ("|", "¬", "———t—-—"), not of a cell's text ("-" and "%" are values)."""
    t = text.strip()
    if t in ("-", "–", "%"):
        return False
    alnum = sum(ch.isalnum() for ch in t)
    return alnum == 0 or (len(t) >= 4 and alnum < 0.4 * len(t))


def _has_header_start(words: list[Word]) -> bool:
    lines = group_lines(words)
    return any(_is_header_start(lines, i) for i in range(len(lines)))


MIN_CODED_LINES = 4


def _headerless_layout(page: Page, words: list[Word]) -> GridFragment | None:
    """Columns of a grid with neither rules nor a readable header, from where its words line up.

    Needs several lines opening with a code ("4.2.1.") at one x; columns are the white
    rivers that cross (nearly) every such line's band, and roles come from the cells'
    content (`extractors.column_roles`).  Returned as a header-less fragment that the
    continuation path then fills like a page whose header was not repeated.
    """
    # rulings a 1-bit scan lost are read as "———t—-—": they would fill every white river
    lines = group_lines([w for w in words if not _ruling_debris(w.text)])
    coded = [ln for ln in lines if ln.words and _is_code_cell(ln.words[0].text)]
    if len(coded) < MIN_CODED_LINES:
        return None
    x_code = statistics.median(ln.words[0].bbox[0] for ln in coded)
    coded = [ln for ln in coded if abs(ln.words[0].bbox[0] - x_code) <= 15]
    if len(coded) < MIN_CODED_LINES:
        return None
    top, bottom = coded[0].bbox[1], coded[-1].bbox[3]
    band = [ln for ln in lines if top - 1 <= ln.bbox[1] <= bottom + 1 and ln.bbox[0] >= x_code - 20]
    x_lo = min(ln.bbox[0] for ln in band) - 2
    x_hi = max(ln.bbox[2] for ln in band) + 2
    width = int(x_hi - x_lo) + 1
    cover = [0] * width
    for ln in band:
        for w in ln.words:
            for x in range(max(0, int(w.bbox[0] - x_lo)), min(width, int(w.bbox[2] - x_lo) + 1)):
                cover[x] += 1
    quiet = max(1, len(band) // 10)  # a few stray marks may cross a river
    gaps: list[tuple[int, int]] = []
    start = None
    for x, c in enumerate(cover + [quiet + 1]):
        if c <= quiet and start is None:
            start = x
        elif c > quiet and start is not None:
            if x - start >= 4 and start > 0:
                gaps.append((start, x))
            start = None
    bounds = [x_lo] + [x_lo + (a + b) / 2 for a, b in gaps] + [x_hi]
    # the STT column ends where its codes end, even when a stray mark fills the narrow gap after them
    code_end = max(ln.words[0].bbox[2] for ln in coded) + 1.5
    if not any(x_code < b <= code_end + 12 for b in bounds[1:-1]):
        bounds = sorted(bounds + [code_end])
    if len(bounds) < 4:  # code, label and at least one more column
        return None
    cols = [ColumnInfo(index=i, x0=bounds[i], x1=bounds[i + 1]) for i in range(len(bounds) - 1)]
    texts = [[_col_text(ln, c.x0, c.x1) for c in cols] for ln in band]
    roles, _ = column_roles.reconcile_roles(["code"] + ["other"] * (len(cols) - 1),
                                           [""] * len(cols), texts)
    if "label" not in roles or "value" not in roles:
        return None
    for col, role in zip(cols, roles, strict=True):
        col.role = role
        col.header = DEFAULT_HEADERS.get(role, "")
    _finish_roles(cols)
    return GridFragment(page=page.number, bbox=(x_lo, top, x_hi, bottom), method="words", col_bounds=bounds,
                        row_bounds=[], cells=[], columns=cols, origin=page.origin, roles_from="content",
                        warnings=["no rules and no header: columns from word alignment, roles from content"])


def _inside(w: Word, b: BBox) -> bool:
    cx = (w.bbox[0] + w.bbox[2]) / 2
    cy = (w.bbox[1] + w.bbox[3]) / 2
    return b[0] - 1 <= cx <= b[2] + 1 and b[1] - 1 <= cy <= b[3] + 1


def _inside_box(s: BBox, b: BBox) -> bool:
    return b[0] - 2 <= s[0] and s[2] <= b[2] + 2 and b[1] - 2 <= s[1] <= b[3] + 2


_TITLE = re.compile(r"^(phu luc|bieu|mau so|bang)\b")


def _title_above(page: Page, frag: GridFragment) -> str | None:
    """The "PHỤ LỤC …" heading lines just above the grid (up to 160pt above), if any."""
    lines = [ln for ln in page.lines if ln.bbox[3] <= frag.bbox[1] + 1 and frag.bbox[1] - ln.bbox[3] < 160]
    for i in range(len(lines) - 1, -1, -1):
        if _TITLE.match(fold(lines[i].text)):
            return _collapse(" ".join(ln.text for ln in lines[i:]))
    return None
