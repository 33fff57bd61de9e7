"""Header-block metadata: number, issuer, date, period — on the layouts the seeds show."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.metadata import extract_metadata

DEPARTMENT = """UBND TỈNH THỪA THIÊN HUẾ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
BAN DÂN TỘC Độc lập - Tự do - Hạnh phúc
Số: 89/BC-BDT Thừa Thiên Huế, ngày 12 tháng 6 năm 2023
BÁO CÁO
Công tác Cải cách hành chính 6 tháng đầu năm 2023
Kính gửi: Sở Nội vụ Thừa Thiên Huế.
Thực hiện Công văn số 188/SNV-CCHC ngày 24/02/2022 của Sở Nội vụ"""

DISTRICT = """ỦY BAN NHÂN DÂN
HUYỆN CẨM XUYÊN
CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 1649/UBND – NV
V/v yêu cầu báo cáo cải cách
hành chính 6 tháng đầu năm 2021
Cẩm Xuyên, ngày 10 tháng 6 năm 2021
Kính gửi:"""

COMMUNE = """UBND HUYỆN ĐỊNH HÓA
ỦY BAN NHÂN DÂN XÃ BÌNH YÊN
Số: 21/BC-UBND Bình Yên, ngày 15 tháng 3 năm 2024
BÁO CÁO
Kết quả thực hiện công tác cải cách hành chính Quý I năm 2024
I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH"""

MINISTRY = """BỘ NỘI VỤ
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Số: 6459/BNV-CCHC
V/v hướng dẫn xây dựng kế hoạch và báo cáo CCHC định kỳ năm 2021
Hà Nội, ngày 07 tháng 12 năm 2020"""

PLAN = """ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
HUYỆN TRIỆU SƠN Độc lập - Tự do - Hạnh phúc
Số: 395 /KH-UBND Triệu Sơn, ngày 26 tháng 02 năm 2020
KẾ HOẠCH
Tổng kết thực hiện Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2011 - 2020
trên địa bàn huyện Triệu Sơn"""


@pytest.mark.parametrize(
    ("text", "number", "issuer", "date", "period", "ptype", "year"),
    [
        (DEPARTMENT, "89/BC-BDT", "Ban Dân tộc", dt.date(2023, 6, 12), "6 tháng đầu năm 2023", "H1", 2023),
        (DISTRICT, "1649/UBND-NV", "UBND huyện Cẩm Xuyên", dt.date(2021, 6, 10), "6 tháng đầu năm 2021", "H1", 2021),
        (COMMUNE, "21/BC-UBND", "UBND xã Bình Yên", dt.date(2024, 3, 15), "Quý I năm 2024", "Q1", 2024),
        (MINISTRY, "6459/BNV-CCHC", "Bộ Nội vụ", dt.date(2020, 12, 7), "năm 2021", "Y", 2021),
        (PLAN, "395/KH-UBND", "UBND huyện Triệu Sơn", dt.date(2020, 2, 26), "giai đoạn 2011 - 2020", "MULTI", 2020),
    ],
)
def test_header_fields(text, number, issuer, date, period, ptype, year) -> None:
    meta = extract_metadata(text)
    assert meta.doc_number == number
    assert meta.issuer == issuer
    assert meta.issue_date == date
    assert meta.period_label == period
    assert meta.period_type == ptype
    assert meta.report_year == year


@pytest.mark.parametrize(
    ("title", "ptype", "year"),
    [
        ("BÁO CÁO CÔNG TÁC CẢI CÁCH HÀNH CHÍNH QÚY I NĂM 2024", "Q1", 2024),
        ("Báo cáo kết quả CCHC Quý III/2021", "Q3", 2021),
        ("Báo cáo CCHC 9 tháng đầu năm 2022", "9M", 2022),
        ("Báo cáo tổng hợp năm 2021", "Y", 2021),
        ("BÁO CÁO CCHC QUÝ 4 NĂM 2023", "Q4", 2023),
    ],
)
def test_period_variants(title: str, ptype: str, year: int) -> None:
    meta = extract_metadata(f"UBND XÃ A\nSố: 1/BC-UBND\n{title}\nKính gửi: UBND huyện")
    assert meta.period_type == ptype
    assert meta.report_year == year


def test_body_reference_numbers_are_not_the_doc_number() -> None:
    text = "BÁO CÁO\nThực hiện Kế hoạch số 05/KH-UBND ngày 12/01/2024 của UBND xã"
    assert extract_metadata(text).doc_number is None


def test_blank_template_date_is_none() -> None:
    assert extract_metadata("Số: /BC-.....\nCẩm Xuyên, ngày tháng 6 năm 2021").issue_date is None


def test_wrapped_body_name_is_joined_from_the_left_column(tmp_path) -> None:
    """'BỘ KHOA HỌC VÀ CÔNG' / 'NGHỆ' share lines with the motto: only geometry can rejoin them."""
    import pdfplumber
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from extractors.metadata import left_header_lines
    from extractors.text_layer import read_page
    from tests.pdfmaker import FONT, _register

    _register()
    path = tmp_path / "h.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont(FONT, 11)
    rows = [("BỘ KHOA HỌC VÀ CÔNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), ("NGHỆ", "Độc lập - Tự do - Hạnh phúc"),
            ("Số: 812/BC-BKHCN", "Hà Nội, ngày 15 tháng 3 năm 2021")]
    for i, (left, right) in enumerate(rows):
        c.drawString(50, 800 - 16 * i, left)
        c.drawString(260, 800 - 16 * i, right)
    c.drawString(200, 740, "BÁO CÁO")
    c.drawString(120, 724, "Kết quả công tác cải cách hành chính Quý I năm 2021")
    c.save()
    with pdfplumber.open(path) as pdf:
        page = read_page(pdf.pages[0], 1)
    left = left_header_lines([(w.text, w.bbox) for line in page.lines for w in line.words], page.height)
    assert left == ["BỘ KHOA HỌC VÀ CÔNG", "NGHỆ"]
    meta = extract_metadata(page.text, left_header=left)
    assert meta.issuer == "Bộ Khoa học và Công nghệ"
    assert (meta.doc_number, meta.period_type, meta.report_year) == ("812/BC-BKHCN", "Q1", 2021)


def test_appendix_alone_takes_metadata_from_its_caption() -> None:
    text = """PHỤ LỤC SỐ II
