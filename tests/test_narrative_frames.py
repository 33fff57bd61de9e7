"""Frames (number + counted noun + governing verb → indicator) and the second-pass phrasings.

Every sentence here was written for this test, in several word orders and
punctuations per family (verb first, label first, "x/y" ratios, coordination
with "và" and commas, the noun's own verb after it), so the families are
checked on phrasing the sample reports do not use.  Negative cases check
that dates, document numbers, plans and unmappable counts give no mapped
figure.  Every figure also carries provenance (extractor name, phrase, evidence).
"""

from __future__ import annotations

import pytest

from cchc.core.model import Line, Page, TextOrigin, Word
from extractors import narrative_patterns as ids
from extractors.narrative import extract_document_figures, extract_figures
from indicator_catalog import load_catalog


def mapped(text: str, level: str | None = None) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for v in extract_figures(text, level=level):
        if v.indicator_id:
            assert v.indicator_id not in out, (v.indicator_id, text)  # one figure per indicator here
            out[v.indicator_id] = v.value_num
    return out


CASES: list[tuple[str, str | None, dict[str, float]]] = [
    # ------------------------------------------------ bodies inspected, mapped by the object noun
    ("Trong năm, Sở Nội vụ đã tiến hành kiểm tra công tác CCHC tại 8 sở, ban, ngành và 3 huyện, thành phố.",
     "tinh", {"KT_SO_SO_NGANH": 8, "KT_SO_UBND_HUYEN": 3}),
    ("Số sở, ngành được kiểm tra là 10; số UBND cấp huyện được kiểm tra: 5.",
     "tinh", {"KT_SO_SO_NGANH": 10, "KT_SO_UBND_HUYEN": 5}),
    ("Đoàn kiểm tra đã kiểm tra được 12/15 sở, ngành và 7/9 UBND cấp huyện",
     "tinh", {"KT_SO_SO_NGANH": 12, "KT_SO_UBND_HUYEN": 7}),
    ("Kết quả kiểm tra 25 xã, phường, thị trấn cho thấy còn một số tồn tại.", "huyen", {"KT_SO_UBND_XA": 25}),
    ("UBND huyện kiểm tra 4 phòng chuyên môn, 11 UBND cấp xã",
     "huyen", {"KT_SO_PHONG_BAN_TRUC_THUOC": 4, "KT_SO_UBND_XA": 11}),
    ("Bộ kiểm tra 6 đơn vị thuộc Bộ.", "bo", {"KT_SO_CQ_DV_THUOC_BO": 6}),
    ("Văn phòng đã kiểm tra 9 cơ quan, đơn vị.", None, {"KT_SO_CQ_DV_DUOC_KIEM_TRA": 9}),
    # ------------------------------------------------ legal documents: reviewed, flagged, handled
    ("Qua rà soát, Sở Tư pháp kiến nghị xử lý 6 văn bản, đã xử lý xong 2 văn bản.",
     None, {"VBQPPL_KIEN_NGHI_XU_LY": 6, "VBQPPL_DA_XU_LY_XONG": 2}),
    ("Sau kiểm tra đã kiến nghị xử lý 5 văn bản quy phạm pháp luật; đến nay 4 văn bản đã được xử lý xong.",
     None, {"VBQPPL_KIEN_NGHI_XU_LY": 5, "VBQPPL_DA_XU_LY_XONG": 4}),
    ("Bộ đã kiến nghị sửa đổi 3 VBQPPL và xử lý xong 1 VBQPPL",
     None, {"VBQPPL_KIEN_NGHI_XU_LY": 3, "VBQPPL_DA_XU_LY_XONG": 1}),
    ("Bộ đã ban hành 9 văn bản quy phạm pháp luật, bao gồm 2 nghị định, 7 thông tư.",
     "bo", {"VBQPPL_BAN_HANH": 9, "VBQPPL_NGHI_DINH": 2, "VBQPPL_THONG_TU": 7}),
    # ------------------------------------------------ tasks assigned: "Tổng số … giao là N"
    ("Tổng số nhiệm vụ được UBND tỉnh giao trong năm là 40 nhiệm vụ.", None, {"NV_GIAO_TONG_SO": 40}),
    ("Tổng số nhiệm vụ Thủ tướng giao là 12 nhiệm vụ.", None, {"NV_GIAO_TONG_SO": 12}),
    # ------------------------------------------------ TTHC in force, by level including Trung ương
    ("Tổng số TTHC đang có hiệu lực tại Bộ là 240 thủ tục, trong đó 150 thủ tục cấp Trung ương",
     "bo", {"TTHC_HIEU_LUC_TONG": 240, "TTHC_HIEU_LUC_CAP_TW": 150}),
    ("Hiện có 512 thủ tục hành chính đang có hiệu lực; cấp Trung ương: 300 thủ tục.",
     None, {"TTHC_HIEU_LUC_TONG": 512, "TTHC_HIEU_LUC_CAP_TW": 300}),
    # ------------------------------------------------ public-service units
    ("Toàn tỉnh có 812 đơn vị sự nghiệp công lập.", "tinh", {"DVSNCL_TONG_SO": 812}),
    ("Trên địa bàn tỉnh hiện có 650 đơn vị sự nghiệp công lập, trong đó 45 đơn vị thuộc sở, ngành.",
     "tinh", {"DVSNCL_TONG_SO": 650, "DVSNCL_THUOC_SO_NGANH": 45}),
    ("Toàn huyện có 97 ĐVSNCL thuộc UBND huyện", "huyen", {"DVSNCL_THUOC_UBND_HUYEN": 97}),
    # ------------------------------------------------ autonomy: the noun carries its own verb
    ("Có 12 đơn vị tự chủ toàn bộ chi thường xuyên, 80 đơn vị tự bảo đảm một phần chi thường xuyên.",
     None, {"TC_DVSN_TU_CHU_CHI_TX": 12, "TC_DVSN_TU_CHU_MOT_PHAN": 80}),
    ("Số đơn vị sự nghiệp do Nhà nước bảo đảm chi thường xuyên là 300 đơn vị.", None, {"TC_DVSN_NN_BAO_DAM": 300}),
    ("6 ĐVSN tự bảo đảm chi thường xuyên và chi đầu tư; 2 đơn vị chuyển đổi thành công ty cổ phần",
     None, {"TC_DVSN_TU_CHU_CHI_TX_DAU_TU": 6, "TC_DVSN_CO_PHAN_HOA": 2}),
    # ------------------------------------------------ recruitment, appointments (coordination, level)
    ("UBND tỉnh đã tuyển dụng được 120 viên chức ngành giáo dục và 15 công chức thông qua thi tuyển.",
     None, {"TD_VIEN_CHUC": 120, "TD_CONG_CHUC": 15}),
    ("Số công chức được tuyển dụng trong kỳ là 18 người.", None, {"TD_CONG_CHUC": 18}),
    ("Huyện đã tuyển dụng 12 viên chức giáo dục, xét tuyển 3 công chức cấp xã.",
     "huyen", {"TD_VIEN_CHUC": 12, "TD_CONG_CHUC": 3}),
    ("Đã bổ nhiệm 3 lãnh đạo cấp sở và 12 lãnh đạo cấp phòng.",
     "tinh", {"BN_LANH_DAO_SO_NGANH": 3, "BN_PHONG_SO_NGANH": 12}),
    ("Bổ nhiệm mới 4 lãnh đạo cấp phòng thuộc UBND huyện.", None, {"BN_PHONG_HUYEN": 4}),
    ("bổ nhiệm 2 lãnh đạo cấp vụ, cục, 5 lãnh đạo cấp phòng", "bo",
     {"BN_LANH_DAO_VU_CUC": 2, "BN_LANH_DAO_TRONG_VU_CUC": 5}),
    ("huyện bổ nhiệm mới 7 lãnh đạo cấp phòng", "huyen", {"BN_PHONG_HUYEN": 7}),
    # ------------------------------------------------ online public services (noun names it)
    ("Tỉnh đã cung cấp 1.200 dịch vụ công trực tuyến toàn trình và 800 dịch vụ công trực tuyến một phần.",
     None, {"DVCTT_TTHC_MD4": 1200, "DVCTT_TTHC_MD3": 800}),
    ("Hiện có 95 DVC trực tuyến mức độ 4, 40 DVC trực tuyến mức độ 3", None,
     {"DVCTT_TTHC_MD4": 95, "DVCTT_TTHC_MD3": 40}),
    ("huyện đang triển khai 61 dịch vụ công mức độ 3 và 12 dịch vụ công mức độ 4", None,
     {"DVCTT_TTHC_MD3": 61, "DVCTT_TTHC_MD4": 12}),
    # ------------------------------------------------ ISO
    ("Số lượng UBND cấp xã đã áp dụng ISO 9001:2015 là 21 đơn vị.", "huyen", {"ISO_DON_VI_DA_AP_DUNG": 21}),
    ("có 17 xã, thị trấn đã xây dựng, áp dụng hệ thống ISO", "huyen", {"ISO_DON_VI_DA_AP_DUNG": 17}),
    ("Số quy trình nội bộ giải quyết TTHC đang áp dụng là 140 quy trình", None, {"ISO_QTNB_TTHC": 140}),
    # ------------------------------------------------ percentages
    ("Tỷ lệ văn bản được gửi hoàn toàn dưới dạng điện tử là 90%.", None, {"VB_TY_LE_DIEN_TU_HOAN_TOAN": 90}),
    ("88,5% văn bản được gửi hoàn toàn dưới dạng điện tử", None, {"VB_TY_LE_DIEN_TU_HOAN_TOAN": 88.5}),
    ("Số đơn vị sự nghiệp công lập giảm 10,5% so với năm 2015, biên chế giảm 11,2% so với năm 2015.", None,
     {"DVSNCL_TY_LE_CAT_GIAM_2015": 10.5, "BIEN_CHE_TY_LE_TINH_GIAN_2015": 11.2}),
    ("Số người làm việc trong các đơn vị sự nghiệp đã tinh giản 9% so với thời điểm năm 2015", None,
     {"NLV_TY_LE_TINH_GIAN_2015": 9}),
    ("Tỷ lệ hồ sơ giải quyết đúng hạn cấp tỉnh đạt 99,5%, cấp huyện đạt 98,7%, cấp xã đạt 99,8%.", None,
     {"HS_TY_LE_DUNG_HAN_CAP_TINH": 99.5, "HS_TY_LE_DUNG_HAN_HUYEN": 98.7, "HS_TY_LE_DUNG_HAN_XA": 99.8}),
    ("Tỷ lệ hồ sơ TTHC do UBND cấp huyện tiếp nhận giải quyết đúng hạn là 97%; tại cấp xã: 99%", None,
     {"HS_TY_LE_DUNG_HAN_HUYEN": 97, "HS_TY_LE_DUNG_HAN_XA": 99}),
    # ------------------------------------------------ stated zeros are figures
    ("Trong kỳ, UBND huyện không ban hành văn bản quy phạm pháp luật nào.", None, {"VBQPPL_BAN_HANH": 0}),
    ("Đến nay chưa nhận được phản ánh, kiến nghị nào của cá nhân, tổ chức.", None, {"PAKN_TIEP_NHAN": 0}),
    ("Không có phản ánh kiến nghị về quy định hành chính", None, {"PAKN_TIEP_NHAN": 0}),
]


