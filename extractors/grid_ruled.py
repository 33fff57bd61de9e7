"""The ruled strategy: cells from the intersections of horizontal and vertical rulings (stamps and faint
lines leave holes that are bridged), header boxes over frame-only bodies, overfull bands split by content."""

from __future__ import annotations

from cchc.core.model import BBox, Page, Word
from extractors.grid_cells import (
    bounds_from_rows,
    build_cells,
    cluster_positions,
    merge_spanned,
    split_lines_into_rows,
    words_in,
)
from extractors.grid_header import (
    assign_roles,
    check_roles_against_content,
    finish_roles,
    reconcile_on_lines,
    reread_header,
    resolve_roles,
    roles_from_previous,
)
from extractors.grid_model import (
    DEFAULT_HEADERS,
    MAX_HEADER_BOX,
    MAX_HOLE,
    TOL,
    GridFragment,
    HeaderReader,
    code_like,
    col_text,
)
from extractors.grid_words import word_columns
from extractors.text_layer import group_lines


def split_rulings(rulings: list[BBox]) -> tuple[list[BBox], list[BBox]]:
    """(horizontal, vertical) rulings, each double rule (a double frame) merged into one."""
    h, v = [], []
    for x0, top, x1, bottom in rulings:
        if abs(bottom - top) <= 1.0 and x1 - x0 > 3:
            h.append((x0, top, x1, bottom))
        elif abs(x1 - x0) <= 1.0 and bottom - top > 3:
            v.append((x0, top, x1, bottom))
    return merge_double_rules(h, horizontal=True), merge_double_rules(v, horizontal=False)


DOUBLE_GAP = 4.5  # points: two parallel rules this close are one double rule (no row or column is so thin)
DOUBLE_OVERLAP = 0.8  # share of the shorter rule the two run side by side


def merge_double_rules(segs: list[BBox], horizontal: bool) -> list[BBox]:
    """Parallel rules a few points apart along most of their length, as one rule.

    A double frame (two rules 1.5–4 pt apart around the grid, or a double rule under the header)
    otherwise adds a row or a column no text fits in: a body ruled by its frame only then counts
    two bands and is no longer split into rows by its text lines, and the sliver takes a column's
    place.  The merged rule lies between the two (length-weighted) and spans both; TOL still finds
    the crossing rules that ended on either.  Segments shorter than 20 pt are left alone.
    """
    a = 1 if horizontal else 0  # the coordinate across the rule
    lo, hi = (0, 2) if horizontal else (1, 3)
    order = sorted(segs, key=lambda s: s[a])
    out: list[list[float]] = []  # [pos, lo, hi, weight]
    for s in order:
        pos, s_lo, s_hi = s[a], s[lo], s[hi]
        length = s_hi - s_lo
        merged = False
        if length >= 20.0:
            for m in reversed(out):
                if pos - m[0] > DOUBLE_GAP:
                    break
                m_len = m[2] - m[1]
                if m_len < 20.0 or pos - m[0] < 0.5:  # collinear pieces are not a double rule
                    continue
                overlap = min(s_hi, m[2]) - max(s_lo, m[1])
                if overlap >= DOUBLE_OVERLAP * min(length, m_len):
                    m[0] = (m[0] * m[3] + pos * length) / (m[3] + length)
                    m[1], m[2], m[3] = min(m[1], s_lo), max(m[2], s_hi), m[3] + length
                    merged = True
                    break
        if not merged:
            out.append([pos, s_lo, s_hi, length])
    if len(out) == len(segs):
        return segs
    if horizontal:
        return [(m[1], m[0], m[2], m[0]) for m in out]
    return [(m[0], m[1], m[0], m[2]) for m in out]


def ruled_regions(h: list[BBox], v: list[BBox]) -> list[tuple[list[BBox], list[BBox]]]:
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


