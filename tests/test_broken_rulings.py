"""A thin column rule a 1-bit scan broke off short of its box (issue 12).

Fixture `frame_header_broken_rule_bw_165dpi.png`: page 4 of `dev3_018_ministry_6459_app1_bw.pdf`
(dev3 split: 1-bit, 165 dpi, 0.3 pt rules, a boxed header over a body with only a frame).  The STT |
label rule of the header box stops ~20 pt above the box's bottom, so the box's STT and label cells
merged, the grid lost its label column and the page gave 3 rows and 0 values.
"""

from __future__ import annotations

from extractors.grid import find_grids
from extractors.grid_ruled import mend_broken_verticals
from tests.scan_fixtures import read_scan_fixture


def test_a_rule_ending_in_mid_air_is_carried_to_the_rule_just_below() -> None:
    h = [(40.0, 54.0, 554.0, 54.0), (410.0, 91.0, 513.0, 91.0), (40.0, 128.0, 554.0, 128.0)]
    v = [(83.0, 54.0, 83.0, 106.0),  # broken: ends 22 pt above the box's bottom rule
         (467.0, 91.0, 467.0, 128.0),  # a two-level header's inner rule: starts on the inner line
         (300.0, 200.0, 300.0, 400.0)]  # no horizontal anywhere near its ends: left alone
    assert mend_broken_verticals(h, v) == [(83.0, 54.0, 83.0, 128.0), (467.0, 91.0, 467.0, 128.0),
                                           (300.0, 200.0, 300.0, 400.0)]


def test_a_far_gap_is_not_bridged() -> None:
    h = [(40.0, 54.0, 554.0, 54.0), (40.0, 300.0, 554.0, 300.0)]
    v = [(83.0, 54.0, 83.0, 106.0)]  # 194 pt short: a rule that really stops (a merged cell), not a break
    assert mend_broken_verticals(h, v) == v


def test_the_broken_header_box_gives_its_stt_and_label_columns_and_its_rows() -> None:
    result = read_scan_fixture("frame_header_broken_rule_bw_165dpi.png", 165, 595.64, number=4)
    frag = next(f for f in find_grids(result.page) if f.method == "ruled")
    roles = [c.role for c in frag.columns]
    assert roles[:3] == ["code", "label", "unit"] and "value" in roles
    assert frag.n_rows - frag.header_rows >= 20  # 4.1.1 … 5.2.2 on the page
    codes = {frag.row_texts(r)[0].strip(" .") for r in range(frag.header_rows, frag.n_rows)}
    assert {"4.1.2", "4.2.1", "4.3.4", "5.2.2"} <= codes
