"""A photo of one page of a multi-year appendix with no header row on it (issue 12).

Fixture `photo_multiyear_headerless_page_170dpi.jpg`: a phone photo of the last page of the
2011–2020 appendix of a district report (dev4 split, a tuning split): seven rows, ten year
columns, no header.  Every column came out keyed "Số liệu", so each row kept only its last
figure (5 of 48 values, under the wrong column).  The figures below are read off the photo.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.scan_fixtures import extracted_table_values

FIXTURE = Path(__file__).parent / "fixtures" / "scans" / "photo_multiyear_headerless_page_170dpi.jpg"
YEARS = [f"Năm {y}" for y in range(2011, 2020)] + ["Năm 2020 (tính đến 31/3)"]


@pytest.fixture(scope="module")
def values(tmp_path_factory: pytest.TempPathFactory):
    return extracted_table_values(FIXTURE, tmp_path_factory.mktemp("headerless"))


def test_every_column_keeps_its_figures(values) -> None:
    row = values[values["raw_label"].str.contains("đơn vị trực thuộc", na=False)]
    assert sorted(row["value_num"]) == [125, 127, 129, 131, 133, 135, 137, 139, 141, 143]
    assert len(values[values["raw_label"].str.contains("hài lòng chung", na=False)]) == 10


def test_columns_are_named_after_the_template_by_position(values) -> None:
    row = values[values["raw_label"].str.contains("đơn vị trực thuộc", na=False)].sort_values("value_num")
    assert list(row["column_label"]) == YEARS
    assert set(values["indicator_id"].dropna()) >= {"BTC_DON_VI_TRUC_THUOC", "KS_MUC_DO_HAI_LONG"}


def test_the_naming_is_a_guess_a_steward_confirms(values) -> None:
    named = values[values["column_label"].isin(YEARS)]
    assert len(named) >= 40
    assert named["needs_review"].all()
    assert named["review_reason"].str.contains("no header over its 10 value columns").all()
