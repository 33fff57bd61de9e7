"""Round 7 of issue 13: the classes blind10 failed, in new hand-written wordings (none is a blind10 sentence).

(1) targets and an earlier year's figures are not figures ("Phương hướng …:", "phấn đấu …", "chưa đạt chỉ
tiêu 50%", "(năm 2023 …)", "…; năm 2023 … là N"); (2) table rows pasted into prose ("label<tab>N unit");
(3) tasks assigned "do …, … giao" and those done beside them; (4) bracketed counts, passive and
nominalised wordings; (5) a predicate shared by "N% X và M% Y …".
"""

from __future__ import annotations

from cchc.core.vntext import fold
from extractors.narrative import _table_lines, extract_figures
from extractors.narrative_clauses import target_spans


def _read(text: str) -> dict[str, tuple[float | None, bool]]:
    return {v.indicator_id: (v.value_num, v.needs_review) for v in extract_figures(text) if v.indicator_id}


def _numbers(text: str) -> set[float | None]:
    return {v.value_num for v in extract_figures(text) if v.indicator_id}


# --------------------------------------------------------------------------- (1) targets, earlier years


def test_nothing_after_a_target_heading_is_a_figure() -> None:
    assert _numbers("Nhiệm vụ trọng tâm Quý IV: kiểm tra 12 phòng chuyên môn và 9 UBND xã; tổ chức 04 lớp "
                    "tập huấn nghiệp vụ CCHC.") == set()
    assert _numbers("II. Phương hướng năm 2025: tỷ lệ hồ sơ giải quyết đúng hạn đạt trên 97%.") == set()


def test_a_strived_for_share_is_not_a_figure_but_the_result_beside_it_is() -> None:
    got = _read("Năm 2024, tỷ lệ hồ sơ giải quyết đúng hạn đạt 96,8%; năm 2025 phấn đấu 99% hồ sơ được "
                "giải quyết đúng hạn.")
    assert got == {"HS_TY_LE_DUNG_HAN": (96.8, got["HS_TY_LE_DUNG_HAN"][1])}


def test_the_target_a_rate_missed_is_not_the_rate() -> None:
    got = _read("Tỷ lệ hồ sơ TTHC được tiếp nhận trực tuyến đạt 37,5%, chưa đạt chỉ tiêu 45% tỉnh giao.")
    assert got["HS_TY_LE_TIEP_NHAN_TRUC_TUYEN"][0] == 37.5
    assert 45.0 not in _numbers("Tỷ lệ hồ sơ TTHC được tiếp nhận trực tuyến đạt 37,5%, chưa đạt chỉ tiêu 45% tỉnh giao.")


def test_an_earlier_years_figure_is_no_figure_in_brackets_or_after_a_semicolon() -> None:
    assert _numbers("Còn 9 hồ sơ giải quyết quá hạn; năm 2023 số hồ sơ quá hạn là 31 hồ sơ.") == {9.0}
    assert 12.0 not in _numbers("Hiện còn nợ đọng 5 văn bản quy định chi tiết (năm 2023 nợ đọng 12 văn bản).")


def test_what_a_plan_already_set_stays_a_figure_in_a_target_sentence() -> None:
    folded = fold("Phương hướng Quý IV: hoàn thành 5 nhiệm vụ còn lại trong tổng số 28 nhiệm vụ đề ra.")
    protected = [folded[a:b] for a, b in target_spans(folded)]
    assert "5" in protected and "28" not in protected


# --------------------------------------------------------------------------- (2) table rows in prose


def test_a_table_row_pasted_into_prose_reads_its_own_label() -> None:
    text = "Biên chế năm 2024:\nSố người làm việc được giao\t1.340\nSố người làm việc có mặt\t1.296"
    assert _table_lines(text).splitlines()[1] == "Số người làm việc được giao: 1.340."
    got = _read(text)
    assert got["NLV_GIAO"][0] == 1340
    assert got["NLV_CO_MAT"][0] == 1296


def test_a_row_with_its_unit_after_the_number_keeps_the_unit() -> None:
    text = "Giải ngân:\nKế hoạch vốn đầu tư công được giao      845.200 triệu đồng\nVốn đã giải ngân      512.030 triệu đồng"
    values = {v.indicator_id: v for v in extract_figures(text) if v.indicator_id}
    assert values["GIAI_NGAN_DTC_KE_HOACH"].value_num == 845200
    assert values["GIAI_NGAN_DTC_KE_HOACH"].unit == "triệu đồng"
    assert values["GIAI_NGAN_DTC_DA_THUC_HIEN"].value_num == 512030


def test_rows_under_a_header_line_read_their_own_label_not_the_header() -> None:
    text = ("Kết quả thực hiện cơ chế một cửa tại xã:\nSố TTHC đã thực hiện 4 tại chỗ\t\t14\n"
            "Số lượng TTHC thực hiện tiếp nhận tại Bộ phận một cửa cấp xã\t\t118")
    got = _read(text)
    assert got["TTHC_BON_TAI_CHO"][0] == 14
    assert got["TTHC_MOT_CUA_XA"][0] == 118


