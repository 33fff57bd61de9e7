"""Narrative figure extraction: the pattern registry, paraphrases, precision and number formats.

The sentences below are written for these tests in several phrasings (word
order, "trong đó", parentheses, semicolons vs commas, line breaks, missing
diacritics), not copied from the seeds; the seed texts are measured in
test_narrative_seeds.py.
"""

from __future__ import annotations

import unicodedata

import pytest

from cchc.core.model import TextOrigin
from extractors import narrative_patterns as ids
from extractors.narrative import extract_figures, fold, parse_vn_number, split_sentences
from extractors.narrative_patterns import PATTERNS, PATTERNS_BY_NAME
from indicator_catalog import load_catalog


def figures(text: str, **kw: object) -> dict[str | None, float | None]:
    return {v.indicator_id: v.value_num for v in extract_figures(text, **kw)}  # type: ignore[arg-type]


# --------------------------------------------------------------------------- the registry


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.name)
def test_every_pattern_reads_its_own_example(pattern: ids.FigurePattern) -> None:
    values = extract_figures(pattern.example)
    mine = [v for v in values if v.extractor == pattern.name]
    assert mine, f"{pattern.name} found nothing in its example; got {[(v.extractor, v.value_num) for v in values]}"
    got = {v.indicator_id or "?": v.value_num for v in values}
    for indicator, value in pattern.expect.items():
        assert got.get(indicator) == value, (pattern.name, got)
    for extra in pattern.extra_examples:
        assert any(v.extractor == pattern.name for v in extract_figures(extra)), (pattern.name, extra)


def test_registry_is_documented_and_points_at_the_catalog() -> None:
    catalog = load_catalog()
    assert len(PATTERNS_BY_NAME) == len(PATTERNS) >= 60
    for p in PATTERNS:
        assert p.doc and p.example, p.name
        for indicator in p.groups.values():
            assert indicator is None or indicator in catalog.indicators, (p.name, indicator)
    for generic, variants in ids.LEVEL_VARIANTS.items():
        assert generic in catalog.indicators
        assert all(v in catalog.indicators for v in variants.values())


def test_narrative_only_indicators_are_in_their_own_file() -> None:
    catalog = load_catalog()
    nar = [i for i in catalog.indicators.values() if i.id.startswith("NAR_")]
    assert nar and all(i.source_file == "indicators_narrative.yaml" for i in nar)
    used = {ind for p in PATTERNS for ind in p.groups.values() if ind and ind.startswith("NAR_")}
    assert used <= {i.id for i in nar}


# --------------------------------------------------------------------------- phrasings

