"""Ink that full-page OCR left unexplained, read again one line-piece at a time.

Why: Tesseract's page segmentation (`--psm 3`) sometimes returns a small,
isolated piece of text as nothing or as its last dot: a column of codes
"3.2.2." next to the labels comes back as ".." (measured on photos and scans in
FreeSerif), and one of two adjacent figures ("100  100") can vanish.  A grid
without its code column or a row without its figure is then lost whole.  The
pixels are still on the page: whatever ink no word box and no ruling covers
is grouped into line pieces and read with `--psm 7` (one line), all pieces in
one Tesseract process (`OcrEngine.read_each`).  Only confident readings that
look like text are added, so seal remnants and speckles stay out, and only on pages that hold a
grid (a letter page's leftover ink is seal rim and signature).
"""

from __future__ import annotations

import re
import statistics

import cv2
import numpy as np

from cchc.core.model import Line, Page, TextOrigin, Word
from cchc.core.vntext import nfc
from extractors.column_roles import looks_like_unit
from extractors.image_prep import PreparedPage, binarise
from extractors.ocr_engine import OcrEngine, read_each
from extractors.text_layer import looks_like_appendix

MIN_CONFIDENCE = 60.0  # a re-read piece below this is a speck, a signature or seal remnant
MAX_PIECES = 80  # a page with more unexplained ink than this is noise, not lost words
_TEXTLIKE = re.compile(r"[0-9A-Za-zÀ-ỹ%]")


def _pieces(ink: np.ndarray, h_med: float) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, y0, x1, y1) of unexplained ink grouped into line pieces; dots and specks alone are dropped."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    comps = [tuple(int(v) for v in stats[i][:4]) for i in range(1, n)]
    comps = [(x, y, x + w, y + h) for x, y, w, h in comps
             if 0.3 * h_med <= h <= 1.6 * h_med and w <= 3 * h_med and w * h >= 0.04 * h_med * h_med]
    comps.sort()
    groups: list[list[int]] = []
    for x0, y0, x1, y1 in comps:
        for g in groups:
            if x0 - g[2] <= 0.6 * h_med and min(y1, g[3]) - max(y0, g[1]) >= 0.4 * min(y1 - y0, g[3] - g[1]):
                g[0], g[1], g[2], g[3] = min(g[0], x0), min(g[1], y0), max(g[2], x1), max(g[3], y1)
                g[4] += 1
                break
        else:
            groups.append([x0, y0, x1, y1, 1])
    # a piece must hold a glyph of full height (a digit or letter), not only accents and dots
    return [(g[0], g[1], g[2], g[3]) for g in groups if g[3] - g[1] >= 0.5 * h_med]


GHOST_WORDS = 3  # dot-only words ("..", "._") where OCR kept only the last dot of a code
GRID_RULES = 3
UNIT_LINES = 5  # lines ending in a unit ("Văn bản", "Thủ tục", "%"): rows of a grid whose rules are gone


def worth_a_look(page: Page) -> bool:
    """Only a page that holds (or seems to hold) a grid: one that reads as an appendix, is ruled, shows
    the dots of codes OCR lost, or has many lines ending in a unit.  A letter page's leftover ink is
    seal rim and signature, not lost words."""
    ghosts = sum(1 for w in page.words if not _TEXTLIKE.search(w.text) and "." in w.text)
    if ghosts >= GHOST_WORDS or len(page.rulings) >= GRID_RULES or looks_like_appendix(page.text):
        return True
    unit_lines = sum(1 for ln in page.lines if ln.words and (
        looks_like_unit(ln.words[-1].text) or looks_like_unit(" ".join(w.text for w in ln.words[-2:]))))
    return unit_lines >= UNIT_LINES