def ruled_fragment(
    page: Page, hs: list[BBox], vs: list[BBox], previous: GridFragment | None,
    header_reader: HeaderReader | None = None,
) -> GridFragment | None:
    x0 = min(min(s[0] for s in hs), min(s[0] for s in vs))
    x1 = max(max(s[2] for s in hs), max(s[2] for s in vs))
    y0 = min(min(s[1] for s in hs), min(s[1] for s in vs))
    y1 = max(max(s[3] for s in hs), max(s[3] for s in vs))
    height, width = max(y1 - y0, 1.0), max(x1 - x0, 1.0)
    vx = cluster_positions([(s[0], s[3] - s[1]) for s in vs])
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
    hy = cluster_positions([(s[1], s[2] - s[0]) for s in hs])
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
    words = words_in(page.words, (x0, y0, x1, y1))
    if not words:
        return None
    if len(col_bounds) < 3:
        # an outer frame or horizontal rules only: columns from the words
        layout = word_columns(page, words, (x0, y0, x1, y1), previous)
        if layout is None:
            return None
        col_bounds, _ = layout
        col_bounds[0], col_bounds[-1] = x0, x1
    cells = build_cells(words, col_bounds, row_bounds)
    merge_spanned(cells, col_bounds, row_bounds, hs, vs + body_v)
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
    resolve_roles(frag, previous)
    if header_reader is not None and reread_header(frag, header_reader, previous, box_bottom if body_v else None):
        resolve_roles(frag, previous)
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
    cols = assign_roles(frag.cells, n_box, frag.col_bounds)
    prev = roles_from_previous(previous, frag.col_bounds) if previous is not None else None
    if prev is not None:
        taken = {c.role for c in cols if c.role != "other"}
        for c, p in zip(cols, prev, strict=True):
            if c.role == "other" and p.role != "other" and (p.role == "value" or p.role not in taken):
                c.role, c.header = p.role, c.header or p.header
                taken.add(p.role)
        finish_roles(cols)
    frag.columns = cols
    frag.roles_from = "header"
    body = group_lines([w for w in words if (w.bbox[1] + w.bbox[3]) / 2 > box_bottom])
    reconcile_on_lines(frag, body)
    if frag.col("code") is None and frag.columns and frag.columns[0].x1 - frag.columns[0].x0 < 70:
        texts = [col_text(ln, frag.columns[0].x0, frag.columns[0].x1) for ln in body]
        if sum(code_like(t) for t in texts) >= 3:
            frag.columns[0].role, frag.columns[0].header = "code", frag.columns[0].header or DEFAULT_HEADERS["code"]


def _header_box_columns(hs: list[BBox], vs: list[BBox], x0: float, x1: float,
                        y0: float) -> tuple[list[float], float]:
    """Inner column rules of a header box drawn at the top of a frame: x of each vertical that runs
    down to the box's bottom rule (a horizontal across the frame), from no higher than the frame's top.

    The bottom rule is the lowest full-width horizontal that at least two inner verticals reach.
    """
    width = max(x1 - x0, 1.0)
    full = sorted({round(y, 1) for y, length in cluster_positions([(s[1], s[2] - s[0]) for s in hs])
                   if length >= 0.9 * width and y > y0 + 8})
    inner = [s for s in vs if x0 + TOL < s[0] < x1 - TOL and s[1] >= y0 - TOL]
    best: tuple[list[float], float] = ([], y0)
    for y in full:
        reach = [s for s in inner if abs(s[3] - y) <= TOL and s[3] - s[1] >= 6]
        xs = [p for p, _ in cluster_positions([(s[0], s[3] - s[1]) for s in reach])]
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
            coded = [ln for ln in lines if cc is not None and code_like(col_text(ln, cc.x0, cc.x1))]
            if len(coded) >= 2 or (frame_body and len(lines) >= 4):
                # a whole body without row rules (vertical rules only, a frame): split it like an
                # unruled grid (white space, codes, units); a band of two or three rows: at codes only
                rows = split_lines_into_rows(lines, frag.columns,
                                              strict=len(coded) < 4 and not frame_body and len(lines) < 8)
                if len(rows) >= 2:
                    inner = bounds_from_rows(rows, top, bottom)[1:-1]
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
        frag.cells = header_cells + build_cells(words, frag.col_bounds, new_bounds, glue_into=glue)[frag.header_rows:]
        # the split acts as the missing rules: cells are not merged back across it
        virtual_h = [(frag.col_bounds[0], y, frag.col_bounds[-1], y) for y in new_bounds]
        virtual_v = [] if inner_v else [(x, body_top, x, bottom) for x in frag.col_bounds]
        merge_spanned(frag.cells, frag.col_bounds, new_bounds, frag.h_lines + virtual_h, frag.v_lines + virtual_v)
        check_roles_against_content(frag)
        frag.warnings.append("row rules missing inside the grid: rows split by text lines")


def open_frame_edges(h: list[BBox], v: list[BBox], min_len: float = 100.0) -> list[BBox]:
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



def mend_broken_verticals(h: list[BBox], v: list[BBox], max_gap: float = 30.0) -> list[BBox]:
    """Verticals of a scan whose end stops short of every horizontal, carried down (or up) to the next one.

    A thin column rule on a 1-bit or low-dpi scan loses its last pieces: the STT | label rule of a
    header box stops 20 pt above the box's bottom, the box's cells merge and the grid loses its STT
    column.  A drawn rule ends on a rule (a box corner, a two-level header's inner line); an end in
    mid-air is a broken one.  Only ends within `max_gap` of a horizontal that crosses the rule's x are
    carried over; a rule with no horizontal near its end stays as it is.
    """
    out = []
    for x0, y0, x1, y1 in v:
        x = (x0 + x1) / 2
        across = [hs[1] for hs in h if hs[0] - TOL <= x <= hs[2] + TOL]
        if across and not any(abs(y - y1) <= TOL for y in across):
            below = [y for y in across if y1 < y <= y1 + max_gap]
            if below:
                y1 = min(below)
        if across and not any(abs(y - y0) <= TOL for y in across):
            above = [y for y in across if y0 - max_gap <= y < y0]
            if above:
                y0 = max(above)
        out.append((x0, y0, x1, y1))
    return out