@pytest.mark.parametrize(("text", "level", "expected"), CASES, ids=[c[0][:50] for c in CASES])
def test_family_phrasings(text: str, level: str | None, expected: dict[str, float]) -> None:
    got = mapped(text, level)
    assert got == pytest.approx(expected), text


NOT_FIGURES = [
    "Thực hiện Nghị định 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư.",
    "Mọi thắc mắc liên hệ số điện thoại 0912.345.678 hoặc 0239.3855.123.",
    "Duy trì Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015 tại 100% cơ quan.",
    "Nhà Một cửa có diện tích 80 m2, gồm 3 tầng.",
    "Báo cáo kết quả Quý I năm 2024, giai đoạn 2021 - 2025.",
    "Kế hoạch kiểm tra năm 2022 dự kiến kiểm tra 20 cơ quan, đơn vị.",
    "Năm 2023 huyện sẽ kiểm tra 10 xã, thị trấn.",
    "Phấn đấu tuyển dụng 30 viên chức trong năm tới.",
    "100% cán bộ, công chức thực hiện nghiêm kỷ luật, kỷ cương hành chính.",
    "Xem trang 12 và Phụ lục 3 kèm theo.",
    "Công văn số 123/UBND-NV ngày 12/3/2023 của UBND huyện.",
    "Số liệu tính từ ngày 15/12/2022 đến ngày 14/6/2023.",
    "Tổ chức 02 buổi tập huấn về nghiệp vụ lưu trữ.",  # sessions: figure for review, no indicator
]


