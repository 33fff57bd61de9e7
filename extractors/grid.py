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

from cchc.core.model import BBox, Page, TextOrigin, Word
from cchc.core.vntext import fold
from extractors.grid_header import body_codes, classify_header, is_column_number_row, provisional_roles
from extractors.grid_model import ColumnInfo, GridCell, GridFragment, HeaderReader, collapse, join_cell_lines
from extractors.grid_ruled import (
    mend_broken_verticals,
    open_frame_edges,
    ruled_fragment,
    ruled_regions,
    split_rulings,
)
from extractors.grid_words import has_header_start, headerless_layout, words_fragments
from extractors.text_layer import merge_segments

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
    h, v = split_rulings(merge_segments(page.rulings, snap=1.5, gap=1.0))
    if page.origin is TextOrigin.OCR:
        v = mend_broken_verticals(h, v)
    h = h + open_frame_edges(h, v)
    frags: list[GridFragment] = []
    used: list[BBox] = []
    prev = previous
    for hs, vs in sorted(ruled_regions(h, v), key=lambda g: min(s[1] for s in g[0])):
        frag = ruled_fragment(page, hs, vs, prev, header_reader)
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
        # (or a header box whose column rules run one body row further down than its bottom rule)
        header_only = [f for f in frags if f.method == "ruled" and f.n_rows <= 3
                       and ((f.header_rows and f.n_rows <= f.header_rows + 1) or not body_codes(f))]
        if header_only:
            provisional_roles(header_only[-1])
        cont = previous if not frags else (header_only[-1] if header_only else None)
        if cont is None and not frags and not has_header_start(free):
            # no rules, no header, nothing before it (a photo of one page, an "STT" OCR could not read)
            cont = headerless_layout(page, free)
            synthetic = cont
        top = _header_bottom(header_only[-1]) if header_only else 0.0
        if header_only and top < header_only[-1].bbox[3] - 1:
            # the body row the box took in goes back to the body below it
            box = header_only[-1]
            free = free + [w for w in page.words if _inside(w, box.bbox) and w.bbox[1] >= top - 1]
            box.bbox = (box.bbox[0], box.bbox[1], box.bbox[2], top)
        below = [w for w in free if not header_only or w.bbox[1] >= top - 1]
        for frag in words_fragments(page, below if header_only else free, free_h, cont):
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


def _header_bottom(frag: GridFragment) -> float:
    """Where a boxed header's header rows end (its last row may already be the body's first)."""
    if frag.header_rows and len(frag.row_bounds) > frag.header_rows:
        return frag.row_bounds[frag.header_rows]
    return frag.bbox[3]


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
            return collapse(" ".join(ln.text for ln in lines[i:]))
    return None

