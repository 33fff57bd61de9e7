"""Reading a text-layer PDF page into the document model.

Two speeds, on purpose: `fast_page_texts` (pypdfium2, ~30x pdfplumber) runs
over every page so `looks_like_appendix` can pick the few pages that hold the
statistical grid; `read_page` (pdfplumber: word boxes, fonts, ruling lines)
then runs only where positions matter.  Everything downstream (grid finding,
row rebuilding) works from `Page.words` + `Page.rulings`, never from
pdfplumber objects, so OCR'd pages go through the same code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from cchc.core.model import BBox, Line, Page, TextOrigin, Word
from cchc.core.vntext import nfc

__all__ = [
    "read_page",
    "read_page_fast",
    "read_grid_page_fast",
    "group_lines",
    "page_rulings",
    "merge_segments",
    "fast_page_texts",
    "looks_like_appendix",
    "WORD_X_TOLERANCE",
    "WORD_Y_TOLERANCE",
]

# Vietnamese syllables are short and spaced; glyphs of one syllable sit
# closer than ~1.5pt at 10-13pt body sizes, while the inter-word space is
# ~2.5-3.5pt.  x_tolerance_ratio scales with the font size so 8pt footnotes and
# 14pt headings are split alike.
WORD_X_TOLERANCE = 1.5
WORD_X_TOLERANCE_RATIO = 0.15
WORD_Y_TOLERANCE = 3.0
# A rect thinner than this is a drawn rule (Word draws cell borders as thin filled rects).
THIN_RECT = 2.5
MIN_SEGMENT = 2.0


def read_page(plumber_page: Any, number: int, pdfium_page: Any | None = None) -> Page:
    """One pdfplumber page -> `Page` with words (font kept), visual lines and ruling segments.

    Coordinates stay in pdfplumber's convention (points, origin top-left).
    Glyphs hidden by a clipping path are dropped first: Word/LibreOffice
    exports draw the whole text of a cell cut by a page break (and of a
    repeated header) and only clip it, and pdfplumber would otherwise read
    both halves interleaved ("tUroBnNgD").  `pdfium_page` (a pypdfium2 page
    of the same file) is opened from the plumber page's stream when not given.
    """
    width = float(plumber_page.width)
    height = float(plumber_page.height)
    hidden = _clipped_chars(plumber_page, pdfium_page)
    source = plumber_page
    if hidden:
        source = plumber_page.filter(lambda obj: obj.get("object_type") != "char" or not _is_hidden(obj, hidden))
    raw_words = source.extract_words(
        x_tolerance=WORD_X_TOLERANCE,
        x_tolerance_ratio=WORD_X_TOLERANCE_RATIO,
        y_tolerance=WORD_Y_TOLERANCE,
        keep_blank_chars=False,
        use_text_flow=False,
        return_chars=True,
    )
    ox, oy = float(plumber_page.bbox[0]), float(plumber_page.bbox[1])
    words: list[Word] = []
    for w in raw_words:
        text = nfc(w["text"]).strip()
        if not text:
            continue
        words.append(
            Word(
                text=text,
                bbox=(float(w["x0"]) - ox, float(w["top"]) - oy, float(w["x1"]) - ox, float(w["bottom"]) - oy),
                origin=TextOrigin.TEXT,
                confidence=None,
                font=_word_font(w.get("chars") or []),
            )
        )
    page = Page(number=number, width=width, height=height, origin=TextOrigin.TEXT)
    page.words = words
    page.lines = group_lines(words)
    page.rulings = page_rulings(plumber_page)
    page.origin_reason = f"text layer: {len(words)} words"
    if hidden:
        n_hidden = sum(len(v) for v in hidden.values())
        page.origin_reason += f"; {n_hidden} clipped (invisible) glyphs ignored"
    page.is_appendix = looks_like_appendix(page.text)
    return page


_HiddenIndex = dict[str, list[tuple[float, float]]]  # char -> glyph origins (PDF space)


def _pdfium_page_for(plumber_page: Any) -> Any | None:
    """A pypdfium2 page of the same document, the document opened once per pdfplumber PDF."""
    import pypdfium2 as pdfium

    pdf = plumber_page.pdf
    doc = getattr(pdf, "_cchc_pdfium", None)
    if doc is None:
        stream = pdf.stream
        pos = stream.tell()
        stream.seek(0)
        data = stream.read()
        stream.seek(pos)
        doc = pdfium.PdfDocument(data)
        pdf._cchc_pdfium = doc
    return doc[plumber_page.page_number - 1]


def _clipped_chars(plumber_page: Any, pdfium_page: Any | None) -> _HiddenIndex:
    """Glyphs drawn outside their text object's clipping path: {char: [glyph origin]}.

    Empty when pdfium cannot tell (rotated page, no clipping, any error):
    then nothing is filtered.
    """
    try:
        import pypdfium2.raw as raw

        if int(plumber_page.rotation or 0) % 360:
            return {}
        page = pdfium_page if pdfium_page is not None else _pdfium_page_for(plumber_page)
        if page is None:
            return {}
        tp = page.get_textpage()
        try:
            return _scan_clipped(raw, tp, plumber_page)
        finally:
            tp.close()
            if pdfium_page is None:
                page.close()  # opened here: release it now, the document stays cached
    except Exception:  # never lose a page over this refinement
        return {}


def _scan_clipped(raw: Any, tp: Any, plumber_page: Any) -> _HiddenIndex:
    """Glyph origins (PDF space) outside their text object's clip box, per character."""
    import ctypes

    hidden: _HiddenIndex = {}
    ox, oy = ctypes.c_double(), ctypes.c_double()
    for i in sorted(_clipped_indices(tp)):
        code = raw.FPDFText_GetUnicode(tp.raw, i)
        # hidden spaces matter too: left in, they split the visible words they overlap
        if code < 32:
            continue
        if raw.FPDFText_GetCharOrigin(tp.raw, i, ox, oy):
            ch = nfc(chr(code))
            hidden.setdefault(ch, []).append((ox.value, oy.value))
    return hidden


