"""Two-level headers whose inner rule was lost (issue 12).

The readings are what the header-cell re-read returned on page 2 of
`heldout_026_ministry_6459_app1_mixed.pdf` (dev4 split: 265 dpi, rules 0.9 pt, a "Kế hoạch | Thực
hiện" pair 28 pt wide under "Kết quả trong kỳ báo cáo").  The rule between the group and the pair
was lost, so each cell held half the group's words and its own header last; both columns came out
as col3/col4 and all 121 figures of the report were unnamed.
"""

from __future__ import annotations

import pytest

from extractors.column_roles import value_header_at_end


@pytest.mark.parametrize(("reading", "header"), [
    ("Kết tron _báo Kế oạcF", "Kế hoạch"),
    ("quá g kỳ cáo _ Thực ¡hiện", "Thực hiện"),
    ("Kết quả thống kê Số liệu", "Số liệu"),
])
def test_the_cell_ends_with_its_own_header(reading: str, header: str) -> None:
    assert value_header_at_end(reading) == header


@pytest.mark.parametrize("reading", [
    "Kêt trong Kế",  # the page OCR's reading of the same cell: no sub-header left to read
    "Kết quả trong kỳ", "Đ/Wvị tính |", "Chỉ tiêu đánh giá", "Kế hoạch",  # a whole header is not a tail
])
def test_no_header_is_made_up(reading: str) -> None:
    assert value_header_at_end(reading) is None