@pytest.mark.parametrize("text", NOT_FIGURES, ids=[t[:40] for t in NOT_FIGURES])
def test_no_mapped_figure_in_non_figures(text: str) -> None:
    assert mapped(text, "huyen") == {}, text


def test_level_decides_lanh_dao_cap_phong_and_without_level_nothing_is_guessed() -> None:
    text = "Trong kỳ đã bổ nhiệm mới 8 lãnh đạo cấp phòng."
    assert mapped(text, "bo") == {"BN_LANH_DAO_TRONG_VU_CUC": 8}
    assert mapped(text, "tinh") == {"BN_PHONG_SO_NGANH": 8}
    assert mapped(text, "huyen") == {"BN_PHONG_HUYEN": 8}
    assert mapped(text, None) == {}


def test_uncertain_figures_are_unmapped_and_flagged() -> None:
    values = extract_figures("Ban tổ chức 02 buổi tập huấn; hiện có 03 TTHC thực hiện theo cơ chế một cửa.")
    assert {(v.indicator_id, v.value_num) for v in values} == {(None, 2.0), (None, 3.0)}
    assert all(v.needs_review and v.review_reason for v in values)


def test_frame_figures_carry_provenance() -> None:
    (v, w) = extract_figures("Đã kiểm tra 12 sở, ngành và 4 UBND cấp huyện.", level="tinh")
    assert v.extractor == "frame:kiem_tra+so_nganh" and w.extractor == "frame:kiem_tra+ubnd_huyen"
    assert v.raw_value == "12" and w.raw_value == "4" and "12 sở" in v.raw_label and "4 UBND" in w.raw_label
    assert v.evidence.startswith("Đã kiểm tra") and v.unit and v.indicator_label
    assert v.match_method == "context" and not v.needs_review