def _clip_box(raw: Any, obj: Any) -> tuple[float, float, float, float] | None:
    """Bounding box of a page object's clipping path (page space, bottom-left origin)."""
    import ctypes

    clip = raw.FPDFPageObj_GetClipPath(obj)
    if not clip:
        return None
    xs: list[float] = []
    ys: list[float] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for pi in range(raw.FPDFClipPath_CountPaths(clip)):
        for si in range(raw.FPDFClipPath_CountPathSegments(clip, pi)):
            seg = raw.FPDFClipPath_GetPathSegment(clip, pi, si)
            if seg and raw.FPDFPathSegment_GetPoint(seg, x, y):
                xs.append(x.value)
                ys.append(y.value)
    if not xs:
        return None
    return (min(xs), min(ys), max(xs), max(ys))


def _is_hidden(obj: dict, hidden: _HiddenIndex) -> bool:
    """Is this pdfplumber char one of the clipped glyphs? Matched on text and glyph origin."""
    pts = hidden.get(nfc(obj.get("text", "")))
    if not pts:
        return False
    m = obj.get("matrix")
    if not m:
        return False
    x, y = float(m[4]), float(m[5])
    # pdfium and pdfminer accumulate glyph advances slightly differently along a line
    return any(abs(x - px) < 0.6 and abs(y - py) < 0.1 for px, py in pts)


def _word_font(chars: list[dict]) -> str | None:
    """The font most of a word's glyphs use (words are not split at font changes: "(<i>cả</i>")."""
    counts: dict[str, int] = {}
    for c in chars:
        name = c.get("fontname")
        if name:
            counts[name] = counts.get(name, 0) + 1
    if not counts:
        return None
    return _strip_subset(max(counts, key=lambda k: counts[k]))


def _strip_subset(font: str | None) -> str | None:
    """"ABCDEF+TimesNewRomanPS-BoldMT" -> "TimesNewRomanPS-BoldMT" (the subset tag is noise)."""
    if not font:
        return None
    return re.sub(r"^[A-Z]{6}\+", "", font)