def test_prose_with_one_inner_gap_is_not_cut_into_rows() -> None:
    text = "Trong đó: cấp tỉnh    1.201   ;  cấp huyện    240"
    assert _table_lines(text) == text


# --------------------------------------------------------------------------- (3) assigned tasks


def test_tasks_done_beside_tasks_assigned_do_giao_are_the_assigned_ones() -> None:
    got = _read("Năm 2024, Ban nhận được 27 nhiệm vụ do Tỉnh ủy, UBND tỉnh giao; đã hoàn thành 25 nhiệm vụ.")
    assert got["NV_GIAO_TONG_SO"][0] == 27
    assert got["NAR_NV_GIAO_HOAN_THANH"][0] == 25
    assert "KH_NHIEM_VU_HOAN_THANH" not in got


def test_tasks_done_of_the_plan_stay_the_plans() -> None:
    got = _read("Kế hoạch CCHC năm 2024 đề ra 18 nhiệm vụ, đến nay đã hoàn thành 15 nhiệm vụ.")
    assert got["KH_NHIEM_VU_HOAN_THANH"][0] == 15


# --------------------------------------------------------------------------- (4) brackets, passive wordings


def test_a_bracketed_count_repeating_its_noun_is_the_figure_of_the_words_before() -> None:
    got = _read("Các hồ sơ kỳ trước chuyển sang (143 hồ sơ) đã được giải quyết trong tháng đầu quý.")
    assert got.get("NAR_HS_KY_TRUOC_CHUYEN_SANG", (None,))[0] == 143
    assert "HS_TONG_SO" not in got


def test_passive_counts_are_read_for_review() -> None:
    got = _read("Hiện nay, 21 UBND xã, thị trấn đã áp dụng, duy trì Hệ thống quản lý chất lượng theo TCVN "
                "ISO 9001:2015.")
    assert got["ISO_DON_VI_DA_AP_DUNG"][0] == 21
    got = _read("Trong năm, đã cấp và đưa vào sử dụng 1.204 chữ ký số cho cán bộ, công chức các cấp.")
    assert got["CHU_KY_SO"] == (1204, True)


# --------------------------------------------------------------------------- (5) shared predicate


def test_percentages_joined_by_va_share_the_predicate_after_the_second() -> None:
    got = _read("100% sở, ngành và 98,5% UBND cấp huyện đã kết nối, liên thông văn bản điện tử với UBND tỉnh.")
    assert got["LT_QLVB_SO_NGANH_TINH"][0] == 100
    assert got["LT_QLVB_HUYEN_TINH"][0] == 98.5


# --------------------------------------------------------------------------- comparisons and parts


def test_tang_len_after_so_voi_is_the_level_reached_not_a_delta() -> None:
    text = "So với cùng kỳ năm 2023 (đạt 71,2%), tỷ lệ hồ sơ tiếp nhận trực tuyến năm nay tăng lên 78,4%."
    assert _read(text)["HS_TY_LE_TIEP_NHAN_TRUC_TUYEN"][0] == 78.4
    assert 71.2 not in _numbers(text)
    assert _numbers("So với cùng kỳ năm 2023, số hồ sơ tiếp nhận trực tuyến tăng 512 hồ sơ.") == set()


def test_a_count_the_total_frame_read_goes_to_the_part_its_words_name() -> None:
    got = _read("Hiện nay, toàn huyện có 58 đơn vị sự nghiệp công lập lĩnh vực giáo dục, 3 đơn vị sự nghiệp "
                "lĩnh vực y tế.")
    assert got["DVSNCL_GIAO_DUC"] == (58, True)
    assert "DVSNCL_TONG_SO" not in got
    assert _read("Toàn tỉnh có 412 đơn vị sự nghiệp công lập.")["DVSNCL_TONG_SO"][0] == 412


def test_a_phuong_huong_section_holds_targets_until_the_next_heading_or_a_deed_done() -> None:
    text = ("III. PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ IV NĂM 2024\n1. Tổ chức kiểm tra công tác CCHC tại 11 phòng chuyên "
            "môn và 8 UBND xã.\n2. Tổ chức 02 lớp tập huấn nghiệp vụ cho công chức Bộ phận Một cửa.\n"
            "IV. KẾT QUẢ KHÁC\nTrong quý, đã kiểm tra 5 phòng chuyên môn.")
    got = _read(text)
    assert set(got) == {"KT_SO_PHONG_BAN_TRUC_THUOC"} and got["KT_SO_PHONG_BAN_TRUC_THUOC"][0] == 5
    # a target lead with its colon covers its own sentence only: the result after it is read
    got = _read("Nhiệm vụ trọng tâm Quý IV: phấn đấu giải ngân 100% kế hoạch vốn. Đến ngày 30/9/2024, toàn "
                "tỉnh đã giải ngân 1.204,6 tỷ đồng vốn đầu tư công.")
    assert got["GIAI_NGAN_DTC_DA_THUC_HIEN"][0] == 1204.6
    assert 100.0 not in {v[0] for v in got.values()}
