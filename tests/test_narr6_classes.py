"""Round 6 of issue 13: the classes blind9 failed, in new hand-written wordings (none is a blind9 sentence).

(1) x/y and "x trên tổng số y" whose sides carry their own verbs; (2) telegraphic items whose header or
earlier sentence carries the subject; (3) clauses sharing the subject of the clause before; (4) near-twin
catalog siblings told apart by the qualifier the clause carries; plus zeros stated in words.
"""

from __future__ import annotations

from extractors.narrative import extract_figures


def _read(text: str) -> dict[str, tuple[float | None, bool]]:
    return {v.indicator_id: (v.value_num, v.needs_review) for v in extract_figures(text) if v.indicator_id}


# --------------------------------------------------------------------------- (1) x/y with two verbs


def test_the_verb_after_the_noun_names_the_total_of_an_x_over_y() -> None:
    got = _read("Trong năm, Văn phòng đã hoàn thành đúng hạn 41/45 nhiệm vụ được UBND tỉnh giao.")
    assert got["NV_GIAO_TONG_SO"] == (45, False)
    assert got["NV_HOAN_THANH_DUNG_HAN"][0] == 41  # "đúng hạn" picks the on-time part, not "hoàn thành"
    assert ("NV_GIAO_TONG_SO", 41) not in {(k, v[0]) for k, v in got.items()}


def test_x_tren_tong_so_y_reads_each_side_with_its_own_verb() -> None:
    got = _read("Sở Tư pháp đã xử lý xong 7 trên tổng số 8 văn bản có kiến nghị xử lý.")
    assert got["VBQPPL_DA_XU_LY_XONG"][0] == 7
    assert got["VBQPPL_KIEN_NGHI_XU_LY"][0] == 8


def test_a_part_after_trong_do_is_not_read_as_its_total() -> None:
    got = _read("Qua kiểm tra, Sở đã kiến nghị xử lý 12 văn bản quy phạm pháp luật, trong đó 10 văn bản đã "
                "được cơ quan ban hành xử lý xong.")
    assert got["VBQPPL_KIEN_NGHI_XU_LY"][0] == 12
    assert got["VBQPPL_DA_XU_LY_XONG"][0] == 10


# --------------------------------------------------------------------------- (2) telegraphic


def test_a_run_of_short_sentences_shares_its_first_subject() -> None:
    got = _read("Hồ sơ tiếp nhận 3.402. Giải quyết 3.377. Đang giải quyết 25.")
    assert got["HS_TONG_SO"][0] == 3402
    assert got["NAR_HS_DA_GIAI_QUYET"] == (3377, True)  # read, for review
    assert got["NAR_HS_DANG_GIAI_QUYET"] == (25, True)


def test_a_short_header_names_its_items() -> None:
    assert _read("Một cửa cấp huyện: đúng hạn 98,7%.")["HS_TY_LE_DUNG_HAN_HUYEN"] == (98.7, True)
    assert _read("PAKN về quy định hành chính: nhận 9, trả lời 9.")["PAKN_TIEP_NHAN"] == (9, True)


def test_a_sentence_starting_with_a_deed_and_a_number_is_no_heading_without_a_run() -> None:
    # alone (no earlier short sentence naming the subject), "Giải quyết 4." says nothing the catalog can name
    assert not _read("Giải quyết 4.")


# --------------------------------------------------------------------------- (3) coordinated clauses


def test_a_clause_adding_only_its_owner_shares_the_frame_before() -> None:
    got = _read("Đảng ủy ban hành 04 văn bản lãnh đạo về CCHC; HĐND, UBND xã ban hành 09 văn bản.")
    assert got["VB_CHI_DAO_HDND_UBND_XA"] == (9, True)


def test_autonomy_bands_after_the_first_share_its_subject() -> None:
    got = _read("Số đơn vị sự nghiệp tự bảo đảm từ 30% đến dưới 70% chi thường xuyên là 12 đơn vị; "
                "từ 10% đến dưới 30% là 08 đơn vị.")
    assert got["TC_DVSN_TU_CHU_30_70"][0] == 12
    assert got["TC_DVSN_TU_CHU_10_30"][0] == 8


def test_level_rates_after_a_rate_the_catalog_read() -> None:
    got = _read("Số sở, ngành có kết nối với Hệ thống thông tin một cửa điện tử của tỉnh đạt tỷ lệ 100%; "
                "cấp huyện 96,7%; cấp xã 88,4%.")
    assert got["MCDT_TY_LE_HUYEN"] == (96.7, True)
    assert got["MCDT_TY_LE_XA"] == (88.4, True)