BÁO CÁO CÔNG TÁC CẢI CÁCH HÀNH CHÍNH QÚY I NĂM 2024
(Kèm theo Báo cáo số 12/BC-UBND ngày 15/3/2024 của UBND xã Bình Yên)
STT Các chỉ tiêu Đơn vị tính Số liệu"""
    meta = extract_metadata(text)
    assert (meta.doc_number, meta.issue_date, meta.issuer) == ("12/BC-UBND", dt.date(2024, 3, 15), "UBND xã Bình Yên")
    assert (meta.period_type, meta.report_year) == ("Q1", 2024)


def test_period_without_year_takes_the_issue_year() -> None:
    text = ("(Ban hành kèm theo Báo cáo số 89/BC-BDT ngày 12/6/2023 của Ban Dân tộc)\n"
            "Trên đây là tình hình triển khai công tác cải cách hành chính 6 tháng đầu năm và một số nhiệm vụ")
    meta = extract_metadata(text)
    assert (meta.period_type, meta.report_year, meta.issuer) == ("H1", 2023, "Ban Dân tộc")


def test_ubnd_issuer_with_motto_on_the_same_lines_read_by_pdfium(tmp_path) -> None:
    """Regression: glyph tops differ with diacritics, so header lines were regrouped wrongly ('Ban Huyện đầm hà')."""
    import pypdfium2 as pdfium
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from extractors.metadata import left_header_lines
    from extractors.text_layer import read_page_fast
    from tests.pdfmaker import FONT, _register

    _register()
    for body_lines in (["ỦY BAN NHÂN DÂN", "HUYỆN ĐẦM HÀ"], ["ỦY BAN NHÂN DÂN HUYỆN ĐẦM HÀ"], ["UBND HUYỆN ĐẦM HÀ"]):
        path = tmp_path / "h.pdf"
        c = canvas.Canvas(str(path), pagesize=A4)
        c.setFont(FONT, 12)
        lines = [("UBND TỈNH QUẢNG NINH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")]
        lines += [(b, "Độc lập - Tự do - Hạnh phúc" if i == 0 else "") for i, b in enumerate(body_lines)]
        for i, (left, right) in enumerate(lines):
            c.drawString(40, 800 - 16 * i, left)
            c.drawString(330, 800 - 16 * i, right)
        c.drawString(40, 800 - 16 * len(lines), "Số: 287/BC-UBND")
        c.save()
        pdf = pdfium.PdfDocument(str(path))
        page = read_page_fast(pdf[0], pdf[0].get_textpage(), 1)
        left = left_header_lines([(w.text, w.bbox) for line in page.lines for w in line.words], page.height)
        assert extract_metadata(page.text, left_header=left).issuer == "UBND huyện Đầm Hà", body_lines
