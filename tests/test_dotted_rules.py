"""Grids drawn with dotted or dashed rules (issue 12, a style beyond those the issue lists).

Fixture `dotted_rules_bw_155dpi.png`: page 2 of `dev6_002_commune_2024_bw.pdf` of the dev6 split (a
tuning split) as stored: 1-bit, 155 dpi, every rule dotted (0.6 pt dots 1.8 pt apart), a black
scanner-lid band.  At 300 dpi the dots are 7–10 px apart, wider than the 7 px closing that heals
solid rules broken by a scan, so no rule was found and the page gave no row (the split's three
dotted documents scored F1 0.004); and OCR read the dots as text ("9P PB", digits glued to figures).  The page image shows one header box and the rows of sections 1
and 2 (1.1 … 2.4), each between two dotted rules.
"""

from __future__ import annotations

import pytest

from extractors.rows import extract_tables
from tests.scan_fixtures import read_scan_fixture

WIDTH_PT = 595.28


@pytest.fixture(scope="module")
def page():
    p = read_scan_fixture("dotted_rules_bw_155dpi.png", 155, WIDTH_PT).page
    p.is_appendix = True  # as triage flags it in the document run
    return p


def test_dotted_rules_are_found(page) -> None:
    hs = [r for r in page.rulings if r[1] == r[3]]
    vs = [r for r in page.rulings if r[0] == r[2]]
    assert len(hs) >= 15  # a rule under every row
    assert len(vs) >= 4  # the header box's column borders
    assert max(r[2] - r[0] for r in hs) > 0.6 * WIDTH_PT  # as wide as the table


def test_the_dotted_grid_gives_its_rows_and_figures(page) -> None:
    rows = [r for t in extract_tables([page], only_appendix=True) for r in t.rows]
    coded = [r for r in rows if r.code.text.strip()]
    assert len(coded) >= 15
    got = [c.text for r in rows for c in r.values.values() if c.text.strip()]
    # the figures printed on the page (the split's truth file agrees); OCR may misread a code
    for value in ("90", "21", "91", "41,1", "29", "60", "412", "27", "9"):
        assert value in got, (value, got)


def test_the_dots_are_erased_before_ocr_so_they_are_not_read_as_text(page) -> None:
    assert "dotted or dashed rules erased before OCR" in page.origin_reason
    assert not [w for w in page.words if "..." in w.text or w.text in ("PB", "9P")]