def test_frame_rules_point_at_the_catalog_and_known_words() -> None:
    catalog = load_catalog()
    for rule in ids.FRAME_RULES:
        assert rule.indicator in catalog.indicators, rule
        assert rule.noun in ids.FRAME_NOUN_KEYS, rule
        assert rule.verbs is None or all(v is None or v in ids.FRAME_VERB_KEYS for v in rule.verbs), rule
    for family in ids.LEVEL_FAMILIES:
        assert all(i in catalog.indicators for i in family.values()), family


def _page(number: int, texts: list[str], appendix: bool) -> Page:
    lines = []
    for i, t in enumerate(texts):
        box = (50.0, 60.0 + 14 * i, 550.0, 72.0 + 14 * i)
        lines.append(Line(words=[Word(w, box) for w in t.split()], bbox=box))
    return Page(number=number, width=595.0, height=842.0, origin=TextOrigin.TEXT, lines=lines, is_appendix=appendix)


def test_running_text_on_a_page_flagged_appendix_is_read_up_to_the_grid() -> None:
    """The report's last paragraphs often share a page with the appendix's start."""
    body = _page(1, ["Trong kỳ, tỉnh đã tuyển dụng 46 công chức và 312"], appendix=False)
    tail = _page(2, ["viên chức; bổ nhiệm mới 5 lãnh đạo cấp sở, ngành.",
                     "7.2. Áp dụng ISO",
                     "có 23 UBND cấp xã đã áp dụng ISO 9001:2015.",
                     "PHỤ LỤC",
                     "1.2.1. Số sở, ngành đã kiểm tra Cơ quan 12",
                     "1.2.2. Số UBND cấp huyện đã kiểm tra Cơ quan 4"], appendix=True)
    flagged_whole = _page(3, ["Có 4 đơn vị tự bảo đảm chi thường xuyên.",
                              "5.2.1. Số công chức được tuyển dụng Người 46",
                              "5.2.2. Số viên chức được tuyển dụng Người 312"], appendix=True)
    grid = _page(4, ["Đơn vị tính Số liệu", "4.1.4 Tổng số đơn vị sự nghiệp công lập 812"], appendix=True)
    values = extract_document_figures([body, tail, flagged_whole, grid], level="tinh")
    got = {(v.indicator_id, v.value_num, v.page) for v in values}
    assert got == {("TD_CONG_CHUC", 46, 1), ("TD_VIEN_CHUC", 312, 1), ("BN_LANH_DAO_SO_NGANH", 5, 2),
                   ("ISO_DON_VI_DA_AP_DUNG", 23, 2), ("TC_DVSN_TU_CHU_CHI_TX", 4, 3)}


