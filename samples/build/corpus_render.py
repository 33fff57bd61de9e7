"""Laying a filled report out as a display list of pages, and playing it into a PDF.

Why a display list rather than drawing straight to a canvas: the same page is
needed as vector text (text twin, mixed narrative), as an image to degrade,
and as invisible text at word positions (sandwich PDFs); and the truth needs
the page each value landed on, known exactly here.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from corpus_fill import FilledRow, Identity
from reportlab import rl_config
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONTS = {
    "DejaVuSerif": ("dejavu/DejaVuSerif.ttf", "dejavu/DejaVuSerif-Bold.ttf"),
    "DejaVuSans": ("dejavu/DejaVuSans.ttf", "dejavu/DejaVuSans-Bold.ttf"),
    "LiberationSerif": ("liberation2/LiberationSerif-Regular.ttf", "liberation2/LiberationSerif-Bold.ttf"),
    "LiberationSans": ("liberation2/LiberationSans-Regular.ttf", "liberation2/LiberationSans-Bold.ttf"),
    "DejaVuSerifCondensed": ("dejavu/DejaVuSerifCondensed.ttf", "dejavu/DejaVuSerifCondensed-Bold.ttf"),
    "DejaVuSansCondensed": ("dejavu/DejaVuSansCondensed.ttf", "dejavu/DejaVuSansCondensed-Bold.ttf"),
    "FreeSerif": ("freefont/FreeSerif.ttf", "freefont/FreeSerifBold.ttf"),
    "FreeSans": ("freefont/FreeSans.ttf", "freefont/FreeSansBold.ttf"),
    "Carlito": ("crosextra/Carlito-Regular.ttf", "crosextra/Carlito-Bold.ttf"),
    "CharisSIL": ("charis/CharisSIL-Regular.ttf", "charis/CharisSIL-Bold.ttf"),
    "OpenSans": ("open-sans/OpenSans-Regular.ttf", "open-sans/OpenSans-Bold.ttf"),
    "NotoSerif": ("noto/NotoSerif-Regular.ttf", "noto/NotoSerif-Bold.ttf"),
    "Lato": ("lato/Lato-Regular.ttf", "lato/Lato-Bold.ttf"),
    "Tinos": ("croscore/Tinos-Regular.ttf", "croscore/Tinos-Bold.ttf"),
    "Roboto": ("roboto/unhinted/RobotoTTF/Roboto-Regular.ttf", "roboto/unhinted/RobotoTTF/Roboto-Bold.ttf"),
    "NotoSerifDisplay": ("noto/NotoSerifDisplay-Regular.ttf", "noto/NotoSerifDisplay-Bold.ttf"),
    "NotoSans": ("noto/NotoSans-Regular.ttf", "noto/NotoSans-Bold.ttf"),
}
# from fonts-dejavu-core, fonts-liberation2 (v1 lacks Vietnamese), fonts-freefont-ttf, fonts-crosextra-carlito,
# fonts-sil-charis, fonts-open-sans, fonts-noto-core, fonts-lato, fonts-croscore (Tinos: Times New Roman's
# metrics, what Decree 30/2020 asks agencies to print in) and fonts-roboto-unhinted (`make sysdeps`)
FONT_ROOT = "/usr/share/fonts/truetype/"
_GLYPHS: dict[str, set[int]] = {}


def register_fonts() -> None:
    for fam, (reg, bold) in FONTS.items():
        for name, path in ((fam, reg), (fam + "-Bold", bold)):
            if name in _GLYPHS:
                continue
            if name not in pdfmetrics.getRegisteredFontNames():  # other code may have registered it already
                pdfmetrics.registerFont(TTFont(name, FONT_ROOT + path))
            _GLYPHS[name] = set(pdfmetrics.getFont(name).face.charToGlyph)


def check_glyphs(font: str, s: str) -> None:
    """A missing glyph would print a box the truth does not know about: fail loudly instead."""
    missing = {ch for ch in s if ord(ch) not in _GLYPHS[font] and not ch.isspace()}
    if missing:
        raise ValueError(f"font {font} has no glyph for {sorted(missing)} in {s!r}")


@dataclass
class PageDL:
    """One page: size in points, drawing ops, and where values and the signature sit."""

    width: float
    height: float
    role: str  # narrative | appendix
    ops: list[tuple[Any, ...]] = field(default_factory=list)
    value_boxes: list[tuple[float, float, float, float]] = field(default_factory=list)
    sig_box: tuple[float, float, float, float] | None = None

    def text(self, x: float, y: float, font: str, size: float, s: str) -> None:
        if s:
            check_glyphs(font, s)
            self.ops.append(("text", x, y, font, size, s))

    def line(self, x0: float, y0: float, x1: float, y1: float, w: float,
             dash: tuple[float, float] | None = None) -> None:
        self.ops.append(("line", x0, y0, x1, y1, w) + ((dash,) if dash else ()))

    def rect(self, x: float, y: float, w: float, h: float, grey: float) -> None:
        """A filled grey box (shaded header or zebra row), drawn under what follows it."""
        self.ops.append(("rect", x, y, w, h, grey))

    def centered(self, cx: float, y: float, font: str, size: float, s: str) -> None:
        self.text(cx - pdfmetrics.stringWidth(s, font, size) / 2, y, font, size, s)


@dataclass
class Layout:
    """Everything about how one report looks (recorded in the manifest)."""

    font: str
    size: float
    label_frac: float  # share of the table width given to the label column
    unit_first: bool  # unit column before the value column
    note_col: bool
    plan_actual: bool
    two_level: bool
    headers: dict[str, str]  # role -> header wording; "group" = two-level header over unit/value
    ruling: str  # full | h_only | v_only | frame_header
    line_w: float
    bold_sections: bool
    repeat_header: bool
    split_rows: bool
    value_align: str  # right | center
    paragraphs: int
    # styles only the dev6 / held-out splits draw (corpus_splits "styles"); the defaults draw nothing new
    borderless: bool = False  # no rulings at all, header included: columns only by alignment
    dash: tuple[float, float] | None = None  # dashed or dotted rulings: (on, off) in points
    shade_header: float | None = None  # grey level of a filled header band
    zebra: float | None = None  # grey level of every other body row
    double_frame: float | None = None  # gap (pt) of a second frame drawn around the table
    pct_sign: str | None = None  # percentages printed with their sign, this between number and "%"
    landscape: bool = False  # a plain (single-value) appendix printed landscape

    def as_dict(self) -> dict[str, Any]:
        """The manifest's layout record; new styles only when drawn, so older splits' manifests keep their bytes."""
        return {k: v for k, v in self.__dict__.items() if k not in _STYLE_DEFAULTS or v != _STYLE_DEFAULTS[k]}


_STYLE_DEFAULTS: dict[str, Any] = {"borderless": False, "dash": None, "shade_header": None, "zebra": None,
                                   "double_frame": None, "pct_sign": None, "landscape": False}


@dataclass
class Placed:
    """Where a filled row's values were drawn: page index (0-based) per column."""

    row: FilledRow
    page: int


