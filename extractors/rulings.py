"""Ruling lines of a scanned page: OpenCV morphology, then collinear pieces merged.

On the binarised, deskewed page a long horizontal/vertical opening keeps only
strokes longer than any glyph; collinear pieces are merged across small gaps
and across the holes a stamp leaves.  Rulings are returned in page points as
zero-thickness segments `(x0, y, x1, y)` / `(x, y0, x, y1)`, like pdfplumber's
edges, so the same grid code handles scans and text PDFs.  Separate from the
OCR engine and from cell re-reading: nothing here reads text.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from cchc.core.model import BBox
from extractors.image_prep import PreparedPage

__all__ = ["Segment", "find_ruling_segments", "find_rulings", "erase_dotted_rules", "cells_from_rulings"]

@dataclass
class Segment:
    """A ruling in prepared-image pixels: `pos` across the line, `lo..hi` along it."""

    pos: float
    lo: float
    hi: float
    thickness: float
    dotted: bool = False  # ink covers under BROKEN_COVERAGE of its length: a dotted or dashed rule


def _segments(ink: np.ndarray, horizontal: bool, min_len: int, max_thickness: int,
              marks: np.ndarray | None = None, mark_gap: int = 0) -> list[Segment]:
    k = (min_len, 1) if horizontal else (1, min_len)
    heal = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (7, 1) if horizontal else (1, 7)))
    if marks is not None and mark_gap > 7:
        # dotted and dashed rules: their dots and dashes, closed across the wider gaps between them
        along = (mark_gap, 1) if horizontal else (1, mark_gap)
        heal = cv2.bitwise_or(heal, cv2.morphologyEx(marks, cv2.MORPH_CLOSE,
                                                     cv2.getStructuringElement(cv2.MORPH_RECT, along)))
    lines = cv2.morphologyEx(heal, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, k))
    n, _, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    out = []
    for i in range(1, n):
        x, y, w, h, _area = stats[i]
        if horizontal:
            if h > max_thickness:
                continue
            out.append(Segment(y + h / 2.0, float(x), float(x + w), float(h)))
        else:
            if w > max_thickness:
                continue
            out.append(Segment(x + w / 2.0, float(y), float(y + h), float(w)))
    return out


def _merge(segs: list[Segment], pos_tol: float, max_gap: float, bridge: np.ndarray | None,
           horizontal: bool) -> list[Segment]:
    """Join collinear pieces: same `pos` within `pos_tol`, gap ≤ `max_gap` or covered by removed stamp ink."""
    segs = sorted(segs, key=lambda s: s.pos)
    clusters: list[list[Segment]] = []
    for s in segs:
        if clusters and abs(s.pos - np.mean([c.pos for c in clusters[-1]])) <= pos_tol:
            clusters[-1].append(s)
        else:
            clusters.append([s])
    merged: list[Segment] = []
    for cl in clusters:
        cl.sort(key=lambda s: s.lo)
        cur = Segment(cl[0].pos, cl[0].lo, cl[0].hi, cl[0].thickness)
        parts = [cl[0]]
        for s in cl[1:]:
            gap = s.lo - cur.hi
            if gap <= max_gap or _bridged(bridge, cur, s, horizontal):
                cur.hi = max(cur.hi, s.hi)
                parts.append(s)
            else:
                merged.append(_finish(cur, parts))
                cur, parts = Segment(s.pos, s.lo, s.hi, s.thickness), [s]
        merged.append(_finish(cur, parts))
    return merged


def _finish(cur: Segment, parts: list[Segment]) -> Segment:
    weights = [p.hi - p.lo for p in parts]
    pos = float(np.average([p.pos for p in parts], weights=weights))
    return Segment(pos, cur.lo, cur.hi, float(max(p.thickness for p in parts)))


def _bridged(mask: np.ndarray | None, a: Segment, b: Segment, horizontal: bool) -> bool:
    """The gap between two pieces lies (mostly) under ink removed as a stamp."""
    if mask is None:
        return False
    p = int(round((a.pos + b.pos) / 2))
    lo, hi = int(a.hi), int(b.lo)
    if hi <= lo:
        return True
    band = mask[max(p - 3, 0): p + 4, lo:hi] if horizontal else mask[lo:hi, max(p - 3, 0): p + 4]
    if band.size == 0:
        return False
    covered = (band.max(axis=0) if horizontal else band.max(axis=1)) > 0
    return bool(covered.mean() >= 0.6)


def find_ruling_segments(binary: np.ndarray, ink_mask: np.ndarray | None = None,
                         min_len_frac: float = 0.025) -> tuple[list[Segment], list[Segment]]:
    """(horizontal, vertical) ruling segments in pixels of `binary` (ink = 0)."""
    ink = (binary < 128).astype(np.uint8) * 255
    h, w = ink.shape
    min_len = max(25, int(min_len_frac * max(h, w)))
    tol = max(4.0, 0.002 * max(h, w))
    hs, vs = _rulings(ink, ink_mask, min_len, tol, None)
    if len(hs) < FEW_RULES or len(vs) < 3:
        # few solid rules: a grid drawn with dotted or dashed rules looks like this (as do a grid
        # with none at all and a page of prose); the dot pass costs ~0.3 s, so ruled pages skip it
        small = _rule_marks(ink, max(h, w))
        if _marks_line_up(small, max(h, w), min_len):
            full = (w, h)
            marks = (cv2.bitwise_and(cv2.resize(small[0], full, interpolation=cv2.INTER_NEAREST), ink),
                     cv2.bitwise_and(cv2.resize(small[1], full, interpolation=cv2.INTER_NEAREST), ink))
            dotted = _rulings(ink, ink_mask, min_len, tol, marks)
            if len(dotted[0]) + len(dotted[1]) > len(hs) + len(vs):
                hs, vs = dotted
    for horizontal, segs in ((True, hs), (False, vs)):
        for seg in segs:
            seg.dotted = _coverage(ink, seg, horizontal) < BROKEN_COVERAGE
    return hs, vs


FEW_RULES = 8  # horizontal rules: a ruled grid page has one a row
BROKEN_COVERAGE = 0.8  # a solid rule, even scanned at 1 bit, inks ≥ 90 % of its length; dashes 40–75 %


def _band(img: np.ndarray, s: Segment, horizontal: bool, pad: int, extra: int = 0) -> np.ndarray:
    """The strip of `img` a rule lies on (a view): its thickness plus `pad` each side, `extra` px past its end."""
    half = int(np.ceil(s.thickness / 2)) + pad
    p, lo, hi = int(round(s.pos)), max(int(s.lo), 0), int(np.ceil(s.hi)) + extra if extra else int(s.hi)
    return img[max(p - half, 0): p + half + 1, lo:hi] if horizontal else img[lo:hi, max(p - half, 0): p + half + 1]


def _coverage(ink: np.ndarray, s: Segment, horizontal: bool) -> float:
    """Share of a rule's length that carries ink on its line (dotted and dashed rules leave gaps)."""
    band = _band(ink, s, horizontal, pad=1)
    if band.size == 0:
        return 1.0
    return float((band.max(axis=0 if horizontal else 1) > 0).mean())


