"""Column roles when the header uses words the reader has never seen (issue 12: roles from content).

The fixture is the top of page 2 of a ministry report from the tune split rendered with invented header
wordings ("Số hiệu | Hạng mục công việc | Tính bằng | Kế hoạch | Thực hiện | Ghi chú"), 200 dpi grey,
skewed 2°, as the scan path cleaned it.  Full-page OCR reads the header box as debris ("xế", "h cạnh",
"tức", "_."); before the fix the debris "_." counted as a body figure, the header was never read again,
and every value came out under col3/col4.  The same report with its usual header scored 0.98.
"""

from __future__ import annotations

import pytest

from cchc.core.model import Page
from extractors import column_roles
from tests.scan_fixtures import read_appendix_fixture, tables_with_header_rereads


@pytest.fixture(scope="module")
def page_and_image() -> tuple[Page, object]:
    return read_appendix_fixture("unknown_header_words_200dpi.jpg", 200, 595.44)


def test_unknown_header_words_still_name_the_plan_and_result_columns(page_and_image) -> None:
    page, prepared = page_and_image
    rows = [r for t in tables_with_header_rereads(page, prepared) for r in t.rows]
    keys = {k for r in rows for k, c in r.values.items() if c.text.strip()}
    assert keys == {"Kế hoạch", "Thực hiện"}, keys
    # the truth of the generated report: 1.1.1 plan 24 / result 19; 1.2.1 34 / 29
    by_code = {r.code.text.strip(". "): r for r in rows}
    assert (by_code["1.1.1"].values["Kế hoạch"].text, by_code["1.1.1"].values["Thực hiện"].text) == ("24", "19")
    assert (by_code["1.2.1"].values["Kế hoạch"].text, by_code["1.2.1"].values["Thực hiện"].text) == ("34", "29")
    assert by_code["1.1.1"].unit.text == "Nhiệm vụ"


BODY = [["1.", "Công tác chỉ đạo điều hành CCHC", "", "", ""],
        ["1.1.", "Kế hoạch CCHC", "", "", ""],
        ["1.1.1.", "Số nhiệm vụ đề ra trong kế hoạch", "Nhiệm vụ", "24", ""],
        ["1.1.2.", "Số nhiệm vụ đã hoàn thành", "Nhiệm vụ", "05", ""],
        ["1.2.", "Kiểm tra CCHC", "", "", ""],
        ["1.2.1", "Số cơ quan, đơn vị thuộc bộ đã kiểm tra", "Cơ quan, đơn vị", "34", ""],
        ["2.", "Cải cách thể chế", "", "", ""],
        ["2.1.", "Số VBQPPL đã ban hành", "Văn bản", "9", ""]]


def test_a_code_column_the_header_misnamed_as_a_value_is_the_stt_column() -> None:
    # "Số hiệu" is one edit from "Số liệu"; its codes "1.", "1.1", "2." parse as numbers too
    roles, notes = column_roles.reconcile_roles(["value", "label", "unit", "value", "note"],
                                                ["Số hiệu", "Hạng mục công việc", "Tính bằng", "Số liệu", "Ghi chú"],
                                                BODY)
    assert roles == ["code", "label", "unit", "value", "note"], notes
    assert any("left of the labels" in n for n in notes)


def test_a_column_left_of_the_labels_holding_no_codes_is_not_a_value_column() -> None:
    body = [["", r[1], r[2], r[3], ""] for r in BODY]
    body[2][0] = "- _"  # debris, not a code
    roles, _ = column_roles.reconcile_roles(["value", "label", "unit", "value", "note"],
                                            ["Số liệu", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú"], body)
    assert roles[0] != "value" and roles[3] == "value"
    # and where a code column already exists, the misnamed one is dropped, not made a second STT
    roles, _ = column_roles.reconcile_roles(["code", "value", "label", "unit", "value"],
                                            ["STT", "Số liệu", "Chỉ tiêu", "Đơn vị tính", "Số liệu"],
                                            [[r[0], "", r[1], r[2], r[3]] for r in BODY])
    assert roles == ["code", "other", "label", "unit", "value"]
