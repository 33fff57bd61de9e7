"""The scan path inside the pipeline: render → clean → OCR → rulings, cell re-reads, boxes back to the page.

Pages are rendered one at a time (a 300-page scan never sits in memory).
Words and rulings are produced on the *corrected* page (deskewed, stamps
removed, perspective fixed) so the shared grid finder sees straight lines;
the geometry of each page is kept so every value's box can be mapped back
to PDF points on the page as stored, like the text path.  The cleaned image
of appendix pages is kept until their cells have been re-read.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from cchc.core.errors import ResourceLimit
from cchc.core.model import BBox, Cell, Document, Page, TextOrigin
from extractors import cell_vote, image_grid, image_prep, ocr, ocr_engine, ruling_words, text_layer
from pipeline.load import OcrState, Workspace


@dataclass(frozen=True)
class PageGeometry:
    """Corrected-page points → points on the original page (a 3×3 homography and two scales)."""

    points_per_px: tuple[float, float]  # corrected page
    to_source_px: np.ndarray
    source_pt_per_px: tuple[float, float]

    @classmethod
    def of(cls, prepared: image_prep.PreparedPage) -> PageGeometry:
        sw, sh = prepared.source.size_px
        return cls(prepared.scale, prepared.to_source_px.copy(),
                   (prepared.source.width_pt / sw, prepared.source.height_pt / sh))

    def to_original(self, bbox: BBox) -> BBox:
        sx, sy = self.points_per_px
        x0, y0, x1, y1 = bbox[0] / sx, bbox[1] / sy, bbox[2] / sx, bbox[3] / sy
        pts = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float64).reshape(-1, 1, 2)
        mapped = cv2.perspectiveTransform(pts, self.to_source_px).reshape(-1, 2)
        kx, ky = self.source_pt_per_px
        return (round(float(mapped[:, 0].min() * kx), 2), round(float(mapped[:, 1].min() * ky), 2),
                round(float(mapped[:, 0].max() * kx), 2), round(float(mapped[:, 1].max() * ky), 2))


def _state(ws: Workspace) -> OcrState:
    return ws.ocr


def _pdf_path(ws: Workspace) -> Path:
    """pdftoppm reads files: documents from ZIP archives get one temporary copy."""
    path = ws.pdf_path
    if path is None:
        tmp = tempfile.NamedTemporaryFile(prefix="cchc-", suffix=".pdf", delete=False)
        tmp.write(ws.data)
        tmp.close()
        path = Path(tmp.name)
        ws.pdf_path = path
        ws.cleanups.append(lambda: path.unlink(missing_ok=True))
    return path


def _check_pixels(image: image_prep.PageImage, ws: Workspace) -> None:
    w, h = image.size_px
    if w * h > ws.options.max_pixels:
        raise ResourceLimit(f"page {image.page_number} is {w}×{h} pixels ({w * h / 1e6:,.0f} MP), above the limit "
                            f"of {ws.options.max_pixels / 1e6:,.0f} MP (--max-pixels); rescan at 300 dpi or raise "
                            "--max-pixels")


def _read(image: image_prep.PageImage, ws: Workspace) -> Page:
    _check_pixels(image, ws)
    engine = ocr_engine.engine_for(ws.options.ocr_lang, ws.options.ocr_engine)
    engine.version()  # fails early, with the remedy, when the model is missing
    result = ocr.read_page_image(image, engine=engine)
    page = result.page
    page.origin = TextOrigin.OCR
    ruling_words.split_words_at_rulings(page)  # "2011|2012" read across a rule: one word per cell
    page.is_appendix = text_layer.looks_like_appendix(page.text) or _ruled_grid_page(page)
    state = _state(ws)
    state.geometry[page.number] = PageGeometry.of(result.prepared)
    if page.is_appendix or _continues_kept_page(page, state):
        state.prepared[page.number] = result.prepared
    return page


MIN_CONTINUATION_RULINGS = 3
MIN_CONTINUATION_ROWS = 4
GRID_COLUMN_RULES = 3  # column rules running down most of the page: a grid, whatever OCR made of its text


def _ruled_grid_page(page: Page) -> bool:
    """A page drawn as a grid: three or more column rules over 40% of the page height with text between.

    A phone photo of a continuation page whose STT codes and figures full-page OCR lost reads as plain
    labels ("Số TTHC cấp xã; Thủ tục"), so the text test finds no numbered rows; the rules still say
    grid, and the grid reader (with its cell re-reads) gets the page instead of 0 values.
    """
    tall = [r for r in page.rulings if abs(r[2] - r[0]) <= 1.0 and r[3] - r[1] >= 0.4 * page.height]
    xs: list[float] = []
    for r in sorted(tall, key=lambda r: r[0]):
        if not xs or r[0] - xs[-1] > 5.0:
            xs.append(r[0])
    return len(xs) >= GRID_COLUMN_RULES and len(page.lines) >= 10


def _continues_kept_page(page: Page, state: OcrState) -> bool:
    """A ruled page, or one with numbered rows, right after an appendix page: a grid carried over
    without its header (on a 1-bit scan its thin rules may be gone too).

    Such a page does not look like an appendix by its words, yet its cells need the
    same re-reads; without its image they keep full-page OCR's empty or misread values.
    """
    return page.number - 1 in state.prepared and (
        len(page.rulings) >= MIN_CONTINUATION_RULINGS or text_layer.numbered_rows(page.text) >= MIN_CONTINUATION_ROWS)


def ocr_pdf_page(ws: Workspace, number: int, width_pt: float, height_pt: float) -> Page:
    """OCR page `number` of the document's PDF at the options' DPI.

    A scanner's PDF page is one full-page image: it is taken out as it is
    stored (no rendering) and scaled to the OCR resolution.  Any other page is
    rendered alone by poppler (pdf2image).  (pdfium's own rendering is faster
    still, but its resampling cost accuracy under stamps on the samples.)
    """
    dpi = ws.options.dpi
    w_px, h_px = int(round(width_pt / 72 * dpi)), int(round(height_pt / 72 * dpi))
    if w_px * h_px > ws.options.max_pixels:
        raise ResourceLimit(f"page {number} would render at {w_px}×{h_px} pixels ({w_px * h_px / 1e6:,.0f} MP) at "
                            f"{dpi} dpi, above the limit of {ws.options.max_pixels / 1e6:,.0f} MP (--max-pixels); "
                            "not rendered")
    image = _embedded_scan(ws, number, width_pt, height_pt)
    if image is None:
        image = image_prep.render_pdf_page(_pdf_path(ws), number, dpi=ws.options.dpi,
                                           page_size_pt=(width_pt, height_pt))
    return _read(image, ws)


def _embedded_scan(ws: Workspace, number: int, width_pt: float, height_pt: float) -> image_prep.PageImage | None:
    """The page's single full-page image, scaled to the OCR DPI, or None when the page is anything else."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = ws.pdfium
    if pdf is None:
        return None
    page = pdf[number - 1]
    try:
        if page.get_rotation() % 360:
            return None
        objects = list(page.get_objects(max_depth=1))
        images = [o for o in objects if o.type == raw.FPDF_PAGEOBJ_IMAGE]
        # a scanner's hidden OCR layer (text in render mode 3) draws nothing: still the stored image alone
        drawn = [o for o in objects if not (o.type == raw.FPDF_PAGEOBJ_TEXT and raw.FPDFTextObj_GetTextRenderMode(
            o.raw) == raw.FPDF_TEXTRENDERMODE_INVISIBLE)]
        if len(drawn) != 1 or len(images) != 1:
            return None
        x0, y0, x1, y1 = images[0].get_bounds()
        if (x1 - x0) * (y1 - y0) < 0.95 * width_pt * height_pt:
            return None
        iw, ih = images[0].get_px_size()
        if iw * ih > ws.options.max_pixels:  # read from the image dictionary, before decoding
            raise ResourceLimit(f"page {number} holds a {iw}×{ih} pixel image ({iw * ih / 1e6:,.0f} MP), above the "
                                f"limit of {ws.options.max_pixels / 1e6:,.0f} MP (--max-pixels); not decoded")
        pixels = images[0].get_bitmap(render=False).to_numpy()
    except (pdfium.PdfiumError, ValueError, AttributeError):
        return None
    finally:
        page.close()
    if pixels.ndim == 2:
        pixels = cv2.cvtColor(pixels, cv2.COLOR_GRAY2RGB)
    elif pixels.shape[2] == 4:
        pixels = cv2.cvtColor(pixels, cv2.COLOR_BGRA2RGB)
    else:
        pixels = cv2.cvtColor(pixels, cv2.COLOR_BGR2RGB)
    dpi = ws.options.dpi
    target = (int(round(width_pt / 72 * dpi)), int(round(height_pt / 72 * dpi)))
    if abs(target[0] - pixels.shape[1]) > 2:
        interpolation = cv2.INTER_CUBIC if target[0] > pixels.shape[1] else cv2.INTER_AREA
        pixels = cv2.resize(pixels, target, interpolation=interpolation)
    return image_prep.PageImage(np.ascontiguousarray(pixels), number, width_pt, height_pt, float(dpi), kind="pdf")