def group_lines(words: Iterable[Word]) -> list[Line]:
    """Group words into visual lines by vertical overlap, each line left to right.

    A word joins a line when the two overlap vertically by at least half the
    smaller height (so a superscript or a slightly lower italic word stays on
    its line, while tightly leaded lines stay apart).
    """
    ordered = sorted(words, key=lambda w: ((w.bbox[1] + w.bbox[3]) / 2, w.bbox[0]))
    lines: list[list[Word]] = []
    spans: list[list[float]] = []  # [top, bottom]
    for w in ordered:
        placed = False
        wh = max(w.bbox[3] - w.bbox[1], 0.1)
        # Search recent lines only: words are sorted by their middle.
        for i in range(len(lines) - 1, max(-1, len(lines) - 4), -1):
            top, bottom = spans[i]
            overlap = min(bottom, w.bbox[3]) - max(top, w.bbox[1])
            if overlap >= 0.5 * min(wh, max(bottom - top, 0.1)):
                lines[i].append(w)
                spans[i][0] = min(top, w.bbox[1])
                spans[i][1] = max(bottom, w.bbox[3])
                placed = True
                break
        if not placed:
            lines.append([w])
            spans.append([w.bbox[1], w.bbox[3]])
    out: list[Line] = []
    for ws in lines:
        ws.sort(key=lambda w: w.bbox[0])
        out.append(
            Line(
                words=ws,
                bbox=(
                    min(w.bbox[0] for w in ws),
                    min(w.bbox[1] for w in ws),
                    max(w.bbox[2] for w in ws),
                    max(w.bbox[3] for w in ws),
                ),
            )
        )
    out.sort(key=lambda ln: (ln.bbox[1], ln.bbox[0]))
    return out


def axis_segment(x0: float, top: float, x1: float, bottom: float) -> BBox | None:
    """A drawn box as a ruling: a vertical or horizontal line through its middle, or None.

    Lines, thin filled rects (Word's cell borders) and rect edges all end up
    as zero-width/zero-height segments; anything neither thin nor long is not a rule.
    """
    x0, x1 = sorted((x0, x1))
    top, bottom = sorted((top, bottom))
    w, h = x1 - x0, bottom - top
    if w <= THIN_RECT and h >= MIN_SEGMENT:
        xm = (x0 + x1) / 2
        return (xm, top, xm, bottom)
    if h <= THIN_RECT and w >= MIN_SEGMENT:
        ym = (top + bottom) / 2
        return (x0, ym, x1, ym)
    return None


def page_rulings(plumber_page: Any) -> list[BBox]:
    """Horizontal and vertical ruling segments: drawn lines, thin rects, edges of cell rects.

    A segment is (x0, top, x1, bottom) with zero height (horizontal) or zero
    width (vertical).  Diagonal lines are dropped; collinear pieces merged.
    """
    ox, oy = float(plumber_page.bbox[0]), float(plumber_page.bbox[1])
    segs: list[BBox] = []

    def add(x0: float, top: float, x1: float, bottom: float) -> None:
        seg = axis_segment(x0 - ox, top - oy, x1 - ox, bottom - oy)
        if seg is not None:
            segs.append(seg)

    for ln in plumber_page.lines:
        pts = ln.get("pts") or []
        if len(pts) > 2:
            for (ax, ay), (bx, by) in zip(pts, pts[1:], strict=False):
                add(ax, ay, bx, by)
        else:
            add(ln["x0"], ln["top"], ln["x1"], ln["bottom"])
    for r in plumber_page.rects:
        x0, top, x1, bottom = r["x0"], r["top"], r["x1"], r["bottom"]
        if (x1 - x0) <= THIN_RECT or (bottom - top) <= THIN_RECT:
            add(x0, top, x1, bottom)
        elif r.get("stroke", True) or r.get("fill", False):
            add(x0, top, x1, top)
            add(x0, bottom, x1, bottom)
            add(x0, top, x0, bottom)
            add(x1, top, x1, bottom)
    for c in plumber_page.curves:
        pts = c.get("pts") or []
        for (ax, ay), (bx, by) in zip(pts, pts[1:], strict=False):
            if abs(ax - bx) <= 0.5 or abs(ay - by) <= 0.5:
                add(ax, ay, bx, by)
    return merge_segments(segs)