def erase_dotted_rules(prepared: PreparedPage, segments: tuple[list[Segment], list[Segment]]) -> int:
    """Paint dotted/dashed rules white on the page OCR reads; returns how many were erased.

    Tesseract leaves a solid rule alone but reads a dotted one as a string of
    "....", "9P PB" or digits glued to the cells' figures.
    """
    hs, vs = segments
    n = 0
    for horizontal, segs in ((True, hs), (False, vs)):
        for s in segs:
            if not s.dotted:
                continue
            for img in (prepared.gray, prepared.binary):
                _band(img, s, horizontal, pad=2, extra=1)[...] = 255
            n += 1
    return n


def _rulings(ink: np.ndarray, ink_mask: np.ndarray | None, min_len: int, tol: float,
             marks: tuple[np.ndarray, np.ndarray] | None) -> tuple[list[Segment], list[Segment]]:
    h, w = ink.shape
    max_thick = max(6, int(0.006 * max(h, w)))
    gap = max(12.0, 0.006 * max(h, w))
    mark_gap = max(9, int(0.0045 * max(h, w)))  # 3.8 pt at any dpi: the widest gap of a dotted or dashed rule
    h_marks, v_marks = marks if marks is not None else (None, None)
    hs = _merge(_segments(ink, True, min_len, max_thick, h_marks, mark_gap), tol, gap, ink_mask, True)
    vs = _merge(_segments(ink, False, min_len, max_thick, v_marks, mark_gap), tol, gap, ink_mask, False)
    min_keep = 2 * min_len
    hs = [s for s in hs if s.hi - s.lo >= min_keep]
    vs = [s for s in vs if s.hi - s.lo >= min_len]  # a one-row-high column separator is short
    # the sheet's own edge (a photo's border, a scanner's lid shadow) is not a ruling
    edge = 0.008 * max(h, w)
    hs = [s for s in hs if edge < s.pos < h - edge]
    vs = [s for s in vs if edge < s.pos < w - edge]
    # Bold or bled text makes long runs too (a baseline of touching glyphs, stems stacked across a
    # ruling).  Long segments (table outlines, row rules) are kept as they are;
    # a short one must be ruling-thin with little ink beside it (`_solitary`) and end on a long
    # crossing line (a sub-header rule on the column borders, a one-row separator on the row
    # rules) — or, for a small table whose rules are all short, on crossing rules at both ends.
    # "long" is against the longest rule found (the table's own width/height), so a run of text
    # across a wide label column does not pass for a row rule
    h_long = max(0.25 * w, 0.6 * max((s.hi - s.lo for s in hs), default=0.0))
    v_long = max(0.25 * h, 0.6 * max((s.hi - s.lo for s in vs), default=0.0))
    long_h = [s for s in hs if s.hi - s.lo >= h_long]
    long_v = [s for s in vs if s.hi - s.lo >= v_long]
    ruled = [s.thickness for s in long_h + long_v]
    usual = float(np.median(ruled)) if ruled else 3.0
    hs0 = [s for s in hs if s.hi - s.lo < h_long and _solitary(ink, s, True, usual)]
    vs0 = [s for s in vs if s.hi - s.lo < v_long and _solitary(ink, s, False, usual)]
    hs = long_h + [s for s in hs0 if _anchored(s, long_v, tol * 3) or _anchored(s, vs0, tol * 3, both=True)]
    vs = long_v + [s for s in vs0 if _anchored(s, long_h, tol * 3) or _anchored(s, hs0, tol * 3, both=True)]
    # extend ends to meet the crossing lines they nearly touch (line joins are thin in scans)
    for s in hs:
        s.lo, s.hi = _snap(s.lo, s.hi, [v.pos for v in vs if v.lo - tol <= s.pos <= v.hi + tol], tol * 3)
    for s in vs:
        s.lo, s.hi = _snap(s.lo, s.hi, [t.pos for t in hs if t.lo - tol <= s.pos <= t.hi + tol], tol * 3)
    return hs, vs


