"""Round 8 of issue 13: the classes blind11 failed, in new hand-written wordings (none is a blind11 sentence).

(1) a quota a percentage states, the level a change moved from and what is left undone are never figures;
(2) a percentage of the noun after it ("công khai 100% TTHC …") and a passive count whose clause names
nothing of a pattern's reading; (3) a deed shared across "và", a part after "trong đó"; (4) bullet
shorthand; (5) label-value lines as a PDF prints them (one line per record, the gap lost or a word gap).
"""

from __future__ import annotations

from cchc.core.model import Line, Page, TextOrigin, Word
from extractors.narrative import _gapped_text, extract_document_figures, extract_figures, record_break


def _read(text: str) -> dict[str, tuple[float | None, bool]]:
    return {v.indicator_id: (v.value_num, v.needs_review) for v in extract_figures(text) if v.indicator_id}


def _numbers(text: str) -> set[float | None]:
    return {v.value_num for v in extract_figures(text) if v.indicator_id}


# --------------------------------------------------------------------------- (1) not figures


def test_a_quota_stated_as_a_percentage_is_not_the_rate() -> None:
    text = ("Tỷ lệ hồ sơ nộp trực tuyến trong năm đạt 41,7%; chỉ tiêu Nghị quyết của HĐND tỉnh giao là 55% "
            "hồ sơ nộp trực tuyến.")
    assert _read(text)["HS_TY_LE_TIEP_NHAN_TRUC_TUYEN"][0] == 41.7
    assert 55.0 not in _numbers(text)
    # what the plan's targets were achieved to is a figure, not a quota
    got = _read("Mục tiêu chất lượng năm 2024 gồm 10 chỉ tiêu, mức độ đạt được các chỉ tiêu là 90%.")
    assert got.get("ISO_MUC_DO_DAT_CHI_TIEU", (None,))[0] == 90.0


def test_the_level_a_change_moved_from_is_not_a_figure() -> None:
    text = "Sau khi sắp xếp, số đơn vị hành chính cấp xã của huyện giảm từ 24 xuống còn 17 đơn vị."
    assert 24.0 not in _numbers(text)
    assert _read(text).get("DVHC_CAP_XA", (None,))[0] == 17.0


def test_what_is_left_undone_is_not_the_deeds_figure() -> None:
    text = ("Toàn tỉnh có 7 đơn vị sự nghiệp công lập đã hoàn thành cổ phần hóa; theo lộ trình còn 02 đơn vị "
            "chưa thực hiện.")
    assert _numbers(text) == {7.0}


# --------------------------------------------------------------------------- (2) percentages of a noun, passives


def test_a_percentage_of_the_noun_after_it_is_read_for_review() -> None:
    got = _read("Văn phòng HĐND và UBND huyện đã niêm yết, công khai 100% TTHC thuộc thẩm quyền giải quyết tại "
                "Bộ phận Một cửa.")
    assert got["NAR_TY_LE_TTHC_CONG_KHAI"] == (100.0, True)


def test_a_passive_count_goes_to_the_label_its_clause_names() -> None:
    got = _read("Qua rà soát, 17 TTHC thuộc thẩm quyền của huyện đã được đơn giản hóa thời gian giải quyết.")
    assert got == {"TTHC_DON_GIAN_HOA": (17.0, True)}


# --------------------------------------------------------------------------- (3) shared deeds, parts


def test_a_count_after_va_shares_the_deed_of_the_count_before() -> None:
    got = _read("Năm 2024, huyện đã tinh giản 9 biên chế công chức và 31 người làm việc trong các đơn vị sự "
                "nghiệp công lập.")
    assert got["BIEN_CHE_TINH_GIAN"][0] == 9.0
    assert got["NLV_TINH_GIAN"] == (31.0, True)
    assert "DVSNCL_TONG_SO" not in got


def test_a_part_after_trong_do_reads_the_whole_before_it() -> None:
    got = _read("Trung tâm đang áp dụng 31 quy trình nội bộ giải quyết công việc, trong đó 04 quy trình được "
                "xây dựng mới để phục vụ chuyển đổi số.")
    assert got["ISO_QT_CONG_VIEC"][0] == 31.0
    assert got["ISO_QT_CONG_VIEC_MOI"] == (4.0, True)


