"""Re-reading of value/code cells of scanned grids (the rulings themselves: `extractors.rulings`).

Cell re-reading: full-page OCR drops inner dots ("2.1." → "21."), lone "-"
and decimal commas (field notes).  Value and code cells are therefore read
again on their own, with a digits-friendly whitelist and the `eng` model
(which reads digits better than `vie`, see `_lang`) — but batched: every
crop of a kind is stacked into ONE strip image and read by ONE Tesseract
call, then split back by y (per-cell processes cost ~48 s per 11-page
report).  Only crops the strip could not read are retried one by one in
single-line mode (`--psm 7`).  A dash is recognised from its shape before
OCR, and a cell with ink that still reads as nothing is taken as "-".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from cchc.core.model import BBox, Cell, Table, TextOrigin
from cchc.core.vntext import nfc_ocr as nfc
from extractors.image_prep import PreparedPage
from extractors.ocr_engine import OcrEngine, engine_for, read_each

DIGITS_WHITELIST = "0123456789.,-%/"
CODE_WHITELIST = "0123456789.-/"
_RULING_ARTEFACTS = "|¦!†‡[]_:;„“”\"'`"  # rulings and specks glued to a cell's text
FALLBACK_DASH_CONF = 30.0
DASH_FILL = 0.6  # share of its bounding box a dash's ink fills (a solid bar: ~0.8–1.0)
GLYPH_HEIGHT = 36.0  # crops with shorter ink are enlarged to this height before OCR  # confidence given to a "-" inferred from ink that OCR could not read
_VALUE_RE = re.compile(r"^(?:[-–]|[+-]?\d{1,3}(?:[.,]\d{3})*(?:[.,]\d+)?%?|[+-]?\d+(?:[.,]\d+)?%?|\d+/\d+)$")
_LEADING_SLASH = re.compile(r"^\s*/(?=\d)")
_CODE_RE = re.compile(r"^\d{1,2}(?:\.\d{1,2}){0,4}\.?$")
_NON_DIGIT_CODE_RE = re.compile(r"^(?:[IVXLC]{1,6}|[a-zđ]|PL\s?\d[\d.]*[a-z]?)[.)]?$", re.IGNORECASE)




# --------------------------------------------------------------------------- cell re-reading
def is_parseable(text: str, kind: str) -> bool:
    """Does `text` look like a well-formed value ("12,5", "1.245", "-", "3/6") or code ("2.1.3")?"""
    t = text.strip()
    if kind == "code":
        return bool(_CODE_RE.match(t))
    if kind == "value":
        return bool(_VALUE_RE.match(t))
    return bool(t)


def better_reading(page_reading: tuple[str, float | None], cell_reading: tuple[str, float | None],
                   kind: str) -> tuple[str, float | None]:
    """Keep the full-page word or the cell re-read: parseable beats not, then higher confidence.

    Ties go to the cell re-read, which was made with settings for digits.
    """
    (pt, pc), (ct, cc) = page_reading, cell_reading
    if kind in ("code", "value"):
        # a ruling next to the text often comes back as "|", "!" or "†" glued to the word
        cleaned = pt.strip().strip(_RULING_ARTEFACTS).strip()
        if cleaned != pt:
            pt = cleaned
            page_reading = (pt, pc)
    if kind in ("code", "value") and _is_word(pt):
        # words ("Trong đó", "Không thuộc chuyên môn", "Có") are not for a digits re-read — unless the page
        # reading is low-confidence debris (a stamp read as "TT `U _") and the cell reads cleanly
        if not ((pc or 0) < 55 and (cc or 0) >= 60 and is_parseable(ct, kind)):
            return page_reading
    if kind == "code" and not re.search(r"\d", ct):
        return page_reading  # a code re-read without a digit ("..") says nothing
    if kind == "code" and _NON_DIGIT_CODE_RE.match(pt.strip()):
        return page_reading  # "II", "a)", "PL3": the digit whitelist cannot read these
    if ct.strip() == "-" and (cc or 0) <= FALLBACK_DASH_CONF and re.search(r"\w|%", pt):
        return page_reading  # an inferred dash never overrides something the page actually read
    p_ok, c_ok = is_parseable(pt, kind), is_parseable(ct, kind)
    if c_ok != p_ok:
        return cell_reading if c_ok else page_reading
    if not ct.strip():
        if (cc or 0) >= 90 and not re.search(r"\w|%", pt):
            return cell_reading  # the cell holds no ink: a lone "," or "." on the page was a speck
        return page_reading
    if p_ok and c_ok:
        # same digits, different separators: OCR drops "." and "," far more often than it invents
        # them ("12,5" → "125", "2.1." → "21."), so the reading that kept them wins
        pd, cd = re.sub(r"\D", "", pt), re.sub(r"\D", "", ct)
        if pd and pd == cd:
            ps, cs = len(re.findall(r"[.,]", pt)), len(re.findall(r"[.,]", ct))
            if ps != cs:
                return page_reading if ps > cs else cell_reading
    return page_reading if (pc or 0) > (cc or 0) + 10 else cell_reading


def _is_word(text: str) -> bool:
    """Three letters, or two with a Vietnamese one ("Có", "Đạt"): OCR's digit confusions ("l1", "O") are ASCII."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 3 or (len(letters) >= 2 and any(not ch.isascii() for ch in letters))


