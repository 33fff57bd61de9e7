"""Turn a scanned/photographed page into an image Tesseract reads well, and remember how.

Pages are loaded ONE AT A TIME (a 300-dpi A4 page is ~26 MB as RGB; a
100-page scan held at once would not fit a worker's budget).  Each page goes
through: optional orientation (Tesseract OSD), perspective correction for
photos (largest 4-point contour), removal of red/blue stamp and signature
ink by colour, black scanner-lid bands and punch holes turned to paper, deskew (projection profile on the binarised page), and
contrast normalisation.  Every geometric step is folded into one 3×3
homography so any box found on the prepared image maps back to the
original page in PDF points.

Coordinate frames:
* "prepared" — pixels of `PreparedPage.gray`;
* "page" — PDF points, top-left origin, of the *corrected* page: the prepared
  image scaled to the page size.  Deskew rotates about the page centre, so a
  point moves by at most r·θ (≈7 pt for 1° at a corner of A4); grids stay
  axis-aligned, which the grid/row code needs;
* "original" — PDF points on the page as stored (`PreparedPage.to_original`),
  exact, for provenance overlays.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import cv2
import numpy as np
from PIL import Image, ImageOps, ImageSequence

from cchc.core.model import BBox
from extractors.ocr_engine import OcrEngine, engine_for

DEFAULT_DPI = 300
A4_PT = (595.276, 841.89)
Image.MAX_IMAGE_PIXELS = 200_000_000  # a 600-dpi A3 scan is ~70 MP; refuse decompression bombs beyond this


@dataclass
class PageImage:
    """One page as pixels plus its size in PDF points (what `Page.width/height` will be)."""

    image: np.ndarray  # RGB uint8, H×W×3
    page_number: int  # 1-based
    width_pt: float
    height_pt: float
    dpi: float
    kind: str = "image"  # "pdf" for a rendered PDF page, "image" for a scan/photo file

    @property
    def size_px(self) -> tuple[int, int]:
        return self.image.shape[1], self.image.shape[0]


@dataclass
class PreparedPage:
    """The cleaned page and the geometry linking it to the original."""

    gray: np.ndarray  # uint8, stamps removed, contrast normalised: feed this to Tesseract
    binary: np.ndarray  # uint8 0/255, ink = 0
    source: PageImage
    to_source_px: np.ndarray  # 3×3: prepared px -> original image px
    width_pt: float  # size of the corrected page in points
    height_pt: float
    rotation: int = 0  # quarter turns applied (degrees, clockwise)
    skew_deg: float = 0.0
    perspective: bool = False
    ink_removed_share: float = 0.0  # share of pixels turned white as stamp/signature ink
    ink_mask: np.ndarray | None = None  # where coloured ink was (prepared px), for bridging rulings
    notes: list[str] = field(default_factory=list)

    @property
    def scale(self) -> tuple[float, float]:
        """Points per prepared pixel along x and y."""
        h, w = self.gray.shape[:2]
        return self.width_pt / w, self.height_pt / h

    def to_page(self, bbox_px: tuple[float, float, float, float]) -> BBox:
        """Prepared pixels → corrected-page points."""
        sx, sy = self.scale
        x0, y0, x1, y1 = bbox_px
        return (x0 * sx, y0 * sy, x1 * sx, y1 * sy)

    def from_page(self, bbox_pt: BBox) -> tuple[float, float, float, float]:
        """Corrected-page points → prepared pixels."""
        sx, sy = self.scale
        x0, y0, x1, y1 = bbox_pt
        return (x0 / sx, y0 / sy, x1 / sx, y1 / sy)

    def to_original(self, bbox_px: tuple[float, float, float, float]) -> BBox:
        """Prepared pixels → points on the page as stored (envelope of the mapped corners)."""
        x0, y0, x1, y1 = bbox_px
        pts = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float64).reshape(-1, 1, 2)
        mapped = cv2.perspectiveTransform(pts, self.to_source_px).reshape(-1, 2)
        sw, sh = self.source.size_px
        kx, ky = self.source.width_pt / sw, self.source.height_pt / sh
        return (
            float(mapped[:, 0].min() * kx), float(mapped[:, 1].min() * ky),
            float(mapped[:, 0].max() * kx), float(mapped[:, 1].max() * ky),
        )


# --------------------------------------------------------------------------- loading
def _to_rgb_array(img: Image.Image) -> np.ndarray:
    img = ImageOps.exif_transpose(img) if img.format in ("JPEG", "MPO", "PNG", "TIFF", None) else img
    if img.mode in ("1", "L", "P", "LA", "I;16", "I", "F", "CMYK", "RGBA", "PA"):
        if img.mode in ("RGBA", "LA", "PA", "P"):
            rgba = img.convert("RGBA")
            bg = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
            img = Image.alpha_composite(bg, rgba)
        elif img.mode in ("I;16", "I", "F"):
            arr = np.asarray(img, dtype=np.float64)
            lo, hi = float(arr.min()), float(arr.max())
            arr = ((arr - lo) / (hi - lo or 1) * 255).astype(np.uint8)
            img = Image.fromarray(arr, "L")
    return np.ascontiguousarray(np.asarray(img.convert("RGB")))


def _image_dpi(img: Image.Image, default: float) -> float:
    dpi = img.info.get("dpi")
    try:
        val = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        val = 0.0
    # many phones write 72 dpi for a 12 MP photo: treat implausible values as unknown
    return val if 100 <= val <= 1200 else default


def count_image_pages(source: str | Path | bytes) -> int:
    """Frames in a PNG/JPEG/TIFF without decoding their pixels."""
    with Image.open(io.BytesIO(source) if isinstance(source, bytes) else source) as img:
        return int(getattr(img, "n_frames", 1))


def iter_image_pages(source: str | Path | bytes, default_dpi: float = DEFAULT_DPI) -> Iterator[PageImage]:
    """Yield each frame of a PNG/JPEG/TIFF (multi-page TIFF too), decoding one at a time.

    Page size in points comes from the image's DPI when it is plausible, else
    `default_dpi` is assumed (a photo has no physical size anyway).
    """
    with Image.open(io.BytesIO(source) if isinstance(source, bytes) else source) as img:
        for i, frame in enumerate(ImageSequence.Iterator(img), start=1):
            dpi = _image_dpi(frame, default_dpi)
            arr = _to_rgb_array(frame.copy())
            h, w = arr.shape[:2]
            yield PageImage(arr, i, w * 72.0 / dpi, h * 72.0 / dpi, dpi)


class FrameError(NamedTuple):
    """A frame that was not read: too large (judged from its header) or undecodable."""

    page_number: int
    reason: str


def iter_image_frames(source: str | Path | bytes, default_dpi: float = DEFAULT_DPI,
                      max_pixels: int | None = None) -> Iterator[PageImage | FrameError]:
    """Like `iter_image_pages`, but a bad frame is reported and the next frames are still read.

    A multi-page TIFF with one corrupt page keeps its good pages; a frame
    above `max_pixels` is refused from its header size, before decoding.
    """
    with Image.open(io.BytesIO(source) if isinstance(source, bytes) else source) as img:
        n = int(getattr(img, "n_frames", 1))
        for i in range(n):
            try:
                img.seek(i)
                w, h = img.size
            except Exception as exc:  # noqa: BLE001 - a broken frame directory: report, try the next
                yield FrameError(i + 1, f"page cannot be located in the file ({type(exc).__name__}: {exc})")
                continue
            if max_pixels is not None and w * h > max_pixels:
                yield FrameError(i + 1, f"page is {w}×{h} pixels ({w * h / 1e6:,.0f} MP), above the limit of "
                                        f"{max_pixels / 1e6:,.0f} MP (--max-pixels); not decoded")
                continue
            if w * h == 0:
                yield FrameError(i + 1, f"page has no pixels ({w}×{h})")
                continue
            try:
                dpi = _image_dpi(img, default_dpi)
                arr = _to_rgb_array(img.copy())
            except MemoryError:
                raise
            except Exception as exc:  # noqa: BLE001 - decoder errors of one frame
                yield FrameError(i + 1, f"page cannot be decoded ({type(exc).__name__}: {exc}); "
                                        "the file is damaged: rescan or re-export it")
                continue
            h, w = arr.shape[:2]
            yield PageImage(arr, i + 1, w * 72.0 / dpi, h * 72.0 / dpi, dpi)


def pdf_page_count(path: str | Path) -> int:
    """Number of pages via poppler's pdfinfo (no rendering)."""
    from pdf2image import pdfinfo_from_path

    return int(pdfinfo_from_path(str(path))["Pages"])


