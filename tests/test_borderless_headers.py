"""A borderless appendix whose code column is headed "Mã / chỉ / tiêu" (issue 12, styles beyond the issue's).

Fixture `photo_borderless_stacked_code_header.jpg`: `dev6_011_district_camxuyen_2021_photo.jpg` of the dev6
split (a tuning split) as stored: a phone photo (~195 dpi, JPEG q55, warped) of a table printed with no
rule at all, headed "Mã chỉ tiêu | Nội dung công việc | Đ. vị tính | Tổng số | Ghi chú", the code header
stacked on three lines.  The grid finder only opened a rule-less header on "STT"/"TT", took the header
to end at the code header's first line ("Mã") and read "Đ." as the Icelandic "Ð": no grid, 0 of 15
figures.  The figures below are read off the photo (the split's truth file agrees).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cchc.core.vntext import fold, nfc_ocr
from extractors.grid_header import classify_header
from tests.scan_fixtures import extracted_table_values

FIXTURE = Path(__file__).parent / "fixtures" / "scans" / "photo_borderless_stacked_code_header.jpg"


@pytest.mark.parametrize(("header", "role"), [
    ("T.T", "code"), ("S.T.T", "code"), ("Mã chỉ tiêu", "code"), ("Mã số", "code"), ("Thứ tự", "code"),
    ("STT", "code"), ("ĐV", "unit"), ("Tổng số", "value"), ("Chỉ tiêu", "label"), ("Tổng số hồ sơ", None),
])
def test_code_unit_and_value_headers_agencies_print(header: str, role: str | None) -> None:
    assert classify_header(header) == role


def test_ocr_s_eth_is_the_vietnamese_d() -> None:
    assert nfc_ocr("Ð. vị tính") == "Đ. vị tính"
    assert fold("Ðơn vị") == "don vi"


@pytest.fixture(scope="module")
def values(tmp_path_factory: pytest.TempPathFactory):
    return extracted_table_values(FIXTURE, tmp_path_factory.mktemp("borderless"))


def test_the_rule_less_grid_gives_its_figures(values) -> None:
    got = {(c, r) for c, r in zip(values["raw_code"].fillna(""), values["raw_value"], strict=True)}
    expected = {("1.1.2.", "0"), ("1.1.3.", "7"), ("1.1.4.", "01"), ("1.4.1.", "782"), ("2.1.", "24"),
                ("2.2.", "12"), ("2.4.", "39"), ("2.5.", "4")}
    assert len(expected & got) >= 7, sorted(got)
    assert len(values) >= 12
