"""The word-alignment strategy: columns from header phrases and the white rivers between body words,
rows from visual lines (a new row starts where the STT column holds a code); used where vertical rules are
missing, and for headerless layouts."""

from __future__ import annotations

import re
import statistics

from cchc.core.model import BBox, Line, Page, Word
from cchc.core.vntext import fold
from extractors import column_roles
from extractors.grid_cells import bounds_from_rows, build_cells, dedupe, split_lines_into_rows
from extractors.grid_header import (
    assign_roles,
    check_roles_against_content,
    classify_header,
    detect_header,
    finish_roles,
    is_column_number_row,
    reconcile_on_lines,
    roles_from_previous,
)
from extractors.grid_model import DEFAULT_HEADERS, ColumnInfo, GridFragment, code_like, col_text, is_code_cell
from extractors.text_layer import group_lines


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
    stt = next(w for w in lines[i_stt].words if _is_code_header(w.text))
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
        if code_like(col_text(ln, cx0, cx1)):
            break
        # the code header's own wrapped words ("Mã / chỉ / tiêu") stand under it and name no role
        texts = [" ".join(w.text for w in p) for p in _phrases(ln, 6.0)
                 if not cx0 - 6 <= (p[0].bbox[0] + p[-1].bbox[2]) / 2 <= cx1 + 6]
        same_font = stt.font is not None and all(w.font == stt.font for w in ln.words)
        if not (same_font or is_column_number_row(texts) or all(classify_header(t) or _looks_header_tail(t) for t in texts)):
            break
        last = j
    return first, last


def _is_code_header(text: str) -> bool:
    """The word heading the code column: "STT", "TT", "T.T", "S.T.T", or "Mã" ("Mã số", "Mã chỉ tiêu")."""
    t = re.sub(r"[.:]", "", text)
    return t in ("STT", "TT") or t == "Mã"


def _phrase_texts(line: Line) -> list[str]:
    return [" ".join(w.text for w in p) for p in _phrases(line, 6.0)]


def _looks_header_tail(text: str) -> bool:
    """Wrapped tail of a header phrase: "(Sử dụng trong kỳ báo cáo …)", "năm)"."""
    f = fold(text)
    return f.startswith("(") or f.endswith(")")


def word_columns(
    page: Page, words: list[Word], region: BBox | None, previous: GridFragment | None
) -> tuple[list[float], tuple[int, int] | None] | None:
    """Column boundaries from header phrases and white rivers between body words.

    Returns (col_bounds, header line index range in the region's lines) or
    None when no header is found and there is no previous fragment to follow.
    """
    lines = group_lines(words)
    # the body under a boxed header of this very page has that header's columns; and an "STT" that
    # opens a header opens its line (a "TT" inside a row is a seal's letters or a word OCR split)
    boxed_above = previous is not None and previous.page == page.number and previous.n_rows > 0
    i_stt = None if boxed_above else next(
        (i for i, ln in enumerate(lines) if any(_is_code_header(w.text) for w in ln.words[:2])), None)
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


