"""Page images: loading one page at a time, stamp removal, deskew, orientation, perspective."""

from __future__ import annotations

import io
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from extractors import image_prep as ip
from extractors.ocr import ocr_page
from tests import ocr_support as S


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("prep")
    S.make_text_pdf(d / "text.pdf")
    S.make_grid_pdf(d / "grid.pdf")
    return {"text": d / "text.pdf", "grid": d / "grid.pdf"}


@pytest.fixture(scope="module")
def text_300(pdfs) -> ip.PageImage:
    return ip.render_pdf_page(pdfs["text"], 1, dpi=300)


def test_render_one_page_at_requested_dpi(pdfs, text_300) -> None:
    assert ip.pdf_page_count(pdfs["text"]) == 1
    assert text_300.kind == "pdf" and text_300.dpi == 300
    w, h = text_300.size_px
    assert abs(w - S.PAGE_W * 300 / 72) <= 1 and abs(h - S.PAGE_H * 300 / 72) <= 1  # pdftoppm rounds up
    assert text_300.width_pt == pytest.approx(S.PAGE_W, abs=0.01)
    small = ip.render_pdf_page(pdfs["grid"], 1, dpi=100)
    assert abs(small.size_px[0] - S.PAGE_W * 100 / 72) <= 1
    with pytest.raises(Exception):  # noqa: B017 - poppler's own error for a page that is not there
        ip.render_pdf_page(pdfs["grid"], 2, dpi=100)


def test_multi_page_tiff_yields_each_page(pdfs, tmp_path: Path) -> None:
    a = ip.render_pdf_page(pdfs["text"], 1, dpi=100).image
    b = ip.render_pdf_page(pdfs["grid"], 1, dpi=100).image
    tif = tmp_path / "scan.tif"
    Image.fromarray(a).save(tif, save_all=True, append_images=[Image.fromarray(b).convert("L")],
                            dpi=(100, 100), compression="tiff_lzw")
    assert ip.count_image_pages(tif) == 2
    pages = list(ip.iter_image_pages(tif))
    assert [p.page_number for p in pages] == [1, 2]
    assert all(p.kind == "image" and p.image.ndim == 3 for p in pages)
    # 100-dpi TIFF of an A4 page: page size in points comes from the DPI tag
    assert pages[0].width_pt == pytest.approx(S.PAGE_W, abs=1.0)
    assert np.array_equal(pages[0].image, a)
    assert np.array_equal(pages[1].image[..., 0], pages[1].image[..., 2])  # the grey frame comes back as RGB
    assert pages[1].image.shape == b.shape
    # bytes work as well as paths, and a JPEG without DPI assumes 300 dpi
    buf = io.BytesIO()
    Image.fromarray(a).save(buf, "JPEG")
    (only,) = list(ip.iter_image_pages(buf.getvalue()))
    assert only.dpi == 300 and only.width_pt == pytest.approx(a.shape[1] * 72 / 300)


def test_stamp_removal_keeps_black_text(text_300) -> None:
    page = Image.fromarray(text_300.image)
    centre = (900, 560)  # over lines 3–7 of the text
    stamped = np.asarray(S.stamp(page, centre, radius=220))
    gray, mask, share = ip.remove_coloured_ink(stamped)
    original = np.asarray(page.convert("L"))
    text_ink = original < 100
    # black text keeps its ink, also where the stamp crosses it
    kept = (gray[text_ink] < 128).mean()
    assert kept > 0.99, kept
    # the stamp's own ink (where the page was white) is gone
    stamp_only = (np.asarray(Image.fromarray(stamped).convert("L")) < 200) & (original > 250)
    assert stamp_only.sum() > 20000
    assert (gray[stamp_only] > 200).mean() > 0.97
    assert 0.002 < share < 0.05
    # and the text under the stamp still reads
    y0, y1 = int(centre[1] - 220), int(centre[1] + 220)
    page_pt = ocr_page(gray[y0:y1], 1, S.PAGE_W, (y1 - y0) * 72 / 300)
    assert "Đảng ủy, HĐND, UBND xã đã quan tâm" in page_pt.text


def test_blue_signature_is_removed_too(text_300) -> None:
    img = text_300.image.copy()
    cv2.line(img, (300, 1500), (1500, 1400), (20, 40, 200), 9)  # ballpoint blue
    gray, _, _ = ip.remove_coloured_ink(img)
    assert (gray[1440:1460, 700:1100] < 128).sum() < 50


