"""Issue 13 round 4: the classes blind7's first look showed, in wordings written for these tests.

Why: a comparison with an earlier period carries two numbers that are not this period's figures (the
difference and last period's value); telegraphic report lines use shorthand and headings; an "x/y"
has two figures when the catalog defines the rate they make.  The sentences are not copied from the
scored splits.
"""

from __future__ import annotations

from cchc.core.vntext import fold_aligned
from extractors.narrative import extract_figures
from extractors.narrative_clauses import comparison_spans


def _read(text: str) -> dict[str, tuple[float | None, bool]]:
    return {v.indicator_id: (v.value_num, v.needs_review) for v in extract_figures(text) if v.indicator_id}


def _numbers(text: str) -> set[float | None]:
    return {v.value_num for v in extract_figures(text)}


def test_differences_and_earlier_values_are_never_figures() -> None:
    for text, kept, dropped in (
        ("Năm 2025, Bộ phận Một cửa huyện tiếp nhận 7.412 hồ sơ, tăng 915 hồ sơ so với năm 2024.", 7412, 915),
        ("Trong kỳ đã rà soát 204 văn bản quy phạm pháp luật, ít hơn 31 văn bản so với cùng kỳ.", 204, 31),
        ("Số hồ sơ tiếp nhận trong Quý III là 3.120 hồ sơ (Quý II: 2.874 hồ sơ).", 3120, 2874),
        ("Tỷ lệ hồ sơ giải quyết đúng hạn đạt 98,4% (năm 2024 đạt 97,1%).", 98.4, 97.1),
        ("So với cùng kỳ năm 2024, số hồ sơ nộp qua dịch vụ bưu chính công ích giảm 7,5%.", None, 7.5),
        ("Tỷ lệ hồ sơ tiếp nhận trực tuyến đạt 71,8%, tăng 6,2%.", 71.8, 6.2),
        ("Số văn bản đi trên hệ thống so với cùng kỳ giảm 148 văn bản.", None, 148),
    ):
        got = _numbers(text)
        assert dropped not in got, text
        if kept is not None:
            assert kept in got, text


def test_the_reference_year_2015_and_plans_are_not_comparisons() -> None:
    for text in ("Toàn tỉnh có 701 đơn vị sự nghiệp công lập, giảm 14,2% so với năm 2015.",
                 "Đến nay đã giải ngân 512,4 tỷ đồng, đạt 71,3% so với kế hoạch."):
        assert comparison_spans(fold_aligned(text)) == [], text
    assert _read("Toàn tỉnh có 701 đơn vị sự nghiệp công lập, giảm 14,2% so với năm 2015.")[
        "DVSNCL_TY_LE_CAT_GIAM_2015"][0] == 14.2


def test_report_shorthand_reads_like_prose() -> None:
    got = _read("VB đến: 4.310. VB đi: 1.265.")
    assert got["NAR_VB_DEN_TONG_SO"][0] == 4310 and got["VB_DI_TONG_SO"][0] == 1265
    got = _read("HS tiếp nhận: 930; trực tuyến: 872.")
    assert got["HS_TONG_SO"][0] == 930 and got["HS_TIEP_NHAN_TRUC_TUYEN"][0] == 872


def test_dash_items_take_the_level_their_heading_names() -> None:
    got = _read("Hồ sơ TTHC do UBND cấp xã tiếp nhận:\n- Giải quyết đúng hạn: 2.208 hồ sơ;\n- Tỷ lệ đúng hạn: 99,1%.")
    assert got["HS_DUNG_HAN_XA"][0] == 2208 and got["HS_TY_LE_DUNG_HAN_XA"][0] == 99.1
    assert "HS_TY_LE_DUNG_HAN" not in got


def test_both_sides_of_a_ratio_the_catalog_defines() -> None:
    got = _read("Số TTHC đang cung cấp trực tuyến mức độ 3/tổng số TTHC đủ điều kiện: 141/310 thủ tục, tỷ lệ 45,5%.")
    assert got["TTHC_DANG_CUNG_CAP_MD3"][0] == 141 and got["TTHC_DU_DIEU_KIEN_MD3"][0] == 310
    got = _read("Tỷ lệ hoàn thành kế hoạch CCHC năm đạt 80%, tương ứng 16/20 nhiệm vụ.")
    assert got["KH_NHIEM_VU_HOAN_THANH"][0] == 16 and got["KH_NHIEM_VU_DE_RA"][0] == 20
    # a rate the x/y does not make is not its rate: the sides are not bound through it
    got = _read("Tỷ lệ hoàn thành kế hoạch CCHC năm đạt 95%, tương ứng 16/20 nhiệm vụ.")
    assert got.get("KH_NHIEM_VU_DE_RA", (None, True))[1] is True


def test_semicolon_lists_read_their_head() -> None:
    got = _read("Số đơn vị sự nghiệp công lập của huyện là 97 đơn vị, gồm: giáo dục - đào tạo 81; y tế 4; "
                "văn hóa, thể dục thể thao 3.")
    assert got["DVSNCL_Y_TE"][0] == 4 and got["DVSNCL_VAN_HOA_TDTT"][0] == 3
    got = _read("Hệ thống một cửa điện tử tập trung: 100% sở, ngành; 100% đơn vị cấp huyện; 97,2% đơn vị cấp xã "
                "đã kết nối liên thông.")
    assert got["MCDT_TY_LE_SO_NGANH"][0] == 100 and got["MCDT_TY_LE_XA"][0] == 97.2


def test_a_generic_reading_whose_near_twin_the_sentence_names_is_flagged() -> None:
    got = _read("Qua kiểm tra, phát hiện 04 VBQPPL trái pháp luật về nội dung, thẩm quyền, đã kiến nghị cơ quan "
                "ban hành xử lý và đến nay đã xử lý xong 03 văn bản.")
    assert all(flag for ind, (value, flag) in got.items() if value == 3), got


def test_the_deed_before_the_number_names_the_indicator() -> None:
    got = _read("Sở Tư pháp đã phối hợp rà soát để đơn giản hóa 22 TTHC thuộc thẩm quyền của tỉnh.")
    assert got.get("TTHC_DON_GIAN_HOA", (None,))[0] == 22 and "TTHC_HIEU_LUC_TONG" not in got


def test_a_zero_in_words_among_figures_is_kept_for_review() -> None:
    got = _read("Trong kỳ đã giải quyết 812 hồ sơ, trong đó đúng hạn 812 hồ sơ, không có hồ sơ quá hạn, "
                "còn 14 hồ sơ đang giải quyết.")
    assert got["NAR_HS_GIAI_QUYET_QUA_HAN"] == (0, True)
    # alone, the stated zero is still read, for review (round 6: as often a remark as a figure)
    assert _read("Trong kỳ không có hồ sơ giải quyết quá hạn.")["NAR_HS_GIAI_QUYET_QUA_HAN"] == (0, True)


def test_a_flagged_guess_never_repeats_a_sure_indicator_of_its_sentence() -> None:
    values = extract_figures("Trung tâm đã ban hành 04 văn bản về duy trì, cải tiến ISO 9001:2015; hiện đang áp dụng "
                             "57 quy trình nội bộ giải quyết TTHC và 9 quy trình nội bộ giải quyết công việc.")
    ids = [v.indicator_id for v in values if v.indicator_id]
    assert len(ids) == len(set(ids)), ids