def test_sang_kien_mo_hinh_is_one_term_in_either_order() -> None:
    got = _read("Huyện có 6 sáng kiến, mô hình CCHC được triển khai trong năm.")
    assert got == {"MO_HINH_SANG_KIEN": (6.0, True)}


# --------------------------------------------------------------------------- (4) bullet shorthand


def test_bullet_shorthand_is_spelled_out() -> None:
    got = _read("- Tuyển dụng VC: 44 người;\n- ĐVSNCL do NN bảo đảm chi TX: 63 đv;\n"
                "- Tỷ lệ TTHC đủ ĐK cung cấp trực tuyến MĐ3: 21,4%.")
    assert got["TD_VIEN_CHUC"][0] == 44.0
    assert got["TC_DVSN_NN_BAO_DAM"][0] == 63.0
    assert got["TTHC_TY_LE_MD3"][0] == 21.4


# --------------------------------------------------------------------------- (5) lines as a PDF prints them


def test_a_record_break_is_a_value_line_followed_by_a_label_line() -> None:
    assert record_break("Biên chế công chức được giao 212", "Biên chế công chức có mặt 205")
    assert record_break("Số hồ sơ tiếp nhận 3.402 hồ sơ", "Số hồ sơ đã giải quyết: 3.388")
    # a sentence wrapped between a figure and its noun, or mid-clause, stays one sentence
    assert not record_break("Trong năm, huyện đã tiếp nhận 3.402", "hồ sơ, đã giải quyết 3.388 hồ sơ.")
    assert not record_break("Sở Tư pháp đã kiểm tra theo thẩm quyền", "Văn bản quy phạm pháp luật 12")
    assert not record_break("Vốn đã giải ngân đến ngày 30/9/2024", "Tỷ lệ giải ngân 61%")


def test_label_value_lines_without_their_gap_read_their_own_label() -> None:
    text = "Biên chế công chức được giao 212\nBiên chế công chức có mặt 205"
    got = _read(text)
    assert got["BIEN_CHE_GIAO"][0] == 212.0 and got["BIEN_CHE_CO_MAT"][0] == 205.0
    # … and a wrapped sentence reads as the same sentence unwrapped
    one = "Trong năm, Bộ phận Một cửa huyện đã tiếp nhận 3.402 hồ sơ, đã giải quyết 3.388 hồ sơ."
    two = "Trong năm, Bộ phận Một cửa huyện đã tiếp nhận 3.402\nhồ sơ, đã giải quyết 3.388 hồ sơ."
    assert _read(one) == _read(two) and len(_read(one)) == 2


def _line(cells: list[str], y: float) -> Line:
    """Words 5 pt a character, 3 pt apart; a new cell starts at the right margin (a column gap)."""
    words, x = [], 0.0
    for ci, cell in enumerate(cells):
        if ci:
            x = max(x + 60, 400.0)
        for w in cell.split():
            words.append(Word(text=w, bbox=(x, y, x + 5 * len(w), y + 10)))
            x += 5 * len(w) + 3
    return Line(words=words, bbox=(0, y, x, y + 10))


def test_pdf_lines_read_as_the_same_text_does() -> None:
    rows = [["Tình hình giải quyết hồ sơ của huyện:"], ["Số hồ sơ tiếp nhận trong kỳ", "2.716", "hồ sơ"],
            ["Số hồ sơ giải quyết đúng hạn", "2.690", "hồ sơ"], ["Số hồ sơ giải quyết quá hạn", "4", "hồ sơ"]]
    lines = [_line(r, 12.0 * i) for i, r in enumerate(rows)]
    assert _gapped_text(lines[1]) == "Số hồ sơ tiếp nhận trong kỳ\t2.716\thồ sơ"
    page = Page(number=1, width=600, height=800, origin=TextOrigin.TEXT, lines=lines)
    doc = {v.indicator_id: v.value_num for v in extract_document_figures([page]) if v.indicator_id}
    text = {k: v[0] for k, v in _read("\n".join("\t".join(r) for r in rows)).items()}
    assert doc == text
    assert doc["HS_TONG_SO"] == 2716.0 and doc["NAR_HS_GIAI_QUYET_QUA_HAN"] == 4.0


def test_parts_in_brackets_after_a_total_read_the_totals_subject() -> None:
    got = _read("Số đơn vị sự nghiệp công lập thuộc UBND huyện: 63 đơn vị (giáo dục - đào tạo 55 đơn vị; "
                "văn hóa - thể thao 03 đơn vị; lĩnh vực khác 05 đơn vị).")
    assert got["DVSNCL_GIAO_DUC"][0] == 55.0
    assert got["DVSNCL_VAN_HOA_TDTT"] == (3.0, True)
    assert got["DVSNCL_KHAC"] == (5.0, True)


