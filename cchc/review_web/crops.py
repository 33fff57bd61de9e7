"""The evidence a steward decides on: the strip of the page around a figure's box, box highlighted.

Rendered from the stored source file (PDF with pypdfium2; PNG/JPEG/TIFF with
Pillow, one frame per page), in the pipeline's coordinates — PDF points,
origin top-left — so the box drawn is the one the extractor reported.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageOps, ImageSequence

from extractors.image_prep import DEFAULT_DPI, _image_dpi

SCALE = 2.0  # pixels per point of the rendered crop (144 dpi): small print stays readable
MARGIN_PT = 60.0  # page shown above and below the box
HIGHLIGHT = (255, 214, 0, 90)
OUTLINE = (220, 20, 60, 255)


class CropError(Exception):
    """The page cannot be shown (file moved, page missing, unreadable); the message says which."""


def read_source(source_path: str) -> bytes:
    """The bytes of a stored input: a plain path or `archive.zip!/inner/path` (nested archives too)."""
    outer, sep, inner = source_path.partition("!/")
    path = Path(outer)
    if not path.is_file():
        raise CropError(f"{outer} is no longer there (moved or deleted since the extraction)")
    if not sep:
        return path.read_bytes()
    data = path.read_bytes()
    for member in inner.split("!/"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                data = zf.read(member)
        except (zipfile.BadZipFile, KeyError) as exc:
            raise CropError(f"{member} not found in {outer}") from exc
    return data


@lru_cache(maxsize=8)
def _page_image(source_path: str, page: int) -> tuple[Image.Image, float]:
    """(page image, pixels per point); a few recent pages are kept, as neighbouring figures share one."""
    data = read_source(source_path)
    if data[:5] == b"%PDF-" or b"%PDF-" in data[:1024]:
        return _pdf_page(data, page), SCALE
    try:
        img = Image.open(io.BytesIO(data))
        frame = next((f.copy() for i, f in enumerate(ImageSequence.Iterator(img), 1) if i == page), None)
    except Exception as exc:  # Pillow raises many types for a damaged file
        raise CropError(f"{source_path}: not a readable PDF or image ({exc})") from exc
    if frame is None:
        raise CropError(f"{source_path} has no page {page}")
    dpi = _image_dpi(frame, DEFAULT_DPI)  # the pipeline's page size: pixels × 72 / dpi (iter_image_pages)
    frame = ImageOps.exif_transpose(frame) if img.format in ("JPEG", "MPO", "PNG", "TIFF") else frame
    return frame.convert("RGB"), dpi / 72.0


def _pdf_page(data: bytes, page: int) -> Image.Image:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise CropError(f"cannot open the PDF ({exc})") from exc
    try:
        if not 1 <= page <= len(pdf):
            raise CropError(f"the PDF has no page {page}")
        p = pdf[page - 1]
        try:
            return p.render(scale=SCALE).to_pil().convert("RGB")
        finally:
            p.close()
    finally:
        pdf.close()


def render_crop(source_path: str, page: int, bbox: Sequence[float] | None) -> bytes:
    """PNG of the page's full width, `MARGIN_PT` above and below `bbox`, the box highlighted.

    Without a box (some narrative figures) the whole page is shown.
    """
    image, k = _page_image(source_path, int(page))
    width, height = image.size
    if bbox is None or len(bbox) != 4:
        crop = image.copy()
    else:
        x0, y0, x1, y1 = (float(v) * k for v in bbox)
        top = max(0, int(y0 - MARGIN_PT * k))
        bottom = min(height, int(y1 + MARGIN_PT * k))
        if bottom <= top:
            raise CropError(f"the box {list(bbox)} lies outside page {page}")
        crop = image.crop((0, top, width, bottom)).convert("RGBA")
        overlay = Image.new("RGBA", crop.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(overlay)
        box = (x0 - 3, y0 - top - 3, x1 + 3, y1 - top + 3)
        draw.rectangle(box, fill=HIGHLIGHT, outline=OUTLINE, width=3)
        crop = Image.alpha_composite(crop, overlay).convert("RGB")
    if crop.width > 1400:  # a photo at full resolution: keep the page light
        crop = crop.resize((1400, max(1, round(crop.height * 1400 / crop.width))))
    buf = io.BytesIO()
    crop.save(buf, format="PNG", optimize=False)
    return buf.getvalue()
