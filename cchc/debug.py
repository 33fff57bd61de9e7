"""`cchc debug FILE --page N`: a picture of what each stage saw on one page.

The first thing to open when a number comes out wrong: the page image with
the ruling lines found (grey), the words coloured by origin (blue: text
layer, orange: repaired legacy font, green: OCR), the grid's cells (thin
purple) and each row's box labelled with its matched code and score (red
when flagged for review).  Which stage lied is usually visible at a glance.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from cchc.core.model import Document, Page, TextOrigin, Value
from cchc.core.options import ExtractOptions

ORIGIN_COLOURS = {TextOrigin.TEXT: (40, 90, 220), TextOrigin.REPAIRED: (230, 140, 0), TextOrigin.OCR: (0, 150, 60)}
FONT_PATH = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def process_one(path: Path, options: ExtractOptions) -> Document:
    """Run every stage on one file in this process, keeping the pages' words and rulings."""
    from pipeline.ingest import ingest
    from pipeline.run import process_document

    ingested = ingest([path])
    (doc,) = ingested.documents
    return process_document(doc, ingested.refs[doc.doc_id], options, keep_pages=True)


def render_page(path: Path, doc: Document, page_no: int, dpi: int = 110) -> Image.Image:
    """The page as stored (PDF rendered by poppler, or the image frame), in RGB."""
    from pdf2image import convert_from_path

    if doc.kind == "pdf":
        (img,) = convert_from_path(str(path), dpi=dpi, first_page=page_no, last_page=page_no)
        return img.convert("RGB")
    with Image.open(io.BytesIO(path.read_bytes())) as im:
        im.seek(page_no - 1)
        return im.convert("RGB")


def draw_debug(path: Path, doc: Document, page_no: int) -> Image.Image:
    page = next((p for p in doc.pages if p.number == page_no), None)
    if page is None:
        raise ValueError(f"{path.name} has no page {page_no} (pages: 1–{doc.n_pages or 0})")
    base = render_page(path, doc, page_no)
    # OCR boxes live on the corrected page; for a straight scan that is the stored page's size
    sx, sy = base.width / max(page.width, 1), base.height / max(page.height, 1)
    canvas = Image.new("RGB", (base.width + 170, base.height), "white")  # a margin for the row labels
    canvas.paste(base, (0, 0))
    draw = ImageDraw.Draw(canvas, "RGBA")
    font = ImageFont.truetype(str(FONT_PATH), 11) if FONT_PATH.exists() else ImageFont.load_default()

    def box(b, **kw):  # type: ignore[no-untyped-def]
        draw.rectangle([b[0] * sx, b[1] * sy, b[2] * sx, b[3] * sy], **kw)

    for r in page.rulings:
        draw.line([r[0] * sx, r[1] * sy, r[2] * sx, r[3] * sy], fill=(120, 120, 120, 200), width=2)
    for w in page.words:
        box(w.bbox, outline=ORIGIN_COLOURS.get(w.origin, (0, 0, 0)) + (160,), width=1)
    scores: dict[tuple[float, ...], Value] = {}
    for value in doc.values:
        if value.source == "table" and value.page == page_no and value.bbox:
            scores[tuple(value.bbox)] = value
    for table in doc.tables:
        for row in table.rows:
            if row.page != page_no or row.bbox is None:
                continue
            for cell in [row.code, row.label, row.unit, *row.values.values()]:
                if cell.bbox:
                    box(cell.bbox, outline=(150, 60, 200, 120), width=1)
            v = scores.get(tuple(row.bbox))
            colour = (220, 30, 30, 255) if v is not None and v.needs_review else (20, 20, 20, 255)
            box(row.bbox, outline=colour[:3] + (90,), width=1)
            if v is not None:
                label = f"{v.indicator_code or '?'} {v.match_score:.0f} {v.match_method}"
                draw.text((row.bbox[2] * sx + 3, row.bbox[1] * sy), label, fill=colour, font=font)
    legend = f"{path.name} p.{page_no} — {page.origin.value}: {page.origin_reason}"
    draw.rectangle([0, 0, canvas.width, 16], fill=(255, 255, 255, 230))
    draw.text((4, 2), legend[:180], fill=(0, 0, 0), font=font)
    return canvas


def describe(doc: Document, page: Page) -> str:
    rows = [r for t in doc.tables for r in t.rows if r.page == page.number]
    values = [v for v in doc.values if v.page == page.number]
    return (f"page {page.number}: {page.origin.value} ({page.origin_reason}); {len(page.words)} words, "
            f"{len(page.rulings)} rulings, {len(rows)} grid rows, {len(values)} values "
            f"({sum(v.needs_review for v in values)} to review)")