def ocr_image_pages(ws: Workspace, limit: int) -> Iterator[Page]:
    """OCR each frame of an image file (multi-page TIFF included), one frame decoded at a time.

    A frame that is too large or cannot be decoded becomes an empty page with its own warning.
    """
    for image in image_prep.iter_image_frames(ws.data, max_pixels=ws.options.max_pixels):
        if image.page_number > limit:
            break
        if isinstance(image, image_prep.FrameError):
            yield Page(image.page_number, 0.0, 0.0, TextOrigin.NONE, image.reason, warnings=[image.reason])
            continue
        page = _read(image, ws)
        page.origin_reason = "image file: OCR" + (f"; {page.origin_reason}" if page.origin_reason else "")
        yield page


def reread_table_cells(doc: Document, ws: Workspace, ocr_numbers: set[int]) -> None:
    """Read code and value cells of scanned grids again on their own; keep the better reading; then verify.

    The verification (`extractors.cell_vote`) is one more reading of every
    value cell holding a figure; a value the readings dispute gets a low
    confidence and its readings are kept (`disputes`, by cell) for the
    review reason the match stage writes.
    """
    prepared = _state(ws).prepared
    pages = {n: prepared[n] for n in ocr_numbers if n in prepared}
    if pages:
        engine = ocr_engine.engine_for(ws.options.ocr_lang, ws.options.ocr_engine)
        for table in doc.tables:
            value_cells = [(row.page, cell) for row in table.rows
                           if row.origin is TextOrigin.OCR and row.page in pages and row.kind != "header"
                           for cell in row.values.values()]
            page_readings = {id(cell): cell.text for _, cell in value_cells}
            image_grid.refine_table_cells(table, pages, engine)
            by_page: dict[int, list[tuple[Cell, str]]] = {}
            for page_no, cell in value_cells:
                seen = page_readings[id(cell)]
                by_page.setdefault(page_no, []).append((cell, seen if seen.strip() != cell.text.strip() else ""))
            for page_no, items in by_page.items():
                stats = cell_vote.verify_value_cells(pages[page_no], items, engine)
                _disputes(ws).update({id(v.cell): v.readings for v in stats.votes if v.outcome == "disputed"})
    prepared.clear()  # images are no longer needed


def _disputes(ws: Workspace) -> dict[int, tuple[str, ...]]:
    """Disputed value cells of this document (by `id` of the cell: cells live as long as the workspace)."""
    return _state(ws).disputes


def disputed_readings(ws: Workspace, cell: Cell) -> tuple[str, ...] | None:
    """The readings that disagreed on a verified value cell, or None when they did not."""
    return _disputes(ws).get(id(cell))


def boxes_to_original(doc: Document, ws: Workspace) -> None:
    """Stage — locate: OCR'd boxes were on the corrected page; report them on the page as stored."""
    geometry = _state(ws).geometry
    if not geometry:
        return
    for value in doc.values:
        geo = geometry.get(value.page)
        if geo is not None and value.bbox is not None and value.text_source is TextOrigin.OCR:
            value.bbox = geo.to_original(value.bbox)
