"""Which pages get OCR'd and how they are turned upright: text-layer triage, --ocr modes, orientation.

Real PDFs drawn with reportlab and real Tesseract; one or two OCR'd pages per test.
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pdf2image import convert_from_path
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from cchc.core.options import ExtractOptions
from extractors import image_prep, ocr, page_quality
from pipeline.run import run
from tests import ocr_support as S


def _strip_marks(text: str) -> str:
    """What a hidden OCR layer made without the Vietnamese model looks like: no diacritics, đ → d."""
    nfd = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in nfd if unicodedata.category(c) != "Mn")


def test_layer_without_diacritics_is_sent_to_ocr() -> None:
    real = "\n".join(S.TEXT_LINES)
    assert page_quality.assess_text(real).action == "text"
    verdict = page_quality.assess_text(_strip_marks(real))
    assert verdict.action == "ocr" and verdict.problem == "no_diacritics"
    assert "diacritics" in verdict.reason
    # a few garbled letters as scanner software leaves them do not rescue it
    garbled = _strip_marks(real).replace("tieu", "tiéu").replace("ty le", "Ty l¢")
    assert page_quality.assess_text(garbled).action == "ocr"


def _sandwich_pdf(path: Path, tmp: Path) -> None:
    """A scanned page (image only) wearing an invisible text layer without diacritics."""
    text_pdf = tmp / "clean.pdf"
    placed = S.make_text_pdf(text_pdf)
    scan = convert_from_path(str(text_pdf), dpi=200, grayscale=True)[0]
    buf = io.BytesIO()
    scan.convert("RGB").save(buf, format="JPEG", quality=80)
    buf.seek(0)
    S._register()
    c = canvas.Canvas(str(path), pagesize=A4)
    c.drawImage(ImageReader(buf), 0, 0, width=A4[0], height=A4[1])
    t = c.beginText()
    t.setTextRenderMode(3)  # invisible, as OCR software writes it
    t.setFont("DejaVuSerif", 12)
    for line, x, y in placed:
        t.setTextOrigin(x, A4[1] - y)
        t.textOut(_strip_marks(line))
    c.drawText(t)
    c.showPage()
    c.save()



@pytest.mark.parametrize("mode", ["auto", "never"])
@pytest.mark.slow
def test_sandwich_pdf_is_read_again_unless_ocr_never(tmp_path: Path, mode: str) -> None:
    pdf = tmp_path / "sandwich.pdf"
    _sandwich_pdf(pdf, tmp_path)
    out = tmp_path / f"out_{mode}"
    result = run(ExtractOptions(inputs=(pdf,), out=out, executor="inline", ocr_mode=mode, ocr=mode != "never"))
    doc = result.documents[0]
    page = doc.pages[0]
    if mode == "auto":
        assert page.origin.value == "ocr", page.origin_reason
        assert "diacritics" in page.origin_reason
    else:
        assert page.origin.value != "ocr"
    docs = pd.read_parquet(out / "documents.parquet")
    values = pd.read_parquet(out / "values")
    evidence = " ".join(values.evidence.dropna())
    # the figures of the running text come with Vietnamese read back from the image, not the bad layer
    assert ("nhiệm vụ" in evidence) == (mode == "auto"), evidence[:300]
    assert docs.loc[0, "text_source"] == ("ocr" if mode == "auto" else "text")


@pytest.mark.slow
def test_ocr_force_reads_a_good_text_layer_again(tmp_path: Path) -> None:
    pdf = tmp_path / "text.pdf"
    S.make_text_pdf(pdf)
    result = run(ExtractOptions(inputs=(pdf,), out=tmp_path / "o", executor="inline", ocr_mode="force"))
    page = result.documents[0].pages[0]
    assert page.origin.value == "ocr"
    assert "forced" in page.origin_reason
    with pytest.raises(ValueError, match="--ocr"):
        ExtractOptions(inputs=(pdf,), out=tmp_path / "x", ocr_mode="sometimes")


def test_upside_down_grid_page_is_turned_before_reading(tmp_path: Path) -> None:
    """A ruled grid defeats the cheap sideways test; unreadable text triggers OSD and a second pass."""
    pdf = tmp_path / "grid.pdf"
    S.make_grid_pdf(pdf)
    img = convert_from_path(str(pdf), dpi=200)[0].rotate(180, expand=True)
    page_image = image_prep.PageImage(np.asarray(img.convert("RGB")), 1, A4[0], A4[1], 200.0,
                                      kind="pdf")
    result = ocr.read_page_image(page_image)
    assert result.prepared.rotation == 180
    assert "rotated 180" in result.page.origin_reason
    assert "Chỉ tiêu" in result.page.text and "1.245" in result.page.text


def test_upright_page_pays_no_orientation_pass(tmp_path: Path) -> None:
    pdf = tmp_path / "grid.pdf"
    S.make_grid_pdf(pdf)
    img: Image.Image = convert_from_path(str(pdf), dpi=200)[0]
    page_image = image_prep.PageImage(np.asarray(img.convert("RGB")), 1, A4[0], A4[1], 200.0,
                                      kind="pdf")
    result = ocr.read_page_image(page_image)
    assert result.prepared.rotation == 0
    assert "rotated" not in result.page.origin_reason
    assert not ocr._reads_as_turned(result.page)


def test_appendix_page_without_readable_rows_makes_the_document_partial(tmp_path: Path) -> None:
    """No silent emptiness: the header of an appendix is there, its grid is not readable."""
    from tests.pdfmaker import text_pdf

    pdf = text_pdf(tmp_path / "appendix.pdf", [[
        "PHỤ LỤC THỐNG KÊ SỐ LIỆU CẢI CÁCH HÀNH CHÍNH",
        "STT      Chỉ tiêu thống kê      Đơn vị tính      Số liệu      Ghi chú",
        "(Số liệu kèm theo bản giấy gửi sau)",
    ]])
    result = run(ExtractOptions(inputs=(pdf,), out=tmp_path / "o", executor="inline"))
    doc = result.documents[0]
    assert doc.status.value == "partial"
    assert "no grid rows could be read" in doc.error and "cchc debug appendix.pdf --page 1" in doc.error
    docs = pd.read_parquet(tmp_path / "o" / "documents.parquet")
    assert docs.loc[0, "status"] == "partial"


@pytest.mark.slow
def test_every_figure_has_its_own_row_key(tmp_path: Path) -> None:
    """Reviews and joins key figures by (document, page, code, label, column, extractor): no two may share one."""
    from cchc.review import _keys
    from tests.sample_support import SAMPLES

    multiyear = SAMPLES / "text" / "district_trieuson_2011_2020_multiyear.pdf"  # "- Tổng số được giao" twice a page
    department = SAMPLES / "text" / "department_bdt_h1_2023_chromium.pdf"  # "18 người/19 người": two from one phrase
    run(ExtractOptions(inputs=(multiyear, department), out=tmp_path / "o", executor="inline", ocr=False))
    import pyarrow.parquet as pq

    table = pq.read_table(tmp_path / "o" / "values")
    keys = _keys(table).to_pylist()
    assert len(keys) > 300 and len(set(keys)) == len(keys)


def test_scanned_appendix_whose_rows_hold_no_figure_makes_the_document_partial(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No silent emptiness on scans: rows read, every value cell blank (a lost value column) is not 'ok'."""
    monkeypatch.setattr(S, "GRID_ROWS", [S.GRID_ROWS[0], *([*r[:3], ""] for r in S.GRID_ROWS[1:])])
    pdf = tmp_path / "blank.pdf"
    S.make_grid_pdf(pdf)
    png = tmp_path / "blank_scan.png"
    convert_from_path(str(pdf), dpi=200)[0].convert("L").save(png, dpi=(200, 200))
    doc = run(ExtractOptions(inputs=(png,), out=tmp_path / "o", executor="inline")).documents[0]
    assert doc.status.value == "partial", doc.error
    assert "no value cell holds a figure" in (doc.error or "") and "--page 1" in (doc.error or "")