@pytest.mark.parametrize("angle", [1.0, -2.5])
def test_deskew_measures_the_angle(text_300, angle: float) -> None:
    rotated = np.asarray(S.skew(Image.fromarray(text_300.image), angle))
    binary = ip.binarise(cv2.cvtColor(rotated, cv2.COLOR_RGB2GRAY))
    est = ip.estimate_skew(binary)
    assert est == pytest.approx(angle, abs=0.15)


def test_prepared_page_maps_back_to_original_points(text_300) -> None:
    rotated = np.asarray(S.skew(Image.fromarray(text_300.image), 1.5))
    page = ip.PageImage(rotated, 1, text_300.width_pt, text_300.height_pt, 300, kind="pdf")
    prep = ip.prepare_page(page)
    assert prep.skew_deg == pytest.approx(1.5, abs=0.15)
    assert prep.rotation == 0  # a skewed page is not mistaken for a sideways one
    # a point of the corrected page maps to where the rotation put it on the stored page
    h, w = rotated.shape[:2]
    x, y = 300.0, 400.0  # prepared px
    back = prep.to_original((x, y, x, y))
    theta = np.deg2rad(1.5)
    cx, cy = w / 2, h / 2
    # PIL rotates counter-clockwise on screen: the stored point is the prepared point turned by +1.5°
    ex = cx + (x - cx) * np.cos(theta) + (y - cy) * np.sin(theta)
    ey = cy - (x - cx) * np.sin(theta) + (y - cy) * np.cos(theta)
    assert back[0] == pytest.approx(ex * 72 / 300, abs=1.0)
    assert back[1] == pytest.approx(ey * 72 / 300, abs=1.0)
    assert prep.to_page((x, y, x, y))[0] == pytest.approx(x * 72 / 300, abs=0.05)


@pytest.mark.slow
def test_sideways_page_is_turned_upright(pdfs) -> None:
    src = ip.render_pdf_page(pdfs["text"], 1, dpi=200)
    turned = cv2.rotate(src.image, cv2.ROTATE_90_CLOCKWISE)
    page = ip.PageImage(turned, 1, src.height_pt, src.width_pt, 200, kind="pdf")
    prep = ip.prepare_page(page)  # orientation=None: cheap check, OSD only when sideways
    assert prep.rotation == 270
    assert prep.gray.shape[:2] == src.image.shape[:2]
    assert (prep.width_pt, prep.height_pt) == pytest.approx((src.width_pt, src.height_pt))
    upright = ip.prepare_page(src)
    assert upright.rotation == 0 and not any("rotated" in n for n in upright.notes)


def test_photo_perspective_is_corrected(pdfs) -> None:
    src = ip.render_pdf_page(pdfs["text"], 1, dpi=200)
    h, w = src.image.shape[:2]
    canvas_w, canvas_h = 2100, 2700
    quad = np.array([[210, 160], [1890, 260], [1980, 2560], [120, 2480]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32), quad)
    photo = cv2.warpPerspective(src.image, m, (canvas_w, canvas_h), borderValue=(70, 60, 55))  # dark desk
    page = ip.PageImage(photo, 1, canvas_w * 72 / 200, canvas_h * 72 / 200, 200, kind="image")
    found = ip.find_page_quad(photo)
    assert found is not None
    assert np.abs(found - quad).max() < 15
    prep = ip.prepare_page(page)
    assert prep.perspective
    assert (prep.width_pt, prep.height_pt) == pytest.approx(ip.A4_PT, abs=0.1)  # an A4-shaped sheet is A4
    # the rectified page's corner maps back onto the sheet's corner in the photo
    corner = cv2.perspectiveTransform(np.array([[[0.0, 0.0]]]), prep.to_source_px)[0, 0]
    assert np.abs(corner - quad[0]).max() < 15
    text = ocr_page(prep.gray, 1, prep.width_pt, prep.height_pt).text
    assert S.cer("\n".join(S.TEXT_LINES), text) < 0.05


def test_flat_scan_table_border_is_not_a_page_edge(pdfs) -> None:
    grid = ip.render_pdf_page(pdfs["grid"], 1, dpi=100)
    assert ip.find_page_quad(grid.image) is None


def test_grey_scan_contrast_is_normalised(text_300) -> None:
    g = cv2.cvtColor(text_300.image, cv2.COLOR_RGB2GRAY).astype(np.float32)
    # yellowed paper with a shadow from left to right, ink turned dark grey
    ramp = np.linspace(0.55, 0.85, g.shape[1], dtype=np.float32)[None, :]
    dull = (g / 255.0 * ramp * 255 + 25).clip(0, 255).astype(np.uint8)
    out = ip.normalise_contrast(dull)
    paper = g > 250
    assert np.median(out[paper]) > 240
    assert np.median(out[g < 60]) < 90