def test_a_clause_repeating_its_whole_subject_keeps_its_own_reading() -> None:
    got = _read("Bộ phận Một cửa cấp huyện tiếp nhận 57 TTHC; Bộ phận Một cửa cấp xã tiếp nhận 212 TTHC.")
    assert got["TTHC_MOT_CUA_XA"][0] == 212


# --------------------------------------------------------------------------- (4) near-twin siblings


def test_the_sibling_whose_qualifier_the_clause_carries_is_read() -> None:
    assert _read("Số cơ quan, đơn vị thuộc Bộ được kiểm tra CCHC: 11 đơn vị.")["KT_SO_CQ_DV_THUOC_BO"] == (11, True)
    assert _read("Bổ nhiệm 03 lãnh đạo cấp phòng thuộc UBND huyện thông qua thi tuyển."
                 )["BN_PHONG_HUYEN_QUA_THI_TUYEN"] == (3, True)
    assert _read("Số lãnh đạo cấp vụ, cục thuộc Bộ bị kỷ luật là 02 người.")["KL_LANH_DAO_VU_CUC"][0] == 2


def test_a_qualifier_in_another_clause_only_flags() -> None:
    got = _read("Tuyển dụng 23 công chức và 140 viên chức; tiếp nhận 04 trường hợp đặc biệt vào viên chức.")
    assert got["TD_VIEN_CHUC"][0] == 140  # "trường hợp đặc biệt" is the next clause's, not 140's


def test_a_deed_yet_to_be_done_does_not_pick_the_sibling() -> None:
    got = _read("Qua kiểm tra, phát hiện 27 vấn đề cần chấn chỉnh, khắc phục.")
    assert got["KT_VAN_DE_PHAT_HIEN"][0] == 27 and "KT_VAN_DE_DA_XU_LY" not in got


# --------------------------------------------------------------------------- zeros in words


def test_a_zero_stated_in_words_is_read_for_review() -> None:
    assert _read("Trong 6 tháng đầu năm, trên địa bàn huyện không có phản ánh, kiến nghị nào.")["PAKN_TIEP_NHAN"] == (0, True)


# --------------------------------------------------------------------------- more classes seen in blind6-9


def test_the_same_documents_again_take_the_earlier_subject_with_their_own_deed() -> None:
    got = _read("Sở Tư pháp phát hiện 04 VBQPPL trái pháp luật về nội dung, thẩm quyền và cả 04 văn bản này "
                "đã được cơ quan ban hành xử lý.")
    assert got["VBQPPL_TRAI_PHAP_LUAT"][0] == 4
    assert got["VBQPPL_TRAI_PHAP_LUAT_DA_XU_LY"][0] == 4


def test_vu_cuc_tong_cuc_is_one_owner() -> None:
    got = _read("Số tổ chức bên trong trực thuộc các vụ, cục, tổng cục của Bộ là 118 phòng và tương đương.")
    assert got == {"TC_BEN_TRONG_VU_CUC": (118, True)}


def test_units_new_to_the_quality_system() -> None:
    got = _read("Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015 được duy trì tại 17 xã, thị trấn; "
                "áp dụng mới 02 đơn vị trong năm.")
    assert got["ISO_DON_VI_MOI"][0] == 2


def test_documents_holding_legal_rules_are_one_term() -> None:
    assert _read("Qua kiểm tra, phát hiện 05 văn bản không phải là VBQPPL nhưng có chứa QPPL.") == {"VB_CHUA_QPPL": (5, False)}


def test_services_a_satisfaction_survey_covered() -> None:
    got = _read("Tỉnh đã tổ chức đo lường sự hài lòng của người dân đối với 20 dịch vụ công.")
    assert got == {"KS_SO_DICH_VU": (20, False)}


def test_a_list_comma_inside_a_qualified_body_phrase() -> None:
    got = _read("Toàn tỉnh có 45 cơ quan chuyên môn cấp huyện, đơn vị hành chính cấp xã sử dụng mạng nội bộ để "
                "trao đổi công việc.")
    assert got["MANG_LAN"][0] == 45
    # right after the head noun, the comma still ends the counted bodies
    assert _read("Qua thanh tra công vụ, phát hiện 03 cơ quan, tổ chức có vi phạm trong thực hiện vị trí việc làm."
                 )["VTVL_VI_PHAM"][0] == 3