PARAPHRASES: list[tuple[str, dict[str, float]]] = [
    # dossiers: label first, number first, verb first, in parentheses, commas vs semicolons
    ("Trong kỳ, Bộ phận Một cửa đã tiếp nhận 1.245 hồ sơ, đã giải quyết 1.200 hồ sơ, "
     "trong đó trước hạn 1.100 hồ sơ, đúng hạn 95 hồ sơ, quá hạn 5 hồ sơ; đang giải quyết 45 hồ sơ.",
     {ids.HS_TIEP_NHAN: 1245, ids.HS_DA_GIAI_QUYET: 1200, ids.HS_TRUOC_HAN: 1100, ids.HS_DUNG_HAN: 95,
      ids.HS_QUA_HAN: 5}),
    ("Hồ sơ đã giải quyết: 348 (trước hạn: 325, đúng hạn: 23, quá hạn: 0).",
     {ids.HS_DA_GIAI_QUYET: 348, ids.HS_TRUOC_HAN: 325, ids.HS_DUNG_HAN: 23, ids.HS_QUA_HAN: 0}),
    ("UBND xã đã giải quyết 348 hồ sơ; 325 hồ sơ giải quyết trước hạn; 23 hồ sơ giải quyết đúng hạn; "
     "không có hồ sơ nào quá hạn.",
     {ids.HS_DA_GIAI_QUYET: 348, ids.HS_TRUOC_HAN: 325, ids.HS_DUNG_HAN: 23, ids.HS_QUA_HAN: 0}),
    ("Tổng số hồ sơ tiếp nhận trong kỳ là 512 hồ sơ, trong đó tiếp nhận trực tuyến 410 hồ sơ, "
     "hồ sơ trực tiếp: 102.",
     {ids.HS_TIEP_NHAN: 512, ids.HS_TRUC_TUYEN: 410, ids.HS_TRUC_TIEP: 102}),
    ("Số hồ sơ tiếp nhận: 96; hồ sơ nộp trực tuyến: 80; hồ sơ tồn kỳ trước: 2.",
     {ids.HS_TIEP_NHAN: 96, ids.HS_TRUC_TUYEN: 80, ids.HS_KY_TRUOC: 2}),
    ("Đã giải quyết 90/96 hồ sơ, còn 6 hồ sơ đang giải quyết trong hạn.",
     {ids.HS_DA_GIAI_QUYET: 90, ids.HS_TIEP_NHAN: 96, ids.HS_DANG: 6}),
    ("Tỷ lệ hồ sơ giải quyết đúng hạn đạt 98,5%; 100% hồ sơ được giải quyết trước và đúng hạn.",
     {ids.PCT_HS_DUNG_HAN: 100}),
    # plan tasks
    ("Kế hoạch CCHC năm 2024 đề ra 25 nhiệm vụ; đến nay đã hoàn thành 12 nhiệm vụ, đạt 48% kế hoạch.",
     {ids.KH_NV_DE_RA: 25, ids.KH_NV_HOAN_THANH: 12, ids.KH_TY_LE: 48}),
    ("Đã hoàn thành 12/16 nhiệm vụ, đạt 75%.",
     {ids.KH_NV_HOAN_THANH: 12, ids.KH_NV_DE_RA: 16, ids.KH_TY_LE: 75}),
    ("Số nhiệm vụ đề ra trong kế hoạch: 16; số nhiệm vụ đã hoàn thành: 12.",
     {ids.KH_NV_DE_RA: 16, ids.KH_NV_HOAN_THANH: 12}),
    # directives / assigned tasks
    ("Trong kỳ, UBND huyện giao 20 nhiệm vụ; xã đã hoàn thành 18 nhiệm vụ đúng hạn, "
     "02 nhiệm vụ hoàn thành nhưng quá hạn.",
     {ids.GIAO_TONG: 20, ids.GIAO_DUNG_HAN: 18, ids.GIAO_QUA_HAN: 2}),
    ("Tổng số nhiệm vụ được giao: 20, số nhiệm vụ đã hoàn thành đúng hạn: 18, "
     "số nhiệm vụ đã hoàn thành nhưng quá hạn: 2.",
     {ids.GIAO_TONG: 20, ids.GIAO_DUNG_HAN: 18, ids.GIAO_QUA_HAN: 2}),
    # TTHC by level
    ("Tổng số TTHC thuộc thẩm quyền giải quyết là 1.870 thủ tục, trong đó cấp tỉnh: 1.420 thủ tục, "
     "cấp huyện: 300 thủ tục, cấp xã: 150 thủ tục.",
     {ids.TTHC_TONG: 1870, ids.TTHC_TINH: 1420, ids.TTHC_HUYEN: 300, ids.TTHC_XA: 150}),
    ("Số TTHC cấp xã: 118; số TTHC cấp huyện: 0.", {ids.TTHC_XA: 118, ids.TTHC_HUYEN: 0}),
    ("Trong kỳ, Chủ tịch UBND tỉnh đã công bố mới 25 TTHC và bãi bỏ 12 thủ tục hành chính.",
     {ids.TTHC_MOI: 25, ids.TTHC_BAI_BO: 12}),
    # staffing
    ("Tổng số biên chế được giao năm 2024 là 19 người; biên chế có mặt là 17 người; "
     "có 03 người hợp đồng lao động.",
     {ids.BC_GIAO: 19, ids.BC_CO_MAT: 17, ids.HDLD: 3}),
    ("Hiện có 22 người/25 người theo chỉ tiêu được giao.", {ids.NGUOI_CO_MAT: 22, ids.NGUOI_CHI_TIEU: 25}),
    # inspections, surveys, documents
    ("Năm 2024, UBND huyện đã kiểm tra công tác CCHC tại 08 cơ quan, đơn vị, qua kiểm tra phát hiện "
     "05 thiếu sót và đã khắc phục xong 04 thiếu sót.",
     {ids.KT_CO_QUAN: 8, ids.KT_VAN_DE: 5, ids.KT_VAN_DE_XL: 4}),
    ("Đã phát ra 500 phiếu khảo sát, thu về 480 phiếu; mức độ hài lòng của người dân đạt 96,25%.",
     {ids.KS_PHIEU: 500, ids.KS_PHIEU_THU_VE: 480, ids.KS_TY_LE_HAI_LONG: 96.25}),
    ("Trong năm, HĐND, UBND huyện đã ban hành 03 văn bản quy phạm pháp luật; rà soát 27 văn bản.",
     {ids.VBQPPL_BAN_HANH: 3, ids.VBQPPL_RA_SOAT: 27}),
    ("Trong kỳ báo cáo, UBND xã chưa ban hành văn bản quy phạm pháp luật.", {ids.VBQPPL_BAN_HANH: 0}),
    ("Không có VBQPPL nào được ban hành trong quý.", {ids.VBQPPL_BAN_HANH: 0}),
    # percentages, also with a dot as decimal mark
    ("Tỷ lệ văn bản đi được ký số đạt 98.5%; 100% văn bản đi được ký số trực tiếp trên phần mềm.",
     {ids.PCT_VB_KY_SO: 100}),
    ("100% TTHC được niêm yết công khai tại Bộ phận Một cửa.", {ids.PCT_TTHC_CONG_KHAI: 100}),
    ("Bộ phận một cửa đã tiếp nhận 4.512 hồ sơ (trực tuyến: 3.890 hồ sơ), giải quyết đúng và trước hạn "
     "4.400 hồ sơ, trễ hạn 12 hồ sơ.",
     {ids.HS_TIEP_NHAN: 4512, ids.HS_TRUC_TUYEN: 3890, ids.HS_DUNG_HAN_GOP: 4400, ids.HS_QUA_HAN: 12}),
    ("Hồ sơ tiếp nhận mới trong kỳ 120, hồ sơ tồn kỳ trước chuyển sang 5.",
     {ids.HS_TIEP_NHAN: 120, ids.HS_KY_TRUOC: 5}),
    ("Biên chế được giao là 25, hiện có 23 công chức.", {ids.BC_GIAO: 25, ids.BC_CO_MAT: 23}),
    ("Trong kỳ, không có TTHC nào được công bố mới; đã kiểm tra 5/12 xã, thị trấn.",
     {ids.TTHC_MOI: 0, "KT_SO_UBND_XA": 5}),  # communes inspected: the catalog's own row
    # number words
    ("Trong quý, Ban đã tiếp nhận hai hồ sơ, đã giải quyết hai hồ sơ.",
     {ids.HS_TIEP_NHAN: 2, ids.HS_DA_GIAI_QUYET: 2}),
]