def words_fragments(
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
        layout = word_columns(page, seg_words, None, previous if s == -1 else None)
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
        tmp.cells = build_cells(frag_words, col_bounds, header_bounds) if header_lines else []
        tmp.header_rows = len(header_lines)
        if header_lines:
            tmp.columns = assign_roles(tmp.cells, tmp.header_rows, col_bounds)
        elif previous is not None:
            tmp.columns = roles_from_previous(previous, col_bounds) or previous.columns
            tmp.roles_from = "previous"
        reconcile_on_lines(tmp, body)
        body_top = tmp.row_bounds[-1]
        inner_h = sorted(y for y in (_h[1] for _h in hs) if body_top + 1 < y < bottom - 1)
        if len(inner_h) >= 2:
            row_bounds = [body_top] + dedupe(inner_h) + [bottom]
            row_bounds = [y for i, y in enumerate(row_bounds) if i == 0 or y - row_bounds[i - 1] > 2]
            method_note = "rows from horizontal rules"
        else:
            rows = split_lines_into_rows(body, tmp.columns)
            row_bounds = bounds_from_rows(rows, body_top, bottom)
            method_note = "rows from text lines"
        all_bounds = tmp.row_bounds[:-1] + row_bounds if header_lines else row_bounds
        frag = GridFragment(
            page=page.number,
            bbox=(col_bounds[0], top, col_bounds[-1], bottom),
            method="words",
            col_bounds=col_bounds,
            row_bounds=all_bounds,
            cells=build_cells(
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
            n, _ = detect_header(frag.cells)
            frag.header_rows = max(frag.header_rows, n)
        check_roles_against_content(frag)
        out.append(frag)
    return out


def _is_header_start(lines: list[Line], i: int) -> bool:
    """An "STT"/"TT" word among the first on a line, with another header phrase on it or the next line."""
    ln = lines[i]
    if not any(_is_code_header(w.text) for w in ln.words[:2]):
        return False
    near = [ln] + ([lines[i + 1]] if i + 1 < len(lines) and lines[i + 1].bbox[1] - ln.bbox[3] < 20 else [])
    phrases = [" ".join(w.text for w in p) for n in near for p in _phrases(n, 6.0)]
    return any(classify_header(p) in ("label", "unit", "value", "note") for p in phrases)


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
    first = next((i for i, ln in enumerate(lines) if code_like(col_text(ln, pc.x0, pc.x1))), None)
    if first is None:
        return []
    start = first
    x_lo, x_hi = previous.col_bounds[0], previous.col_bounds[-1]
    while start > 0:
        ln, nxt = lines[start - 1], lines[start]
        h = max(ln.bbox[3] - ln.bbox[1], 1.0)
        inside = x_lo - 2 <= ln.bbox[0] and ln.bbox[2] <= x_hi + 2
        if not inside or col_text(ln, pc.x0, pc.x1) or nxt.bbox[1] - ln.bbox[3] > 1.5 * h:
            break
        start -= 1
    return lines[start:]


def _trim_body(body: list[Line], col_bounds: list[float]) -> list[Line]:
    """Body lines up to the end of the grid: a signature block, a new heading or a wide gap.

    Lines wholly left or right of the grid's columns are margin specks and are left out.
    """
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
            continue  # specks in the margin (a scanner-edge shadow read as "p9"), not the grid's end
        out.append(ln)
    return out


def _ruling_debris(text: str) -> bool:
    """OCR of a ruling or a speck ("|", "¬", "———t—-—"), not of a cell's text ("-" and "%" are values)."""
    t = text.strip()
    if t in ("-", "–", "%"):
        return False
    alnum = sum(ch.isalnum() for ch in t)
    return alnum == 0 or (len(t) >= 4 and alnum < 0.4 * len(t))


def has_header_start(words: list[Word]) -> bool:
    lines = group_lines(words)
    return any(_is_header_start(lines, i) for i in range(len(lines)))


MIN_CODED_LINES = 4


def headerless_layout(page: Page, words: list[Word]) -> GridFragment | None:
    """Columns of a grid with neither rules nor a readable header, from where its words line up.

    Needs several lines opening with a code ("4.2.1.") at one x; columns are the white
    rivers that cross (nearly) every such line's band, and roles come from the cells'
    content (`extractors.column_roles`).  Returned as a header-less fragment that the
    continuation path then fills like a page whose header was not repeated.
    """
    # rulings a 1-bit scan lost are read as "———t—-—": they would fill every white river
    lines = group_lines([w for w in words if not _ruling_debris(w.text)])
    coded = [ln for ln in lines if ln.words and is_code_cell(ln.words[0].text)]
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
    texts = [[col_text(ln, c.x0, c.x1) for c in cols] for ln in band]
    roles, _ = column_roles.reconcile_roles(["code"] + ["other"] * (len(cols) - 1),
                                           [""] * len(cols), texts)
    if "label" not in roles or "value" not in roles:
        return None
    for col, role in zip(cols, roles, strict=True):
        col.role = role
        col.header = DEFAULT_HEADERS.get(role, "")
    finish_roles(cols)
    return GridFragment(page=page.number, bbox=(x_lo, top, x_hi, bottom), method="words", col_bounds=bounds,
                        row_bounds=[], cells=[], columns=cols, origin=page.origin, roles_from="content",
                        warnings=["no rules and no header: columns from word alignment, roles from content"])

