"""Small real PDFs for the spine's tests, drawn with reportlab in a font with Vietnamese glyphs."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT_PATH = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT = "DejaVuSans"


def _register() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_PATH)))


def text_pdf(path: Path, pages: list[list[str]], size: int = 11) -> Path:
    """A PDF whose pages hold the given lines, top to bottom, as a real text layer."""
    _register()
    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    for lines in pages:
        c.setFont(FONT, size)
        y = height - 60
        for line in lines:
            c.drawString(60, y, line)
            y -= size * 1.6
        c.showPage()
    c.save()
    return path


HEADER_LINES = [
    "UBND TỈNH THỪA THIÊN HUẾ        CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "BAN DÂN TỘC                      Độc lập - Tự do - Hạnh phúc",
    "Số: 89/BC-BDT                    Thừa Thiên Huế, ngày 12 tháng 6 năm 2023",
    "BÁO CÁO",
    "Công tác Cải cách hành chính 6 tháng đầu năm 2023",
    "Kính gửi: Sở Nội vụ Thừa Thiên Huế.",
    "Ban Dân tộc tỉnh báo cáo tình hình thực hiện công tác CCHC như sau:",
]


def grid_pdf(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    """A one-page appendix: a title and a fully ruled STT | Chỉ tiêu | Đơn vị tính | Số liệu | Ghi chú grid."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    _register()
    body = ParagraphStyle("b", fontName=FONT, fontSize=9, leading=11)
    data: list[list[object]] = [["STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú"]]
    data += [[code, Paragraph(label, body), unit, value, ""] for code, label, unit, value in rows]
    table = Table(data, colWidths=[40, 260, 70, 60, 60])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), 9),
                               ("GRID", (0, 0), (-1, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    title = Paragraph("PHỤ LỤC II BÁO CÁO CÔNG TÁC CẢI CÁCH HÀNH CHÍNH", ParagraphStyle("h", fontName=FONT))
    SimpleDocTemplate(str(path), pagesize=A4).build([title, Spacer(1, 12), table])
    return path
