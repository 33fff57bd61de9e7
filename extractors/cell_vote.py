"""A second, independent reading of scanned value cells, and what to do when the readings disagree.

Why: on noisy, low-dpi, 1-bit or JPEG scans Tesseract is often *sure* of a
wrong figure (a decimal comma read as a digit, "77,1" → "7741" at word
confidence 85), so word confidence alone lets such values through unflagged.
Readings made from differently prepared pixels rarely make the same slip, so
every value cell of a scanned grid gets one more reading — all cells of a page
in ONE Tesseract call (a strip, as `extractors.image_grid` does), from the
cleaned crop scaled to another glyph height, so its slips are not those of
the re-read — and the readings vote:

* verification agrees with the value kept, or only lost some of its digits → nothing changes;
* it agrees with the other reading (the full-page word when the cell re-read
  won, or vice versa) → two readings out of three: that one is taken;
* otherwise the value stays but is *disputed*: its confidence is capped so the
  match stage flags it for review, with the readings in the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import cv2
import numpy as np

from cchc.core.model import Cell
from cchc.core.vntext import parse_number
from extractors.image_grid import crop_cell, crop_text, is_parseable, stack_crops, words_by_crop
from extractors.image_prep import PreparedPage
from extractors.ocr_engine import OcrEngine

# px of glyph height for the verification read: the re-read uses 36, and Tesseract's slips change with scale.
# On a 1-bit 200-dpi page (32 cells) 30 and 36 px read 32/32, 24 px 30, 44 px 31, 56 px 25 (lost leading digits).
VERIFY_HEIGHT = 30
DISPUTED_CONFIDENCE = 40.0  # below pipeline.match.LOW_OCR_CONFIDENCE: a disputed value is flagged
DIGITS_WHITELIST = "0123456789.,-%/"
INK_NOTE = "characters of ink"  # ends the reading that stands for the glyph count of a disputed cell
_ARTEFACTS = "|¦!†‡[]_:;„“”\"'`"


@dataclass
class Vote:
    """What the verification did to one cell."""

    cell: Cell
    before: str
    after: str
    readings: tuple[str, ...]
    outcome: str  # "agree" | "majority" | "disputed" | "unread"


@dataclass
class VoteStats:
    votes: list[Vote] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(v.outcome == outcome for v in self.votes)


def _number(text: str) -> float | None:
    """The figure a reading stands for ("12,5" and "12.5" agree; "-" is its own value)."""
    t = text.strip().strip(_ARTEFACTS).strip().rstrip("%").strip()
    if re.fullmatch(r"[-–—]", t):
        return float("-inf")
    return parse_number(t) if re.search(r"\d", t) else None


def same_figure(a: str, b: str) -> bool:
    """Do two readings stand for the same figure?  Unparseable readings never agree."""
    na, nb = _number(a), _number(b)
    return na is not None and na == nb


def glyph_count(boxes: list[np.ndarray]) -> int:
    """How many characters the glyph-tall ink pieces of a figure make, pieces that share columns counted once.

    Pieces of one character overlap in x, or touch and together are no wider
    than a digit (a "0" a noisy 1-bit scan broke into a left and a right arc);
    neighbouring digits stand apart (digits are set on equal widths, so even a
    "1" keeps a gap to its neighbours) or glue into one piece, which is counted
    low and never raises a doubt.
    """
    if not boxes:
        return 0
    height = max(int(b[3]) for b in boxes)
    touch, digit_width = max(1.0, 0.05 * height), 0.75 * height
    spans = sorted((int(b[0]), int(b[0] + b[2])) for b in boxes)
    count, start, end = 0, 0, -10**6
    for x0, x1 in spans:
        overlap = end - x0
        if overlap > 0.5 * min(x1 - x0, end - start) or (overlap >= -touch and max(end, x1) - start <= digit_width):
            start, end = min(start, x0), max(end, x1)
            continue
        count, start, end = count + 1, x0, x1
    return count


def _verification_crop(gray: np.ndarray, box_px: tuple[float, float, float, float], dpi: float
                       ) -> tuple[np.ndarray, int] | None:
    """The cell's figure alone (its glyphs, plus the commas and dots beside them) scaled to VERIFY_HEIGHT.

    The cleaned crop of `image_grid` may keep broken ruling remnants (a noisy
    1-bit scan turns a rule into dashes); scaled with them, the digits came
    out a few pixels tall and read as nothing.  Glyphs are told from remnants
    by shape: digits are taller than a remnant dash and wider than a rule.
    Returns the crop and how many characters its glyph-tall ink makes (`glyph_count`).
    """
    img, _ = crop_cell(gray, box_px, dpi)
    if img is None:
        return None
    ink = (img < 160).astype(np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    comps = [stats[i] for i in range(1, n)]
    shaped = [c for c in comps if c[3] >= 6 and c[2] <= 2.5 * c[3] and c[2] >= 0.18 * c[3]]
    if not shaped:
        return None
    tallest = max(c[3] for c in shaped)
    glyphs = [c for c in shaped if c[3] >= 0.5 * tallest]
    x0 = min(c[0] for c in glyphs)
    y0 = min(c[1] for c in glyphs)
    x1 = max(c[0] + c[2] for c in glyphs)
    y1 = max(c[1] + c[3] for c in glyphs)
    reach = 0.6 * tallest  # a comma, a dot or a "%" sign next to the digits belongs to the figure
    keep = [c for c in comps if x0 - reach <= c[0] + c[2] / 2 <= x1 + reach and y0 - 2 <= c[1] + c[3] / 2 <= y1 + reach]
    mask = np.zeros_like(ink)
    for x, y, w, h, _ in keep:
        mask[y:y + h, x:x + w] = 1
    clean = np.where(cv2.dilate(mask, np.ones((3, 3), np.uint8)) > 0, img, 255).astype(np.uint8)
    ya, yb = max(min(c[1] for c in keep) - 2, 0), min(max(c[1] + c[3] for c in keep) + 2, img.shape[0])
    xa, xb = max(min(c[0] for c in keep) - 2, 0), min(max(c[0] + c[2] for c in keep) + 2, img.shape[1])
    figure = clean[ya:yb, xa:xb]
    f = VERIFY_HEIGHT / max(y1 - y0, 1)
    big = cv2.resize(figure, None, fx=f, fy=f, interpolation=cv2.INTER_CUBIC if f > 1 else cv2.INTER_AREA)
    tall = [c for c in keep if c[3] >= 0.5 * tallest and c[2] >= 0.1 * c[3]]  # not a rule's sliver
    return cv2.copyMakeBorder(big, 16, 16, 24, 24, cv2.BORDER_CONSTANT, value=255), glyph_count(tall)


def read_strip(crops: list[np.ndarray], dpi: int, engine: OcrEngine) -> list[str]:
    """All crops stacked with white gaps and read in one call (`eng`, digits only, psm 6); text per crop."""
    if not crops:
        return []
    gap = 48
    strip, spans = stack_crops(list(enumerate(crops)), gap)
    data = engine.read(strip, psm=6, dpi=dpi, lang="eng", extra=f"-c tessedit_char_whitelist={DIGITS_WHITELIST}")
    found = words_by_crop(data, spans, gap)
    return [crop_text(data, found.get(i, []), "") for i in range(len(crops))]


def _trim(text: str) -> str:
    """A reading without the specks noise adds around a figure (",401", "-278.", "2,744,")."""
    t = text.strip().strip(_ARTEFACTS).strip()
    return t if re.fullmatch(r"[-–—]", t) else t.strip(".,-/ ")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def decide(kept: str, other: str, verify: str) -> tuple[str, str]:
    """(text to keep, outcome) from the kept reading, the other reading of the cell and the verification.

    `other` is the reading refinement did not keep ("" when both agreed or
    there was only one).  A majority needs two readings that stand for the
    same figure; one reading alone never overrides another.  A verification
    that only lost digits ("14" read as "4") says nothing: OCR drops glyphs
    far more often than it invents them.  It disputes the kept value when it
    reads other digits, more digits, or a separator where the kept value has
    a digit or none ("77,1" against "7741" or "771").
    """
    v, k = _trim(verify), kept.strip().strip(_ARTEFACTS).strip()
    vd, kd = _digits(v), _digits(k)
    if not vd:
        return kept, "unread"
    if same_figure(k, v):
        return kept, "agree"
    if other and same_figure(other, v) and is_parseable(other.strip().strip(_ARTEFACTS), "value"):
        return other.strip().strip(_ARTEFACTS).strip(), "majority"
    v_seps, k_seps = len(re.findall(r"[.,]", v)), len(re.findall(r"[.,]", k))
    if vd == kd:
        return kept, ("disputed" if v_seps > k_seps else "agree")
    if len(vd) < len(kd) and _is_subsequence(vd, kd) and v_seps <= k_seps:
        return kept, "unread"  # digits lost, nothing contradicted
    return kept, "disputed"


def verify_value_cells(prepared: PreparedPage, cells: list[tuple[Cell, str]], engine: OcrEngine) -> VoteStats:
    """Verify `(cell, other reading)` pairs of one page in place; disputed cells get DISPUTED_CONFIDENCE.

    Only cells holding a digit are verified: blanks and dashes are decided by
    ink shape in the re-read, and words are not figures.
    """
    stats = VoteStats()
    sx, sy = prepared.scale
    dpi = int(round(72.0 / sx))
    todo: list[tuple[Cell, str, np.ndarray, int]] = []
    for cell, other in cells:
        if cell.bbox is None or not re.search(r"\d", cell.text) or sum(ch.isalpha() for ch in cell.text) >= 2:
            continue
        x0, y0, x1, y1 = cell.bbox
        found = _verification_crop(prepared.gray, (x0 / sx, y0 / sy, x1 / sx, y1 / sy), dpi)
        if found is not None:
            todo.append((cell, other, *found))
    readings = read_strip([c for _, _, c, _ in todo], dpi, engine)
    for (cell, other, _, glyphs), verify in zip(todo, readings, strict=True):
        before = cell.text
        text, outcome = decide(before, other, verify)
        shown = tuple(r for r in (before, other, verify) if r)
        if outcome == "majority":
            cell.text = text
        elif outcome != "disputed" and glyphs > _characters(cell.text):
            # every reading may drop the same thin "1": the ink shows more characters than the value has
            outcome, shown = "disputed", (*shown, f"{glyphs} {INK_NOTE}")
        if outcome == "disputed":
            cell.confidence = min(cell.confidence if cell.confidence is not None else 100.0, DISPUTED_CONFIDENCE)
        stats.votes.append(Vote(cell, before, cell.text, shown, outcome))
    return stats


def _characters(text: str) -> int:
    """Characters of a figure as tall as its digits ("%" and "/" are; "," "." and "-" are not)."""
    return len(re.findall(r"[\d%/]", text))