def test_a_photo_whose_ocr_kept_only_the_labels_still_reads_as_an_appendix() -> None:
    # full-page OCR of a phone photo of a dashed-ruled province appendix (dev7_023): codes and figures lost,
    # the labels kept one per line; before, the page passed for prose and the document went out 'ok' with 0 values
    from extractors.text_layer import looks_like_appendix

    read = """——=~-=—————- ~——~———- =—¬———~—=~———~~—~——¬——¬—~—-——¬————~¬
Chỉ tiêu thống kê (Sử dụng trong kỳ báo cáo hàng
quý, 6 tháng, năm)
Tống số TTHC đang có hiệu lực
Số TTHC cấp tỉnh;
Số TTHC cấp xã;
Vận hành Cống dịch vụ công
Số TTHC đã cập nhật, công khai trên Cống DVC quốc
gia
3.2.2.
Số TTHC mức độ 3 và 4 đã tích hợp lên Cống DVC
quốc gia
Thực hiện cơ chế một cửa, một cửa liên thông
._ Số TTHC liên thông cùng cấp
Số TTHC liên thông giữa các cấp chính quyền
.. Tỷ lệ TTHC đã được phê duyệt quy trình nội bộ
. Tỷ lệ quy trình nội bộ giải quyết TTHC đã được điện tử
hóa"""
    assert looks_like_appendix(read)
    # prose that mentions the same indicators, one figure per line, is still prose
    prose = "\n".join(f"- Số TTHC cấp {lv}: {n} thủ tục;" for lv, n in [("tỉnh", 1245), ("huyện", 310), ("xã", 120)] * 3)
    assert not looks_like_appendix(prose)