def test_a_service_level_alone_after_a_semicolon_elides_the_rate_before() -> None:
    got = _read("- Tỷ lệ thủ tục hành chính đủ điều kiện cung cấp trực tuyến MĐ3: 12,5%; MĐ4: 80,4%.")
    assert got["TTHC_TY_LE_MD3"][0] == 12.5
    assert got["TTHC_TY_LE_MD4"] == (80.4, True)


def test_dvc_of_both_levels_is_not_the_level_3_count() -> None:
    got = _read("Toàn tỉnh đang cung cấp 905 DVC trực tuyến mức độ 3, 4 trên Cổng dịch vụ công của tỉnh.")
    assert "DVCTT_TTHC_MD3" not in got
    assert got["DVCTT_SO_DICH_VU_MD34"][0] == 905.0


def test_what_is_expected_or_planned_is_not_a_figure() -> None:
    assert _numbers("Dự kiến trong Quý IV, huyện sẽ tổ chức 02 lớp bồi dưỡng cho 90 lượt công chức.") == set()
    got = _read("Quý III, huyện tiếp nhận 2.105 hồ sơ; dự kiến cả năm khoảng 8.300 hồ sơ.")
    assert got["HS_TONG_SO"][0] == 2105.0 and 8300.0 not in _numbers(
        "Quý III, huyện tiếp nhận 2.105 hồ sơ; dự kiến cả năm khoảng 8.300 hồ sơ.")


def test_a_prose_line_ending_on_a_year_before_a_capitalised_line_is_no_record() -> None:
    assert not record_break("Về cơ chế một cửa, một cửa liên thông, năm 2024",
                            "Trung tâm Phục vụ hành chính công tỉnh tiếp nhận 86.430 hồ")


def test_record_lines_without_any_gap_read_as_label_value_rows() -> None:
    # an OCR'd page whose word boxes give no column gap: the record lines still read their own labels
    lines = ["Giải ngân vốn đầu tư công của huyện:", "Kế hoạch vốn đầu tư công được giao 84.200 triệu đồng",
             "Vốn đầu tư công đã giải ngân 51.370 triệu đồng", "Tỷ lệ giải ngân vốn đầu tư công 61%"]
    got = {k: v[0] for k, v in _read("\n".join(lines)).items()}
    assert got.get("GIAI_NGAN_DTC_KE_HOACH") == 84200.0
    assert got.get("GIAI_NGAN_DTC_DA_THUC_HIEN") == 51370.0


def test_a_bare_plan_rate_after_one_activity_is_flagged() -> None:
    got = _read("Đã tổ chức 03 đợt kiểm tra công tác CCHC tại 11 cơ quan, đơn vị, đạt 100% kế hoạch.")
    assert got["KH_TY_LE_HOAN_THANH"] == (100.0, True)
    got = _read("Kế hoạch đề ra 25 nhiệm vụ; đã hoàn thành 24 nhiệm vụ, đạt 96% kế hoạch.")
    assert got["KH_TY_LE_HOAN_THANH"][0] == 96.0


def test_a_tong_so_label_with_a_comma_inside_is_read_whole() -> None:
    got = _read("Tổng số chữ ký số đã cấp cho cán bộ, công chức là 1.208 chữ ký.")
    assert got["CHU_KY_SO"] == (1208.0, True)
    # documents in and out together are no catalog figure
    assert _numbers("Tổng số văn bản đi, đến trong năm là 5.120 văn bản.") == set()


def test_a_count_in_brackets_repeating_the_head_of_the_term_before_is_that_terms() -> None:
    got = _read("Văn bản đến (2.310 văn bản) và văn bản đi (1.045 văn bản) đều được xử lý trên môi trường mạng.")
    assert got["NAR_VB_DEN_TONG_SO"] == (2310.0, True)
    assert got["VB_DI_TONG_SO"][0] == 1045.0


def test_a_figure_wrapped_before_a_capitalised_noun_stays_with_it() -> None:
    assert not record_break("Trong năm, Sở Nội vụ đã kiểm tra 12", "Phòng Nội vụ cấp huyện và 45 UBND xã")