@pytest.mark.parametrize(("sentence", "expected"), PARAPHRASES, ids=lambda x: str(x)[:40])
def test_paraphrases(sentence: str, expected: dict[str, float]) -> None:
    got = figures(sentence)
    for indicator, value in expected.items():
        assert got.get(indicator) == pytest.approx(value), (indicator, got)


def test_generic_percentage_is_matched_to_the_catalog_by_label() -> None:
    values = extract_figures("Tỷ lệ TTHC được tích hợp, triển khai thanh toán trực tuyến đạt 35,5%.")
    assert len(values) == 1
    v = values[0]
    assert (v.indicator_id, v.value_num, v.unit) == ("TTHC_TY_LE_THANH_TOAN_TRUC_TUYEN", 35.5, "%")
    assert v.match_method == "fuzzy" and v.needs_review
    # A subject its clause names is bound, not guessed: the disbursement rate is not flagged.
    bound = extract_figures("Tỷ lệ thực hiện kế hoạch giải ngân vốn đầu tư công đạt 87,3%.")
    assert [(v.indicator_id, v.value_num, v.needs_review) for v in bound] == [("GIAI_NGAN_DTC_TY_LE", 87.3, False)]
    unknown = extract_figures("Tỷ lệ che phủ rừng của huyện đạt 61,2%.")
    assert [(v.indicator_id, v.value_num, v.needs_review) for v in unknown] == [(None, 61.2, True)]


