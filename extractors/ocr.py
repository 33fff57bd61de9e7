"""Full-page OCR with Tesseract `vie`, returning a `cchc.core.model.Page` in PDF points.

The page produced here looks like a text-layer page to the grid/row code:
`words` (origin OCR, with confidences) and `rulings` in points, top-left
origin, so the same table code runs on scans.  Choices from the field notes:
`--psm 3` (psm 6 mangles multi-column grids), `vie` alone (`vie+eng` made
diacritic errors ~5× worse), `OMP_THREAD_LIMIT=1` per call (Tesseract's own
threads made a page 5× slower on 2 cores; parallelise across pages instead),
and NFC on everything Tesseract returns (it may emit NFD).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from cchc.core.model import BBox, Line, Page, TextOrigin, Word
from cchc.core.vntext import nfc_ocr as nfc
from extractors.image_prep import PageImage, PreparedPage, prepare_page
from extractors.ocr_engine import (
    DEFAULT_LANG,
    OcrEngine,
    engine_for,
)
from extractors.page_quality import syllable_stats
from extractors.ruling_words import words_stand_on_end
from extractors.rulings import Segment, erase_dotted_rules, find_ruling_segments, find_rulings
from extractors.unread_ink import reread_unexplained_ink

LANG = DEFAULT_LANG
LOW_CONFIDENCE = 60.0  # mean word confidence below which a page gets a warning


def words_from_data(data: dict[str, list], scale: tuple[float, float] = (1.0, 1.0),
                    offset: tuple[float, float] = (0.0, 0.0)) -> list[tuple[Word, tuple[int, int, int]]]:
    """Tesseract rows → (Word in points, (block, paragraph, line) key); empty and conf −1 rows dropped."""
    sx, sy = scale
    ox, oy = offset
    out = []
    for i, raw in enumerate(data["text"]):
        text = nfc(str(raw)).strip()
        conf = float(data["conf"][i])
        if not text or conf < 0:
            continue
        x, y, w, h = (float(data[k][i]) for k in ("left", "top", "width", "height"))
        bbox = ((x + ox) * sx, (y + oy) * sy, (x + w + ox) * sx, (y + h + oy) * sy)
        key = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        out.append((Word(text=text, bbox=bbox, origin=TextOrigin.OCR, confidence=conf, font=None), key))
    return out


def group_lines(keyed: list[tuple[Word, tuple[int, int, int]]]) -> list[Line]:
    """Words → Lines by Tesseract's own (block, paragraph, line) numbering, top to bottom."""
    groups: dict[tuple[int, int, int], list[Word]] = {}
    for w, key in keyed:
        groups.setdefault(key, []).append(w)
    lines = []
    for ws in groups.values():
        ws.sort(key=lambda w: w.bbox[0])
        lines.append(Line(words=ws, bbox=_union([w.bbox for w in ws])))
    lines.sort(key=lambda ln: (round(ln.bbox[1] / 4), ln.bbox[0]))
    return lines


def _union(boxes: list[BBox]) -> BBox:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def ocr_page(image: np.ndarray | Image.Image, page_number: int, page_width_pt: float, page_height_pt: float,
             *, psm: int = 3, lang: str | None = None, dpi: int | None = None,
             engine: OcrEngine | None = None) -> Page:
    """OCR a whole page image; words and lines come back in PDF points (top-left origin).

    The image is assumed to cover the page exactly, so points = pixels ×
    page size / image size.  `dpi` defaults to what that ratio implies.
    """
    arr = np.asarray(image) if isinstance(image, Image.Image) else image
    h, w = arr.shape[:2]
    sx, sy = page_width_pt / w, page_height_pt / h
    if dpi is None:
        dpi = int(round(72.0 / sx))
    engine = engine or engine_for(lang or LANG)
    lang = lang or engine.lang
    data = engine.read(arr, psm=psm, lang=lang, dpi=dpi)
    keyed = words_from_data(data, scale=(sx, sy))
    words = [w for w, _ in keyed]
    lines = group_lines(keyed)
    page = Page(number=page_number, width=page_width_pt, height=page_height_pt, origin=TextOrigin.OCR,
                words=words, lines=lines)
    confs = [w.confidence for w in words if w.confidence is not None]
    mean = float(np.mean(confs)) if confs else 0.0
    page.origin_reason = f"OCR ({engine.name} {lang}, psm {psm}): {len(words)} words, mean confidence {mean:.0f}"
    if not words:
        page.origin = TextOrigin.NONE
        page.warnings.append(f"page {page_number}: OCR found no text")
    elif mean < LOW_CONFIDENCE:
        page.warnings.append(f"page {page_number}: low OCR confidence ({mean:.0f})")
    return page


_PURE_ARTEFACT = set("|¦!†‡[]")