@dataclass(eq=False)
class _Crop:
    index: int
    kind: str
    image: np.ndarray  # binarised, ink = 0, padded
    marks: int = 0  # ink components (after specks and ruling remnants are dropped)


def crop_cell(gray: np.ndarray, box_px: tuple[float, float, float, float],
              dpi: float = 300.0, zoom: float | None = None) -> tuple[np.ndarray | None, str | None]:
    """Clean crop of one cell's ink (rulings removed) with "marks:flat" (how many marks, whether
    the main one is wider than tall), or (None, "" / "-") when the cell is empty or holds a dash."""
    h, w = gray.shape
    x0, y0, x1, y1 = box_px
    inset = 3
    xa, ya = max(int(x0) + inset, 0), max(int(y0) + inset, 0)
    xb, yb = min(int(np.ceil(x1)) - inset, w), min(int(np.ceil(y1)) - inset, h)
    if xb - xa < 4 or yb - ya < 4:
        return None, ""
    crop = gray[ya:yb, xa:xb]
    if crop.min() < 160:
        # Otsu per crop, capped: in a nearly empty cell Otsu would split paper from a faint
        # stain and call the stain ink; real ink on a contrast-normalised page is darker than 160
        blur = cv2.GaussianBlur(crop, (3, 3), 0)
        t, _ = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        _, bw = cv2.threshold(blur, min(float(t), 160.0), 255, cv2.THRESH_BINARY)
    else:
        bw = np.full_like(crop, 255)
    ink = (bw < 128).astype(np.uint8) * 255
    ch, cw = ink.shape
    # erase ruling remnants: strokes running (almost) the whole crop, near its edges.  Not a
    # shorter kernel: in a tight row the digits fill most of the height, and a "1" or the sides
    # of a "0" would go as "lines" (a 200-dpi scan read "4.2.4." as "6.2.4." that way)
    for horizontal in (True, False):
        n_len = max((cw if horizontal else ch) * 85 // 100, 5)
        kernel = (n_len, 1) if horizontal else (1, n_len)
        lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
        band = np.zeros_like(lines)
        if horizontal:
            e = max(ch // 5, 3)
            band[:e], band[-e:] = 255, 255
        else:
            e = max(cw // 6, 3)
            band[:, :e], band[:, -e:] = 255, 255
        lines = cv2.bitwise_and(lines, band)
        ink = np.asarray(cv2.subtract(ink, cv2.dilate(lines, np.ones((3, 3), np.uint8))), dtype=np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    k = dpi / 300.0
    min_area = max(3, round(8 * k * k))  # a 300-dpi full stop is ~30 px; scanner specks are smaller
    thin = max(2.0, 3.0 * k)
    comps, ids = [], []
    for i in range(1, n):
        x, y, cw_i, ch_i, area = stats[i]
        touches = x == 0 or y == 0 or x + cw_i >= cw or y + ch_i >= ch
        # a ruling remnant along the crop edge is thin and long; a glyph stroke touching it is short
        remnant = touches and min(cw_i, ch_i) <= thin and (cw_i >= 0.4 * cw or ch_i >= 0.4 * ch)
        remnant = remnant or _edge_sliver(x, y, cw_i, ch_i, ch, thin)
        if area < min_area or remnant:
            ink[labels == i] = 0
            continue
        comps.append(stats[i])
        ids.append(i)
    # pieces of a broken upright rule along the left/right edge (1 px wide, 3–12 px tall on a noisy JPEG
    # scan) spread the crop over the whole cell and shrank the figure: a lone serif "1" read as "4".
    # Only pieces shorter than half the tallest other mark go: a "1" by the edge is as tall as the digits
    edge = max(2.0, thin)
    sliver = [bool(c[2] <= thin and c[3] >= 2 * c[2] and (c[0] <= edge or c[0] + c[2] >= cw - edge)) for c in comps]
    if any(sliver) and not all(sliver):
        tallest = max(int(c[3]) for c, s in zip(comps, sliver, strict=True) if not s)
        drop = [s and c[3] < 0.5 * tallest for c, s in zip(comps, sliver, strict=True)]
        for i, d in zip(ids, drop, strict=True):
            if d:
                ink[labels == i] = 0
        comps = [c for c, d in zip(comps, drop, strict=True) if not d]
    if not comps:
        return None, ""
    biggest = max(comps, key=lambda c: c[4])
    if biggest[4] < 25 * k * k and max(biggest[2], biggest[3]) < 10 * k:
        return None, ""  # only specks (dust, a stamp's leftovers): an empty cell, not a dash
    if all(c is biggest or c[4] < 0.15 * biggest[4] for c in comps):  # one mark plus specks
        x, y, cw_i, ch_i, area = biggest
        # a dash is a solid bar; digits that JPEG blur glued together ("444" as one blob, 69×29 px
        # in a two-line cell) are as flat but fill well under half their box
        if cw_i >= 1.8 * ch_i and ch_i <= max(8, 0.3 * ch) and area >= DASH_FILL * cw_i * ch_i:
            return None, "-"
    xs0 = min(c[0] for c in comps)
    ys0 = min(c[1] for c in comps)
    xs1 = max(c[0] + c[2] for c in comps)
    ys1 = max(c[1] + c[3] for c in comps)
    keep = np.zeros_like(ink)
    for c in comps:
        x, y, cw_i, ch_i, _ = c
        keep[y:y + ch_i, x:x + cw_i] = ink[y:y + ch_i, x:x + cw_i]
    # hand Tesseract grey glyphs (their anti-aliased edges kept), everything else paper-white;
    # hard-thresholded and then enlarged glyphs came out blocky ("5.2.3." read as "9.2.3.")
    near = cv2.dilate(keep, np.ones((3, 3), np.uint8)) > 0
    lo, hi = float(crop.min()), float(np.percentile(crop, 90))
    stretched = np.clip((crop.astype(np.float32) - lo) * (255.0 / max(hi - lo, 1.0)), 0, 255).astype(np.uint8)
    grey = np.where(near, stretched, 255).astype(np.uint8)
    glyphs: np.ndarray = grey[max(ys0 - 1, 0):ys1 + 1, max(xs0 - 1, 0):xs1 + 1]
    th = glyphs.shape[0]
    if zoom is not None:  # text of several lines: scale the page, not the block, to a reading size
        if zoom > 1.01:
            glyphs = cv2.resize(glyphs, None, fx=zoom, fy=zoom, interpolation=cv2.INTER_CUBIC)
    elif th < GLYPH_HEIGHT:  # Tesseract's LSTM reads ~30–40 px tall text best
        f = GLYPH_HEIGHT / max(th, 1)
        glyphs = cv2.resize(glyphs, None, fx=f, fy=f, interpolation=cv2.INTER_CUBIC)
    pad = 12
    significant = sum(1 for c in comps if c[4] >= 0.15 * biggest[4])  # noise specks do not count
    flat = int(biggest[2] >= 1.2 * biggest[3])  # the main mark is wider than tall, as a dash is
    return (cv2.copyMakeBorder(glyphs, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255),
            f"{significant}:{flat}")


def _edge_sliver(x: int, y: int, w: int, h: int, ch: int, thin: float) -> bool:
    """A thin flat piece lying along the crop's top or bottom edge: a ruling remnant.

    A faint rule just inside the cell box thresholds into 1-px dashes shorter than the
    length test above (blank cells of a 300-dpi JPEG scan: pieces of 8, 4 and 69 px
    in a 176-px crop), and alone such a piece passed for a "-".  Real dashes sit on the
    text line, away from the edges, and a broken-off bar of a "5" or "7" is not
    within a stroke's width of the crop's edge.  Not the left/right edges: there
    a thin upright piece may be the "1" of a right-aligned figure.
    """
    margin = max(2.0, thin)
    return h <= thin and w >= 2 * h and (y <= margin or y + h >= ch - margin)


def _whitelist(kind: str) -> str | None:
    return {"value": DIGITS_WHITELIST, "code": CODE_WHITELIST}.get(kind)


def _lang(kind: str, engine: OcrEngine) -> str:
    """`eng` for digit cells, the engine's language (`vie`) for text.

    Measured on a 30-row rendered grid (DejaVu Serif, 300 dpi): the `vie`
    model read 5 of 30 codes wrong ("2.5." → "2.9.", "5.2." → "95.2."),
    with or without a whitelist, binarised or grey; `eng` read 30/30.  Digit
    cells hold no diacritics, so the field-notes warning about `vie+eng`
    (diacritics) does not apply.
    """
    return "eng" if kind in ("value", "code") else engine.lang


STRIP_GAP = 40  # white pixels between stacked crops: Tesseract keeps them on separate lines


def stack_crops(crops: list[tuple[int, np.ndarray]], gap: int = STRIP_GAP
                ) -> tuple[np.ndarray, list[tuple[int, int, int]]]:
    """Crops stacked vertically on white, 20 px from the left; (strip, [(crop id, top, bottom)])."""
    width = max(c.shape[1] for _, c in crops) + 40
    spans: list[tuple[int, int, int]] = []
    y = gap
    for idx, c in crops:
        spans.append((idx, y, y + c.shape[0]))
        y += c.shape[0] + gap
    strip = np.full((y, width), 255, np.uint8)
    for (_, c), (_, top, bottom) in zip(crops, spans, strict=True):
        strip[top:bottom, 20:20 + c.shape[1]] = c
    return strip, spans


def words_by_crop(data: dict[str, list[Any]], spans: list[tuple[int, int, int]], gap: int = STRIP_GAP
                  ) -> dict[int, list[tuple[int, str, float]]]:
    """The strip's OCR words given back to the crop they sit in, by vertical centre.

    crop id -> [(index of the word in `data`, text, confidence)].
    """
    found: dict[int, list[tuple[int, str, float]]] = {}
    for k, raw in enumerate(data["text"]):
        text = nfc(str(raw)).strip()
        conf = float(data["conf"][k])
        if not text or conf < 0:
            continue
        cy = data["top"][k] + data["height"][k] / 2
        for idx, top, bottom in spans:
            if top - gap / 2 <= cy <= bottom + gap / 2:
                found.setdefault(idx, []).append((k, text, conf))
                break
    return found


def crop_text(data: dict[str, list[Any]], words: list[tuple[int, str, float]], joiner: str) -> str:
    """A crop's words as text: each OCR line's words left to right joined by `joiner`, lines by a space.

    Figures join their word pieces with no space ("1.2 45" is 1.245), but never
    across lines: a crop that took in two stacked cells (a rule the grid
    missed) read "62,5" over "119" and "45" as the figure 62,511945; spaced,
    it is what it is, several figures, which no value parses as one.
    """
    lines: dict[tuple[int, int, int], list[tuple[float, str]]] = {}
    for k, text, _ in words:
        key = (int(data["block_num"][k]), int(data["par_num"][k]), int(data["line_num"][k]))
        lines.setdefault(key, []).append((float(data["left"][k]), text))
    ordered = sorted(lines.items(), key=lambda kv: kv[0])
    return " ".join(joiner.join(t for _, t in sorted(ws)) for _, ws in ordered)


def _read_strip(crops: list[_Crop], kind: str, dpi: int, engine: OcrEngine) -> dict[int, tuple[str, float]]:
    """Stack crops vertically with white gaps, OCR once (psm 6), assign words back by y."""
    if not crops:
        return {}
    strip, spans = stack_crops([(c.index, c.image) for c in crops])
    wl = _whitelist(kind)
    data = engine.read(strip, psm=6, dpi=dpi, lang=_lang(kind, engine),
                       extra=f"-c tessedit_char_whitelist={wl}" if wl else "")
    out = {}
    joiner = "" if kind in ("value", "code") else " "
    for idx, words in words_by_crop(data, spans).items():
        out[idx] = (crop_text(data, words, joiner), min(conf for _, _, conf in words))
    return out


def _single_text(data: dict[str, list[Any]], kind: str) -> tuple[str, float]:
    parts = [(str(t).strip(), float(c)) for t, c in zip(data["text"], data["conf"], strict=True)
             if str(t).strip() and float(c) >= 0]
    if not parts:
        return "", 0.0
    joiner = "" if kind in ("value", "code") else " "
    return nfc(joiner.join(p[0] for p in parts)), min(p[1] for p in parts)


def _read_singles(imgs: list[np.ndarray], kind: str, dpi: int, engine: OcrEngine) -> list[tuple[str, float]]:
    """Each crop read as one line (`--psm 7`): in one engine call when the engine can (`read_each`)."""
    wl = _whitelist(kind)
    opts: dict[str, Any] = {"psm": 7, "dpi": dpi, "lang": _lang(kind, engine),
                            "extra": f"-c tessedit_char_whitelist={wl}" if wl else ""}
    return [_single_text(d, kind) for d in read_each(engine, imgs, **opts)]


def reread_cells(image: PreparedPage | np.ndarray, cells: list[tuple[BBox, str]], *,
                 scale: tuple[float, float] | None = None, max_single: int = 25,
                 hints: list[str | None] | None = None, engine: OcrEngine | None = None) -> list[tuple[str, float]]:
    """Read each (bbox in page points, kind) cell again; returns (text, confidence 0–100) per cell.

    `kind` is "value", "code" or "text".  `image` is a `PreparedPage` (its
    grey image and scale are used) or a grey array with `scale` = points per
    pixel.  One Tesseract call per kind for the strip, plus at most
    `max_single` single-line (`--psm 7`) reads: for crops the strip could not
    parse, and — when `hints` (the full-page readings) are given — for crops
    whose strip digits disagree with a parseable hint, where the single read
    arbitrates (on a 200-dpi scan the strip once read "7.2.1" as "7.2.4";
    the page and the single-line read agreed on "7.2.1").
    """
    engine = engine or engine_for()
    if isinstance(image, PreparedPage):
        gray = image.gray
        sx, sy = image.scale
    else:
        gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
        sx, sy = scale or (1.0, 1.0)
    dpi = int(round(72.0 / sx))
    results: list[tuple[str, float] | None] = [None] * len(cells)
    crops: dict[str, list[_Crop]] = {}
    inked: dict[int, int] = {}  # cell index -> ink marks (0 when the main mark is not flat like a dash)
    for i, (bbox, kind) in enumerate(cells):
        box_px = (bbox[0] / sx, bbox[1] / sy, bbox[2] / sx, bbox[3] / sy)
        img, info = crop_cell(gray, box_px, dpi)
        if img is None:
            results[i] = (info or "", 90.0 if info == "-" else 95.0)
            continue
        marks, flat = (int(v) for v in (info or "0:0").split(":"))
        crop = _Crop(i, kind, img, marks=marks)
        inked[i] = marks if flat else 0
        crops.setdefault(kind, []).append(crop)
    retries: list[_Crop] = []
    disputes: list[_Crop] = []
    for kind, group in crops.items():
        read = _read_strip(group, kind, dpi, engine)
        for c in group:
            text, conf = read.get(c.index, ("", 0.0))
            results[c.index] = (text, conf)
            hint = _clean_hint(hints[c.index]) if hints else ""
            if not is_parseable(text, kind):
                retries.append(c)
            elif is_parseable(hint, kind) and hint != "-" and _digits(hint) != _digits(text):
                disputes.append(c)
    disputed = {c.index for c in disputes}
    chosen = (retries + disputes)[:max_single]
    singles: dict[int, tuple[str, float]] = {}
    for kind in {c.kind for c in chosen}:
        group = [c for c in chosen if c.kind == kind]
        singles.update(zip((c.index for c in group), _read_singles([c.image for c in group], kind, dpi, engine),
                           strict=True))
    for c in chosen:
        single = singles[c.index]
        strip = results[c.index] or ("", 0.0)
        hint = _clean_hint(hints[c.index]) if hints else ""
        if c.index in disputed and _digits(single[0]) and _digits(single[0]) == _digits(hint):
            # two readings out of three agree on the digits: take them, formatted by the richer one
            results[c.index] = better_reading((hint, single[1]), single, c.kind)  # type: ignore[assignment]
        else:
            results[c.index] = better_reading(strip, single, c.kind)  # type: ignore[assignment]
    final: list[tuple[str, float]] = []
    for i, ((_, kind), res) in enumerate(zip(cells, results, strict=True)):
        text, conf = res or ("", 0.0)
        if kind == "value":
            text = _LEADING_SLASH.sub("", text)  # the remnant of a rule beside the figure; no figure starts so
        if kind == "value" and not re.search(r"\w|%", text) and text.strip() != "-":
            if 0 < inked.get(i, 0) <= 2:
                # a flat mark or two and nothing (or only "." / "_") reads: in these forms, a dash
                text, conf = "-", FALLBACK_DASH_CONF
            elif text.strip():
                text, conf = "", 0.0  # punctuation debris is no value
        final.append((text, float(conf or 0.0)))
    return final


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _clean_hint(hint: str | None) -> str:
    return (hint or "").strip().strip(_RULING_ARTEFACTS).strip()


def refine_table_cells(table: Table, prepared_by_page: dict[int, PreparedPage],
                       engine: OcrEngine | None = None) -> int:
    """Re-read the code and value cells of a table's OCR rows in place; return how many changed.

    One strip call per kind per page: all rows of a page are batched.  Rows
    from text-layer pages, rows without cell boxes and pages not in
    `prepared_by_page` are left alone.  The full-page reading is kept when
    it is the better one (`better_reading`).
    """
    jobs: dict[int, list[tuple[Cell, str]]] = {}
    for row in table.rows:
        if row.origin is not TextOrigin.OCR or row.page not in prepared_by_page or row.kind == "header":
            continue
        targets = [(row.code, "code")] + [(c, "value") for c in row.values.values()]
        jobs.setdefault(row.page, []).extend((c, k) for c, k in targets if c.bbox is not None)
    changed = 0
    for page_no, items in jobs.items():
        readings = reread_cells(prepared_by_page[page_no], [(c.bbox, k) for c, k in items],  # type: ignore[misc]
                                hints=[c.text for c, _ in items], engine=engine)
        for (cell, kind), reading in zip(items, readings, strict=True):
            text, conf = better_reading((cell.text, cell.confidence), reading, kind)
            if text != cell.text:
                changed += 1
            cell.text, cell.confidence = text, conf
    return changed


# --------------------------------------------------------------------------- header cells
HEADER_DPI = 300.0  # header cells are re-read as if scanned at this resolution (bold type fills in below it)


def read_text_cells(image: PreparedPage, boxes: list[BBox], engine: OcrEngine | None = None) -> list[tuple[str, float]]:
    """Read text cells (a grid's header) again on their own: one Tesseract call for all of them.

    Full-page OCR of a bold header at 150–200 dpi often gives debris ("PHẾ 2< Tấn _ảMẴ"), and the
    header names the value columns ("Kế hoạch", "Năm 2014").  Each cell is cropped with its rulings
    removed, scaled to ~300 dpi and stacked into one strip; words go back to their cell by y and are
    joined in reading order (line, then x).  Returns (text, mean confidence) per box; ("", 0) when
    the cell holds no ink.
    """
    engine = engine or engine_for()
    gray = image.gray
    sx, sy = image.scale
    dpi = 72.0 / sx
    zoom = max(1.0, HEADER_DPI / dpi)
    crops: list[tuple[int, np.ndarray]] = []
    for i, bbox in enumerate(boxes):
        img, _ = crop_cell(gray, (bbox[0] / sx, bbox[1] / sy, bbox[2] / sx, bbox[3] / sy), dpi, zoom=zoom)
        if img is not None:
            crops.append((i, img))
    out: list[tuple[str, float]] = [("", 0.0)] * len(boxes)
    if not crops:
        return out
    strip, spans = stack_crops(crops)
    data = engine.read(strip, psm=6, dpi=int(HEADER_DPI), lang=engine.lang)
    for idx, words in words_by_crop(data, spans).items():
        out[idx] = (crop_text(data, words, " "), round(sum(conf for _, _, conf in words) / len(words), 2))
    return out


def header_reader(prepared_by_page: dict[int, PreparedPage], engine: OcrEngine | None = None
                  ) -> Callable[[int, list[BBox]], list[tuple[str, float]] | None]:
    """A reader of header cells for the grid finder: (page number, boxes in points) → readings,
    or None for a page without a kept scan image (text-layer pages)."""
    def read(page: int, boxes: list[BBox]) -> list[tuple[str, float]] | None:
        image = prepared_by_page.get(page)
        if image is None or not boxes:
            return None
        return read_text_cells(image, boxes, engine)
    return read