def merge_segments(segs: Iterable[BBox], snap: float = 1.5, gap: float = 1.0) -> list[BBox]:
    """Merge collinear, touching or overlapping segments (within `snap` across, `gap` along).

    Used for text-layer rulings (gap ~1pt: double borders, cell-by-cell
    borders) and by the OCR path with a larger `gap` to bridge stamps.
    """
    horiz: list[list[float]] = []
    vert: list[list[float]] = []
    for x0, top, x1, bottom in segs:
        if abs(bottom - top) <= abs(x1 - x0):
            horiz.append([(top + bottom) / 2, min(x0, x1), max(x0, x1)])
        else:
            vert.append([(x0 + x1) / 2, min(top, bottom), max(top, bottom)])

    def merge(items: list[list[float]]) -> list[list[float]]:
        items.sort(key=lambda s: (s[0], s[1]))
        # cluster by the across-coordinate
        groups: list[list[list[float]]] = []
        for s in items:
            if groups and abs(groups[-1][-1][0] - s[0]) <= snap:
                groups[-1].append(s)
            else:
                groups.append([s])
        out: list[list[float]] = []
        for g in groups:
            pos = sum(s[0] for s in g) / len(g)
            g.sort(key=lambda s: s[1])
            cur = [pos, g[0][1], g[0][2]]
            for s in g[1:]:
                if s[1] <= cur[2] + gap:
                    cur[2] = max(cur[2], s[2])
                else:
                    out.append(cur)
                    cur = [pos, s[1], s[2]]
            out.append(cur)
        return out

    result: list[BBox] = []
    for y, a, b in merge(horiz):
        if b - a >= MIN_SEGMENT:
            result.append((round(a, 2), round(y, 2), round(b, 2), round(y, 2)))
    for x, a, b in merge(vert):
        if b - a >= MIN_SEGMENT:
            result.append((round(x, 2), round(a, 2), round(x, 2), round(b, 2)))
    return result


def read_grid_page_fast(pdfium_page: Any, textpage: Any, number: int) -> Page | None:
    """`read_page` from pypdfium2 alone: words without clipped glyphs, plus ruling lines from path objects.

    About ten times faster than pdfplumber on a grid page.  Returns None where
    it cannot be trusted to equal `read_page` (a rotated page, a page whose
    drawing sits in form XObjects), and the caller falls back to pdfplumber.
    """
    import pypdfium2.raw as raw

    if pdfium_page.get_rotation() % 360:
        return None
    top_level = list(pdfium_page.get_objects(max_depth=1))
    if any(o.type == raw.FPDF_PAGEOBJ_FORM for o in top_level):
        return None
    page = read_page_fast(pdfium_page, textpage, number, skip_clipped=True)
    height = page.height
    segs: list[BBox] = []

    def add(x0: float, y0: float, x1: float, y1: float) -> None:  # page space, bottom-left origin
        seg = axis_segment(x0, height - y0, x1, height - y1)
        if seg is not None:
            segs.append(seg)

    for obj in top_level:
        if obj.type != raw.FPDF_PAGEOBJ_PATH:
            continue
        pieces = _path_segments(raw, obj)
        if not pieces:
            continue
        xs = [p[0] for seg in pieces for p in seg]
        ys = [p[1] for seg in pieces for p in seg]
        x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)  # geometric, without the stroke width
        if (x1 - x0) <= THIN_RECT or (y1 - y0) <= THIN_RECT:
            add(x0, y0, x1, y1)  # a drawn line or a thin filled rect (Word's cell borders)
            continue
        for a, b in pieces:
            if abs(a[0] - b[0]) <= 0.5 or abs(a[1] - b[1]) <= 0.5:
                add(a[0], a[1], b[0], b[1])
    page.rulings = merge_segments(segs)
    page.origin_reason = f"text layer (pdfium): {len(page.words)} words, {len(page.rulings)} rulings"
    return page