def drop_ruling_artefacts(page: Page, tol: float = 4.0) -> int:
    """Remove what Tesseract read off a vertical ruling ("|", "!", "†", a glued "|"); return how many words changed.

    A ruling next to text is read as a character, which breaks header
    matching ("tính |") and code parsing ("1.2.1. |").  Only words (or word
    ends) lying on a vertical ruling are touched, so a "1" or "I" in the
    text itself is safe.
    """
    verticals = [r for r in page.rulings if abs(r[2] - r[0]) <= 1.0]
    if not verticals:
        return 0

    def on_ruling(x: float, y0: float, y1: float) -> bool:
        return any(abs(v[0] - x) <= tol and v[1] - tol <= (y0 + y1) / 2 <= v[3] + tol for v in verticals)

    changed = 0
    kept: list[Word] = []
    for w in page.words:
        x0, y0, x1, y1 = w.bbox
        centred = any(v[0] - tol <= (x0 + x1) / 2 <= v[0] + tol for v in verticals
                      if v[1] - tol <= (y0 + y1) / 2 <= v[3] + tol)
        # a rule read as "|" or "!" — or as any one narrow glyph ("Ô", "l") sitting right on it
        lone = len(w.text) == 1 and not w.text.isdigit() and (x1 - x0) <= 0.6 * (y1 - y0)
        if centred and (set(w.text) <= _PURE_ARTEFACT or lone):
            changed += 1
            continue
        text = w.text
        if len(text) > 1 and text[-1] in _PURE_ARTEFACT and on_ruling(x1, y0, y1):
            text = text[:-1].rstrip()
        if len(text) > 1 and text[0] in _PURE_ARTEFACT and on_ruling(x0, y0, y1):
            text = text[1:].lstrip()
        if text != w.text:
            changed += 1
            w.text = text  # in place: the page's lines hold the same objects
        kept.append(w)
    if changed:
        page.words = kept
        ids = {id(w) for w in kept}
        for ln in page.lines:
            ln.words = [w for w in ln.words if id(w) in ids]
        page.lines = [ln for ln in page.lines if ln.words]
    return changed


def _ocr_prepared(prepared: PreparedPage, number: int, psm: int, engine: OcrEngine) -> Page:
    dpi = int(round(prepared.gray.shape[1] * 72.0 / prepared.width_pt))
    return ocr_page(prepared.gray, number, prepared.width_pt, prepared.height_pt, psm=psm, dpi=dpi, engine=engine)


TURNED_MAX_VALID_SHARE = 0.45  # upright Vietnamese pages read ≥ 0.8 valid syllables; turned ones ≤ 0.2


def _valid_share(page: Page) -> float:
    return syllable_stats(page.text)["valid_share"]


def _reads_as_turned(page: Page) -> bool:
    """Enough text, too few Vietnamese syllables: the page is probably lying on its side or upside down."""
    stats = syllable_stats(page.text)
    return stats["checked"] >= 30 and stats["valid_share"] < TURNED_MAX_VALID_SHARE


@dataclass
class OcrResult:
    """An OCR'd page plus what is needed to re-read its cells and trace boxes back."""

    page: Page
    prepared: PreparedPage
    seconds: dict[str, float] = field(default_factory=dict)


def _rules_off_the_text(prepared: PreparedPage) -> tuple[list[Segment], list[Segment]]:
    """The page's rulings, found before OCR so dotted ones can be erased from what OCR reads."""
    segments = find_ruling_segments(prepared.binary, prepared.ink_mask)
    erased = erase_dotted_rules(prepared, segments)
    if erased:
        prepared.notes.append(f"{erased} dotted or dashed rules erased before OCR")
    return segments


def read_page_image(page_image: PageImage, *, rulings: bool = True, orientation: bool | None = None,
                    perspective: bool | None = None, psm: int = 3, engine: OcrEngine | None = None) -> OcrResult:
    """Prepare (stamps, skew, perspective), OCR and find rulings: the whole scan path for one page.

    Words and rulings are in points on the corrected page (see
    `extractors.image_prep`); `result.prepared.to_original` maps a prepared
    pixel box back to the page as stored.
    """
    engine = engine or engine_for(LANG)
    t0 = time.perf_counter()
    prepared = prepare_page(page_image, orientation=orientation, perspective=perspective, engine=engine)
    t1 = time.perf_counter()
    segments = _rules_off_the_text(prepared) if rulings else None
    first = prepared
    page = _ocr_prepared(prepared, page_image.page_number, psm, engine)
    if orientation is None and (_reads_as_turned(page) or words_stand_on_end(page)):
        # The cheap sideways test missed it (a ruled grid hides the line profile; 180° has none):
        # text that reads as gibberish is the sign.  OSD and a second pass cost only such pages.
        if prepared.rotation == 0:
            turned = prepare_page(page_image, orientation=True, perspective=perspective, engine=engine)
            if turned.rotation:
                prepared = turned
                page = _ocr_prepared(prepared, page_image.page_number, psm, engine)
        else:
            # OSD turned the page and it still reads as gibberish: OSD had it the wrong way round
            # (it says 90° for a page lying at 270°, 180° for an upright photo).  The opposite turn
            # or none: the one whose words read best and lie flat.
            for turn in ((prepared.rotation + 180) % 360, 0):
                other = prepare_page(page_image, turn=turn, perspective=perspective, engine=engine)
                again = _ocr_prepared(other, page_image.page_number, psm, engine)
                if not words_stand_on_end(again) and _valid_share(again) > _valid_share(page) + 0.2:
                    prepared, page = other, again
                    break
    t2 = time.perf_counter()
    if rulings:
        page.rulings = find_rulings(prepared, segments if prepared is first else None)
        drop_ruling_artefacts(page)
    t3 = time.perf_counter()
    added = reread_unexplained_ink(page, prepared, engine)
    if added:
        prepared.notes.append(f"{added} words read again from ink the page OCR left out")
    t4 = time.perf_counter()
    if prepared.notes:
        page.origin_reason += "; " + "; ".join(prepared.notes)
    return OcrResult(page, prepared, {"prepare": t1 - t0, "ocr": t2 - t1, "rulings": t3 - t2, "unread_ink": t4 - t3})
