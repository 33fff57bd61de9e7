"""Two safety nets of the scan path, on real photographed pages from the `dev3` corpus split (issue 12).

* `codes_read_as_dots_213dpi.jpg`: `dev3_011_district_camxuyen_2021_photo.jpg` after perspective
  correction (FreeSerif, two value columns, no header on the page).  Tesseract's page segmentation
  returns most of the STT codes "3.2.2." as "..", so no grid was found and the photo gave 0 values.
  The ink no word explains is read again line piece by line piece (`extractors.unread_ink`).
* `photo_upright_osd_says_180_300dpi.jpg`: `dev3_023_province_6459_app2_photo.jpg` (JPEG q60): the
  sheet lies upright, yet Tesseract OSD says "rotate 180°" at confidence ~4; the page was read upside
  down and gave 0 values.  A turned page that reads as gibberish is now read as it lies.
* `sideways_osd_wrong_way_165dpi.jpg`: page 5 of `dev3_005_department_bdt_2023_colour.pdf`, stored
  turned by 270°: OSD says "rotate 90°", the page came out upside down and its rows were lost (a
  second reading as it lies gave vertical text, no grid).  The opposite turn is tried too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extractors.grid import find_grids
from extractors.image_prep import iter_image_pages
from extractors.ocr import ocr_page, read_page_image
from extractors.page_quality import syllable_stats
from tests.scan_fixtures import read_scan_fixture

SCANS = Path(__file__).parent / "fixtures" / "scans"
CODE = re.compile(r"^\d(\.\d){1,2}\.?$")
# the codes printed in the STT column of the codes fixture (from the corpus truth and the page itself)
PRINTED_CODES = {"3.2", "3.2.1", "3.2.2", "3.2.3", "3.3", "3.3.1", "3.3.2", "3.3.3", "3.3.4", "3.4", "3.4.1",
                 "3.4.2", "3.4.3", "3.4.4", "3.4.5", "4.1", "4.2", "4.2.1", "4.2.2"}


@pytest.fixture(scope="module")
def codes_page():
    image = next(iter_image_pages(SCANS / "codes_read_as_dots_213dpi.jpg", default_dpi=213))
    return image, read_page_image(image)


def _codes(words) -> set[str]:
    return {w.text.rstrip(".") for w in words if CODE.match(w.text) and w.bbox[0] < 90}


def test_full_page_ocr_alone_reads_most_codes_as_dots(codes_page) -> None:
    """The failure the re-read exists for, on the same pixels: one bare psm-3 pass keeps only "4.2.x"."""
    _, result = codes_page
    prepared = result.prepared
    bare = ocr_page(prepared.gray, 1, prepared.width_pt, prepared.height_pt, psm=3)
    assert len(_codes(bare.words) & PRINTED_CODES) <= 5
    assert sum(1 for w in bare.words if w.text in ("..", "._", ".")) >= 8


def test_unexplained_ink_gives_back_the_code_column_and_the_grid(codes_page) -> None:
    _, result = codes_page
    page = result.page
    assert "read again from ink" in page.origin_reason
    found = _codes(page.words)
    assert len(found & PRINTED_CODES) >= 14, sorted(found)
    assert found <= PRINTED_CODES | {"3.2.0", "3.9.2"}, sorted(found - PRINTED_CODES)  # no invented codes
    frags = find_grids(page)
    assert frags and any(c.role == "code" for c in frags[0].columns)
    assert sum(1 for c in frags[0].columns if c.role == "value") == 2  # Kế hoạch | Thực hiện, unnamed
    assert frags[0].n_rows >= 18


def test_an_upright_photo_that_osd_turns_is_read_as_it_lies() -> None:
    image = next(iter_image_pages(SCANS / "photo_upright_osd_says_180_300dpi.jpg"))
    result = read_page_image(image)
    page = result.page
    assert result.prepared.rotation == 0
    assert syllable_stats(page.text)["valid_share"] >= 0.8
    texts = {w.text for w in page.words}
    # figures of the photographed rows (corpus truth): 4.1.4.a = 27, 4.2.1 = 13, 4.2.3 = 120, 4.2.5 = 63,4
    assert {"27", "13", "120", "63,4"} <= texts
    assert {"4.1.1.", "4.2.3.", "4.3.4."} <= texts


def test_a_sideways_page_osd_turns_the_wrong_way_is_turned_the_other_way() -> None:
    result = read_scan_fixture("sideways_osd_wrong_way_165dpi.jpg", 165, 842.18, number=5)
    assert result.prepared.rotation == 270
    assert syllable_stats(result.page.text)["valid_share"] >= 0.8
    frag = next(f for f in find_grids(result.page) if f.method == "ruled")
    assert [c.role for c in frag.columns][:2] == ["code", "label"] and frag.n_rows >= 18
    codes = {frag.row_texts(r)[0].strip(" .") for r in range(frag.n_rows)}
    assert {"7.2", "7.6.1", "7.7.1", "7.8.3"} <= codes  # rows from the top, middle and bottom of the page