def reread_unexplained_ink(page: Page, prepared: PreparedPage, engine: OcrEngine) -> int:
    """Add the words found in ink no OCR word covers; returns how many were added."""
    if not worth_a_look(page):
        return 0
    gray = prepared.gray
    hpx, wpx = gray.shape[:2]
    sx, sy = page.width / wpx, page.height / hpx
    heights = [(w.bbox[3] - w.bbox[1]) / sy for w in page.words if _TEXTLIKE.search(w.text) and len(w.text) >= 2]
    if len(heights) < 20:
        return 0
    h_med = statistics.median(heights)
    ink = (binarise(gray) == 0).astype(np.uint8) * 255
    long_ = int(4 * h_med)
    lines = cv2.bitwise_or(
        cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (long_, 1))),
        cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, long_))))
    ink[cv2.dilate(lines, np.ones((5, 5), np.uint8)) > 0] = 0
    residual = gray.copy()
    pad = max(2, int(0.15 * h_med))
    for w in page.words:
        if not _TEXTLIKE.search(w.text):
            continue  # ".." where a code "3.2.2." stood: read again with the digits beside it
        x0, y0 = int(w.bbox[0] / sx) - pad, int(w.bbox[1] / sy) - pad
        x1, y1 = int(w.bbox[2] / sx) + pad, int(w.bbox[3] / sy) + pad
        ink[max(0, y0):y1, max(0, x0):x1] = 0
        residual[max(0, y0):y1, max(0, x0):x1] = 255
    margin_x, margin_y = int(0.03 * wpx), int(0.03 * hpx)  # a photo's rectified edge, a scanner's shadow
    ink[:margin_y], ink[hpx - margin_y:], ink[:, :margin_x], ink[:, wpx - margin_x:] = 0, 0, 0, 0
    residual[lines > 0] = 255
    if prepared.ink_mask is not None and prepared.ink_mask.shape == ink.shape:
        # what is left around a removed seal is its rim and lettering, not words the OCR lost
        ink[cv2.dilate(prepared.ink_mask, np.ones((int(h_med), int(h_med)), np.uint8)) > 0] = 0
    pieces = _pieces(ink, h_med)
    if not pieces or len(pieces) > MAX_PIECES:
        return 0
    m = int(0.3 * h_med)
    boxes = [(max(0, x0 - m), max(0, y0 - m), min(wpx, x1 + m), min(hpx, y1 + m)) for x0, y0, x1, y1 in pieces]
    dpi = int(round(72.0 / sx))
    results = read_each(engine, [residual[y0:y1, x0:x1] for x0, y0, x1, y1 in boxes], psm=7, dpi=dpi)
    added = 0
    for (bx, by, bx1, by1), data in zip(boxes, results, strict=True):
        before = added
        for i, raw in enumerate(data.get("text", [])):
            text, conf = nfc(str(raw)).strip(), float(data["conf"][i])
            if conf < MIN_CONFIDENCE or not _TEXTLIKE.search(text):
                continue
            x, y, cw, ch = (float(data[k][i]) for k in ("left", "top", "width", "height"))
            box = ((bx + x) * sx, (by + y) * sy, (bx + x + cw) * sx, (by + y + ch) * sy)
            word = Word(text=text, bbox=box, origin=TextOrigin.OCR, confidence=conf, font=None)
            _place(page, word)
            added += 1
        if added > before:  # the dots OCR had kept of this piece are now part of its words
            inside = (bx * sx, by * sy, bx1 * sx, by1 * sy)
            _drop_punctuation_in(page, inside)
    return added


def _drop_punctuation_in(page: Page, box: tuple[float, float, float, float]) -> None:
    def stale(w: Word) -> bool:
        cx, cy = (w.bbox[0] + w.bbox[2]) / 2, (w.bbox[1] + w.bbox[3]) / 2
        return not _TEXTLIKE.search(w.text) and box[0] <= cx <= box[2] and box[1] <= cy <= box[3]

    page.words = [w for w in page.words if not stale(w)]
    for ln in page.lines:
        ln.words = [w for w in ln.words if not stale(w)]
    page.lines = [ln for ln in page.lines if ln.words]


def _place(page: Page, word: Word) -> None:
    """Put `word` on the line it sits on (by vertical overlap), or on a line of its own."""
    page.words.append(word)
    y0, y1 = word.bbox[1], word.bbox[3]
    best, best_overlap = None, 0.5 * (y1 - y0)
    for ln in page.lines:
        overlap = min(y1, ln.bbox[3]) - max(y0, ln.bbox[1])
        if overlap > best_overlap:
            best, best_overlap = ln, overlap
    if best is None:
        page.lines.append(Line(words=[word], bbox=word.bbox))
        page.lines.sort(key=lambda ln: (round(ln.bbox[1] / 4), ln.bbox[0]))
        return
    best.words.append(word)
    best.words.sort(key=lambda w: w.bbox[0])
    b = best.bbox
    best.bbox = (min(b[0], word.bbox[0]), min(b[1], word.bbox[1]), max(b[2], word.bbox[2]), max(b[3], word.bbox[3]))