def test_same_number_claimed_by_two_patterns_is_one_figure() -> None:
    values = extract_figures("Tổng số hồ sơ tiếp nhận: 351 hồ sơ; Ban đã tiếp nhận 351 hồ sơ.")
    assert [(v.indicator_id, v.value_num) for v in values] == [(ids.HS_TIEP_NHAN, 351)]


def test_level_refines_dossier_indicators() -> None:
    text = "Hồ sơ đã giải quyết: 348; 100% hồ sơ giải quyết đúng hạn."
    assert figures(text) == {ids.HS_DA_GIAI_QUYET: 348, ids.PCT_HS_DUNG_HAN: 100}
    xa = extract_figures(text, level="xa")
    assert {v.indicator_id: v.value_num for v in xa} == {"HS_DA_GIAI_QUYET_XA": 348, "HS_TY_LE_DUNG_HAN_XA": 100}
    assert all(v.match_method == "context" for v in xa)


# --------------------------------------------------------------------------- robustness

def test_line_breaks_inside_a_sentence() -> None:
    text = "+ Tổng hợp kết quả: Tổng số 351 hồ sơ (trong đó: hồ sơ kỳ trước chuyển sang: 03); Hồ\n" \
           "sơ tiếp nhận qua mạng: 348; Hồ sơ đã giải quyết: 348; hồ sơ giải quyết trước hạn:\n\n325."
    assert figures(text) == {ids.HS_TIEP_NHAN: 351, ids.HS_KY_TRUOC: 3, ids.HS_TRUC_TUYEN: 348,
                             ids.HS_DA_GIAI_QUYET: 348, ids.HS_TRUOC_HAN: 325}


@pytest.mark.parametrize("noisy", [
    "Hồ so đã giải quyết: 348; hồ so giải quyết trước hạn: 325",
    "Ho sơ đa giai quyết: 348; hồ sơ giải quyêt trươc hạn: 325",
    "HỒ SƠ ĐÃ GIẢI QUYẾT: 348; HỒ SƠ GIẢI QUYẾT TRƯỚC HẠN: 325",
    unicodedata.normalize("NFD", "Hồ sơ đã giải quyết: 348; hồ sơ giải quyết trước hạn: 325"),
])
def test_light_ocr_noise_on_diacritics(noisy: str) -> None:
    assert figures(noisy) == {ids.HS_DA_GIAI_QUYET: 348, ids.HS_TRUOC_HAN: 325}


def test_output_is_nfc_and_cut_from_the_original_text() -> None:
    text = unicodedata.normalize("NFD", "Ban đã hoàn thành 44 ý kiến chỉ đạo trước, đúng hạn.")
    (v,) = extract_figures(text)
    assert v.raw_label == unicodedata.normalize("NFC", "hoàn thành 44 ý kiến chỉ đạo trước, đúng hạn")
    assert v.raw_value == "44" and v.evidence.startswith("Ban đã hoàn thành")
    assert v.source == "narrative" and v.extractor == "giao_dung_han" and v.unit == "nhiệm vụ"
    assert v.indicator_label == "Số nhiệm vụ đã hoàn thành đúng hạn" and v.match_method == "exact"


