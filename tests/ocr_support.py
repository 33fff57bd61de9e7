"""Builders for the OCR tests: real PDFs drawn with reportlab, rendered by pdftoppm.

Nothing is mocked: text is drawn with DejaVu Serif (it has every Vietnamese
glyph), rendered at 300 dpi by poppler, then degraded (skew, stamp) with
Pillow the way a scanner and a rubber stamp would.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT_PATH = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"
PAGE_W, PAGE_H = A4  # 595.27 x 841.89 pt

TEXT_LINES = [
    "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH",
    "Nhằm đẩy mạnh và nâng cao chất lượng công tác cải cách hành chính",
    "trong năm 2024 trên địa bàn xã Bình Yên, ngay từ đầu năm lãnh đạo",
    "Đảng ủy, HĐND, UBND xã đã quan tâm, chú trọng công tác cải cách",
    "hành chính. UBND xã ban hành Kế hoạch số 05/KH-UBND ngày 12/01/2024",
    "về cải cách hành chính xã Bình Yên năm 2024. Trong đó, đề ra 06",
    "nhiệm vụ trọng tâm, đến nay đã hoàn thành 03/06 nhiệm vụ; các nhiệm",
    "vụ thực hiện trong năm 2024 được chỉ đạo quyết liệt, đôn đốc thực hiện.",
    "Công tác thông tin, tuyên truyền được thực hiện thông qua các cuộc họp,",
    "hội nghị giao ban giữa UBND với các Bí thư chi bộ, Trưởng xóm; đăng tải",
    "các văn bản, kế hoạch về cải cách hành chính trên Trang thông tin điện tử.",
    "Tổng số TTHC cần rà soát 118 thủ tục, trong đó lựa chọn 07 thủ tục hành",
    "chính trên 02 lĩnh vực Tư pháp; Lao động - Thương binh và Xã hội.",
    "Ứng dụng có hiệu quả hệ thống phần mềm Một cửa điện tử, cập nhật kịp",
    "thời hồ sơ giải quyết thủ tục hành chính, không để hồ sơ quá hạn.",
]

GRID_COLS = [50.0, 110.0, 330.0, 430.0, 530.0]  # x of the vertical rulings (pt)
GRID_TOP = 120.0
GRID_ROW_H = 30.0
GRID_ROWS = [
    ("STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu"),
    ("1.", "Tỷ lệ hồ sơ trực tuyến", "%", "12,5"),
    ("1.1.", "Số hồ sơ tiếp nhận", "Hồ sơ", "1.245"),
    ("1.2.", "Số văn bản chỉ đạo", "Văn bản", "03"),
    ("2.", "Số vấn đề phát hiện", "Vấn đề", "-"),
    ("2.1.", "Tỷ lệ TTHC công khai", "%", "100"),
]


def _register() -> None:
    # each face on its own: another helper may have registered the regular face without the bold one
    for name, path in (("DejaVuSerif", FONT_PATH), ("DejaVuSerif-Bold", FONT_BOLD)):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, path))


def make_text_pdf(path: Path, lines: list[str] = TEXT_LINES, size: float = 12.0,
                  top: float = 80.0, left: float = 60.0, leading: float = 20.0) -> list[tuple[str, float, float]]:
    """One A4 page of text; returns (line, x, baseline y from the top) for each line."""
    _register()
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("DejaVuSerif", size)
    placed = []
    for i, line in enumerate(lines):
        y_top = top + i * leading
        c.drawString(left, PAGE_H - y_top, line)
        placed.append((line, left, y_top))
    c.showPage()
    c.save()
    return placed


def make_grid_pdf(path: Path) -> None:
    """One A4 page holding a ruled 4-column grid like a CCHC appendix."""
    _register()
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setLineWidth(1.0)
    bottom = GRID_TOP + GRID_ROW_H * len(GRID_ROWS)
    for i in range(len(GRID_ROWS) + 1):
        y = GRID_TOP + i * GRID_ROW_H
        c.line(GRID_COLS[0], PAGE_H - y, GRID_COLS[-1], PAGE_H - y)
    for x in GRID_COLS:
        c.line(x, PAGE_H - GRID_TOP, x, PAGE_H - bottom)
    c.setFont("DejaVuSerif-Bold", 13)
    c.drawString(60, PAGE_H - 80, "PHỤ LỤC II: THỐNG KÊ SỐ LIỆU CẢI CÁCH HÀNH CHÍNH")
    for r, row in enumerate(GRID_ROWS):
        y = PAGE_H - (GRID_TOP + r * GRID_ROW_H + 20)
        c.setFont("DejaVuSerif-Bold" if r == 0 else "DejaVuSerif", 12)
        for col, text in enumerate(row):
            x0, x1 = GRID_COLS[col], GRID_COLS[col + 1]
            if col in (0, 3):
                c.drawCentredString((x0 + x1) / 2, y, text)
            else:
                c.drawString(x0 + 5, y, text)
    c.showPage()
    c.save()


def grid_cells_pt(kind_col: int) -> list[tuple[float, float, float, float]]:
    """Drawn cell boxes (pt, top-left origin) of one column, data rows only."""
    x0, x1 = GRID_COLS[kind_col], GRID_COLS[kind_col + 1]
    return [(x0, GRID_TOP + r * GRID_ROW_H, x1, GRID_TOP + (r + 1) * GRID_ROW_H) for r in range(1, len(GRID_ROWS))]


def skew(img: Image.Image, degrees: float) -> Image.Image:
    """Rotate about the centre like a sheet fed crooked into a scanner (white fill, same size)."""
    return img.rotate(degrees, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=(255, 255, 255))


def stamp(img: Image.Image, centre: tuple[int, int], radius: int = 150,
          colour: tuple[int, int, int] = (215, 30, 40)) -> Image.Image:
    """Multiply a red round stamp (two rings + text) onto the page, so black under it stays black."""
    layer = Image.new("RGB", img.size, (255, 255, 255))
    d = ImageDraw.Draw(layer)
    cx, cy = centre
    d.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=colour, width=10)
    r2 = int(radius * 0.72)
    d.ellipse((cx - r2, cy - r2, cx + r2, cy + r2), outline=colour, width=5)
    font = ImageFont.truetype(FONT_BOLD, 36)
    d.text((cx - r2 + 20, cy - 22), "UBND XÃ", fill=colour, font=font)
    d.line((cx - radius, cy + 30, cx + radius, cy + 30), fill=colour, width=6)
    a = np.asarray(img.convert("RGB"), dtype=np.float32)
    b = np.asarray(layer, dtype=np.float32)
    return Image.fromarray((a * b / 255.0).astype(np.uint8))


def cer(ref: str, hyp: str) -> float:
    """Character error rate over whitespace-normalised text."""
    from rapidfuzz.distance import Levenshtein

    r = " ".join(ref.split())
    h = " ".join(hyp.split())
    return Levenshtein.distance(r, h) / max(len(r), 1)
