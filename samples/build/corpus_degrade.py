"""Turning clean rendered pages into what archives hold: scans, faxes, phone photos.

Every effect takes its randomness from the caller's `random.Random`, so a seed
gives the same bytes.  Sizes are in pixels of the page image at its dpi.
"""

from __future__ import annotations

import io
import math
import random
import unicodedata
from typing import Any

import cv2
import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont

SEAL_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def rasterize(pdf_bytes: bytes, dpi: int, pages: list[int] | None = None) -> list[Image.Image]:
    """Pages of a PDF (0-based; all by default) as RGB images at dpi (pdfium: deterministic, in-process)."""
    doc = pdfium.PdfDocument(pdf_bytes)
    try:
        idx = range(len(doc)) if pages is None else pages
        return [doc[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in idx]
    finally:
        doc.close()


def seal(img: Image.Image, cx: float, cy: float, r: float, text: str, rng: random.Random) -> Image.Image:
    """A red round seal (double ring, text around, star) multiplied over the page."""
    size = int(r * 2 + 8)
    ov = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(ov)
    red = (200 + rng.randint(0, 40), 20, 30, 170 + rng.randint(0, 60))
    c = size / 2
    d.ellipse([c - r, c - r, c + r, c + r], outline=red, width=max(2, int(r / 18)))
    d.ellipse([c - r * 0.68, c - r * 0.68, c + r * 0.68, c + r * 0.68], outline=red, width=max(1, int(r / 30)))
    font = ImageFont.truetype(SEAL_FONT, max(8, int(r / 6.5)))
    n = len(text)
    for i, ch in enumerate(text):
        a = math.pi + math.pi * 1.6 * (i / max(n - 1, 1)) - math.pi * 0.3
        x, y = c + r * 0.84 * math.cos(a), c + r * 0.84 * math.sin(a)
        d.text((x, y), ch, fill=red, font=font, anchor="mm")
    pts = []
    for k in range(10):
        rr = r * (0.3 if k % 2 == 0 else 0.12)
        a = -math.pi / 2 + k * math.pi / 5
        pts.append((c + rr * math.cos(a), c + rr * math.sin(a)))
    d.polygon(pts, fill=red)
    ov = ov.rotate(rng.uniform(-40, 40), resample=Image.BICUBIC)
    base = img.convert("RGB")
    arr = np.asarray(base).astype(np.float32)
    o = np.asarray(ov).astype(np.float32)
    x0, y0 = int(cx - size / 2), int(cy - size / 2)
    xs0, ys0 = max(0, x0), max(0, y0)
    xs1, ys1 = min(arr.shape[1], x0 + size), min(arr.shape[0], y0 + size)
    if xs1 <= xs0 or ys1 <= ys0:
        return base
    sub = o[ys0 - y0: ys1 - y0, xs0 - x0: xs1 - x0]
    alpha = sub[..., 3:4] / 255.0
    region = arr[ys0:ys1, xs0:xs1]
    mult = region * (sub[..., :3] / 255.0)
    arr[ys0:ys1, xs0:xs1] = region * (1 - alpha) + mult * alpha
    return Image.fromarray(arr.clip(0, 255).astype(np.uint8))


def scan(img: Image.Image, p: dict[str, Any], rng: random.Random, rotate: int = 0) -> Image.Image:
    """Paper tone, skew, edge shadow, noise and blur, colour mode, then a 90° turn when asked."""
    arr = np.asarray(img.convert("RGB")).astype(np.float32)
    if p["colour"] == "colour":
        tint = np.array([1.0, 0.97, 0.86]) * rng.uniform(0.93, 1.0)
        arr = arr * tint
    elif p["colour"] in ("grey", "bw"):
        g = arr.mean(axis=2, keepdims=True) * rng.uniform(0.9, 1.0)
        arr = np.repeat(g, 3, axis=2)
    h, w = arr.shape[:2]
    if p.get("edge_shadow"):
        side = rng.choice(["left", "right", "top", "bottom"])
        width = int(min(h, w) * rng.uniform(0.02, 0.06))
        ramp = np.linspace(0.25, 1.0, width, dtype=np.float32)
        if side == "left":
            arr[:, :width] *= ramp[None, :, None]
        elif side == "right":
            arr[:, w - width:] *= ramp[::-1][None, :, None]
        elif side == "top":
            arr[:width] *= ramp[:, None, None]
        else:
            arr[h - width:] *= ramp[::-1][:, None, None]
    angle = p.get("skew", 0.0)
    if abs(angle) > 1e-3:
        m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        border = tuple(float(x) for x in np.median(arr.reshape(-1, 3)[:: max(1, h * w // 5000)], axis=0))
        arr = cv2.warpAffine(arr, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=border)
    if p.get("blur", 0) > 0:
        arr = cv2.GaussianBlur(arr, (0, 0), p["blur"])
    if p.get("noise", 0) > 0:
        nrng = np.random.default_rng(rng.randrange(2**32))
        arr = arr + nrng.normal(0, p["noise"], arr.shape[:2])[..., None]
    arr = arr.clip(0, 255).astype(np.uint8)
    if p["colour"] == "bw":
        g = arr[..., 0]
        out = Image.fromarray(np.where(g > p.get("threshold", 160), 255, 0).astype(np.uint8)).convert("1")
    elif p["colour"] == "grey":
        out = Image.fromarray(arr[..., 0])
    else:
        out = Image.fromarray(arr)
    if rotate:
        out = out.rotate(rotate, expand=True)  # counter-clockwise, as a page fed sideways
    return out


def photo(img: Image.Image, p: dict[str, Any], rng: random.Random) -> Image.Image:
    """A phone shot: the page in perspective on a desk, light falling off across it."""
    page = np.asarray(img.convert("RGB")).astype(np.float32)
    h, w = page.shape[:2]
    W, H = int(w * 1.25), int(h * 1.18)
    desk = np.array(rng.choice([(120, 90, 60), (150, 140, 130), (90, 70, 55), (60, 60, 65)]), np.float32)
    nrng = np.random.default_rng(rng.randrange(2**32))
    bg = np.ones((H, W, 3), np.float32) * desk + nrng.normal(0, 8, (H, W, 1))
    j = p["warp"]
    ox, oy = (W - w) / 2, (H - h) / 2
    dst = np.float32([
        [ox + rng.uniform(-j, j) * w, oy + rng.uniform(-j, j) * h],
        [ox + w + rng.uniform(-j, j) * w, oy + rng.uniform(-j, j) * h],
        [ox + w + rng.uniform(-j, j) * w, oy + h + rng.uniform(-j, j) * h],
        [ox + rng.uniform(-j, j) * w, oy + h + rng.uniform(-j, j) * h],
    ])
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    m = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(page, m, (W, H), flags=cv2.INTER_LINEAR, borderValue=(0, 0, 0))
    mask = cv2.warpPerspective(np.ones((h, w), np.float32), m, (W, H), flags=cv2.INTER_LINEAR)
    out = bg * (1 - mask[..., None]) + warped * mask[..., None]
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    lx, ly = rng.uniform(0, W), rng.uniform(0, H)
    dist = np.sqrt((xx - lx) ** 2 + (yy - ly) ** 2) / math.hypot(W, H)
    light = 1.08 - p["light"] * dist
    out = out * light[..., None] * np.array([1.0, 0.98, 0.93])
    out = cv2.GaussianBlur(out, (0, 0), p.get("blur", 0.6))
    out = out + nrng.normal(0, 3, out.shape[:2])[..., None]
    return Image.fromarray(out.clip(0, 255).astype(np.uint8))


def encode(img: Image.Image, jpeg_q: int | None) -> tuple[bytes, str]:
    """Image bytes for embedding: JPEG at q when given (not for 1-bit), PNG otherwise."""
    buf = io.BytesIO()
    if jpeg_q and img.mode != "1":
        img.save(buf, "JPEG", quality=jpeg_q, optimize=False)
        return buf.getvalue(), "jpeg"
    img.save(buf, "PNG", optimize=False)
    return buf.getvalue(), "png"


def save_tiff(images: list[Image.Image], path: str, dpi: int) -> None:
    """Multi-page TIFF: G4 for 1-bit pages, LZW otherwise."""
    comp = "group4" if images[0].mode == "1" else "tiff_lzw"
    images[0].save(path, format="TIFF", save_all=True, append_images=images[1:], compression=comp, dpi=(dpi, dpi))


# ------------------------------------------------------------------ bad hidden OCR layer

_GARBLE = {"ê": "é", "e": "¢", "o": "6", "ơ": "o", "u": "ú", "a": "á", "i": "í", "n": "ri", "m": "rn"}
_DIGITS = {"0": "O", "1": "l", "2": "Z", "3": "8", "4": "A", "5": "S", "6": "b", "7": "T", "8": "B", "9": "g"}


def bad_ocr_text(s: str, rng: random.Random) -> str:
    """What OCR run without Vietnamese leaves: diacritics dropped, a few letters and digits misread."""
    out = []
    for ch in s:
        if ch in _GARBLE and rng.random() < 0.07:
            out.append(_GARBLE[ch])
            continue
        if ch in _DIGITS and rng.random() < 0.15:
            out.append(_DIGITS[ch])
            continue
        base = unicodedata.normalize("NFD", ch)
        base = "".join(c for c in base if not unicodedata.combining(c))
        out.append(base.replace("đ", "d").replace("Đ", "D"))
    return "".join(out)


# ------------------------------------------------------------------ styles of the dev6 / held-out splits
# Each takes the clean (or sealed) RGB page before `scan`/`photo`, so skew, blur and the colour mode act on it too.


def _smooth_field(rng: random.Random, h: int, w: int, lo: float, hi: float) -> np.ndarray:
    """A slowly varying map in [lo, hi] over the page (uneven toner, uneven light)."""
    nrng = np.random.default_rng(rng.randrange(2**32))
    small = nrng.uniform(0, 1, (4, 3)).astype(np.float32)
    f = cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC).clip(0, 1)
    return lo + (hi - lo) * f


def faded(img: Image.Image, keep: float, rng: random.Random) -> Image.Image:
    """Toner running out: ink kept at about `keep` of its darkness, unevenly across the page (light grey text)."""
    arr = np.asarray(img.convert("RGB")).astype(np.float32)
    field_ = _smooth_field(rng, arr.shape[0], arr.shape[1], keep * 0.8, min(1.0, keep * 1.2))
    return Image.fromarray((255 - (255 - arr) * field_[..., None]).clip(0, 255).astype(np.uint8))


def bleed_through(img: Image.Image, back: Image.Image, alpha: float, dpi: int) -> Image.Image:
    """Thin paper printed on both sides: the back page shows through, mirrored and blurred."""
    arr = np.asarray(img.convert("RGB")).astype(np.float32)
    mirrored = np.asarray(back.convert("L").transpose(Image.Transpose.FLIP_LEFT_RIGHT).resize(img.size))
    b = cv2.GaussianBlur(mirrored.astype(np.float32), (0, 0), dpi / 120)
    shade = 1 - alpha * (255 - b) / 255
    return Image.fromarray((arr * shade[..., None]).clip(0, 255).astype(np.uint8))


def lid_border(img: Image.Image, frac: float, rng: random.Random) -> Image.Image:
    """Scanner lid left open or a smaller sheet: black bands along one or two edges."""
    arr = np.asarray(img.convert("RGB")).astype(np.float32)
    h, w = arr.shape[:2]
    nrng = np.random.default_rng(rng.randrange(2**32))
    for side in rng.sample(["left", "right", "top", "bottom"], rng.choice([1, 2])):
        k = max(4, int((w if side in ("left", "right") else h) * frac * rng.uniform(0.7, 1.3)))
        band = {"left": arr[:, :k], "right": arr[:, w - k:], "top": arr[:k], "bottom": arr[h - k:]}[side]
        band[...] = 25 + nrng.normal(0, 6, band.shape[:2])[..., None]  # a view: writes into arr
    return Image.fromarray(arr.clip(0, 255).astype(np.uint8))


def punch_holes(img: Image.Image, diameter_mm: float, dpi: int, rng: random.Random) -> Image.Image:
    """Two filing holes 80 mm apart in the left margin, dark where the lid shows through."""
    out = img.convert("RGB").copy()
    d = ImageDraw.Draw(out)
    px = dpi / 25.4
    r = diameter_mm * px / 2
    x = (12 + rng.uniform(-1.5, 1.5)) * px
    cy = out.height / 2 + rng.uniform(-8, 8) * px
    for y in (cy - 40 * px, cy + 40 * px):
        d.ellipse([x - r, y - r, x + r, y + r], fill=(35, 35, 38), outline=(120, 120, 120), width=max(1, int(px / 3)))
    return out


def pen_marks(img: Image.Image, boxes_px: list[tuple[float, float, float, float]], colour: tuple[int, int, int],
              dpi: int, rng: random.Random) -> Image.Image:
    """A checker's pen: ticks beside values, an underline, a circled value and a signature across the table."""
    out = img.convert("RGB").copy()
    d = ImageDraw.Draw(out)
    px = dpi / 72
    wdt = max(2, int(0.9 * px))
    picks = rng.sample(boxes_px, min(len(boxes_px), 5))
    for i, (x0, y0, x1, y1) in enumerate(picks):
        if i % 3 == 0:  # tick just right of the cell
            bx, by = x1 + 2 * px, (y0 + y1) / 2
            d.line([(bx, by), (bx + 3 * px, by + 4 * px), (bx + 9 * px, by - 6 * px)], fill=colour, width=wdt)
        elif i % 3 == 1:  # underline under the value
            d.line([(x0 + 4 * px, y1 - 1 * px), (x1 - 4 * px, y1 + rng.uniform(-1, 1) * px)], fill=colour, width=wdt)
        else:  # circled
            d.ellipse([x0 - 2 * px, y0 - 2 * px, x1 + 2 * px, y1 + 2 * px], outline=colour, width=wdt)
    if boxes_px:  # a signature scrawled across the middle of the table
        ys = [(b[1] + b[3]) / 2 for b in boxes_px]
        cy = ys[len(ys) // 2]
        x_start = out.width * rng.uniform(0.3, 0.45)
        pts = [(x_start + k * 5 * px, cy + 14 * px * math.sin(k * rng.uniform(0.7, 1.1)) - k * 0.8 * px)
               for k in range(30)]
        d.line(pts, fill=colour, width=wdt, joint="curve")
    return out


def crease(img: Image.Image, pos: float, dark: float, rng: random.Random) -> Image.Image:
    """A fold line across the page: a dark ridge, a light edge beside it and one half a shade darker."""
    arr = np.asarray(img.convert("RGB")).astype(np.float32)
    h, w = arr.shape[:2]
    y0 = pos * h
    slope = rng.uniform(-0.02, 0.02)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    dist = yy - (y0 + slope * (xx - w / 2))
    width = max(1.5, h / 1500)
    ridge = 1 - (1 - dark) * np.exp(-(dist / width) ** 2)
    light = 1 + 0.06 * np.exp(-((dist - 3 * width) / (2 * width)) ** 2)
    half = np.where(dist > 0, rng.uniform(0.93, 0.98), 1.0)
    return Image.fromarray((arr * (ridge * light * half)[..., None]).clip(0, 255).astype(np.uint8))


def hand_shadow(img: Image.Image, strength: float, rng: random.Random) -> Image.Image:
    """A phone photo with the photographer's hand or phone shadow over a corner of the page."""
    arr = np.asarray(img.convert("RGB")).astype(np.float32)
    h, w = arr.shape[:2]
    mask = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(mask)
    cx, cy = rng.choice([(0, h), (w, h), (w, 0)])
    rx, ry = w * rng.uniform(0.35, 0.55), h * rng.uniform(0.3, 0.45)
    d.ellipse([cx - rx, cy - ry, cx + rx, cy + ry], fill=255)
    m = cv2.GaussianBlur(np.asarray(mask).astype(np.float32) / 255, (0, 0), w / 40)
    shade = 1 - (1 - strength) * m
    return Image.fromarray((arr * shade[..., None]).clip(0, 255).astype(np.uint8))


# ------------------------------------------------------------------ defects only today's held-out split draws
# Nobody tunes on these: they stand for the "styles beyond those listed" the acceptance scans bring.


def highlighter(img: Image.Image, boxes_px: list[tuple[float, float, float, float]], colour: tuple[int, int, int],
                dpi: int, rng: random.Random) -> Image.Image:
    """A reader's marker pen: translucent bands over a few rows, from the label into the value cell."""
    arr = np.asarray(img.convert("RGB")).astype(np.float32)
    px = dpi / 72
    for x0, y0, x1, y1 in rng.sample(boxes_px, min(len(boxes_px), 3)):
        left = max(0, int(x0 - rng.uniform(120, 260) * px))
        top, bot = int(y0 - 1.5 * px), int(y1 + 1.5 * px)
        band = arr[max(0, top):bot, left:int(x1 + 3 * px)]
        band *= np.asarray(colour, np.float32) / 255  # multiply: ink stays dark, paper takes the colour
    return Image.fromarray(arr.clip(0, 255).astype(np.uint8))


def toner_streak(img: Image.Image, xs: list[float], dark: float, rng: random.Random) -> Image.Image:
    """A copier's dirty drum: thin grey vertical streaks the whole height of the page, ragged in density."""
    arr = np.asarray(img.convert("RGB")).astype(np.float32)
    h, w = arr.shape[:2]
    nrng = np.random.default_rng(rng.randrange(2**32))
    for fx in xs:
        x = int(fx * w)
        width = max(2, int(w / rng.uniform(500, 900)))
        density = cv2.resize(nrng.uniform(0.4, 1.0, (40, 1)).astype(np.float32), (1, h))[:, 0]
        shade = 1 - (1 - dark) * density
        arr[:, x:x + width] *= shade[:, None, None]
    return Image.fromarray(arr.clip(0, 255).astype(np.uint8))


def received_stamp(img: Image.Image, colour: tuple[int, int, int], dpi: int, rng: random.Random) -> Image.Image:
    """The clerk's "CÔNG VĂN ĐẾN" box stamped on arrival, slightly rotated, over the upper part of the page."""
    px = dpi / 72
    w, h = int(150 * px), int(62 * px)
    stamp = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(stamp)
    lw = max(2, int(1.6 * px))
    d.rectangle([lw, lw, w - lw, h - lw], outline=255, width=lw)
    big = ImageFont.truetype(SEAL_FONT, int(11 * px))
    small = ImageFont.truetype(SEAL_FONT, int(8.5 * px))
    d.text((w / 2, 12 * px), "CÔNG VĂN ĐẾN", font=big, fill=255, anchor="mm")
    d.text((10 * px, 26 * px), f"Số: {rng.randint(100, 4999)}", font=small, fill=255)
    d.text((10 * px, 40 * px), f"Ngày: {rng.randint(1, 28)}/{rng.randint(1, 12)}", font=small, fill=255)
    d.text((78 * px, 40 * px), "Chuyển: ......", font=small, fill=255)
    stamp = stamp.rotate(rng.uniform(-8, 8), expand=True, resample=Image.Resampling.BICUBIC)
    out = img.convert("RGB").copy()
    x = int(rng.uniform(0.35, 0.62) * (out.width - stamp.width))
    y = int(rng.uniform(0.04, 0.3) * out.height)
    ink = Image.new("RGB", stamp.size, colour)
    out.paste(ink, (x, y), stamp.point(lambda v: int(v * 0.8)))
    return out
