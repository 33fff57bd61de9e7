"""Narrative extraction measured on the seed reports, as text, as a real PDF and through real OCR.

The expected figures were listed by hand from reading the running text of
seeds 001 (commune, Q1/2024) and 002 (provincial department, H1/2023); the
appendix grids are cut off first.  Recall and precision are over
(indicator_id, value) pairs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from cchc.core.model import Line, Page, TextOrigin, Word
from extractors import narrative_patterns as ids
from extractors.narrative import extract_document_figures, extract_figures

SEEDS = Path(__file__).resolve().parent.parent / "samples" / "seeds"

EXPECTED_001: set[tuple[str, float]] = {
    (ids.KH_NV_DE_RA, 6), (ids.KH_NV_HOAN_THANH, 3),          # "đề ra 06 nhiệm vụ … hoàn thành 03/06 nhiệm vụ"
    (ids.VBQPPL_BAN_HANH, 0),                                   # "không ban hành văn bản quy phạm pháp luật nào"
    (ids.TTHC_TONG, 118),                                       # "Tổng số TTHC 118 thủ tục"
    (ids.HS_TIEP_NHAN, 351), (ids.HS_KY_TRUOC, 3), (ids.HS_TRUC_TUYEN, 348), (ids.HS_DA_GIAI_QUYET, 348),
    (ids.HS_TRUOC_HAN, 325), (ids.HS_DUNG_HAN, 23), (ids.HS_QUA_HAN, 0), (ids.HS_DANG, 3),
    (ids.PAKN, 0),                                              # "không có phản ánh, kiến nghị nào"
    (ids.PCT_CBCC_TK_DVC, 100), (ids.PCT_CBCC_MAY_TINH, 100), (ids.PCT_VB_DIEN_TU, 100),
    (ids.PCT_HS_CONG_VIEC, 100), (ids.PCT_VB_KY_SO, 100),
}
# Figures read but not asserted (indicator uncertain → unmapped, needs_review): "02 buổi tập huấn"
# (sessions, not the catalog's courses), "02 công chức tham gia lớp đào tạo" (sent to someone
# else's training), "hiện có 03 TTHC thực hiện theo cơ chế một cửa" (a subset, not the total).
UNMAPPED_002: set[tuple[None, float]] = {(None, 2), (None, 3)}
EXPECTED_002: set[tuple[str, float]] = {
    (ids.TT_BUOI, 1),                                           # "01 buổi tuyên truyền"
    (ids.GIAO_TONG, 45), (ids.GIAO_DUNG_HAN, 44), (ids.GIAO_QUA_HAN, 1),
    (ids.DVC_MUC_4, 2), (ids.DVC_MUC_3, 1),                     # "toàn trình 02 TTHC, một phần: 01 TTHC"
    # "đã giải quyết 01 hồ sơ đúng hạn" with no "trước hạn" beside it is ambiguous (on the day only, or
    # early + on time as blind4's truth reads it): read as the hand-checked sample truth does, flagged.
    (ids.HS_TIEP_NHAN, 2), (ids.HS_BUU_CHINH, 1), (ids.HS_TRUC_TUYEN, 1), (ids.HS_DUNG_HAN, 1), (ids.HS_DANG, 1),
    (ids.PAKN, 0),                                              # "chưa nhận được phản ánh, kiến nghị"
    (ids.NGUOI_CO_MAT, 18), (ids.NGUOI_CHI_TIEU, 19), (ids.BC_CO_MAT, 15), (ids.BC_GIAO, 14),
    (ids.SN_CO_MAT, 0), (ids.SN_GIAO, 2), (ids.HDLD, 3), (ids.HDLD_CHI_TIEU, 3),
}


def narrative_of(name: str, appendix_marker: str) -> str:
    text = next(SEEDS.glob(f"{name}*.txt")).read_text(encoding="utf-8")
    return text[: text.index(appendix_marker)]


def score(found: set[tuple[str | None, float | None]], expected: set[tuple[str, float]]) -> tuple[float, float]:
    hits = len(found & expected)
    return hits / len(expected), (hits / len(found) if found else 0.0)


@pytest.mark.parametrize(("seed", "marker", "expected"), [
    ("001", "PHỤ LỤC SỐ II", EXPECTED_001),
    ("002", "Phụ lục\nTHỐNG KÊ", EXPECTED_002),
])
def test_seed_narrative_recall_and_precision(seed: str, marker: str, expected: set[tuple[str, float]]) -> None:
    values = extract_figures(narrative_of(seed, marker))
    found = {(v.indicator_id, v.value_num) for v in values}
    if seed == "002":
        assert {(v.indicator_id, v.value_num) for v in values if v.indicator_id is None} == UNMAPPED_002
        assert all(v.needs_review for v in values if v.indicator_id is None)
        found -= UNMAPPED_002
    recall, precision = score(found, expected)
    print(f"seed {seed}: {len(expected)} expected, {len(found)} found, recall {recall:.3f}, precision {precision:.3f}")
    assert not expected - found, f"missed: {sorted(expected - found)}"
    assert not found - expected, f"spurious: {sorted(found - expected, key=str)}"
    mapped = [v for v in values if v.indicator_id]
    assert len(mapped) == len(found)  # one row per figure
    for v in values:  # provenance on every row
        assert v.source == "narrative" and v.extractor and v.evidence and v.raw_label and v.raw_value
    for v in mapped:
        assert v.indicator_label and v.match_method in {"exact", "context"}


def test_seed_002_weak_pattern_is_flagged_for_review() -> None:
    values = extract_figures(narrative_of("002", "Phụ lục\nTHỐNG KÊ"))
    flagged = {(v.extractor, v.indicator_id) for v in values if v.needs_review}
    assert flagged == {("tthc_tong_hien_co", None), ("tap_huan_nguoi", None), ("tap_huan_buoi", None),
                       ("hs_dung_han_alone", ids.HS_DUNG_HAN),  # "đúng hạn" alone: ambiguous, see EXPECTED_002
                       ("pakn_zero", ids.PAKN)}  # "chưa nhận được phản ánh, kiến nghị": a zero in words, or a remark
    reasons = {v.extractor: v.review_reason or "" for v in values if v.needs_review}
    assert ids.TTHC_TONG in reasons["tthc_tong_hien_co"] and ids.TH_NGUOI in reasons["tap_huan_nguoi"]


# --------------------------------------------------------------------------- a real PDF and real OCR


def _seed_pdf(tmp_path: Path) -> Path:
    """Seed 001's narrative as a real text-layer PDF: the seed's own line breaks, 38 lines a page."""
    from tests.pdfmaker import text_pdf

    lines = [ln.strip() for ln in narrative_of("001", "PHỤ LỤC SỐ II").splitlines() if ln.strip()]
    pages = [lines[i : i + 38] for i in range(0, len(lines), 38)]
    return text_pdf(tmp_path / "commune_q1.pdf", pages, size=8)


def _read_text_pages(pdf: Path) -> list[Page]:
    """pdfplumber words grouped into visual lines (kept here so this test does not track the reader's changes)."""
    pages = []
    with pdfplumber.open(pdf) as doc:
        for i, p in enumerate(doc.pages):
            words = [Word(w["text"], (w["x0"], w["top"], w["x1"], w["bottom"])) for w in p.extract_words()]
            rows: dict[int, list[Word]] = {}
            for w in words:
                rows.setdefault(round(w.bbox[1]), []).append(w)
            lines = [Line(sorted(ws, key=lambda w: w.bbox[0]),
                          (min(w.bbox[0] for w in ws), min(w.bbox[1] for w in ws),
                           max(w.bbox[2] for w in ws), max(w.bbox[3] for w in ws)))
                     for _, ws in sorted(rows.items())]
            pages.append(Page(i + 1, float(p.width), float(p.height), TextOrigin.TEXT, words=words, lines=lines))
    return pages


def test_real_pdf_lines_pages_and_bboxes(tmp_path: Path) -> None:
    pdf = _seed_pdf(tmp_path)
    pages = _read_text_pages(pdf)
    assert len(pages) >= 3
    values = extract_document_figures(pages, level="xa")
    found = {(v.indicator_id, v.value_num) for v in values}
    refined = {(ids.LEVEL_VARIANTS.get(i, {}).get("xa", i), x) for i, x in EXPECTED_001}
    assert found == refined
    # Every figure has a box, and the box holds the figure's own digits on the page it names.
    for v in values:
        assert v.bbox is not None and v.text_source is TextOrigin.TEXT, v
        page = pages[v.page - 1]
        if v.raw_value[0].isdigit():
            inside = [w for w in page.words if v.raw_value in re.split(r"[/:;,()%]|\.(?!\d)", w.text)
                      and v.bbox[0] - 1 <= w.bbox[0] and w.bbox[2] <= v.bbox[2] + 1
                      and v.bbox[1] - 1 <= w.bbox[1] and w.bbox[3] <= v.bbox[3] + 1]
            assert inside, (v.raw_label, v.raw_value, v.bbox, v.page)
    # "Hồ | sơ tiếp nhận qua mạng: 348" is cut by a line break in the seed: the phrase spans two lines.
    online = next(v for v in values if v.indicator_id == ids.HS_TRUC_TUYEN)
    assert online.raw_label.startswith("Hồ sơ tiếp nhận qua mạng")
    assert online.bbox[3] - online.bbox[1] > 12  # two 8-pt lines


def test_appendix_pages_are_skipped(tmp_path: Path) -> None:
    pages = _read_text_pages(_seed_pdf(tmp_path))
    prose = extract_document_figures(pages)
    for p in pages:  # each page opens with an appendix heading: nothing on it is running text
        p.is_appendix = True
        p.lines.insert(0, Line(words=[Word("PHỤ", (0, 0, 10, 10)), Word("LỤC", (11, 0, 20, 10))],
                               bbox=(0, 0, 20, 10)))
    assert extract_document_figures(pages) == []
    assert extract_document_figures(pages, skip_appendix=False)
    for p in pages:  # flagged appendix but prose without heading or grid rows: still read
        del p.lines[0]
    assert len(extract_document_figures(pages)) == len(prose)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_real_ocr_page(tmp_path: Path) -> None:
    """One page rendered at 300 dpi and read by Tesseract (vie): the dossier paragraph survives OCR."""
    from PIL import Image

    from extractors.ocr import ocr_page
    from extractors.ocr_engine import tesseract_env

    pdf = _seed_pdf(tmp_path)
    pages = _read_text_pages(pdf)
    target = next(p for p in pages if "Tổng số 351" in p.text)
    subprocess.run(["pdftoppm", "-r", "300", "-png", "-f", str(target.number), "-l", str(target.number),
                    "-singlefile", str(pdf), str(tmp_path / "page")], check=True)
    image = Image.open(tmp_path / "page.png")
    # Keep Tesseract's work small: the band of lines around the dossier paragraph (page-wide).
    line = next(ln for ln in target.lines if "Tổng số 351" in ln.text)
    top, bottom = max(0.0, line.bbox[1] - 40), min(target.height, line.bbox[3] + 40)
    scale = image.height / target.height
    band = image.crop((0, int(top * scale), image.width, int(bottom * scale)))
    with tesseract_env():
        page = ocr_page(band, target.number, target.width, bottom - top)
    assert page.origin is TextOrigin.OCR
    values = extract_document_figures([page])
    found = {(v.indicator_id, v.value_num) for v in values}
    dossiers = {(ids.HS_TIEP_NHAN, 351), (ids.HS_KY_TRUOC, 3), (ids.HS_DA_GIAI_QUYET, 348), (ids.HS_TRUOC_HAN, 325)}
    assert dossiers <= found, sorted(found, key=str)
    ocr_values = [v for v in values if v.indicator_id == ids.HS_TIEP_NHAN]
    assert ocr_values[0].text_source is TextOrigin.OCR and ocr_values[0].ocr_confidence is not None
    assert ocr_values[0].bbox is not None
