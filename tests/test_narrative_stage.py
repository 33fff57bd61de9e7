"""The narrative stage: level from the issuer when there is no appendix, grid rows never read as prose."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cchc.core.options import ExtractOptions
from pipeline.run import run
from tests.pdfmaker import text_pdf


def test_a_district_letter_without_appendix_gets_district_indicators(tmp_path: Path) -> None:
    pdf = text_pdf(tmp_path / "dh.pdf", [[
        "ỦY BAN NHÂN DÂN",
        "HUYỆN ĐẦM HÀ",
        "Số: 287/BC-UBND",
        "BÁO CÁO",
        "Kết quả công tác cải cách hành chính năm 2022",
        "Trong năm, UBND huyện đã tiếp nhận 1.204 hồ sơ, đã giải quyết 1.190 hồ sơ.",
    ]])
    run(ExtractOptions(inputs=(pdf,), out=tmp_path / "o", executor="inline"))
    values = pd.read_parquet(tmp_path / "o" / "values")
    assert ("HS_DA_GIAI_QUYET_HUYEN", 1190.0) in set(zip(values.indicator_id, values.value_num, strict=True))