# ----------------------------------------------------------------------------------------------
# Pass 3: phrasings from a robustness probe (reports the team had never seen).  Each family has
# at least three phrasings of our own and a negative; the expected dict is the *whole* mapped
# output, so a figure mapped to the wrong indicator fails as surely as a missing one.
PROBE_CASES: list[tuple[str, str | None, dict[str, float]]] = [
    # the completion verb + "đúng hạn" govern the number; "được giao" only qualifies the noun
    ("UBND tỉnh giao 18 nhiệm vụ, đã hoàn thành đúng hạn 16 nhiệm vụ, 2 nhiệm vụ hoàn thành nhưng quá hạn.",
     "huyen", {"NV_GIAO_TONG_SO": 18, "NV_HOAN_THANH_DUNG_HAN": 16, "NV_HOAN_THANH_QUA_HAN": 2}),
    ("Sở đã hoàn thành đúng hạn 30 nhiệm vụ được giao.", None, {"NV_HOAN_THANH_DUNG_HAN": 30}),
    ("Ban hoàn thành trước, đúng hạn 12 ý kiến chỉ đạo của UBND tỉnh.", None, {"NV_HOAN_THANH_DUNG_HAN": 12}),
    ("Đã hoàn thành đúng hạn 7 nhiệm vụ do Chủ tịch UBND tỉnh giao.", None, {"NV_HOAN_THANH_DUNG_HAN": 7}),
    # the competent level named inside the label decides the TTHC level
    ("Tổng số TTHC thuộc thẩm quyền giải quyết của UBND huyện là 245 thủ tục, của UBND cấp xã là 112 thủ tục.",
     "huyen", {"TTHC_HIEU_LUC_CAP_HUYEN": 245, "TTHC_HIEU_LUC_CAP_XA": 112}),
    ("Số thủ tục hành chính thuộc thẩm quyền của UBND tỉnh: 1.320", "tinh", {"TTHC_HIEU_LUC_CAP_TINH": 1320}),
    ("Tổng số TTHC thuộc thẩm quyền tiếp nhận, giải quyết của UBND cấp xã là 98.", "xa",
     {"TTHC_HIEU_LUC_CAP_XA": 98}),
    ("Tổng số TTHC thuộc thẩm quyền giải quyết của Ban là 75 thủ tục.", None, {"TTHC_HIEU_LUC_TONG": 75}),
    # the plan's completion rate after a count of completed plan tasks, or "đạt tỷ lệ hoàn thành"
    ("Kế hoạch CCHC đề ra 25 nhiệm vụ; đến nay đã hoàn thành 23 nhiệm vụ, đạt 92%.", None,
     {"KH_NHIEM_VU_DE_RA": 25, "KH_NHIEM_VU_HOAN_THANH": 23, "KH_TY_LE_HOAN_THANH": 92}),
    ("Kế hoạch năm đề ra 20 nhiệm vụ, đạt tỷ lệ hoàn thành 85,5%.", None,
     {"KH_NHIEM_VU_DE_RA": 20, "KH_TY_LE_HOAN_THANH": 85.5}),
    ("Theo Kế hoạch, xã đã hoàn thành 9 nhiệm vụ, bằng 90%.", "xa",
     {"KH_NHIEM_VU_HOAN_THANH": 9, "KH_TY_LE_HOAN_THANH": 90}),
    # pending dossiers
    ("Đã giải quyết 1.190 hồ sơ; còn 14 hồ sơ đang trong thời hạn giải quyết.", None,
     {"NAR_HS_DA_GIAI_QUYET": 1190, "NAR_HS_DANG_GIAI_QUYET": 14}),
    ("Hiện còn 05 hồ sơ chưa đến hạn trả kết quả.", None, {"NAR_HS_DANG_GIAI_QUYET": 5}),
    ("Có 3 hồ sơ đang trong hạn giải quyết.", None, {"NAR_HS_DANG_GIAI_QUYET": 3}),
    # complaints/recommendations resolved
    ("UBND huyện tiếp nhận 2 phản ánh, kiến nghị và đã xử lý xong cả 2 phản ánh, kiến nghị.", None,
     {"PAKN_TIEP_NHAN": 2, "PAKN_DA_GIAI_QUYET": 2}),
    ("Trong kỳ đã giải quyết xong 4 phản ánh của người dân.", None, {"PAKN_DA_GIAI_QUYET": 4}),
    ("Nhận được 6 PAKN, trong đó 5 PAKN đã được giải quyết.", None, {"PAKN_TIEP_NHAN": 6, "PAKN_DA_GIAI_QUYET": 5}),
    ("Số phản ánh, kiến nghị đã giải quyết: 7", None, {"PAKN_DA_GIAI_QUYET": 7}),
    # labour contracts with a decree cited in the label
    ("Hợp đồng lao động theo Nghị định 68 là 9 người.", None, {"HD_LAO_DONG_CQHC": 9}),
    ("Số hợp đồng lao động theo Nghị định số 111/2022/NĐ-CP là 4 người", None, {"HD_LAO_DONG_CQHC": 4}),
    ("hợp đồng lao động làm nhiệm vụ bảo vệ, tạp vụ: 3 người", None, {"HD_LAO_DONG_CQHC": 3}),
    # disciplined civil servants (the catalog's CBCCVC total)
    ("Trong năm có 1 công chức bị kỷ luật khiển trách.", None, {"KL_CBCCVC_TONG": 1}),
    ("Có 02 cán bộ, công chức bị xử lý kỷ luật.", None, {"KL_CBCCVC_TONG": 2}),
    ("Số CBCC bị kỷ luật: 3", None, {"KL_CBCCVC_TONG": 3}),
    ("Trong năm không có cán bộ, công chức nào bị kỷ luật.", None, {"KL_CBCCVC_TONG": 0}),
    # survey forms after "với"/"qua"/"gồm"
    ("Khảo sát sự hài lòng của người dân với 850 phiếu, tỷ lệ hài lòng đạt 96,2%.", None,
     {"KS_SO_PHIEU": 850, "KS_MUC_DO_HAI_LONG": 96.2}),
    ("Đánh giá sự hài lòng của tổ chức, công dân qua 320 phiếu.", None, {"KS_SO_PHIEU": 320}),
    ("Tổ chức điều tra xã hội học gồm 400 phiếu.", None, {"KS_SO_PHIEU": 400}),
    # outgoing documents and the share signed digitally
    ("Tổng số văn bản đi trên phần mềm là 6.874 văn bản, trong đó 98% văn bản được ký số.", None,
     {"VB_DI_TONG_SO": 6874, "VB_TY_LE_DIEN_TU_HOAN_TOAN": 98}),
    ("Số văn bản đi trong năm: 1.250", None, {"VB_DI_TONG_SO": 1250}),
    ("Văn phòng đã phát hành 980 văn bản đi.", None, {"VB_DI_TONG_SO": 980}),
    ("97% văn bản phát hành đã ký số.", None, {"VB_TY_LE_DIEN_TU_HOAN_TOAN": 97}),
    # a reporting period between the label and its figure
    ("Tổng số hồ sơ TTHC tiếp nhận trong Quý II là 1.204 hồ sơ.", None, {"HS_TONG_SO": 1204}),
    ("Số hồ sơ tiếp nhận 6 tháng đầu năm 2024: 350", None, {"HS_TONG_SO": 350}),
    ("Hồ sơ tiếp nhận trong quý 2/2024 là 88", None, {"HS_TONG_SO": 88}),
]