def test_the_verb_after_an_x_over_y_is_xs_when_nothing_before_does_the_deed() -> None:
    got = _read("Có 9/14 xã, thị trấn đã được kiểm tra CCHC, đạt tỷ lệ 64,3%.")
    assert got["KT_SO_UBND_XA"][0] == 9  # not 14: the communes inspected are the x
    assert got["DVHC_CAP_XA"] == (14, True)
    assert got["KT_TY_LE_UBND_XA"][0] == 64.3


def test_the_rate_after_an_x_tren_tong_so_y_whose_sides_are_read() -> None:
    got = _read("Số UBND cấp xã đã được kiểm tra: 7 trên tổng số 20 đơn vị hành chính cấp xã, đạt 35%.")
    assert got["KT_SO_UBND_XA"][0] == 7 and got["DVHC_CAP_XA"][0] == 20
    assert got["KT_TY_LE_UBND_XA"] == (35, True)


def test_a_part_of_a_level_total_is_that_levels_part() -> None:
    got = _read("UBND cấp xã đã giải quyết xong 2.410 hồ sơ, trong đó đúng hạn 2.398 hồ sơ.")
    assert got["HS_DA_GIAI_QUYET_XA"][0] == 2410
    assert got["HS_DUNG_HAN_XA"] == (2398, True)


def test_a_list_of_deeds_and_a_so_la_label_keep_their_commas() -> None:
    assert _read("- TTHC sửa đổi, bổ sung: 31; bãi bỏ, thay thế: 12.")["TTHC_BAI_BO_THAY_THE"][0] == 12
    assert _read("Số văn bản ban hành liên quan đến việc duy trì, cải tiến ISO 9001 trong năm là 03 văn bản."
                 ) == {"ISO_VAN_BAN": (3, True)}


def test_cases_count_people() -> None:
    assert _read("Kỷ luật cán bộ, công chức, viên chức: 05 trường hợp.") == {"KL_CBCCVC_TONG": (5, True)}


def test_to_chuc_hanh_chinh_is_a_noun_not_a_deed() -> None:
    got = _read("Năm 2024, đã phê duyệt vị trí việc làm cho 18 cơ quan, tổ chức hành chính và 64 đơn vị sự nghiệp công lập.")
    assert got["VTVL_CQHC_PHE_DUYET"][0] == 18
    assert got["VTVL_DVSN_PHE_DUYET"][0] == 64


def test_x_tren_tong_so_y_in_a_named_ratio_pattern() -> None:
    got = _read("Sở đã giải quyết xong 15 trên tổng số 17 phản ánh, kiến nghị của người dân.")
    assert got["PAKN_DA_GIAI_QUYET"][0] == 15 and got["PAKN_TIEP_NHAN"][0] == 17


def test_decree_42_names_of_online_service_levels() -> None:
    got = _read("Số TTHC cung cấp trực tuyến toàn trình là 812 thủ tục; một phần là 421 thủ tục.")
    assert got["DVCTT_TTHC_MD4"][0] == 812 and got["DVCTT_TTHC_MD3"][0] == 421


def test_qua_thi_tuyen_and_discipline_wordings() -> None:
    assert _read("Số lãnh đạo cấp phòng thuộc UBND huyện được bổ nhiệm qua thi tuyển: 02 người."
                 ) == {"BN_PHONG_HUYEN_QUA_THI_TUYEN": (2, True)}
    assert _read("Trong năm, trên địa bàn huyện có 02 lãnh đạo cấp xã bị xử lý kỷ luật về Đảng."
                 ) == {"KL_LANH_DAO_UBND_XA": (2, True)}


def test_chi_dat_is_only() -> None:
    assert _read("Riêng lĩnh vực xây dựng, tỷ lệ hồ sơ giải quyết đúng hạn chỉ đạt 89,4%."
                 ) == {"HS_TY_LE_DUNG_HAN_XAY_DUNG": (89.4, True)}


def test_maintaining_the_quality_system_counts_units_applying_it() -> None:
    assert _read("Hệ thống quản lý chất lượng được duy trì tại 15 xã, thị trấn.") == {"ISO_DON_VI_DA_AP_DUNG": (15, False)}


def test_two_sure_figures_of_one_indicator_in_a_sentence_are_both_flagged() -> None:
    values = [v for v in extract_figures("Bộ phận Một cửa huyện tiếp nhận 3.104 hồ sơ; cấp xã tiếp nhận 8.920 hồ sơ.")
              if v.indicator_id == "HS_TONG_SO"]
    assert sorted(v.value_num or 0 for v in values) == [3104, 8920]
    assert all(v.needs_review for v in values)