# ------------------------------------------------------------------ narrative page


def narrative_page(ident: Identity, paras: list[str], lay: Layout, multiyear: bool) -> PageDL:
    register_fonts()
    w, h = A4
    pg = PageDL(w, h, "narrative")
    f, fb, s = lay.font, lay.font + "-Bold", lay.size + 0.5
    lx, rx = w * 0.26, w * 0.66
    y = h - 56
    left = ([ident.upper] if ident.upper else []) + ident.body
    for i, line in enumerate(left):
        pg.centered(lx, y - i * (s + 3), f if (i == 0 and ident.upper) else fb, s - 0.5, line)
    pg.centered(rx, y, fb, s - 0.5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    pg.centered(rx, y - (s + 3), fb, s, "Độc lập - Tự do - Hạnh phúc")
    yy = y - max(len(left), 2) * (s + 3) - 8
    pg.line(lx - 30, yy + s, lx + 30, yy + s, 0.6)
    pg.line(rx - 70, y - 2 * (s + 3) + s - 2, rx + 70, y - 2 * (s + 3) + s - 2, 0.6)
    yd, md, dd = ident.date
    pg.centered(lx, yy - 6, f, s, f"Số: {ident.doc_number}")
    pg.centered(rx, yy - 6, f, s, f"{ident.place}, ngày {dd} tháng {md} năm {yd}")
    y = yy - 6 - 3 * s
    title = "BÁO CÁO"
    sub = (f"Tổng kết công tác cải cách hành chính {ident.period_label}" if multiyear
           else f"Kết quả công tác cải cách hành chính {ident.period_label}")
    pg.centered(w / 2, y, fb, s + 2, title)
    y -= s + 6
    pg.centered(w / 2, y, fb, s, sub)
    y -= s + 8
    pg.centered(w / 2, y, f, s, f"Kính gửi: {ident.recipient}")
    y -= 2 * s + 4
    x0, x1 = 70, w - 56
    for p in paras:
        lines = simpleSplit(p, f, s, x1 - x0 - 20)
        for i, line in enumerate(lines):
            pg.text(x0 + (20 if i == 0 else 0), y, f, s, line)
            y -= s * 1.45
        y -= s * 0.5
    y -= s
    sx = w * 0.7
    top = y
    for line in ident.signer_title:
        pg.centered(sx, y, fb, s, line)
        y -= s + 3
    y -= 3.2 * s
    pg.centered(sx, y, fb, s, ident.signer_name)
    pg.sig_box = (sx - 70, y - 4, sx + 70, top + s)
    return pg


# ------------------------------------------------------------------ appendix grid


@dataclass
class Col:
    role: str
    header: str
    width: float
    group: str | None = None  # two-level: header spanning adjacent columns
    key: str | None = None  # value column label (None = the single value column)


def _columns(lay: Layout, usable: float, years: list[str] | None) -> list[Col]:
    hd = lay.headers
    s = lay.size
    code_w = max(34.0, s * 3.4)
    if years:
        year_w = (usable - code_w) * (1 - lay.label_frac) / len(years)
        label_w = usable - code_w - year_w * len(years)
        cols = [Col("code", hd["code"], code_w), Col("label", hd["label"], label_w)]
        cols += [Col("value", y, year_w, group=hd["group"], key=y) for y in years]
        return cols
    label_w = usable * lay.label_frac
    rest = usable - code_w - label_w
    vals = [Col("value", "Kế hoạch", 0, key="Kế hoạch"), Col("value", "Thực hiện", 0, key="Thực hiện")] \
        if lay.plan_actual else [Col("value", hd["value"], 0)]
    unit = Col("unit", hd["unit"], 0)
    mid = [unit, *vals] if lay.unit_first else [*vals, unit]
    parts = mid + ([Col("note", hd["note"], 0)] if lay.note_col else [])
    weights = {"unit": 1.25, "value": 1.0, "note": 0.9}
    tot = sum(weights[c.role] for c in parts)
    for c in parts:
        c.width = rest * weights[c.role] / tot
    if lay.two_level:
        grp = hd["group"]
        for c in mid if not lay.plan_actual else vals:
            c.group = grp
    return [Col("code", hd["code"], code_w), Col("label", hd["label"], label_w), *parts]


def _wrap(s: str, font: str, size: float, width: float) -> list[str]:
    return simpleSplit(s, font, size, max(width - 6, 10)) if s else []


class _Grid:
    """Draws one grid, page after page; records the page of every value."""

    def __init__(self, pages: list[PageDL], lay: Layout, landscape_: bool, title: list[str],
                 years: list[str] | None) -> None:
        self.pages, self.lay, self.years = pages, lay, years
        self.size = landscape(A4) if landscape_ else A4
        self.x0 = 42.0
        self.usable = self.size[0] - 2 * self.x0
        self.cols = _columns(lay, self.usable, years)
        self.f, self.fb, self.s = lay.font, lay.font + "-Bold", lay.size
        self.lead = self.s * 1.22
        self.bottom = 48.0
        self.placed: list[Placed] = []
        self.rows_drawn = 0
        self._new_page(title)

    def _line(self, x0: float, y0: float, x1: float, y1: float) -> None:
        """Every grid ruling: none when borderless, dashed/dotted when asked."""
        if not self.lay.borderless:
            self.pg.line(x0, y0, x1, y1, self.lay.line_w, self.lay.dash)

    # -- page and header
    def _new_page(self, title: list[str] | None = None) -> None:
        w, h = self.size
        self.pg = PageDL(w, h, "appendix")
        self.pages.append(self.pg)
        self.y = h - 50
        for i, t in enumerate(title or []):
            self.pg.centered(w / 2, self.y, self.fb if i < 2 else self.f, self.s + (1 if i == 0 else 0), t)
            self.y -= self.s + 5
        self.y -= 4
        self.table_top = self.y
        if title or self.lay.repeat_header:
            self._header()

    def _header(self) -> None:
        pg, lay, s = self.pg, self.lay, self.s
        two = any(c.group for c in self.cols)
        line_h = s * 1.2
        sub_lines = max(len(_wrap(c.header, self.fb, s, c.width)) for c in self.cols)
        h2 = sub_lines * line_h + 8
        h1 = (line_h * 2 + 8) if two else 0.0
        top = self.y
        if lay.shade_header is not None:
            pg.rect(self.x0, top - h1 - h2, self.usable, h1 + h2, lay.shade_header)
        x = self.x0
        i = 0
        while i < len(self.cols):
            c = self.cols[i]
            if c.group:
                j = i
                gw = 0.0
                while j < len(self.cols) and self.cols[j].group == c.group:
                    gw += self.cols[j].width
                    j += 1
                self._cell_text(x, top, gw, h1, c.group, self.fb, center=True)
                self._line(x, top - h1, x + gw, top - h1)
                xx = x
                for k in range(i, j):
                    self._cell_text(xx, top - h1, self.cols[k].width, h2, self.cols[k].header, self.fb, center=True)
                    if k > i:
                        self._line(xx, top - h1, xx, top - h1 - h2)
                    xx += self.cols[k].width
                x = xx
                i = j
            else:
                self._cell_text(x, top, c.width, h1 + h2, c.header, self.fb, center=True)
                x += c.width
                i += 1
        # header rulings: always a full box
        bottom = top - h1 - h2
        self._line(self.x0, top, self.x0 + self.usable, top)
        self._line(self.x0, bottom, self.x0 + self.usable, bottom)
        x = self.x0
        for c in self.cols:
            self._line(x, top, x, bottom)
            x += c.width
        self._line(x, top, x, bottom)
        self.y = bottom
        self.table_top = top

    def _cell_text(self, x: float, top: float, w: float, h: float, text: str, font: str, center: bool) -> None:
        lines = _wrap(text, font, self.s, w)
        lh = self.s * 1.2
        y = top - (h - len(lines) * lh) / 2 - self.s
        for ln in lines:
            if center:
                self.pg.centered(x + w / 2, y, font, self.s, ln)
            else:
                self.pg.text(x + 3, y, font, self.s, ln)
            y -= lh

    # -- body
    def add(self, fr: FilledRow) -> None:
        section = fr.kind == "section" and not fr.values
        font = self.fb if section and self.lay.bold_sections else self.f
        col_lines: list[list[str]] = []
        for c in self.cols:
            col_lines.append(self._cell_lines(fr, c, font))
        n = max(1, *(len(x) for x in col_lines))
        need = n * self.lead + 6
        if self.y - need < self.bottom:
            fit = int((self.y - self.bottom - 6) // self.lead)
            label_i = next(i for i, c in enumerate(self.cols) if c.role == "label")
            others = max([len(x) for i, x in enumerate(col_lines) if i != label_i] + [1])
            if self.lay.split_rows and n >= 3 and fit >= max(2, others) and fit < n:
                head = [x[:fit] if i == label_i else x for i, x in enumerate(col_lines)]
                self._draw_row(head, fit, fr, font)
                self._close_page()
                self._new_page()
                tail = [col_lines[label_i][fit:] if i == label_i else [] for i in range(len(self.cols))]
                self._draw_row(tail, n - fit, None, font)
                return
            self._close_page()
            self._new_page()
        self._draw_row(col_lines, n, fr, font)

    def _cell_lines(self, fr: FilledRow, c: Col, font: str) -> list[str]:
        if c.role == "code":
            return [fr.printed_code] if fr.printed_code else []
        if c.role == "label":
            return _wrap(fr.label, font, self.s, c.width)
        if c.role == "unit":
            return _wrap(fr.unit or "", self.f, self.s, c.width)
        if c.role == "value":
            cell = fr.values.get(c.key)
            return _wrap(cell.raw, self.f, self.s, c.width) if cell else []
        return []

    def _draw_row(self, col_lines: list[list[str]], n: int, fr: FilledRow | None, font: str) -> None:
        top = self.y
        h = n * self.lead + 6
        if self.lay.zebra is not None and fr is not None and self.rows_drawn % 2 == 1:
            self.pg.rect(self.x0, top - h, self.usable, h, self.lay.zebra)
        if fr is not None:
            self.rows_drawn += 1
        x = self.x0
        for c, lines in zip(self.cols, col_lines, strict=True):
            y = top - 3 - self.s
            for ln in lines:
                f = font if c.role in ("label", "code") else self.f
                tw = pdfmetrics.stringWidth(ln, f, self.s)
                if c.role == "label":
                    tx = x + 3
                elif c.role == "value" and self.lay.value_align == "right":
                    tx = x + c.width - 4 - tw
                else:
                    tx = x + (c.width - tw) / 2
                self.pg.text(tx, y, f, self.s, ln)
                y -= self.lead
            if c.role == "value" and lines:
                self.pg.value_boxes.append((x, top - h, x + c.width, top))
            x += c.width
        if fr is not None:
            self.placed.append(Placed(fr, len(self.pages) - 1))
        self.y = top - h
        if self.lay.ruling in ("full", "h_only"):
            self._line(self.x0, self.y, self.x0 + self.usable, self.y)
        if self.lay.ruling in ("full", "v_only"):
            xx = self.x0
            for c in self.cols:
                self._line(xx, top, xx, self.y)
                xx += c.width
            self._line(xx, top, xx, self.y)

    def _close_page(self) -> None:
        x1 = self.x0 + self.usable
        if self.lay.ruling in ("frame_header", "h_only", "v_only"):
            self._line(self.x0, self.y, x1, self.y)
            if self.lay.ruling == "frame_header":
                self._line(self.x0, self.table_top, self.x0, self.y)
                self._line(x1, self.table_top, x1, self.y)
        if self.lay.double_frame is not None and not self.lay.borderless:
            g = self.lay.double_frame  # an outer frame around the table, as some agencies' templates print
            x0, x1, top, bot = self.x0 - g, x1 + g, self.table_top + g, self.y - g
            for a, b, c, d in ((x0, top, x1, top), (x0, bot, x1, bot), (x0, top, x0, bot), (x1, top, x1, bot)):
                self.pg.line(a, b, c, d, self.lay.line_w * 1.5, self.lay.dash)

    def finish(self) -> None:
        self._close_page()


def appendix_pages(rows: list[FilledRow], ident: Identity, lay: Layout,
                   years: list[str] | None) -> tuple[list[PageDL], list[Placed]]:
    """The appendix grid(s); a multi-year template gets one landscape grid per appendix."""
    pages: list[PageDL] = []
    placed: list[Placed] = []
    yd, md, dd = ident.date
    attach = f"(Kèm theo Báo cáo số {ident.doc_number} ngày {dd}/{md}/{yd} của {ident.issuer})"
    if years:
        groups: dict[str, list[FilledRow]] = {}
        for r in rows:
            groups.setdefault(r.appendix or "", []).append(r)
        for ap, grp in groups.items():
            title = [f"Phụ lục {ap.removeprefix('PL')}",
                     "Thống kê kết quả cải cách hành chính giai đoạn 2011 - 2020", attach]
            g = _Grid(pages, lay, True, title, years)
            for r in grp:
                g.add(r)
            g.finish()
            placed += g.placed
        return pages, placed
    title = ["PHỤ LỤC", f"THỐNG KÊ SỐ LIỆU CÔNG TÁC CẢI CÁCH HÀNH CHÍNH {ident.period_label.upper()}", attach]
    g = _Grid(pages, lay, lay.landscape, title, None)
    for r in rows:
        g.add(r)
    g.finish()
    return pages, g.placed


# ------------------------------------------------------------------ playing into a PDF


def play(pages: list[PageDL], modes: list[Any]) -> bytes:
    """A PDF of the pages: mode "vector" draws the ops; ("image", jpeg_or_png_bytes, invisible_ops)
    draws the scan full-page and, when given, invisible text (render mode 3) at the ops' positions."""
    register_fonts()
    rl_config.useA85 = 0  # binary image streams: ASCII85 in pure Python costs seconds per scan
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1, pageCompression=1)
    for pg, mode in zip(pages, modes, strict=True):
        if mode == "vector":
            c.setPageSize((pg.width, pg.height))
            _draw_ops(c, pg.ops, invisible=False)
        else:
            _, data, size_pt, inv_ops = mode
            c.setPageSize(size_pt)
            c.drawImage(ImageReader(io.BytesIO(data)), 0, 0, width=size_pt[0], height=size_pt[1])
            if inv_ops:
                _draw_ops(c, inv_ops, invisible=True)
        c.showPage()
    c.save()
    return buf.getvalue()


def _draw_ops(c: canvas.Canvas, ops: list[tuple[Any, ...]], invisible: bool) -> None:
    for op in ops:
        if op[0] == "text":
            _, x, y, font, size, s = op
            if invisible:
                t = c.beginText(x, y)
                t.setTextRenderMode(3)
                t.setFont(font, size)
                t.textOut(s)
                c.drawText(t)
            else:
                c.setFont(font, size)
                c.drawString(x, y, s)
        elif op[0] == "line" and not invisible:
            x0, y0, x1, y1, w = op[1:6]
            c.setLineWidth(w)
            if len(op) > 6:  # dashed or dotted
                c.setDash(*op[6])
                c.line(x0, y0, x1, y1)
                c.setDash()
            else:
                c.line(x0, y0, x1, y1)
        elif op[0] == "rect" and not invisible:
            _, x, y, w, h, grey = op
            c.setFillGray(grey)
            c.rect(x, y, w, h, stroke=0, fill=1)
            c.setFillGray(0)