def _rule_marks(ink: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Ink blobs that may be the dots or dashes of a dotted/dashed rule: (horizontal, vertical) masks at half size.

    A dot or a dash is as thin as a rule across it; glyphs are taller and wider than a rule is
    thick, so few pass, and the closing that joins the marks into a stroke only makes a line
    where they follow each other a few points apart along a long stretch.
    """
    # on a half-size copy: a quarter of the pixels to label, and dots of 0.6 pt still show
    small = cv2.resize(ink, (ink.shape[1] // 2, ink.shape[0] // 2), interpolation=cv2.INTER_AREA)
    small = np.where(small >= 96, 255, 0).astype(np.uint8)  # cores only: dots a pixel apart stay apart
    thin = max(2, int(0.00125 * size))  # 0.6 pt rules blurred and thickened by a scan: ≤ 2 pt
    _, labels, stats, _ = cv2.connectedComponentsWithStats(small, connectivity=4)
    w, h = stats[:, 2], stats[:, 3]
    # any length: at half size close dots run together into dashes, and a dash is a piece of rule
    lut_h = (h <= thin).astype(np.uint8) * 255
    lut_v = (w <= thin).astype(np.uint8) * 255
    lut_h[0] = lut_v[0] = 0
    return lut_h[labels], lut_v[labels]


def _marks_line_up(small: tuple[np.ndarray, np.ndarray], size: int, min_len: int) -> bool:
    """Do the (half-size) marks close into at least two long lines? A cheap test before the full pass."""
    gap = max(5, int(0.00225 * size))
    for mask, along, across in ((small[0], (gap, 1), (min_len, 1)), (small[1], (1, gap), (1, min_len))):
        closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, along))
        lines = cv2.morphologyEx(closed, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, across))
        if cv2.connectedComponents(lines)[0] - 1 >= 2:
            return True
    return False


def _solitary(ink: np.ndarray, s: Segment, horizontal: bool, usual_thickness: float) -> bool:
    """A ruling stands alone: ruling-thin, with little ink just beside it along its length.

    Measured on a phone photo of an appendix (≈130 dpi after rectification):
    true short rulings had ink 3–6 px beside them along ≤ 30% of their
    length; runs made of touching glyphs 35–100%, or were 2–3× thicker
    (bold text).
    """
    if s.thickness > max(2.5 * usual_thickness, usual_thickness + 4):
        return False
    d = int(round(s.thickness / 2)) + 3
    p, lo, hi = int(round(s.pos)), int(s.lo), int(np.ceil(s.hi))
    if horizontal:
        before = ink[max(p - d - 3, 0): max(p - d, 0), lo:hi]
        after = ink[p + d: p + d + 3, lo:hi]
        a = before.any(axis=0).mean() if before.size else 0.0
        b = after.any(axis=0).mean() if after.size else 0.0
    else:
        before = ink[lo:hi, max(p - d - 3, 0): max(p - d, 0)]
        after = ink[lo:hi, p + d: p + d + 3]
        a = before.any(axis=1).mean() if before.size else 0.0
        b = after.any(axis=1).mean() if after.size else 0.0
    return bool(max(a, b) < 0.4 and (a + b) / 2 < 0.3)


def _anchored(s: Segment, crossing: list[Segment], tol: float, both: bool = False) -> bool:
    """Does one end (`both`: each end) of `s` lie on a crossing segment that spans `s`'s position?"""
    ends = [False, False]
    for c in crossing:
        if c.lo - tol <= s.pos <= c.hi + tol:
            ends[0] = ends[0] or abs(c.pos - s.lo) <= tol
            ends[1] = ends[1] or abs(c.pos - s.hi) <= tol
    return all(ends) if both else any(ends)


def _snap(lo: float, hi: float, crossings: list[float], tol: float) -> tuple[float, float]:
    for c in crossings:
        if abs(c - lo) <= tol:
            lo = min(lo, c)
        if abs(c - hi) <= tol:
            hi = max(hi, c)
    return lo, hi


def find_rulings(prepared: PreparedPage,
                 segments: tuple[list[Segment], list[Segment]] | None = None) -> list[BBox]:
    """Ruling segments of a prepared page in page points: `(x0, y, x1, y)` and `(x, y0, x, y1)`.

    `segments`: those `find_ruling_segments` already found on this prepared page.
    """
    hs, vs = segments or find_ruling_segments(prepared.binary, prepared.ink_mask)
    sx, sy = prepared.scale
    out: list[BBox] = [(s.lo * sx, s.pos * sy, s.hi * sx, s.pos * sy) for s in hs]
    out += [(s.pos * sx, s.lo * sy, s.pos * sx, s.hi * sy) for s in vs]
    return out


def cells_from_rulings(rulings: list[BBox], tol: float = 2.0) -> list[list[BBox]]:
    """Rows of cell boxes enclosed by rulings (a plain lattice; `extractors.grid` does the full job).

    Kept here so a scan's grid can be checked on its own; spanning cells come
    out as one box because an inner separator is required on both sides.
    """
    hs = [r for r in rulings if abs(r[3] - r[1]) <= tol]
    vs = [r for r in rulings if abs(r[2] - r[0]) <= tol]
    ys = _cluster_positions([r[1] for r in hs], tol * 2)
    xs = _cluster_positions([r[0] for r in vs], tol * 2)
    rows: list[list[BBox]] = []
    for y0, y1 in zip(ys, ys[1:], strict=False):
        row: list[BBox] = []
        left = None
        for x in xs:
            has_v = any(abs(v[0] - x) <= tol * 2 and v[1] <= y0 + tol * 2 and v[3] >= y1 - tol * 2 for v in vs)
            if not has_v:
                continue
            if left is not None:
                top = any(abs(h[1] - y0) <= tol * 2 and h[0] <= left + tol * 2 and h[2] >= x - tol * 2 for h in hs)
                bottom = any(abs(h[1] - y1) <= tol * 2 and h[0] <= left + tol * 2 and h[2] >= x - tol * 2 for h in hs)
                if top and bottom:
                    row.append((left, y0, x, y1))
            left = x
        if row:
            rows.append(row)
    return rows


def _cluster_positions(vals: list[float], tol: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(vals):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [float(np.mean(c)) for c in out]