def _path_segments(raw: Any, obj: Any) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """Straight segments of a path object in page space (Bézier pieces are skipped)."""
    import ctypes

    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj.raw, ctypes.byref(m)):
        return []
    x, y = ctypes.c_float(), ctypes.c_float()
    out: list[tuple[tuple[float, float], tuple[float, float]]] = []
    start: tuple[float, float] | None = None
    prev: tuple[float, float] | None = None
    for i in range(raw.FPDFPath_CountSegments(obj.raw)):
        seg = raw.FPDFPath_GetPathSegment(obj.raw, i)
        if not seg or not raw.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y)):
            continue
        pt = (m.a * x.value + m.c * y.value + m.e, m.b * x.value + m.d * y.value + m.f)
        kind = raw.FPDFPathSegment_GetType(seg)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            start = pt
        elif kind == raw.FPDF_SEGMENT_LINETO and prev is not None:
            out.append((prev, pt))
        prev = pt
        if raw.FPDFPathSegment_GetClose(seg) and start is not None and prev != start:
            out.append((prev, start))
            prev = start
    return out


def read_page_fast(pdfium_page: Any, textpage: Any, number: int, skip_clipped: bool = False) -> Page:
    """Words and lines of a running-text page from pypdfium2 (no ruling lines): ~10× `read_page`.

    For pages that hold no grid, where only the words and their boxes matter
    (narrative figures, the header block).  Words are split on spaces and on
    gaps wider than a third of the glyph height; each keeps the font name of
    its first glyph so legacy-font detection still works.
    """
    width, height = (float(v) for v in pdfium_page.get_size())
    text = textpage.get_text_range()
    n = min(textpage.count_chars(), len(text))
    words: list[Word] = []
    chars: list[str] = []
    box: list[float] = []
    first = -1

    def flush() -> None:
        if chars:
            words.append(Word(text=nfc("".join(chars)), bbox=(box[0], height - box[3], box[2], height - box[1]),
                              origin=TextOrigin.TEXT, font=_pdfium_font(textpage, first)))
            chars.clear()

    clipped = _clipped_indices(textpage) if skip_clipped else set()
    for i in range(n):
        ch = text[i]
        if ch in "\ufffe\x02":  # pdfium marks a hyphen that ends a line: it is a real "-" here ("06/KH-")
            ch = "-"
        if ch.isspace() or i in clipped:
            flush()
            continue
        # the loose box spans the glyph's advance: inside a word neighbours touch, whatever the glyphs'
        # side bearings (a serif "1" has wide ones: tight boxes split "112" into "1 12")
        left, bottom, right, top = textpage.get_charbox(i, loose=True)
        if chars:
            gap = left - box[2]
            glyph_h = max(top - bottom, box[3] - box[1], 1.0)
            same_line = abs((top + bottom) / 2 - (box[1] + box[3]) / 2) < glyph_h * 0.6
            if not same_line or gap > glyph_h / 3 or gap < -glyph_h:
                flush()
        if not chars:
            box = [left, bottom, right, top]
            first = i
        else:
            box = [min(box[0], left), min(box[1], bottom), max(box[2], right), max(box[3], top)]
        chars.append(ch)
    flush()
    page = Page(number=number, width=width, height=height, origin=TextOrigin.TEXT)
    page.words = words
    page.lines = group_lines(words)
    page.origin_reason = f"text layer (fast reader): {len(words)} words"
    page.is_appendix = looks_like_appendix(page.text)
    return page


def _clipped_indices(textpage: Any) -> set[int]:
    """Indices of glyphs drawn outside their text object's clip box (LibreOffice's cut rows, repeated headers)."""
    import ctypes

    import pypdfium2.raw as raw

    tp = textpage.raw
    clip_cache: dict[int, tuple[float, float, float, float] | None] = {}
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    out: set[int] = set()
    for i in range(raw.FPDFText_CountChars(tp)):
        if raw.FPDFText_IsGenerated(tp, i) == 1:
            continue
        obj = raw.FPDFText_GetTextObject(tp, i)
        if not obj:
            continue
        key = ctypes.cast(obj, ctypes.c_void_p).value or 0
        if key not in clip_cache:
            clip_cache[key] = _clip_box(raw, obj)
        box = clip_cache[key]
        if box is None or not raw.FPDFText_GetCharBox(tp, i, left, right, bottom, top):
            continue
        cx, cy = (left.value + right.value) / 2, (bottom.value + top.value) / 2
        if not (box[0] - 1 <= cx <= box[2] + 1 and box[1] - 1 <= cy <= box[3] + 1):
            out.add(i)
    return out


