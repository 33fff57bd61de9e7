"""Cells and rows shared by the ruled and word strategies: atomic cells from row/column bounds, spanned
cells merged, and rows split by content where no horizontal rule separates them."""

from __future__ import annotations

from cchc.core.model import BBox, Line, Word
from cchc.core.vntext import fold
from extractors.grid_model import TOL, UNIT_WORDS, ColumnInfo, GridCell, code_like, col_text
from extractors.text_layer import group_lines


def cluster_positions(items: list[tuple[float, float]], tol: float = 2.5) -> list[tuple[float, float]]:
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


def build_cells(
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
                    if not w.text[:1].islower() and (UNIT_WORDS.match(fold(rest)) or w.text[:1].isdigit()):
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


def words_in(words: list[Word], bbox: BBox, pad: float = 1.0) -> list[Word]:
    x0, y0, x1, y1 = bbox
    out = []
    for w in words:
        cx = (w.bbox[0] + w.bbox[2]) / 2
        cy = (w.bbox[1] + w.bbox[3]) / 2
        if x0 - pad <= cx <= x1 + pad and y0 - pad <= cy <= y1 + pad:
            out.append(w)
    return out


def split_lines_into_rows(
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
        code_txt = col_text(ln, code.x0, code.x1) if code else ""
        label_txt = col_text(ln, label.x0, label.x1) if label else ""
        unit_txt = " ".join(col_text(ln, c.x0, c.x1) for c in uv if c.role == "unit").strip()
        value_txts = [t for t in (col_text(ln, c.x0, c.x1).strip() for c in uv if c.role == "value") if t]
        has_uv = bool(unit_txt or value_txts)
        # A unit/value of its own: a value not going on in lowercase, or a unit from the usual
        # vocabulary ("Thủ tục", "%", "Cơ quan, đơn vị", "Chưa = 0 …"); "vị" or "2394/QĐ-UBND của"
        # only continue a wrapped unit cell.
        new_uv = any(not t[:1].islower() for t in value_txts) or (
            bool(unit_txt) and (bool(UNIT_WORDS.match(fold(unit_txt))) or "=" in unit_txt)
        )
        start = not rows or code_like(code_txt)
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
        is_code = code is not None and code_like(col_text(ln, code.x0, code.x1))
        if not rows or (is_code and seen_code):
            rows.append([ln.bbox[1], ln.bbox[3]])
        else:
            rows[-1][0] = min(rows[-1][0], ln.bbox[1])
            rows[-1][1] = max(rows[-1][1], ln.bbox[3])
        seen_code = seen_code or is_code
    return [(a, b) for a, b in rows]


MIN_ROW_GAP_JUMP = 3.0  # points between the line gap inside a row and the gap between rows


def _label_span(line: Line, label: ColumnInfo | None) -> tuple[float, float]:
    """A line's extent from its label words: a garbled value under a seal is read with a box twice
    as tall as the text, which swallows the white space that separates rows."""
    ws = [w for w in line.words if label is not None and label.x0 <= (w.bbox[0] + w.bbox[2]) / 2 <= label.x1]
    if not ws:
        return line.bbox[1], line.bbox[3]
    return min(w.bbox[1] for w in ws), max(w.bbox[3] for w in ws)


def _clear_break(below: float, above: float) -> bool:
    """Is `above` a row gap when `below` is a wrapped-line gap?  A fixed jump, or (small print, a
    photo's tight cells: 1.9 pt inside rows, 4.4 pt between them) twice the gap with 2 pt to spare."""
    jump = above - below
    return jump >= MIN_ROW_GAP_JUMP or (jump >= MIN_RELATIVE_JUMP and above >= 2.0 * max(below, 1.0))


MIN_RELATIVE_JUMP = 2.0


def _gap_blocks(lines: list[Line], cols: list[ColumnInfo]) -> list[list[Line]] | None:
    """Rows from white space, when the table has it: cell padding makes the gap between rows
    clearly larger than between the wrapped lines of one row.

    Trusted only when nearly every coded line starts its own block; then a label wrapped around a
    vertically centred code and value ("Tỷ lệ …" / "3.2.1. % 12,5" / "… mức độ 3") stays one row.
    Returns None when the gaps do not separate rows (tight tables): the caller splits by content.
    """
    if len(lines) < 6:
        return None
    label = next((c for c in cols if c.role == "label"), None)
    spans = [_label_span(ln, label) for ln in lines]
    gaps = [b[0] - a[1] for a, b in zip(spans, spans[1:], strict=False)]
    ordered = sorted(gaps)
    # the highest clear break with enough gaps above it: wrapped lines may overlap (-4 pt, centred cells)
    # or sit apart (+2 pt); only the class above the top break separates rows
    above_min = max(3, len(ordered) // 5)
    breaks = [i for i in range(len(ordered) - 1) if _clear_break(ordered[i], ordered[i + 1])
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
    coded = sum(1 for ln in lines if code_like(col_text(ln, code.x0, code.x1))) if code is not None else 0
    if coded >= 3:
        return blocks if len(blocks) >= 0.9 * coded else None
    # OCR lost the STT column (a photo's faint codes): trust the blocks when none starts mid-label
    if label is None or len(blocks) < 3:
        return None
    starts = [col_text(b[0], label.x0, label.x1).strip() for b in blocks[1:]]
    mid_label = sum(1 for t in starts if not t or t[:1].islower() or t[:1] in "(,;:")
    return blocks if mid_label <= 0.1 * len(starts) else None


def bounds_from_rows(rows: list[tuple[float, float]], top: float, bottom: float) -> list[float]:
    bounds = [top]
    for (_, b1), (t2, _) in zip(rows, rows[1:], strict=False):
        bounds.append((b1 + t2) / 2)
    bounds.append(bottom)
    return bounds


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


def merge_spanned(
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


def dedupe(ys: list[float], tol: float = 2.0) -> list[float]:
    out: list[float] = []
    for y in ys:
        if not out or y - out[-1] > tol:
            out.append(y)
    return out