@pytest.mark.parametrize(("text", "level", "expected"), PROBE_CASES, ids=[c[0][:50] for c in PROBE_CASES])
def test_probe_phrasings(text: str, level: str | None, expected: dict[str, float]) -> None:
    assert mapped(text, level) == expected


PROBE_NEGATIVES: list[tuple[str, set[str]]] = [
    # a rate of *assigned* tasks is not the plan's
    ("UBND tỉnh giao 10 nhiệm vụ, đã hoàn thành 9 nhiệm vụ, đạt 90%.", {"KH_TY_LE_HOAN_THANH"}),
    # "đạt tỷ lệ hoàn thành" about dossiers, not the plan
    ("Kế hoạch tiếp nhận hồ sơ đạt tỷ lệ hoàn thành 97%.", {"KH_TY_LE_HOAN_THANH"}),
    # leaders disciplined have their own rows; a plan to discipline is no figure
    ("Có 1 lãnh đạo cấp phòng bị kỷ luật.", {"KL_CBCCVC_TONG"}),
    ("Đề nghị xử lý kỷ luật 2 công chức vi phạm.", {"KL_CBCCVC_TONG"}),
    # "kiến nghị xử lý" documents are not complaints resolved; pending complaints are not resolved
    ("Qua rà soát kiến nghị xử lý 3 văn bản.", {"PAKN_DA_GIAI_QUYET"}),
    ("Còn 2 phản ánh, kiến nghị đang giải quyết.", {"PAKN_DA_GIAI_QUYET"}),
    # documents in and out together are not outgoing documents; forms returned are not forms sent
    ("Tổng số văn bản đi và đến là 12.000 văn bản.", {"VB_DI_TONG_SO"}),
    ("Khảo sát hài lòng, thu về 480 phiếu.", {"KS_SO_PHIEU"}),
    # the decree number is never the labour-contract figure
    ("Thực hiện hợp đồng lao động theo Nghị định 111.", {"HD_LAO_DONG_CQHC"}),
    # a level-less competence keeps the total, never a level
    ("Tổng số TTHC thuộc thẩm quyền giải quyết của Sở là 180 thủ tục.", {"TTHC_HIEU_LUC_CAP_TINH"}),
    # the quarter's number and the year are never the figure
    ("Hồ sơ tiếp nhận trong quý 2/2024 chưa có số liệu.", {"HS_TONG_SO"}),
]


@pytest.mark.parametrize(("text", "absent"), PROBE_NEGATIVES, ids=[t[:40] for t, _ in PROBE_NEGATIVES])
def test_probe_negatives(text: str, absent: set[str]) -> None:
    assert not absent & set(mapped(text)), mapped(text)


def test_completed_assigned_tasks_are_never_the_assigned_total() -> None:
    """'hoàn thành [đúng hạn] N nhiệm vụ được giao' / 'N nhiệm vụ được giao đã hoàn thành': not NV_GIAO_TONG_SO."""
    assert mapped("Sở đã hoàn thành 28 nhiệm vụ được giao.") == {"NAR_NV_GIAO_HOAN_THANH": 28}
    got = mapped("UBND tỉnh giao 12 nhiệm vụ, trong đó 10 nhiệm vụ được giao đã hoàn thành.")
    assert got.get("NV_GIAO_TONG_SO") == 12  # mapped() also fails if 10 were a second NV_GIAO_TONG_SO