def _pdfium_font(textpage: Any, index: int) -> str | None:
    if index < 0:
        return None
    import ctypes

    import pypdfium2.raw as raw

    buf = ctypes.create_string_buffer(128)
    flags = ctypes.c_int(0)
    size = raw.FPDFText_GetFontInfo(textpage.raw, index, buf, 128, ctypes.byref(flags))
    if not size:
        return None
    return _strip_subset(buf.value.decode("utf-8", "replace"))


def fast_page_texts(pdf_bytes: bytes) -> list[str]:
    """Plain text of every page with pypdfium2 (NFC), for triage before the slow reader."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(pdf_bytes)
    texts: list[str] = []
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            try:
                tp = page.get_textpage()
                try:
                    texts.append(nfc(tp.get_text_range()).replace("\r\n", "\n").replace("\r", "\n"))
                finally:
                    tp.close()
            finally:
                page.close()
    finally:
        pdf.close()
    return texts


_APPENDIX_HEADING = re.compile(r"^\s*(PHỤ LỤC|Phụ lục|PHỤ\s*LỤC)\b", re.MULTILINE)
_STT_HEADER = re.compile(r"(^|\s)(STT|TT|Số TT|Stt|S\.TT|S\.T\.T|T\.T|Số thứ tự|Thứ tự)\.?(\s|$)", re.MULTILINE)
# an indicator's label alone on its line ("Số TTHC liên thông cùng cấp"): what full-page OCR keeps of a grid whose
# codes and figures it lost (a phone photo of a dashed-ruled page); prose lines seldom open so, 0-4 a page
_LABEL_LINE = re.compile(r"^[\s._,'`~]{0,4}(?:Số|Tổng số|Tỷ lệ|Tỉ lệ)\s+[^\n:]{4,100}$", re.MULTILINE)
_ENDS_IN_FIGURE = re.compile(r"\d\s*%?\s*[.;]?\s*$")
LABEL_LINES_OF_A_GRID = 7
_GRID_WORDS = re.compile(
    r"ch[ỉi]\s+tiêu|nhiệm\s+vụ|đơn\s+vị\s+tính|số\s+liệu|kết\s+quả|ghi\s+chú|nội\s+dung|năm\s+\d{4}", re.IGNORECASE
)
_NUMBERED_ROW = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){1,4}\.?)\s+\S", re.MULTILINE)
_FIGURE = re.compile(r"(?<!\S)(?:\d{1,3}(?:[.,]\d{1,3})*%?|-)(?!\S)")
_DEEP_ROW = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2}){2,4}\.?\s+\S", re.MULTILINE)


def numbered_rows(text: str) -> int:
    """Lines opening with a row code ("2.3.", "3.1.1")."""
    return len(_NUMBERED_ROW.findall(nfc(text or "")))


def looks_like_appendix(text: str) -> bool:
    """Does this page hold (part of) a statistical grid?

    True on a "PHỤ LỤC" heading with numbered rows, on an "STT" header next
    to grid words (Chỉ tiêu, Đơn vị tính, …), on a page of many numbered
    rows (a continuation page whose header is not repeated) or of many
    indicator labels alone on their lines.
    """
    text = nfc(text or "")
    if not text.strip():
        return False
    numbered = numbered_rows(text)
    # the header row: "STT" next to a grid word on one line ("TT" alone is also "Thường trực" in a distribution list)
    if any(_STT_HEADER.search(line) and _GRID_WORDS.search(line) for line in text.splitlines()):
        return True
    lines = text.splitlines()
    heading = any(_APPENDIX_HEADING.match(line) and len(line.strip()) < 160 for line in lines)
    if heading and numbered >= 3:
        return True
    if numbered >= 8 and len(_DEEP_ROW.findall(text)) >= 4:
        return True
    labels = sum(1 for m in _LABEL_LINE.finditer(text) if not _ENDS_IN_FIGURE.search(m.group(0)))
    if labels >= LABEL_LINES_OF_A_GRID:
        return True
    # a multi-year grid's continuation: many lines that are mostly figures
    figure_lines = sum(1 for line in lines if len(_FIGURE.findall(line)) >= 4)
    return figure_lines >= 5
