"""Regressions found by probing with reports written in styles the samples do not have."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from cchc.core.options import ExtractOptions
from extractors.metadata import extract_metadata
from pipeline.run import run
from tests.pdfmaker import FONT, _register


def _grid_pdf(path: Path, title: str, header: list[str], rows: list[list[str]]) -> Path:
    _register()
    style = ParagraphStyle("vn", fontName=FONT, fontSize=10, leading=12)
    cells = [[Paragraph(c, style) for c in r] for r in [header, *rows]]
    table = Table(cells, colWidths=[40, 230] + [70] * (len(header) - 2), repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    SimpleDocTemplate(str(path), pagesize=A4).build([Paragraph(title, style), table])
    return path


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("probe")
    _grid_pdf(root / "years.pdf", "PHỤ LỤC 1. Thống kê các chỉ tiêu tại lĩnh vực chỉ đạo, điều hành cải cách hành chính",
              ["STT", "Chỉ tiêu", "2019", "2020", "2021"],
              [["1", "Số lượng văn bản chỉ đạo, điều hành các ngành, địa phương đã tham mưu ban hành", "45", "52", "61"],
               ["2", "Số lượng cơ quan, đơn vị được kiểm tra CCHC", "8", "9", "11"]])
    _grid_pdf(root / "coded.pdf", "PHỤ LỤC. THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH",
              ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu"],
              [["1.4.1.", "Số lượng phiếu khảo sát", "Phiếu", "850"],
               ["1.5.", "Tổ chức đối thoại của lãnh đạo với người dân, cộng đồng doanh nghiệp", "Không = 0 Có = 1", "Có"],
               ["7.3.", "Hệ thống thông tin báo cáo và kết nối với Hệ thống thông tin báo cáo quốc gia",
                "Chưa = 0 Đang làm = 1 Hoàn thành = 2", "Đang thực hiện"]])
    out = root / "out"
    run(ExtractOptions(inputs=(root / "years.pdf", root / "coded.pdf"), out=out, executor="inline"))
    return out


def test_bare_year_headers_are_value_columns(outputs: Path) -> None:
    values = pd.read_parquet(outputs / "values")
    years = values[(values.file_name == "years.pdf") & (values.source == "table")]
    got = set(zip(years.column_label, years.value_num, strict=True))
    assert {("2019", 45.0), ("2020", 52.0), ("2021", 61.0), ("2021", 11.0)} <= got


def test_coded_answer_in_words_is_its_code_and_not_flagged(outputs: Path) -> None:
    values = pd.read_parquet(outputs / "values")
    row = values[(values.file_name == "coded.pdf") & (values.raw_value == "Có")].iloc[0]
    assert row.value_num == 1.0 and not row.needs_review


def test_answer_outside_the_legend_is_flagged(outputs: Path) -> None:
    values = pd.read_parquet(outputs / "values")
    row = values[(values.file_name == "coded.pdf") & (values.raw_value == "Đang thực hiện")].iloc[0]
    assert row.needs_review and "legend" in row.review_reason


def test_numeric_place_date_line() -> None:
    meta = extract_metadata("SỞ NỘI VỤ\nSố: 12/BC-SNV\nHà Nội, ngày 05/01/2025\n"
                            "BÁO CÁO TỔNG KẾT CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2024\n"
                            "Thực hiện Kế hoạch số 05/KH-UBND ngày 12/01/2024 của UBND thành phố")
    assert meta.issue_date == dt.date(2025, 1, 5)
    assert (meta.period_type, meta.report_year) == ("Y", 2024)


def test_body_reference_date_is_not_the_issue_date() -> None:
    meta = extract_metadata("BÁO CÁO\nThực hiện Kế hoạch số 05/KH-UBND ngày 12/01/2024 của UBND xã")
    assert meta.issue_date is None


@pytest.mark.parametrize(
    ("column", "role"),
    [(None, "actual"), ("Kết quả", "actual"), ("Kế hoạch", "plan"), ("Lũy kế đến 30/6", "cumulative"),
     ("Năm 2019", "year"), ("2021", "year"), ("Năm 2020 (tính đến 31/3)", "year"), ("Quý I/2024", "period")],
)
def test_column_role(column: str | None, role: str) -> None:
    from pipeline.match import column_role

    assert column_role(column) == role


def test_year_values_carry_their_role(outputs: Path) -> None:
    values = pd.read_parquet(outputs / "values")
    years = values[(values.file_name == "years.pdf") & (values.source == "table")]
    assert set(years.column_role) == {"year"}
    coded = values[(values.file_name == "coded.pdf") & (values.source == "table")]
    assert set(coded.column_role) == {"actual"}