def render_pdf_page(path: str | Path, page_number: int, dpi: int = DEFAULT_DPI,
                    page_size_pt: tuple[float, float] | None = None) -> PageImage:
    """Render ONE page with pdftoppm (`first_page=last_page`), never the whole document.

    300 dpi is the default: below ~250 dpi Tesseract starts losing the
    diacritics stacked on circumflexes; above, time grows with no gain.
    """
    from pdf2image import convert_from_path

    images = convert_from_path(str(path), dpi=dpi, first_page=page_number, last_page=page_number)
    if not images:
        raise ValueError(f"page {page_number} could not be rendered")
    arr = np.ascontiguousarray(np.asarray(images[0].convert("RGB")))
    h, w = arr.shape[:2]
    if page_size_pt is None:
        page_size_pt = _pdf_page_size(path, page_number) or (w * 72.0 / dpi, h * 72.0 / dpi)
    wpt, hpt = page_size_pt
    return PageImage(arr, page_number, wpt, hpt, float(dpi), kind="pdf")


def _pdf_page_size(path: str | Path, page_number: int) -> tuple[float, float] | None:
    """Displayed page size in points (rotation applied, like pdftoppm), or None if pdfium cannot tell."""
    try:
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(str(path))
        try:
            page = doc[page_number - 1]
            w, h = page.get_size()
            if page.get_rotation() in (90, 270):
                w, h = h, w
            return float(w), float(h)
        finally:
            doc.close()
    except Exception:  # noqa: BLE001 - the pixel size is a fine fallback
        return None