# --------------------------------------------------------------------------- precision

NOT_FIGURES = [
    "UBND xã ban hành Kế hoạch số 05/KH-UBND ngày 12/01/2024 về cải cách hành chính năm 2024.",
    "Tiếp tục thực hiện cơ chế tự chủ theo Nghị định 130/2005/NĐ-CP và Thông tư số 02/2017/TT-VPCP.",
    "Áp dụng hệ thống quản lý chất lượng theo tiêu chuẩn TCVN ISO 9001:2015.",
    "UBND xã được đầu tư xây dựng nhà Một cửa mới với diện tích 80 m2.",
    "Từ ngày 15/12/2022 đến ngày 10/6/2023, Ban thực hiện nghiêm các quy định.",
    "6 tháng, Ban chưa có những mô hình, sáng kiến mới trong CCHC.",
    "Thực hiện Luật Tổ chức chính quyền địa phương năm 2015 và Luật sửa đổi năm 2019.",
    "Thực hiện Chỉ thị số 26/CT-TTg ngày 05/9/2016 của Thủ tướng Chính phủ.",
    "Ứng dụng phần mềm Một cửa điện tử, cập nhật kịp thời hồ sơ, không để hồ sơ quá hạn.",
    "Tổng số TTHC cần rà soát 118 thủ tục, hoàn thành trong tháng 4/2024.",
    "Có 03 quạt trần, 01 máy photocopy, 05 máy tính, 04 máy in.",
    "Chương trình chuyển đổi số giai đoạn 2021 - 2025 và kế hoạch năm 2024.",
    "Số ĐVSN tự bảo đảm từ 70% - dưới 100% chi thường xuyên.",
    "Quyết định số 3290/QĐ-UBND ngày 20/12/2019 phê duyệt Đề án vị trí việc làm.",
    "Về trình độ chuyên môn có 05 đồng chí trên Đại học (Thạc sĩ 05); Đại học 11 đồng chí.",
    "Chỉ số CCHC năm 2022 của huyện đạt 85,5 điểm, xếp thứ 3/9 huyện.",
    "Kế hoạch CCHC năm 2023 gồm 7 nhóm nhiệm vụ.",
    "Thực hiện số hóa 1.500 hồ sơ, kết quả giải quyết TTHC.",
]


@pytest.mark.parametrize("sentence", NOT_FIGURES, ids=lambda s: s[:40])
def test_numbers_that_are_not_figures_yield_nothing(sentence: str) -> None:
    assert extract_figures(sentence) == []


def test_percentage_quantifying_a_noun_reads_the_catalog_rate_for_review() -> None:
    """Was in NOT_FIGURES; the catalog has MCDT_TY_LE_XA ("Tỷ lệ đơn vị cấp xã đã kết nối liên thông
    với Hệ thống"), and blind4/blind5 read "100% sở, ngành … đã kết nối" as that rate: by the catalog's
    meaning the sentence states the rate.  A label match, so it is kept for review, never auto-accepted."""
    values = extract_figures("Kết quả: 100% UBND cấp xã đã kết nối liên thông với Hệ thống một cửa điện tử của tỉnh.")
    assert [(v.indicator_id, v.value_num) for v in values] == [("MCDT_TY_LE_XA", 100.0)]
    assert values[0].needs_review


# --------------------------------------------------------------------------- numbers and text helpers

@pytest.mark.parametrize(("raw", "percent", "value"), [
    ("1.245", False, 1245.0), ("12,5", False, 12.5), ("03", False, 3.0), ("0", False, 0.0),
    ("1.234.567", False, 1234567.0), ("1.245,5", False, 1245.5), ("98.5", True, 98.5),
    ("98,5", True, 98.5), ("hai", False, 2.0), ("mười", False, 10.0), ("", False, None), ("abc", False, None),
])
def test_parse_vn_number(raw: str, percent: bool, value: float | None) -> None:
    assert parse_vn_number(raw, percent=percent) == value


