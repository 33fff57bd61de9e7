"""The page stage end to end: legacy-font text layers are repaired, scans go through OCR, boxes stay on the page."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from reportlab.pdfgen import canvas

from cchc.core.model import TextOrigin
from cchc.core.options import ExtractOptions
from extractors.legacy_fonts import encode_tcvn3
from pipeline.run import run

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

TCVN3_LINES = [
    "Ban Dân tộc báo cáo công tác cải cách hành chính sáu tháng đầu năm như sau:",
    "- Từ ngày 15/12/2022 đến ngày 10/6/2023, Ban Dân tộc có 45 ý kiến chỉ đạo của UBND",
    "tỉnh, Ban đã hoàn thành 44 ý kiến chỉ đạo trước, đúng hạn và 01 ý kiến hoàn thành quá hạn.",
    "Công tác tuyên truyền được thực hiện thường xuyên, đầy đủ và kịp thời trong toàn cơ quan.",
]


@pytest.fixture(scope="module")
def tcvn3_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A text layer whose bytes are TCVN3 (ABC), shown in a Latin-1 font: 'C«ng t¸c' instead of 'Công tác'."""
    path = tmp_path_factory.mktemp("legacy") / "tcvn3.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("Times-Roman", 11)
    for i, line in enumerate(TCVN3_LINES):
        c.drawString(50, 800 - 16 * i, encode_tcvn3(line)[0])
    c.save()
    return path


def test_legacy_font_text_layer_is_repaired_not_ocrd(tcvn3_pdf: Path, tmp_path: Path) -> None:
    result = run(ExtractOptions(inputs=(tcvn3_pdf,), out=tmp_path / "o", executor="inline"))
    (doc,) = result.documents
    (page,) = doc.pages
    assert page.origin is TextOrigin.REPAIRED and "TCVN3" in page.origin_reason
    assert doc.text_source == "text"
    values = pd.read_parquet(tmp_path / "o" / "values")
    got = {(v.indicator_id, v.value_num, v.text_source) for v in values.itertuples()}
    assert ("NV_GIAO_TONG_SO", 45.0, "repaired") in got
    assert ("NV_HOAN_THANH_QUA_HAN", 1.0, "repaired") in got
    assert values.evidence.str.contains("Ban Dân tộc có 45 ý kiến").any()


@pytest.mark.slow
def test_phone_photo_goes_through_ocr_with_boxes_on_the_image(tmp_path: Path) -> None:
    photo = SAMPLES / "photo" / "commune_binhyen_q1_2024_appendix_p1_phone.jpg"
    result = run(ExtractOptions(inputs=(photo,), out=tmp_path / "o", executor="inline"))
    (doc,) = result.documents
    assert doc.status.value == "ok" and doc.text_source == "ocr" and doc.n_pages == 1
    values = pd.read_parquet(tmp_path / "o" / "values")
    table = values[values.source == "table"]
    assert len(table) >= 4 and set(table.text_source) == {"ocr"}
    assert (table.template_id == "commune_2024").all()
    page = doc.pages[0]
    for x0, y0, x1, y1 in table.bbox:
        assert 0 <= x0 < x1 <= page.width + 1 and 0 <= y0 < y1 <= page.height + 1
    docs = pd.read_parquet(tmp_path / "o" / "documents.parquet")
    assert docs.period_type.tolist() == ["Q1"] and docs.report_year.tolist() == [2024]


def test_no_ocr_option_leaves_scans_unread_with_a_reason(tmp_path: Path) -> None:
    photo = SAMPLES / "photo" / "commune_binhyen_q1_2024_appendix_p1_phone.jpg"
    result = run(ExtractOptions(inputs=(photo,), out=tmp_path / "o", executor="inline", ocr=False))
    (doc,) = result.documents
    assert doc.status.value == "partial" and "--no-ocr" in (doc.error or "")