def iter_pdf_pages(path: str | Path, dpi: int = DEFAULT_DPI, pages: list[int] | None = None) -> Iterator[PageImage]:
    """Render the requested pages (default all) one after the other."""
    for n in pages or range(1, pdf_page_count(path) + 1):
        yield render_pdf_page(path, n, dpi=dpi)


# --------------------------------------------------------------------------- colour ink
def coloured_ink_mask(rgb: np.ndarray, min_saturation: int = 70, min_value: int = 60) -> np.ndarray:
    """Pixels of red or blue ink (stamps, signatures): saturated, not dark, red or blue hue.

    Black text has low saturation and dark pixels where a stamp overlaps a
    line keep low value, so both survive.
    """
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)  # H in 0..179
    # hue bands: red (0–12 and 160–179), blue (95–135), purple between (faded stamp ink drifts to magenta)
    low = cv2.inRange(hsv, (0, min_saturation, min_value), (12, 255, 255))
    rest = cv2.inRange(hsv, (95, min_saturation, min_value), (179, 255, 255))
    return cv2.bitwise_or(low, rest)  # cv2.inRange: ~10× numpy boolean algebra on a 300-dpi page


def _ink_zone(mask: np.ndarray) -> np.ndarray:
    """The whole area a stamp covers: its strokes closed up, holes filled, grown a little.

    A seal's pale tinted fill and the JPEG smear of its ring are too
    unsaturated for the colour mask but still grey out the cells below.
    """
    h, w = mask.shape
    small = cv2.resize(mask, (max(1, w // 4), max(1, h // 4)), interpolation=cv2.INTER_AREA)  # speed
    small = (small > 0).astype(np.uint8) * 255
    closed = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (7, 7)))
    contours, _ = cv2.findContours(closed, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    filled = np.zeros_like(closed)
    cv2.drawContours(filled, contours, -1, 255, thickness=cv2.FILLED)
    filled = cv2.dilate(filled, np.ones((5, 5), np.uint8))
    return cv2.resize(filled, (w, h), interpolation=cv2.INTER_NEAREST) > 0


def remove_coloured_ink(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Grey image with stamp/signature ink turned white, the mask, and the share of pixels removed.

    Saturated red/blue pixels go white.  Over the area the ink covers (a
    seal's tinted fill, JPEG chroma smear, faded edges: pixels too pale to
    pass the saturation test) the grey value is replaced by the brightest
    channel, in which red or blue ink is as light as paper while black ink
    stays black.
    """
    mask = coloured_ink_mask(rgb)
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    if not cv2.countNonZero(mask):
        return gray, mask, 0.0
    # a pixel whose brightest channel is low is black ink (alone or under the stamp): keep it.
    # (grey level is no test: pure stamp red has a grey level of ~86)
    r, g, b = cv2.split(rgb)
    value = cv2.max(cv2.max(r, g), b)  # brightest channel (numpy's max over axis 2 is ~20× slower)
    # how bright the stamp's own ink is (its brightest channel, 10th percentile); black ink seen
    # through a half-transparent seal is dark red (brightest channel ~110–140), not black, so a
    # fixed cut at 100 erased it.  Measured on a 200-dpi scanned seal: stamp p10 147, median 181.
    stamp_v = float(np.percentile(value[mask > 0][::5], 10))
    dark = value < max(100.0, 0.95 * stamp_v)
    remove = (cv2.dilate(mask, np.ones((3, 3), np.uint8)) > 0) & ~dark
    zone = _ink_zone(mask)
    # fill with the paper's own tone, not pure white: the contrast step divides by the local
    # background, and a white patch would turn the paper around it into a grey disc
    outside = gray[::7, ::7][~zone[::7, ::7]]  # a sample is plenty for the paper's tone
    paper = np.uint8(np.percentile(outside, 90)) if outside.size else np.uint8(255)
    gray = gray.copy()
    gray[zone] = np.minimum(value[zone], paper)
    gray[remove] = paper
    removed = remove.astype(np.uint8) * 255
    return gray, removed, cv2.countNonZero(removed) / removed.size


# --------------------------------------------------------------------------- scanner-lid bands, punch holes
class EdgeMarks(NamedTuple):
    """What `whiten_edge_marks` found: the cleaned page, where it was whitened, how much."""

    gray: np.ndarray
    mask: np.ndarray | None  # uint8, 255 where whitened (page pixels); None when nothing was
    band_share: float  # share of the page in lid bands
    holes: int  # punch holes


def whiten_edge_marks(gray: np.ndarray, min_thick_frac: float = 0.006) -> EdgeMarks:
    """Dark bands along the page's edges (an open scanner lid, the platen's black border) and punch
    holes in its margins, turned into paper.

    Both are dark ink thicker than any stroke in both directions (`min_thick_frac` of the short
    side: ~15 px at 300 dpi; a bold heading's stem is ~8).  A band touches the image border and
    runs along it for a tenth of the edge; a hole is a round blob 3–11 mm across (1.4–5% of the
    short side) whose centre lies within 12% of the page's width or height from an edge.  Left in,
    a band is read as rulings along its jagged edge and as junk words by Tesseract, and pulls the
    deskew angle and the contrast stretch; a hole on the frame's rule makes that rule too thick to
    be one.  Black areas inside the page (a logo, a photo) touch no border, are no small disc near
    one, and stay.  Runs before contrast and deskew, so on a skewed scan a band is still where the
    scanner put it.  `mask` joins the removed-stamp mask: rulings are bridged across a hole.
    """
    h, w = gray.shape[:2]
    f = 4  # a quarter-size copy: strokes smear to grey, bands and holes stay black (and ~16x faster)
    small = cv2.resize(gray, (max(1, w // f), max(1, h // f)), interpolation=cv2.INTER_AREA)
    sh, sw = small.shape
    paper = float(np.percentile(small[::3, ::3], 90))
    dark = (small < min(100.0, 0.45 * paper)).astype(np.uint8)
    k = max(3, int(round(min_thick_frac * min(h, w) / f)))
    thick = cv2.morphologyEx(dark, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    if not cv2.countNonZero(thick):
        return EdgeMarks(gray, None, 0.0, 0)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(thick, connectivity=8)
    band_ids = np.zeros(n, dtype=bool)
    hole_ids = np.zeros(n, dtype=bool)
    m = 1  # px of the small copy: a band may stop a pixel or two short of the border
    short = min(sh, sw)
    for i in range(1, n):
        x, y, bw, bh, area = stats[i]
        along = [bw / sw if y <= m or y + bh >= sh - m else 0.0, bh / sh if x <= m or x + bw >= sw - m else 0.0]
        if max(along) >= 0.1:
            band_ids[i] = True
            continue
        cx, cy = x + bw / 2, y + bh / 2
        near_edge = min(cx, sw - cx) <= 0.12 * sw or min(cy, sh - cy) <= 0.12 * sh
        round_ = 0.75 <= bw / max(bh, 1) <= 1.33 and 0.6 <= area / max(bw * bh, 1) <= 0.95
        hole_ids[i] = near_edge and round_ and 0.014 * short <= max(bw, bh) <= 0.05 * short
    band = band_ids[labels]
    if band.any():
        # a band on a skewed scan tapers to nothing at one end: that thin end is no thicker than a
        # stroke, so the opening dropped it.  Along each line across an edge the band touches, the
        # dark run that starts on the border goes too, up to the band's own depth on that line (k
        # where it has none): text near the band is never reached unless it touches the band
        dark_b, band_u = dark.astype(bool), band.astype(np.uint8)
        for flip, axis in ((False, 1), (True, 1), (False, 0), (True, 0)):
            d_view = dark_b if axis == 1 else dark_b.T
            b_view = band_u if axis == 1 else band_u.T
            if flip:
                d_view, b_view = d_view[:, ::-1], b_view[:, ::-1]
            if not b_view[:, 0].any():
                continue
            run = np.cumprod(d_view, axis=1).sum(axis=1)
            depth = np.maximum(np.cumprod(b_view, axis=1).sum(axis=1), 2 * k) + 1
            reach = np.minimum(run, depth)
            b_view[np.arange(b_view.shape[1])[None, :] < reach[:, None]] = 1
        band = band_u.astype(bool)
    marks = band | hole_ids[labels]
    if not marks.any():
        return EdgeMarks(gray, None, 0.0, 0)
    # the ragged, anti-aliased rim: one pixel of the small copy (4 of the page) all round, two
    # where darker than paper (a slanted band's edge)
    m8 = marks.astype(np.uint8)
    rim = cv2.dilate(m8, np.ones((3, 3), np.uint8)).astype(bool) | (
        cv2.dilate(m8, np.ones((5, 5), np.uint8)).astype(bool) & (small < 0.85 * paper))
    grown = (marks | rim).astype(np.uint8) * 255
    # filled with the paper's tone: Tesseract lost a column of codes beside a band filled with the
    # shade around it (inpainted), which the contrast step left greyer than paper
    full = cv2.resize(grown, (w, h), interpolation=cv2.INTER_NEAREST)
    out = gray.copy()
    out[full > 0] = np.uint8(paper)
    band_share = float(band.mean())
    return EdgeMarks(out, full, band_share, int(hole_ids.sum()))


# --------------------------------------------------------------------------- binarise / contrast
def normalise_contrast(gray: np.ndarray) -> np.ndarray:
    """Flatten uneven lighting (background estimate by dilation) and stretch to full range.

    Grey or yellowed scans and phone photos with a shadow both end up with a
    white background and dark ink, which is what Tesseract's own Otsu expects.
    """
    h, w = gray.shape[:2]
    f = 0.25 if min(h, w) > 400 else 1.0
    small = cv2.resize(gray, (max(1, int(w * f)), max(1, int(h * f))), interpolation=cv2.INTER_AREA)
    k = max(5, (int(min(h, w) * f) // 40) | 1)  # wider than a stroke, narrower than a shadow
    background = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    background = cv2.medianBlur(background, 5)
    background = cv2.resize(background, (w, h), interpolation=cv2.INTER_LINEAR)
    norm = cv2.divide(gray, background, scale=255)
    lo, hi = np.percentile(norm[::3, ::3], (0.5, 99.5))
    if hi - lo < 1:
        return norm
    # A page with little ink (a signature page) has paper speckle as its darkest 0.5%: never stretch
    # more than ~2x, or the speckle turns black and the few words drown in it.
    lo = min(lo, hi - 120)
    alpha = 255.0 / (hi - lo)
    return cv2.convertScaleAbs(norm, alpha=alpha, beta=-lo * alpha)  # saturating, no float copy


def binarise(gray: np.ndarray) -> np.ndarray:
    """Otsu threshold on a lightly blurred image; ink = 0, paper = 255."""
    blur = cv2.GaussianBlur(gray, (3, 3), 0)
    _, bw = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return bw


# --------------------------------------------------------------------------- skew
def estimate_skew(binary: np.ndarray, max_deg: float = 5.0) -> float:
    """Skew angle in degrees (positive = content rotated clockwise) by projection profile.

    The row-sum profile of the ink is sharpest (largest variance of its
    differences) when text lines and rulings are horizontal.  Measured on a
    downscaled page: coarse 0.5° steps, then 0.05° around the best.
    Hough on the same pages gave similar angles but was thrown off by
    vertical rulings on grid pages, so the profile is used.
    """
    ink = (binary < 128).astype(np.uint8) * 255
    h, w = ink.shape
    f = min(1.0, 1200.0 / max(h, w))
    small = cv2.resize(ink, (int(w * f), int(h * f)), interpolation=cv2.INTER_AREA) if f < 1 else ink
    if small.mean() < 0.5:  # blank page
        return 0.0
    sh, sw = small.shape
    centre = (sw / 2, sh / 2)

    def score(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rot = cv2.warpAffine(small, m, (sw, sh), flags=cv2.INTER_NEAREST, borderValue=0)
        prof = rot.sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(prof)).sum())

    coarse = np.arange(-max_deg, max_deg + 1e-9, 0.5)
    best = max(coarse, key=score)
    fine = np.arange(best - 0.5, best + 0.5 + 1e-9, 0.05)
    best = max(fine, key=score)
    return float(-best) if abs(best) >= 0.1 else 0.0  # below 0.1° resampling costs more than it helps


def rotation_matrix(angle_deg: float, w: int, h: int) -> np.ndarray:
    """3×3 rotation about the image centre that *removes* a skew of `angle_deg`."""
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle_deg, 1.0)
    return np.vstack([m, [0, 0, 1]])


# --------------------------------------------------------------------------- orientation
def detect_orientation(gray: np.ndarray, engine: OcrEngine | None = None) -> tuple[int, float]:
    """(degrees to rotate clockwise, confidence) from the OCR engine (Tesseract OSD on a half-size page).

    Returns (0, 0.0) when the engine cannot decide (too little text); callers
    only act on a confident answer.
    """
    return (engine or engine_for()).orientation(gray)


def _profile_sharpness(ink: np.ndarray, axis: int) -> float:
    prof = ink.sum(axis=axis, dtype=np.float64)
    return float(np.square(np.diff(prof)).sum()) / max(prof.size, 1)


def looks_sideways(binary: np.ndarray) -> bool:
    """Cheap test (no OCR) that text runs vertically: the column profile is sharper than the row profile.

    Lets `prepare_page` spend ~0.6 s of Tesseract OSD only on pages likely
    turned by 90°; a page upside down is not caught (OSD on request does).
    """
    ink = (binary < 128).astype(np.uint8)
    h, w = ink.shape
    f = min(1.0, 1000.0 / max(h, w))
    small = cv2.resize(ink * 255, (int(w * f), int(h * f)), interpolation=cv2.INTER_AREA) if f < 1 else ink * 255
    if small.mean() < 0.5:
        return False
    rows = _profile_sharpness(small, axis=1)
    cols = _profile_sharpness(small, axis=0)
    return cols > 1.5 * rows


def _quarter_turn(rgb: np.ndarray, degrees: int) -> tuple[np.ndarray, np.ndarray]:
    """Rotate clockwise by a multiple of 90° and return (image, 3×3 map rotated px -> source px)."""
    h, w = rgb.shape[:2]
    if degrees == 90:
        return cv2.rotate(rgb, cv2.ROTATE_90_CLOCKWISE), np.array([[0, 1, 0], [-1, 0, h - 1], [0, 0, 1]], float)
    if degrees == 180:
        return cv2.rotate(rgb, cv2.ROTATE_180), np.array([[-1, 0, w - 1], [0, -1, h - 1], [0, 0, 1]], float)
    if degrees == 270:
        return cv2.rotate(rgb, cv2.ROTATE_90_COUNTERCLOCKWISE), np.array([[0, -1, w - 1], [1, 0, 0], [0, 0, 1]], float)
    return rgb, np.eye(3)


# --------------------------------------------------------------------------- perspective
def find_page_quad(rgb: np.ndarray, min_area: float = 0.25) -> np.ndarray | None:
    """Corners (tl, tr, br, bl) of the sheet in a photo, or None when no clear page edge is seen.

    Largest convex 4-point contour covering at least `min_area` of the frame
    but not hugging the frame border (a flat scan's border is not a page edge).
    """
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    h, w = gray.shape
    f = min(1.0, 1000.0 / max(h, w))
    small = cv2.resize(gray, (int(w * f), int(h * f)), interpolation=cv2.INTER_AREA) if f < 1 else gray
    blur = cv2.GaussianBlur(small, (5, 5), 0)
    edges = cv2.Canny(blur, 50, 150)
    edges = cv2.dilate(edges, np.ones((5, 5), np.uint8))
    contours, _ = cv2.findContours(edges, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    sh, sw = small.shape
    best, best_area = None, min_area * sh * sw
    for c in contours:
        peri = cv2.arcLength(c, True)
        approx = cv2.approxPolyDP(c, 0.02 * peri, True)
        if len(approx) != 4 or not cv2.isContourConvex(approx):
            continue
        area = cv2.contourArea(approx)
        if area < best_area:
            continue
        pts = approx.reshape(4, 2).astype(np.float64)
        margin = 0.01 * max(sh, sw)
        hugs = (
            (pts[:, 0] <= margin).sum() >= 2 and (pts[:, 0] >= sw - 1 - margin).sum() >= 2
            and (pts[:, 1] <= margin).sum() >= 2 and (pts[:, 1] >= sh - 1 - margin).sum() >= 2
        )
        if hugs or not _background_outside(blur, pts):
            continue
        best, best_area = pts, area
    if best is None:
        return None
    return _order_corners(best / f)


def _background_outside(gray: np.ndarray, pts: np.ndarray, min_contrast: float = 30.0) -> bool:
    """True when what lies outside the quad is clearly darker than the paper inside it.

    A table's outer border on a flat scan is also a large 4-point contour;
    what tells a photographed sheet apart is the desk around it.
    """
    mask = np.zeros(gray.shape, np.uint8)
    cv2.fillConvexPoly(mask, pts.astype(np.int32), 255)
    inner = cv2.erode(mask, np.ones((15, 15), np.uint8))
    outer = cv2.dilate(mask, np.ones((15, 15), np.uint8))
    inside, outside = gray[inner > 0], gray[outer == 0]
    if inside.size == 0 or outside.size < 0.01 * gray.size:
        return False
    return float(np.percentile(inside, 90)) - float(np.median(outside)) >= min_contrast


def _order_corners(pts: np.ndarray) -> np.ndarray:
    s = pts.sum(axis=1)
    d = np.diff(pts, axis=1).ravel()
    return np.array([pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]], dtype=np.float32)


def rectify(rgb: np.ndarray, quad: np.ndarray, snap_a4: float = 0.2) -> tuple[np.ndarray, np.ndarray]:
    """Warp the quad to an upright rectangle; return (image, 3×3 map rectified px -> source px).

    Foreshortening distorts a photographed sheet's apparent aspect ratio, and
    the true one cannot be recovered without the camera; these reports are
    A4, so a quad within `snap_a4` (relative) of A4's ratio is warped to A4.
    """
    tl, tr, br, bl = quad
    width = int(round(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))))
    height = int(round(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))))
    a4 = A4_PT[1] / A4_PT[0]
    ratio = height / max(width, 1)
    if abs(ratio - a4) / a4 <= snap_a4:
        width = int(round(height / a4))
    elif abs(1 / ratio - a4) / a4 <= snap_a4:
        height = int(round(width / a4))
    dst = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(quad.astype(np.float32), dst)
    out = cv2.warpPerspective(rgb, m, (width, height), flags=cv2.INTER_CUBIC, borderValue=(255, 255, 255))
    return out, np.linalg.inv(m)


def sheet_size_pt(width_px: int, height_px: int, dpi: float) -> tuple[float, float]:
    """Size in points of a rectified photographed sheet: A4 when the aspect ratio says so.

    A photo has no physical scale; these reports are A4, so an A4-shaped
    sheet (±5%) gets A4's size and anything else keeps pixels at `dpi`.
    """
    ratio = height_px / max(width_px, 1)
    a4 = A4_PT[1] / A4_PT[0]
    if abs(ratio - a4) / a4 <= 0.05:
        return A4_PT
    if abs(1 / ratio - a4) / a4 <= 0.05:
        return A4_PT[1], A4_PT[0]
    return width_px * 72.0 / dpi, height_px * 72.0 / dpi


# --------------------------------------------------------------------------- all together
def prepare_page(
    page: PageImage,
    *,
    remove_stamps: bool = True,
    deskew: bool = True,
    perspective: bool | None = None,
    orientation: bool | None = None,
    turn: int | None = None,
    contrast: bool = True,
    edge_marks: bool = True,
    engine: OcrEngine | None = None,
    min_dpi: float = 150.0,
    target_dpi: float = 300.0,
) -> PreparedPage:
    """Clean one page for OCR and keep the geometry (see the module docstring for frames).

    `perspective=None` tries page-edge detection only on images that do not
    come from a PDF render (phone photos).  `orientation=None` runs Tesseract
    OSD (~0.6 s at half size) only when `looks_sideways` suspects a page
    turned by 90°; True always runs it (catches 180°), False never.  `turn`
    (0/90/180/270) skips OSD and turns the page by that much.  `edge_marks` whitens lid bands and
    punch holes (`whiten_edge_marks`) before anything else reads the page.
    """
    rgb = page.image
    to_src = np.eye(3)
    notes: list[str] = []
    rotation = 0
    width_pt, height_pt = page.width_pt, page.height_pt

    is_perspective = False
    if perspective or (perspective is None and page.kind != "pdf"):
        quad = find_page_quad(rgb)
        if quad is not None:
            rgb, m = rectify(rgb, quad)
            to_src = to_src @ m
            is_perspective = True
            notes.append("perspective corrected from the page edges")
            width_pt, height_pt = sheet_size_pt(rgb.shape[1], rgb.shape[0], page.dpi)

    # a photo of a whole sheet (or a 100-dpi fax) leaves ~10-px x-heights: Tesseract garbles bold
    # headers ("Đơn vị tính" → "Đi tÄ-]") and rulings merge with text.  Resample to `target_dpi`.
    eff_dpi = rgb.shape[1] * 72.0 / width_pt
    if eff_dpi < min_dpi:
        f = target_dpi / eff_dpi
        rgb = cv2.resize(rgb, (int(round(rgb.shape[1] * f)), int(round(rgb.shape[0] * f))),
                         interpolation=cv2.INTER_CUBIC)
        to_src = to_src @ np.diag([1.0 / f, 1.0 / f, 1.0])
        notes.append(f"upsampled from {eff_dpi:.0f} to {target_dpi:.0f} dpi")

    if remove_stamps:
        gray, ink_mask, removed = remove_coloured_ink(rgb)
        if removed > 0.0005:
            notes.append(f"removed coloured ink ({removed:.1%} of the page)")
    else:
        gray, ink_mask, removed = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), None, 0.0

    if edge_marks:
        marks = whiten_edge_marks(gray)
        if marks.mask is not None:
            gray = marks.gray
            ink_mask = marks.mask if ink_mask is None else cv2.bitwise_or(ink_mask, marks.mask)
            if marks.band_share:
                notes.append(f"whitened dark bands at the page edge ({marks.band_share:.1%} of the page)")
            if marks.holes:
                notes.append(f"whitened {marks.holes} punch hole(s)")
    if contrast:
        gray = normalise_contrast(gray)
    binary = binarise(gray)

    def straighten() -> float:
        nonlocal gray, binary, ink_mask, to_src
        angle = estimate_skew(binary) if deskew else 0.0
        if angle:
            h, w = gray.shape
            r = rotation_matrix(-angle, w, h)
            a = r[:2]
            gray = cv2.warpAffine(gray, a, (w, h), flags=cv2.INTER_CUBIC, borderValue=255)
            binary = binarise(gray)
            if ink_mask is not None:
                ink_mask = cv2.warpAffine(ink_mask, a, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
            to_src = to_src @ np.linalg.inv(r)
        return angle

    skew = straighten()
    # orientation after deskew: a page skewed by a degree or two smears its row profile
    if turn is not None or orientation or (orientation is None and looks_sideways(binary)):
        rot, conf = (turn % 360, 99.0) if turn is not None else detect_orientation(gray, engine)
        if rot and conf >= 2.0:
            gray, m = _quarter_turn(gray, rot)
            binary = binarise(gray)
            if ink_mask is not None:
                ink_mask, _ = _quarter_turn(ink_mask, rot)
            to_src = to_src @ m
            rotation = rot
            if rot in (90, 270):
                width_pt, height_pt = height_pt, width_pt
            notes.append(f"rotated {rot}° (" + ("the way its words read best)" if turn is not None
                                                else f"OSD confidence {conf:.1f})"))
            skew += straighten()
    if skew:
        notes.append(f"deskewed {skew:+.2f}°")

    return PreparedPage(
        gray=gray, binary=binary, source=page, to_source_px=to_src, width_pt=width_pt, height_pt=height_pt,
        rotation=rotation, skew_deg=skew, perspective=is_perspective, ink_removed_share=removed,
        ink_mask=ink_mask, notes=notes,
    )