def test_fold_keeps_offsets() -> None:
    s = "Đã giải quyết HỒ SƠ trước hạn"
    f = fold(s)
    assert f == "da giai quyet ho so truoc han" and len(f) == len(s)


def test_split_sentences_offsets_are_exact() -> None:
    text = "Tổng số 351 hồ sơ. TP. Huế có 3 người. Hồ sơ quá hạn: 0"
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans][0] == "Tổng số 351 hồ sơ."
    assert text[spans[-1][0]:spans[-1][1]].endswith("quá hạn: 0")


# --------------------------------------------------------------------------- line boxes

LINES = [
    ("+ Kết quả Quý I: Tổng số 351 hồ sơ (trong đó: hồ sơ kỳ trước", (60.0, 100.0, 540.0, 112.0)),
    ("chuyển sang: 03); Hồ sơ tiếp nhận qua mạng: 348; Hồ", (60.0, 114.0, 540.0, 126.0)),
    ("sơ đã giải quyết: 348; hồ sơ quá hạn: 0.", (60.0, 128.0, 300.0, 140.0)),
]


def test_line_boxes_give_each_figure_the_box_of_its_phrase() -> None:
    text = "\n".join(t for t, _ in LINES)
    values = {v.indicator_id: v for v in extract_figures(text, page=4, line_boxes=LINES)}
    assert values[ids.HS_TIEP_NHAN].bbox == LINES[0][1]
    assert values[ids.HS_KY_TRUOC].bbox == (60.0, 100.0, 540.0, 126.0)  # "kỳ trước | chuyển sang: 03"
    assert values[ids.HS_DA_GIAI_QUYET].bbox == (60.0, 114.0, 540.0, 140.0)  # "Hồ | sơ đã giải quyết: 348"
    assert values[ids.HS_QUA_HAN].bbox == LINES[2][1]
    assert all(v.page == 4 for v in values.values())


def test_line_boxes_when_text_is_not_the_lines_joined() -> None:
    """The caller's text differs from its lines (e.g. de-hyphenated): the line is found by content."""
    text = "Tổng số 351 hồ sơ. Hồ sơ tiếp nhận qua mạng: 348."
    values = {v.indicator_id: v for v in extract_figures(text, line_boxes=LINES)}
    assert values[ids.HS_TIEP_NHAN].bbox == LINES[0][1]
    assert values[ids.HS_TRUC_TUYEN].bbox == LINES[1][1]


def test_document_text_runs_across_pages_and_skips_folios() -> None:
    """A sentence cut by a page break (with the folio "2" in between) is read whole; figures keep their page."""
    from cchc.core.model import Line, Page, Word

    def page(number: int, texts: list[str]) -> Page:
        lines = []
        for i, t in enumerate(texts):
            box = (60.0, 100.0 + 14 * i, 500.0, 112.0 + 14 * i)
            lines.append(Line(words=[Word(w, box) for w in t.split()], bbox=box))
        return Page(number=number, width=595, height=842, origin=TextOrigin.TEXT, lines=lines)

    from extractors.narrative import extract_document_figures

    pages = [page(1, ["Tổng số 351 hồ sơ (trong đó: hồ sơ kỳ trước chuyển sang: 03); Hồ", "1"]),
             page(2, ["2", "sơ đã giải quyết: 348; hồ sơ quá hạn: 0."])]
    got = {(v.indicator_id, v.value_num, v.page) for v in extract_document_figures(pages)}
    assert got == {(ids.HS_TIEP_NHAN, 351, 1), (ids.HS_KY_TRUOC, 3, 1), (ids.HS_DA_GIAI_QUYET, 348, 2),
                   (ids.HS_QUA_HAN, 0, 2)}
