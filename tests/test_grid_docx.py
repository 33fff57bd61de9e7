"""A Word-made appendix exported by LibreOffice: the way most real reports are produced.

LibreOffice repeats the header on each page, lets rows break across pages,
and draws clipped (invisible) text for both; the rebuilt rows must still
match the seed row for row.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pdfplumber
import pytest

from extractors.rows import extract_tables
from extractors.text_layer import read_page
from tests.grid_support import FIXTURES, gen


def _ws(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()




@pytest.fixture(scope="module")
def docx_pdf() -> tuple[Path, list]:
    """The seed-003 appendix as a Word table exported by LibreOffice (committed; see make_grid_pdfs.py)."""
    return FIXTURES / gen.DOCX_FIXTURES[True], gen.seed_docx_expected("003_district_camxuyen_h1_2021.txt")


@pytest.fixture(scope="module")
def docx_plain_pdf() -> tuple[Path, list]:
    return FIXTURES / gen.DOCX_FIXTURES[False], gen.seed_docx_expected("003_district_camxuyen_h1_2021.txt")


def test_libreoffice_export_rebuilds_every_row(docx_pdf: tuple[Path, list]) -> None:
    path, expected = docx_pdf
    t0 = time.perf_counter()
    with pdfplumber.open(path) as pdf:
        pages = [read_page(p, i + 1) for i, p in enumerate(pdf.pages)]
    tables = extract_tables(pages, only_appendix=True)
    elapsed = time.perf_counter() - t0
    print(f"\n{len(pages)} pages in {elapsed:.2f}s ({len(pages) / elapsed:.1f} pages/s)")
    assert len(pages) >= 8
    # LibreOffice clipped the cut rows' text; the reader noticed and dropped those glyphs
    assert any("clipped" in p.origin_reason for p in pages)
    assert len(tables) == 1
    got = [(r.code.text, _ws(r.label.text), _ws(r.unit.text), r.values[None].text,
            r.note.text if r.note else "") for r in tables[0].rows]
    want = [(e.code, e.label, e.unit, e.value, e.note) for e in expected]
    assert got == want
    # rows cut by a page break keep the page where they start
    pages_of = [r.page for r in tables[0].rows]
    assert pages_of == sorted(pages_of) and pages_of[-1] == len(pages)


def test_libreoffice_export_without_any_borders(docx_plain_pdf: tuple[Path, list]) -> None:
    """The same appendix with no rules at all (20 pages, narrow columns, labels wrapping over
    up to 7 lines, units wrapping, header repeated and clipped): columns from the words only."""
    path, expected = docx_plain_pdf
    with pdfplumber.open(path) as pdf:
        pages = [read_page(p, i + 1) for i, p in enumerate(pdf.pages)]
    assert not any(p.rulings for p in pages)
    (t,) = extract_tables(pages, only_appendix=True)
    got = [(r.code.text, _ws(r.label.text), _ws(r.unit.text), r.values[None].text,
            r.note.text if r.note else "") for r in t.rows]
    assert got == [(e.code, e.label, e.unit, e.value, e.note) for e in expected]
    assert t.columns[2:4] == ["Đơn vị tính", "Số liệu"]
