"""Reading the real scanned pages of tests/fixtures/scans as the pipeline reads a scan.

Each fixture is a cleaned page (or its top) stored at the scan's own resolution; it is scaled to the
OCR resolution, read by real Tesseract, its rulings found, and glued figures cut at the rulings
(`pipeline.ocr_pages` does the same), so the grid tests see what the tables stage sees.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pandas as pd

from cchc.core.model import Page, Table
from extractors import image_grid
from extractors.image_prep import PageImage, PreparedPage
from extractors.ocr import OcrResult, read_page_image
from extractors.rows import extract_tables
from extractors.ruling_words import split_words_at_rulings

SCANS = Path(__file__).parent / "fixtures" / "scans"
OCR_DPI = 300


def read_scan_fixture(name: str, src_dpi: int, width_pt: float, number: int = 2) -> OcrResult:
    gray = cv2.imread(str(SCANS / name), cv2.IMREAD_GRAYSCALE)
    assert gray is not None, name
    f = OCR_DPI / src_dpi
    gray = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_CUBIC)
    rgb = np.ascontiguousarray(cv2.cvtColor(gray, cv2.COLOR_GRAY2RGB))
    height_pt = gray.shape[0] / OCR_DPI * 72
    result = read_page_image(PageImage(rgb, number, width_pt, height_pt, float(OCR_DPI), kind="pdf"))
    split_words_at_rulings(result.page)
    return result


def read_appendix_fixture(name: str, src_dpi: int, width_pt: float, number: int = 2) -> tuple[Page, PreparedPage]:
    """`read_scan_fixture`, the page flagged as an appendix page (as triage would), with its cleaned image."""
    result = read_scan_fixture(name, src_dpi, width_pt, number)
    result.page.is_appendix = True
    return result.page, result.prepared


def tables_with_header_rereads(page: Page, prepared: PreparedPage) -> list[Table]:
    """The page's tables as the tables stage builds them on a scan: header cells re-read from the image."""
    return extract_tables([page], only_appendix=True, header_reader=image_grid.header_reader({page.number: prepared}))


def extracted_table_values(fixture: Path, out: Path) -> pd.DataFrame:
    """The table figures `cchc extract` writes for one scan fixture, read back from its Parquet."""
    import cchc

    cchc.extract(fixture, out, workers=1, executor="inline")
    values = cchc.read_values(out, with_documents=False)
    return values[values["source"] == "table"].reset_index(drop=True)
