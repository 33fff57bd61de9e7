"""Build the narrative phrasing corpus: tune.jsonl and heldout.jsonl beside this file.

Why: the samples' own sentences score 1.000, which says nothing about the wordings other
agencies use.  Each wording below is one way a report states one or more figures; slots
name their indicator (`{HS_TONG_SO}` a count, `{X%}` a percentage, `{X$}` an amount in
triệu/tỷ đồng).  Every wording is rendered a few times with different values, number
styles (`2.318`, `05`, `45,8`) and a distractor clause (dates, periods, document and decree
numbers) whose numbers must never become figures.  Wordings are split by hand into TUNE
(looked at while writing the extractor) and HELDOUT (scored only): whole wordings are held
out, not instances, so the held-out score measures phrasings the extractor never saw.

Deterministic (fixed seed): `python samples/phrasings/generate.py` rewrites the same files.

`[[ID=0]]` states a figure in words ("không có hồ sơ quá hạn" = 0) and renders as nothing.

Record: {"id", "split", "text", "level", "figures": [{"indicator_id", "value", "unit"}],
"distractors": [numbers that sit in dates/periods/document numbers], "wording", "origin"}.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SEED = 20261203
INSTANCES = 3

# Clauses carrying numbers that are never figures.  {body} is the sentence.
DISTRACTORS: list[str] = [
    "Trong 6 tháng đầu năm 2024, {body}.",
    "Quý I/2024, {body}.",
    "Thực hiện Kế hoạch số 15/KH-UBND ngày 10/01/2024 của UBND huyện, {body}.",
    "Theo Báo cáo số 128/BC-UBND, {body}.",
    "Căn cứ Quyết định số 1234/QĐ-UBND ngày 05/3/2024 của Chủ tịch UBND tỉnh, {body}.",
    "Tính đến ngày 15/6/2024, {body}.",
    "9 tháng năm 2023, {body}.",
    "{body} (theo Nghị định số 61/2018/NĐ-CP).",
    "Năm 2023, {body}.",
    "Từ ngày 15/12/2023 đến ngày 14/6/2024, {body}.",
    "Trong Quý II năm 2024, {body}.",
    "{body}, đáp ứng yêu cầu của Nghị định 107/2021/NĐ-CP.",
    "Kết quả thực hiện Chỉ thị số 08/CT-TTg: {body}.",
    "Giai đoạn 2021-2025, {body}.",
    "{body}, theo Thông tư số 01/2023/TT-VPCP ngày 05/4/2023.",
]

# --------------------------------------------------------------------------- wordings
# (split, wording).  Slot {ID} = count, {ID%} = percentage, {ID$} = amount (unit follows
# in the text).  A wording may hold several slots.

W: list[tuple[str, str]] = [
    # dossiers received
    ("tune", "tổng số hồ sơ tiếp nhận trong kỳ là {HS_TONG_SO} hồ sơ"),
    ("tune", "Bộ phận Một cửa đã tiếp nhận {HS_TONG_SO} hồ sơ TTHC"),
    ("tune", "số hồ sơ TTHC tiếp nhận: {HS_TONG_SO}"),
    ("heldout", "Bộ phận tiếp nhận và trả kết quả tiếp nhận tổng cộng {HS_TONG_SO} hồ sơ"),
    ("heldout", "tổng số hồ sơ đã tiếp nhận {HS_TONG_SO} hồ sơ, trong đó trực tuyến {HS_TIEP_NHAN_TRUC_TUYEN} hồ sơ"),
    # received online / desk / post
    ("tune", "tiếp nhận {HS_TONG_SO} hồ sơ, trong đó {HS_TIEP_NHAN_TRUC_TUYEN} hồ sơ nộp trực tuyến"),
    ("tune", "hồ sơ tiếp nhận qua mạng: {HS_TIEP_NHAN_TRUC_TUYEN}; hồ sơ tiếp nhận trực tiếp: {NAR_HS_TIEP_NHAN_TRUC_TIEP}"),
    ("heldout", "đã tiếp nhận {HS_TONG_SO} hồ sơ (trực tuyến {HS_TIEP_NHAN_TRUC_TUYEN} hồ sơ, trực tiếp {NAR_HS_TIEP_NHAN_TRUC_TIEP} hồ sơ)"),
    ("tune", "có {NAR_HS_TIEP_NHAN_BUU_CHINH} hồ sơ tiếp nhận qua dịch vụ bưu chính công ích"),
    ("heldout", "{NAR_HS_TIEP_NHAN_BUU_CHINH} hồ sơ gửi qua bưu chính công ích"),
    # carried over
    ("tune", "tổng số {HS_TONG_SO} hồ sơ (trong đó hồ sơ kỳ trước chuyển sang: {NAR_HS_KY_TRUOC_CHUYEN_SANG})"),
    ("heldout", "có {NAR_HS_KY_TRUOC_CHUYEN_SANG} hồ sơ của kỳ trước chuyển sang"),
    # resolved, early, on time, late, pending
    ("tune", "đã giải quyết {NAR_HS_DA_GIAI_QUYET} hồ sơ, trong đó trước hạn {NAR_HS_GIAI_QUYET_TRUOC_HAN}, đúng hạn {NAR_HS_DUNG_HAN_RIENG}, quá hạn {NAR_HS_GIAI_QUYET_QUA_HAN}"),
    ("tune", "hồ sơ đã giải quyết: {NAR_HS_DA_GIAI_QUYET}; hồ sơ đang giải quyết: {NAR_HS_DANG_GIAI_QUYET}"),
    ("tune", "giải quyết trước và đúng hạn {NAR_HS_GIAI_QUYET_DUNG_HAN} hồ sơ"),
    ("heldout", "số hồ sơ đã giải quyết là {NAR_HS_DA_GIAI_QUYET} hồ sơ (trước hạn {NAR_HS_GIAI_QUYET_TRUOC_HAN} hồ sơ, đúng hạn {NAR_HS_DUNG_HAN_RIENG} hồ sơ)"),
    ("heldout", "{NAR_HS_GIAI_QUYET_DUNG_HAN} hồ sơ được giải quyết trước và đúng hạn, {NAR_HS_GIAI_QUYET_QUA_HAN} hồ sơ quá hạn"),
    ("heldout", "còn {NAR_HS_DANG_GIAI_QUYET} hồ sơ đang trong thời hạn giải quyết"),
    # on-time rate
    ("tune", "tỷ lệ hồ sơ giải quyết đúng hạn đạt {HS_TY_LE_DUNG_HAN%}"),
    ("tune", "{HS_TY_LE_DUNG_HAN%} hồ sơ được giải quyết trước và đúng hạn"),
    ("heldout", "tỷ lệ giải quyết hồ sơ TTHC đúng hạn là {HS_TY_LE_DUNG_HAN%}"),
    ("heldout", "tỷ lệ hồ sơ TTHC giải quyết đúng và trước hạn đạt {HS_TY_LE_DUNG_HAN%}"),
    # assigned tasks
    ("tune", "đã hoàn thành {NAR_NV_GIAO_HOAN_THANH}/{NV_GIAO_TONG_SO} nhiệm vụ được giao"),
    ("tune", "UBND tỉnh giao {NV_GIAO_TONG_SO} nhiệm vụ, còn {NAR_NV_GIAO_DANG_THUC_HIEN} nhiệm vụ đang thực hiện"),
    ("heldout", "hoàn thành {NAR_NV_GIAO_HOAN_THANH}/{NV_GIAO_TONG_SO} ý kiến chỉ đạo của UBND tỉnh"),
    ("heldout", "trong số các nhiệm vụ do UBND huyện giao có {NAR_NV_GIAO_DANG_THUC_HIEN} nhiệm vụ đang triển khai"),
    # plan completion
    ("tune", "tỷ lệ hoàn thành kế hoạch CCHC đạt {KH_TY_LE_HOAN_THANH%}"),
    ("heldout", "kế hoạch CCHC năm đến nay đạt {KH_TY_LE_HOAN_THANH%} kế hoạch"),
    # staff: all categories
    ("tune", "toàn cơ quan có {NAR_TONG_NGUOI_CO_MAT} người/{NAR_TONG_NGUOI_CHI_TIEU} người (theo chỉ tiêu được giao)"),
    ("heldout", "hiện có {NAR_TONG_NGUOI_CO_MAT}/{NAR_TONG_NGUOI_CHI_TIEU} người (theo chỉ tiêu được giao)"),
    # civil-servant posts
    ("tune", "biên chế công chức có mặt {BIEN_CHE_CO_MAT} người"),
    ("tune", "biên chế công chức được giao: {BIEN_CHE_GIAO}; có mặt: {BIEN_CHE_CO_MAT}"),
    ("heldout", "tổng số biên chế công chức được giao là {BIEN_CHE_GIAO}, có mặt {BIEN_CHE_CO_MAT} người"),
    ("heldout", "số biên chế công chức hiện có tại thời điểm báo cáo là {BIEN_CHE_CO_MAT} người"),
    # public-service staff
    ("tune", "số người làm việc trong đơn vị sự nghiệp được giao {NLV_GIAO}, có mặt {NLV_CO_MAT}"),
    ("tune", "số lượng người làm việc có mặt là {NLV_CO_MAT} người"),
    ("heldout", "số người làm việc trong các đơn vị sự nghiệp công lập: được giao {NLV_GIAO} người, có mặt {NLV_CO_MAT} người"),
    ("heldout", "tổng số người làm việc được giao là {NLV_GIAO}"),
    # staff present per sector
    ("tune", "sự nghiệp giáo dục có mặt {NAR_NLV_CO_MAT_GIAO_DUC} người"),
    ("tune", "sự nghiệp y tế có mặt {NAR_NLV_CO_MAT_Y_TE} người"),
    ("heldout", "số người làm việc có mặt trong lĩnh vực giáo dục và đào tạo là {NAR_NLV_CO_MAT_GIAO_DUC} người, lĩnh vực y tế là {NAR_NLV_CO_MAT_Y_TE} người"),
    # labour contracts
    ("tune", "có {HD_LAO_DONG_CQHC}/{NAR_HDLD_CHI_TIEU} hợp đồng lao động"),
    ("heldout", "hợp đồng lao động hiện có {HD_LAO_DONG_CQHC}/{NAR_HDLD_CHI_TIEU} chỉ tiêu hợp đồng"),
    # surveys, propaganda
    ("tune", "phát ra {KS_SO_PHIEU} phiếu khảo sát, thu về {NAR_KS_PHIEU_THU_VE} phiếu hợp lệ"),
    ("heldout", "số phiếu thu về là {NAR_KS_PHIEU_THU_VE} phiếu"),
    ("tune", "tổ chức {NAR_SO_BUOI_TUYEN_TRUYEN} buổi tuyên truyền về CCHC"),
    ("heldout", "đã tổ chức được {NAR_SO_BUOI_TUYEN_TRUYEN} hội nghị tuyên truyền, phổ biến về cải cách hành chính"),
    # e-government percentages
    ("tune", "{NAR_TY_LE_CBCC_MAY_TINH%} cán bộ, công chức được trang bị máy vi tính"),
    ("heldout", "tỷ lệ cán bộ, công chức được trang bị máy vi tính đạt {NAR_TY_LE_CBCC_MAY_TINH%}"),
    ("tune", "{NAR_TY_LE_CBCC_TAI_KHOAN_DVC%} cán bộ, công chức đã đăng ký tài khoản dịch vụ công"),
    ("heldout", "{NAR_TY_LE_CBCC_TAI_KHOAN_DVC%} CBCC đã có tài khoản trên Cổng dịch vụ công"),
    ("tune", "{NAR_TY_LE_HS_CONG_VIEC_DIEN_TU%} cán bộ, công chức tạo, lập hồ sơ công việc điện tử"),
    ("heldout", "{NAR_TY_LE_HS_CONG_VIEC_DIEN_TU%} công chức đã lập hồ sơ công việc điện tử trên phần mềm"),
    ("tune", "{NAR_TY_LE_TTHC_CONG_KHAI%} TTHC được niêm yết, công khai"),
    ("heldout", "{NAR_TY_LE_TTHC_CONG_KHAI%} thủ tục hành chính được công khai đầy đủ tại Bộ phận một cửa"),
    ("tune", "tỷ lệ văn bản gửi hoàn toàn dưới dạng điện tử đạt {VB_TY_LE_DIEN_TU_HOAN_TOAN%}"),
    ("heldout", "tỷ lệ văn bản đi được gửi hoàn toàn dưới dạng điện tử là {VB_TY_LE_DIEN_TU_HOAN_TOAN%}"),
    ("heldout", "{VB_TY_LE_DIEN_TU_HOAN_TOAN%} văn bản được gửi hoàn toàn dưới dạng điện tử"),
    # outgoing / incoming documents
    ("tune", "tổng số văn bản đi của Sở là {VB_DI_TONG_SO}"),
    ("tune", "số văn bản đến: {NAR_VB_DEN_TONG_SO} văn bản; văn bản đi: {VB_DI_TONG_SO} văn bản"),
    ("heldout", "cơ quan đã phát hành {VB_DI_TONG_SO} văn bản đi và tiếp nhận {NAR_VB_DEN_TONG_SO} văn bản đến"),
    ("heldout", "tổng số văn bản đi trên hệ thống quản lý văn bản là {VB_DI_TONG_SO} văn bản"),
    # TTHC under the body's competence
    ("tune", "số TTHC thuộc thẩm quyền giải quyết là {TTHC_HIEU_LUC_TONG} thủ tục"),
    ("heldout", "tổng số thủ tục hành chính thuộc thẩm quyền giải quyết của Sở là {TTHC_HIEU_LUC_TONG} thủ tục"),
    ("heldout", "{TTHC_HIEU_LUC_TONG} TTHC thuộc thẩm quyền giải quyết của đơn vị"),
    # inspections
    ("tune", "kiểm tra công tác CCHC tại {KT_SO_PHONG_BAN_TRUC_THUOC} phòng, ban, đơn vị"),
    ("tune", "đã kiểm tra {KT_SO_UBND_XA} UBND cấp xã"),
    ("heldout", "tổ chức kiểm tra CCHC đối với {KT_SO_PHONG_BAN_TRUC_THUOC} phòng, ban chuyên môn"),
    ("heldout", "số cơ quan, đơn vị được kiểm tra CCHC là {KT_SO_CQ_DV_DUOC_KIEM_TRA}"),
    # ISO
    ("tune", "ban hành {ISO_VAN_BAN} văn bản về áp dụng ISO 9001"),
    ("heldout", "đã ban hành {ISO_VAN_BAN} văn bản để duy trì, cải tiến hệ thống quản lý chất lượng theo TCVN ISO 9001:2015"),
    # public investment
    ("tune", "kế hoạch vốn được giao {GIAI_NGAN_DTC_KE_HOACH$}, đã giải ngân {GIAI_NGAN_DTC_DA_THUC_HIEN$}, đạt {GIAI_NGAN_DTC_TY_LE%} kế hoạch"),
    ("tune", "tỷ lệ giải ngân vốn đầu tư công đạt {GIAI_NGAN_DTC_TY_LE%}"),
    ("heldout", "giải ngân vốn đầu tư công được {GIAI_NGAN_DTC_DA_THUC_HIEN$}/{GIAI_NGAN_DTC_KE_HOACH$}, đạt {GIAI_NGAN_DTC_TY_LE%}"),
    ("heldout", "tổng kế hoạch vốn đầu tư công năm 2024 là {GIAI_NGAN_DTC_KE_HOACH$}; giá trị giải ngân {GIAI_NGAN_DTC_DA_THUC_HIEN$}, đạt {GIAI_NGAN_DTC_TY_LE%} kế hoạch"),
    # legal documents, TTHC published
    ("tune", "HĐND, UBND huyện đã ban hành {VBQPPL_BAN_HANH} văn bản quy phạm pháp luật"),
    ("heldout", "số VBQPPL được ban hành: {VBQPPL_BAN_HANH} văn bản"),
    ("tune", "Chủ tịch UBND tỉnh công bố mới {TTHC_CONG_BO_MOI} TTHC"),
    ("heldout", "{TTHC_CONG_BO_MOI} thủ tục hành chính được công bố mới"),
    # ---- FRESH: a second held-out set, written after the first look at the held-out failures
    # (heldout_first_look.md) and before any fix they prompted, so it stays unseen.
    ("fresh", "trong kỳ báo cáo, tổng số hồ sơ nhận được là {HS_TONG_SO} hồ sơ"),
    ("fresh", "đã tiếp nhận và xử lý {HS_TONG_SO} hồ sơ TTHC, trong đó qua dịch vụ công trực tuyến {HS_TIEP_NHAN_TRUC_TUYEN} hồ sơ"),
    ("fresh", "số hồ sơ giải quyết trước hạn là {NAR_HS_GIAI_QUYET_TRUOC_HAN}, đúng hạn là {NAR_HS_DUNG_HAN_RIENG}"),
    ("fresh", "{NAR_HS_DA_GIAI_QUYET} hồ sơ đã được giải quyết, {NAR_HS_DANG_GIAI_QUYET} hồ sơ đang giải quyết"),
    ("fresh", "không có hồ sơ quá hạn[[NAR_HS_GIAI_QUYET_QUA_HAN=0]]; {NAR_HS_GIAI_QUYET_DUNG_HAN} hồ sơ được trả kết quả trước và đúng hạn"),
    ("fresh", "tỷ lệ hồ sơ được giải quyết đúng hạn là {HS_TY_LE_DUNG_HAN%}"),
    ("fresh", "tỷ lệ hồ sơ TTHC trả kết quả đúng hạn đạt {HS_TY_LE_DUNG_HAN%}"),
    ("fresh", "biên chế công chức: được giao {BIEN_CHE_GIAO}, có mặt {BIEN_CHE_CO_MAT}"),
    ("fresh", "về biên chế, hiện có {BIEN_CHE_CO_MAT} công chức trên tổng số {BIEN_CHE_GIAO} biên chế được giao"),
    ("fresh", "số lượng người làm việc trong các đơn vị sự nghiệp công lập có mặt {NLV_CO_MAT} người"),
    ("fresh", "số người làm việc được giao năm 2024 là {NLV_GIAO} người"),
    ("fresh", "viên chức ngành giáo dục có mặt {NAR_NLV_CO_MAT_GIAO_DUC} người"),
    ("fresh", "văn bản đi trong kỳ: {VB_DI_TONG_SO}; văn bản đến trong kỳ: {NAR_VB_DEN_TONG_SO}"),
    ("fresh", "tổng số văn bản đi được phát hành trong 6 tháng đầu năm là {VB_DI_TONG_SO} văn bản"),
    ("fresh", "{VB_TY_LE_DIEN_TU_HOAN_TOAN%} văn bản đi được gửi hoàn toàn dưới dạng điện tử có ký số"),
    ("fresh", "kế hoạch vốn đầu tư công năm 2024 được giao là {GIAI_NGAN_DTC_KE_HOACH$}"),
    ("fresh", "lũy kế giải ngân đến ngày 30/6/2024 đạt {GIAI_NGAN_DTC_DA_THUC_HIEN$}, bằng {GIAI_NGAN_DTC_TY_LE%} kế hoạch vốn"),
    ("fresh", "tỷ lệ giải ngân vốn đầu tư công 6 tháng đầu năm là {GIAI_NGAN_DTC_TY_LE%}"),
    # truth corrected after the first look: the district level is named, so it is the district's count
    ("fresh", "thủ tục hành chính thuộc thẩm quyền giải quyết của UBND huyện và các cơ quan chuyên môn là {TTHC_HIEU_LUC_CAP_HUYEN} thủ tục"),
    ("fresh", "tiến hành kiểm tra CCHC tại {KT_SO_UBND_XA} UBND xã, thị trấn"),
    ("fresh", "{ISO_VAN_BAN} văn bản liên quan đến việc áp dụng ISO 9001 đã được ban hành"),
    ("fresh", "UBND tỉnh giao {NV_GIAO_TONG_SO} nhiệm vụ, đã hoàn thành {NAR_NV_GIAO_HOAN_THANH} nhiệm vụ"),
    ("fresh", "tổng số {NAR_TONG_NGUOI_CO_MAT} người/{NAR_TONG_NGUOI_CHI_TIEU} người (theo chỉ tiêu được giao)"),
    ("fresh", "đã tổ chức {NAR_SO_BUOI_TUYEN_TRUYEN} buổi tuyên truyền, phổ biến"),
    ("fresh", "thu về {NAR_KS_PHIEU_THU_VE} phiếu khảo sát hợp lệ"),
    ("fresh", "{NAR_TY_LE_CBCC_MAY_TINH%} CBCC được trang bị máy vi tính kết nối mạng"),
    ("fresh", "có {NAR_TY_LE_TTHC_CONG_KHAI%} TTHC được niêm yết công khai đầy đủ"),
    ("fresh", "tỷ lệ hoàn thành kế hoạch CCHC năm đạt {KH_TY_LE_HOAN_THANH%}"),
    ("fresh", "hợp đồng lao động: {HD_LAO_DONG_CQHC}/{NAR_HDLD_CHI_TIEU} hợp đồng"),
    ("fresh", "có {NAR_HS_KY_TRUOC_CHUYEN_SANG} hồ sơ kỳ trước chuyển sang"),
    ("fresh", "đã tiếp nhận {PAKN_TIEP_NHAN} phản ánh, kiến nghị về quy định hành chính"),
    # ---- BLIND: a third unseen set, written after the fixes the fresh split prompted and
    # scored once before any further change (blind_first_look.md).
    ("blind", "tổng vốn đầu tư công kế hoạch năm 2024 là {GIAI_NGAN_DTC_KE_HOACH$}"),
    ("blind", "giải ngân đạt {GIAI_NGAN_DTC_TY_LE%} kế hoạch vốn"),
    ("blind", "vốn đầu tư công: kế hoạch {GIAI_NGAN_DTC_KE_HOACH$}, giải ngân {GIAI_NGAN_DTC_DA_THUC_HIEN$}, tỷ lệ {GIAI_NGAN_DTC_TY_LE%}"),
    ("blind", "năm 2024 giải ngân {GIAI_NGAN_DTC_DA_THUC_HIEN$}, đạt {GIAI_NGAN_DTC_TY_LE%}"),
    ("blind", "tổng số biên chế công chức hiện có là {BIEN_CHE_CO_MAT} người"),
    ("blind", "có mặt {BIEN_CHE_CO_MAT}/{BIEN_CHE_GIAO} biên chế công chức"),
    ("blind", "số lượng viên chức có mặt: {NLV_CO_MAT}"),
    ("blind", "Sở đã tiếp nhận {NAR_VB_DEN_TONG_SO} văn bản đến và ban hành {VB_DI_TONG_SO} văn bản đi"),
    ("blind", "số hồ sơ TTHC tiếp nhận trong kỳ là {HS_TONG_SO}, số hồ sơ đã giải quyết {NAR_HS_DA_GIAI_QUYET}"),
    ("blind", "trong đó, số hồ sơ giải quyết trước hạn {NAR_HS_GIAI_QUYET_TRUOC_HAN}, đúng hạn {NAR_HS_DUNG_HAN_RIENG}, quá hạn {NAR_HS_GIAI_QUYET_QUA_HAN}"),
    ("blind", "tiếp nhận mới {HS_TONG_SO} hồ sơ"),
    ("blind", "hiện nay, Sở đang thực hiện {TTHC_HIEU_LUC_TONG} TTHC thuộc thẩm quyền giải quyết"),
    ("blind", "kiểm tra {KT_SO_PHONG_BAN_TRUC_THUOC} phòng chuyên môn thuộc UBND huyện"),
    ("blind", "ban hành {ISO_VAN_BAN} văn bản triển khai ISO 9001:2015"),
    ("blind", "kết quả thu về {NAR_KS_PHIEU_THU_VE} phiếu"),
    ("blind", "tỷ lệ TTHC được niêm yết công khai đạt {NAR_TY_LE_TTHC_CONG_KHAI%}"),
    ("blind", "tỷ lệ CBCC được trang bị máy tính là {NAR_TY_LE_CBCC_MAY_TINH%}"),
    ("blind", "đã hoàn thành {KH_NHIEM_VU_HOAN_THANH}/{KH_NHIEM_VU_DE_RA} nhiệm vụ theo kế hoạch"),
    ("blind", "tổng số hồ sơ từ kỳ trước chuyển sang: {NAR_HS_KY_TRUOC_CHUYEN_SANG}"),
    ("blind", "tỷ lệ giải quyết hồ sơ đúng hạn đạt {HS_TY_LE_DUNG_HAN%}, không có hồ sơ trễ hạn[[NAR_HS_GIAI_QUYET_QUA_HAN=0]]"),
    ("blind", "biên chế được giao {BIEN_CHE_GIAO}, hiện có {BIEN_CHE_CO_MAT}"),
    ("blind", "người làm việc trong đơn vị sự nghiệp: có mặt {NLV_CO_MAT}/{NLV_GIAO} người"),
    ("blind", "lĩnh vực y tế có mặt {NAR_NLV_CO_MAT_Y_TE} người"),
    ("blind", "tỷ lệ văn bản điện tử gửi hoàn toàn dưới dạng điện tử đạt {VB_TY_LE_DIEN_TU_HOAN_TOAN%}"),
    ("blind", "số văn bản đi phát hành trên phần mềm: {VB_DI_TONG_SO} văn bản"),
    ("blind", "trong kỳ có {NAR_HS_TIEP_NHAN_BUU_CHINH} hồ sơ nộp qua bưu chính công ích"),
    ("blind", "đã giải quyết {NAR_HS_DA_GIAI_QUYET} hồ sơ, còn {NAR_HS_DANG_GIAI_QUYET} hồ sơ đang giải quyết"),
    ("blind", "tổng số văn bản đến trên hệ thống: {NAR_VB_DEN_TONG_SO}"),
    # ---- BLIND2: a fourth unseen set, written after every fix above and scored once (blind2_first_look.md).
    ("blind2", "kết quả tiếp nhận hồ sơ: {HS_TONG_SO} hồ sơ"),
    ("blind2", "tỷ lệ hồ sơ đúng hạn: {HS_TY_LE_DUNG_HAN%}"),
    ("blind2", "hồ sơ trực tuyến chiếm {HS_TY_LE_TIEP_NHAN_TRUC_TUYEN%} tổng số hồ sơ tiếp nhận"),
    ("blind2", "biên chế hành chính được giao {BIEN_CHE_GIAO}, thực có {BIEN_CHE_CO_MAT}"),
    ("blind2", "viên chức: giao {NLV_GIAO}, có mặt {NLV_CO_MAT}"),
    ("blind2", "tổng số văn bản đi năm 2024: {VB_DI_TONG_SO}"),
    ("blind2", "văn bản đến {NAR_VB_DEN_TONG_SO}, văn bản đi {VB_DI_TONG_SO}"),
    ("blind2", "giá trị giải ngân đến hết tháng 9 là {GIAI_NGAN_DTC_DA_THUC_HIEN$}, đạt {GIAI_NGAN_DTC_TY_LE%} kế hoạch"),
    ("blind2", "kế hoạch vốn năm 2024 là {GIAI_NGAN_DTC_KE_HOACH$}"),
    ("blind2", "tỷ lệ giải ngân kế hoạch vốn đầu tư công năm 2024 đạt {GIAI_NGAN_DTC_TY_LE%}"),
    ("blind2", "số lượng TTHC thuộc thẩm quyền giải quyết của Sở là {TTHC_HIEU_LUC_TONG}"),
    ("blind2", "kiểm tra CCHC đối với {KT_SO_UBND_XA} UBND cấp xã"),
    ("blind2", "ban hành {ISO_VAN_BAN} văn bản liên quan đến ISO"),
    ("blind2", "thu về {NAR_KS_PHIEU_THU_VE}/{KS_SO_PHIEU} phiếu"),
    ("blind2", "tỷ lệ hài lòng đạt {KS_MUC_DO_HAI_LONG%}"),
    ("blind2", "số TTHC công bố mới là {TTHC_CONG_BO_MOI}"),
    ("blind2", "bãi bỏ {TTHC_BAI_BO_THAY_THE} TTHC"),
    ("blind2", "Sở đã kiểm tra {KT_SO_PHONG_BAN_TRUC_THUOC} phòng, đơn vị trực thuộc"),
    ("blind2", "{NAR_TY_LE_CBCC_TAI_KHOAN_DVC%} công chức có tài khoản dịch vụ công"),
    ("blind2", "hồ sơ giải quyết quá hạn: {NAR_HS_GIAI_QUYET_QUA_HAN} hồ sơ"),
    ("blind2", "đã giải quyết {NAR_HS_DA_GIAI_QUYET} hồ sơ; đang giải quyết {NAR_HS_DANG_GIAI_QUYET} hồ sơ"),
    ("blind2", "sự nghiệp giáo dục và đào tạo có mặt {NAR_NLV_CO_MAT_GIAO_DUC} viên chức"),
    # ---- BLIND3: a fifth unseen set, written after the blind2 fixes; its first look is the last
    # measurement of the branch (blind3_first_look.md) and nothing was changed after it.
    ("blind3", "trong kỳ, Bộ phận Một cửa huyện nhận {HS_TONG_SO} hồ sơ"),
    ("blind3", "số hồ sơ được giải quyết xong: {NAR_HS_DA_GIAI_QUYET}"),
    ("blind3", "có {NAR_HS_DANG_GIAI_QUYET} hồ sơ còn trong hạn giải quyết"),
    ("blind3", "tỷ lệ hồ sơ giải quyết trước và đúng hạn là {HS_TY_LE_DUNG_HAN%}"),
    ("blind3", "{HS_TIEP_NHAN_TRUC_TUYEN} hồ sơ được tiếp nhận trực tuyến"),
    ("blind3", "biên chế công chức: {BIEN_CHE_CO_MAT}/{BIEN_CHE_GIAO} (có mặt/được giao)"),
    ("blind3", "hiện có mặt {BIEN_CHE_CO_MAT} biên chế công chức"),
    ("blind3", "số viên chức có mặt tại thời điểm báo cáo là {NLV_CO_MAT} người"),
    ("blind3", "ngành y tế: {NAR_NLV_CO_MAT_Y_TE} người có mặt"),
    ("blind3", "Văn phòng đã phát hành {VB_DI_TONG_SO} văn bản đi trong kỳ"),
    ("blind3", "số lượng văn bản đến là {NAR_VB_DEN_TONG_SO} văn bản"),
    ("blind3", "tỷ lệ văn bản được gửi hoàn toàn dưới dạng điện tử đạt {VB_TY_LE_DIEN_TU_HOAN_TOAN%}"),
    ("blind3", "giải ngân {GIAI_NGAN_DTC_DA_THUC_HIEN$} vốn đầu tư công"),
    ("blind3", "tổng kế hoạch vốn được giao năm 2024: {GIAI_NGAN_DTC_KE_HOACH$}"),
    ("blind3", "đạt tỷ lệ giải ngân {GIAI_NGAN_DTC_TY_LE%}"),
    ("blind3", "Sở thực hiện {TTHC_HIEU_LUC_TONG} thủ tục hành chính thuộc thẩm quyền"),
    ("blind3", "đoàn kiểm tra đã kiểm tra {KT_SO_UBND_XA} UBND xã"),
    ("blind3", "ban hành {ISO_VAN_BAN} văn bản để duy trì ISO 9001:2015"),
    ("blind3", "{NAR_TY_LE_HS_CONG_VIEC_DIEN_TU%} cán bộ, công chức lập hồ sơ công việc điện tử"),
    ("blind3", "tỷ lệ hoàn thành kế hoạch CCHC là {KH_TY_LE_HOAN_THANH%}"),
    ("blind3", "khảo sát {KS_SO_PHIEU} phiếu, thu về {NAR_KS_PHIEU_THU_VE} phiếu"),
    ("blind3", "hồ sơ nộp trực tiếp: {NAR_HS_TIEP_NHAN_TRUC_TIEP}"),
    # ---- second batch of tune wordings (written before any held-out result was read)
    ("tune", "UBND xã tiếp nhận {HS_TONG_SO} hồ sơ (trong đó: {HS_TIEP_NHAN_TRUC_TUYEN} hồ sơ trực tuyến, {NAR_HS_TIEP_NHAN_TRUC_TIEP} hồ sơ trực tiếp)"),
    ("tune", "kết quả giải quyết: trước hạn {NAR_HS_GIAI_QUYET_TRUOC_HAN} hồ sơ; đúng hạn {NAR_HS_DUNG_HAN_RIENG} hồ sơ; quá hạn {NAR_HS_GIAI_QUYET_QUA_HAN} hồ sơ"),
    ("tune", "có {NAR_HS_GIAI_QUYET_QUA_HAN} hồ sơ giải quyết quá hạn"),
    ("tune", "đã giải quyết {NAR_HS_DA_GIAI_QUYET}/{HS_TONG_SO} hồ sơ"),
    ("tune", "đã giải quyết {NAR_HS_DA_GIAI_QUYET} hồ sơ, tỷ lệ đúng hạn đạt {HS_TY_LE_DUNG_HAN%}"),
    ("tune", "tổng biên chế công chức được giao năm 2024: {BIEN_CHE_GIAO} biên chế; hiện có {BIEN_CHE_CO_MAT} công chức"),
    ("tune", "biên chế công chức có mặt {BIEN_CHE_CO_MAT}/{BIEN_CHE_GIAO} biên chế được giao"),
    ("tune", "về số lượng người làm việc: giao {NLV_GIAO} người, có mặt {NLV_CO_MAT} người"),
    ("tune", "viên chức sự nghiệp giáo dục: có mặt {NAR_NLV_CO_MAT_GIAO_DUC} người"),
    ("tune", "ngành y tế hiện có {NAR_NLV_CO_MAT_Y_TE} viên chức"),
    ("tune", "tiếp nhận {NAR_VB_DEN_TONG_SO} văn bản đến, phát hành {VB_DI_TONG_SO} văn bản đi"),
    ("tune", "văn bản đi: {VB_DI_TONG_SO} văn bản"),
    ("tune", "giải ngân vốn đầu tư công đến ngày 30/6/2024 đạt {GIAI_NGAN_DTC_TY_LE%}"),
    ("tune", "vốn đầu tư công năm 2024 được giao {GIAI_NGAN_DTC_KE_HOACH$}, giải ngân được {GIAI_NGAN_DTC_DA_THUC_HIEN$} (đạt {GIAI_NGAN_DTC_TY_LE%})"),
    ("tune", "tổng số TTHC thuộc thẩm quyền giải quyết: {TTHC_HIEU_LUC_TONG}"),
    ("tune", "kiểm tra CCHC {KT_SO_UBND_XA} xã, thị trấn"),
    ("tune", "kế hoạch CCHC năm 2024 đề ra {KH_NHIEM_VU_DE_RA} nhiệm vụ, đến nay đã hoàn thành {KH_NHIEM_VU_HOAN_THANH} nhiệm vụ, đạt {KH_TY_LE_HOAN_THANH%}"),
    ("tune", "mức độ hài lòng của người dân đạt {KS_MUC_DO_HAI_LONG%}"),
    ("tune", "tiếp nhận {PAKN_TIEP_NHAN} phản ánh, kiến nghị"),
    ("tune", "tổng số hồ sơ tiếp nhận {HS_TONG_SO} hồ sơ, trong đó: tiếp nhận trực tuyến {HS_TIEP_NHAN_TRUC_TUYEN} hồ sơ, trực tiếp {NAR_HS_TIEP_NHAN_TRUC_TIEP} hồ sơ"),
    ("tune", "{NAR_HS_DANG_GIAI_QUYET} hồ sơ đang giải quyết chưa đến hạn"),
    ("tune", "ban hành {VB_CHI_DAO_CCHC} văn bản chỉ đạo, điều hành về CCHC"),
    ("tune", "rà soát {VBQPPL_RA_SOAT} văn bản quy phạm pháp luật"),
    ("tune", "tỷ lệ văn bản đi được ký số và gửi hoàn toàn dưới dạng điện tử đạt {VB_TY_LE_DIEN_TU_HOAN_TOAN%}"),
    ("tune", "số biên chế có mặt là {BIEN_CHE_CO_MAT} người"),
    ("tune", "số người làm việc được giao là {NLV_GIAO} người, số có mặt {NLV_CO_MAT} người"),
    # ---- third batch of tune wordings
    ("tune", "số lượng văn bản đi là {VB_DI_TONG_SO}"),
    ("tune", "trong kỳ, Sở đã ban hành {VB_DI_TONG_SO} văn bản đi"),
    ("tune", "tỷ lệ giải ngân đạt {GIAI_NGAN_DTC_TY_LE%}"),
    ("tune", "giá trị giải ngân: {GIAI_NGAN_DTC_DA_THUC_HIEN$}"),
    ("tune", "vốn kế hoạch năm 2024: {GIAI_NGAN_DTC_KE_HOACH$}"),
    ("tune", "tổng vốn đầu tư công được phân bổ là {GIAI_NGAN_DTC_KE_HOACH$}"),
    ("tune", "tính đến 30/6/2024 đã giải ngân {GIAI_NGAN_DTC_DA_THUC_HIEN$}/{GIAI_NGAN_DTC_KE_HOACH$}, đạt {GIAI_NGAN_DTC_TY_LE%}"),
    ("tune", "sự nghiệp y tế: có mặt {NAR_NLV_CO_MAT_Y_TE} người; sự nghiệp giáo dục: có mặt {NAR_NLV_CO_MAT_GIAO_DUC} người"),
    ("tune", "hiện có mặt {NLV_CO_MAT} viên chức"),
    ("tune", "đã kiểm tra {KT_SO_CQ_DV_DUOC_KIEM_TRA} cơ quan, đơn vị"),
    ("tune", "đối với hồ sơ TTHC, tỷ lệ trả kết quả đúng hạn đạt {HS_TY_LE_DUNG_HAN%}"),
    ("tune", "tỷ lệ giải quyết đúng hạn hồ sơ TTHC đạt {HS_TY_LE_DUNG_HAN%}"),
    ("tune", "theo Nghị định 62/2020/NĐ-CP, biên chế công chức được giao {BIEN_CHE_GIAO} người"),
    ("tune", "tổng số văn bản đến là {NAR_VB_DEN_TONG_SO} văn bản"),
    ("tune", "{NAR_VB_DEN_TONG_SO} văn bản đến và {VB_DI_TONG_SO} văn bản đi được xử lý trên phần mềm"),
]

# Hand-written sentences modelled on samples/seeds/*.txt, with their truth; the slots work
# as above and the whole sentence is used as written (no distractor clause added).
HAND: list[tuple[str, str]] = [
    ("tune", "Tổng số văn bản đi của Sở trong 6 tháng là {VB_DI_TONG_SO}."),
    ("tune", "Kế hoạch vốn được giao {GIAI_NGAN_DTC_KE_HOACH$}, đã giải ngân {GIAI_NGAN_DTC_DA_THUC_HIEN$}, đạt {GIAI_NGAN_DTC_TY_LE%} kế hoạch."),
    ("tune", "Về tình hình tổ chức bộ máy: biên chế công chức có mặt {BIEN_CHE_CO_MAT}."),
    ("tune", "Thực hiện Kế hoạch số 22/KH-UBND ngày 22/02/2024, UBND xã đã tiếp nhận {HS_TONG_SO} hồ sơ, giải quyết {NAR_HS_DA_GIAI_QUYET} hồ sơ."),
    ("tune", "Số TTHC đang áp dụng tại đơn vị thuộc thẩm quyền giải quyết là {TTHC_HIEU_LUC_TONG} thủ tục; tỷ lệ hồ sơ giải quyết đúng hạn đạt {HS_TY_LE_DUNG_HAN%}."),
    ("tune", "Quý I/2024 (từ ngày 15/12/2023 đến ngày 14/3/2024), tổng số văn bản đi là {VB_DI_TONG_SO} văn bản, tỷ lệ văn bản gửi hoàn toàn dưới dạng điện tử đạt {VB_TY_LE_DIEN_TU_HOAN_TOAN%}."),
    ("heldout", "Trong 6 tháng đầu năm 2024, Sở phát hành {VB_DI_TONG_SO} văn bản đi."),
    ("heldout", "Năm 2024 tỉnh được giao kế hoạch vốn đầu tư công {GIAI_NGAN_DTC_KE_HOACH$}; đến ngày 30/6/2024 đã giải ngân {GIAI_NGAN_DTC_DA_THUC_HIEN$}, đạt {GIAI_NGAN_DTC_TY_LE%} kế hoạch."),
    ("heldout", "Số người làm việc trong đơn vị sự nghiệp được giao {NLV_GIAO}, có mặt {NLV_CO_MAT}; biên chế công chức có mặt {BIEN_CHE_CO_MAT}."),
    ("heldout", "Theo Quyết định số 1234/QĐ-UBND, Sở có {TTHC_HIEU_LUC_TONG} TTHC thuộc thẩm quyền giải quyết."),
    ("heldout", "Trong Quý II/2024, Ban ban hành {ISO_VAN_BAN} văn bản về việc áp dụng, duy trì ISO 9001:2015; kiểm tra công tác CCHC tại {KT_SO_PHONG_BAN_TRUC_THUOC} phòng, ban, đơn vị."),
    ("heldout", "Tỷ lệ văn bản gửi hoàn toàn dưới dạng điện tử (có ký số) đạt {VB_TY_LE_DIEN_TU_HOAN_TOAN%}, tỷ lệ hồ sơ giải quyết đúng hạn đạt {HS_TY_LE_DUNG_HAN%}."),
    ("fresh", "Trong 6 tháng đầu năm 2024 (từ ngày 15/12/2023 đến ngày 14/6/2024), Văn phòng HĐND và UBND huyện tiếp nhận {NAR_VB_DEN_TONG_SO} văn bản đến, phát hành {VB_DI_TONG_SO} văn bản đi."),
    ("fresh", "Kế hoạch vốn đầu tư công năm 2024 của huyện là {GIAI_NGAN_DTC_KE_HOACH$}; đến nay đã giải ngân được {GIAI_NGAN_DTC_DA_THUC_HIEN$}, đạt {GIAI_NGAN_DTC_TY_LE%} so với kế hoạch."),
    ("fresh", "Theo Quyết định số 2150/QĐ-UBND ngày 20/12/2023, biên chế công chức được giao {BIEN_CHE_GIAO} biên chế; đến ngày 30/6/2024 có mặt {BIEN_CHE_CO_MAT} người."),
    ("fresh", "Sở đã ban hành {ISO_VAN_BAN} văn bản về ISO; kiểm tra {KT_SO_PHONG_BAN_TRUC_THUOC} phòng, ban, đơn vị trực thuộc."),
    ("fresh", "Tổng số TTHC thuộc thẩm quyền giải quyết của Sở: {TTHC_HIEU_LUC_TONG} thủ tục; tỷ lệ hồ sơ giải quyết đúng hạn: {HS_TY_LE_DUNG_HAN%}."),
    ("blind", "Thực hiện Quyết định số 1291/QĐ-TTg ngày 07/10/2019 của Thủ tướng Chính phủ, tính đến ngày 15/9/2024 có {NAR_HS_DANG_GIAI_QUYET} hồ sơ đang giải quyết."),
    ("blind", "Năm 2024, huyện được giao kế hoạch vốn đầu tư công là {GIAI_NGAN_DTC_KE_HOACH$}, đến 30/9/2024 giải ngân {GIAI_NGAN_DTC_DA_THUC_HIEN$}, đạt {GIAI_NGAN_DTC_TY_LE%} kế hoạch vốn giao."),
    ("blind", "Về biên chế: tổng biên chế công chức giao năm 2024 là {BIEN_CHE_GIAO}, có mặt đến 30/6/2024 là {BIEN_CHE_CO_MAT} người; số lượng người làm việc giao {NLV_GIAO}, có mặt {NLV_CO_MAT}."),
    ("blind", "6 tháng đầu năm, Văn phòng tiếp nhận {NAR_VB_DEN_TONG_SO} văn bản đến; phát hành {VB_DI_TONG_SO} văn bản đi, trong đó {VB_TY_LE_DIEN_TU_HOAN_TOAN%} văn bản được gửi hoàn toàn dưới dạng điện tử."),
    ("tune", "Tổng số hồ sơ TTHC tiếp nhận trong kỳ: {HS_TONG_SO} hồ sơ (trực tuyến: {HS_TIEP_NHAN_TRUC_TUYEN}; trực tiếp: {NAR_HS_TIEP_NHAN_TRUC_TIEP}); đã giải quyết {NAR_HS_DA_GIAI_QUYET} hồ sơ, trong đó giải quyết trước hạn {NAR_HS_GIAI_QUYET_TRUOC_HAN} hồ sơ, đúng hạn {NAR_HS_DUNG_HAN_RIENG} hồ sơ, quá hạn {NAR_HS_GIAI_QUYET_QUA_HAN} hồ sơ; đang giải quyết {NAR_HS_DANG_GIAI_QUYET} hồ sơ."),
    ("tune", "Về tổ chức bộ máy, biên chế: biên chế công chức được giao năm 2024 là {BIEN_CHE_GIAO} biên chế, hiện có {BIEN_CHE_CO_MAT} công chức; số lượng người làm việc được giao {NLV_GIAO} người, hiện có {NLV_CO_MAT} người."),
    ("tune", "Tính đến ngày 30/6/2024, giải ngân vốn đầu tư công của tỉnh đạt {GIAI_NGAN_DTC_DA_THUC_HIEN$}, bằng {GIAI_NGAN_DTC_TY_LE%} kế hoạch vốn Thủ tướng Chính phủ giao."),
    ("tune", "Trong 6 tháng đầu năm 2024, Sở đã ban hành {VB_CHI_DAO_CCHC} văn bản chỉ đạo, điều hành về CCHC; tổ chức 02 đợt kiểm tra tại {KT_SO_PHONG_BAN_TRUC_THUOC} phòng, đơn vị."),
    ("blind2", "Công tác quản lý văn bản: văn bản đến {NAR_VB_DEN_TONG_SO}, văn bản đi {VB_DI_TONG_SO}; tỷ lệ văn bản đi gửi hoàn toàn dưới dạng điện tử {VB_TY_LE_DIEN_TU_HOAN_TOAN%}."),
    ("blind2", "Biên chế công chức năm 2024 được giao {BIEN_CHE_GIAO}, thực có {BIEN_CHE_CO_MAT}; số người làm việc được giao {NLV_GIAO}, thực có {NLV_CO_MAT}."),
    ("blind2", "Đến ngày 31/10/2024, tỉnh giải ngân được {GIAI_NGAN_DTC_DA_THUC_HIEN$}/{GIAI_NGAN_DTC_KE_HOACH$} kế hoạch vốn, đạt {GIAI_NGAN_DTC_TY_LE%}."),
    ("blind3", "Năm 2024, tổng kế hoạch vốn đầu tư công được giao là {GIAI_NGAN_DTC_KE_HOACH$}; lũy kế giải ngân đến 31/12/2024 đạt {GIAI_NGAN_DTC_DA_THUC_HIEN$}, bằng {GIAI_NGAN_DTC_TY_LE%} kế hoạch."),
    ("blind3", "Sở hiện có {BIEN_CHE_CO_MAT} công chức (được giao {BIEN_CHE_GIAO} biên chế) và {NLV_CO_MAT} viên chức (được giao {NLV_GIAO})."),
    ("blind3", "Quý IV/2024, tiếp nhận {HS_TONG_SO} hồ sơ, trong đó {HS_TIEP_NHAN_TRUC_TUYEN} hồ sơ trực tuyến; đã giải quyết {NAR_HS_DA_GIAI_QUYET} hồ sơ, tỷ lệ đúng hạn {HS_TY_LE_DUNG_HAN%}."),
    ("tune", "+ Tổng hợp kết quả giải quyết hồ sơ TTHC Quý II (từ 15/3/2024 đến 14/6/2024): Tổng số {HS_TONG_SO} hồ sơ; hồ sơ đã giải quyết: {NAR_HS_DA_GIAI_QUYET}; hồ sơ đang giải quyết: {NAR_HS_DANG_GIAI_QUYET}."),
    ("tune", "- Biên chế công chức được giao năm 2024 là {BIEN_CHE_GIAO} biên chế, có mặt {BIEN_CHE_CO_MAT} người; số người làm việc được giao {NLV_GIAO}, có mặt {NLV_CO_MAT} người (sự nghiệp giáo dục có mặt {NAR_NLV_CO_MAT_GIAO_DUC} người)."),
    ("tune", "Năm 2024, kế hoạch vốn đầu tư công được giao {GIAI_NGAN_DTC_KE_HOACH$}; lũy kế giải ngân đến 30/6/2024 là {GIAI_NGAN_DTC_DA_THUC_HIEN$}, đạt {GIAI_NGAN_DTC_TY_LE%} kế hoạch; tỷ lệ hoàn thành kế hoạch CCHC đạt {KH_TY_LE_HOAN_THANH%}."),
    ("tune", "Trên hệ thống quản lý văn bản, 6 tháng đầu năm Sở tiếp nhận {NAR_VB_DEN_TONG_SO} văn bản đến, phát hành {VB_DI_TONG_SO} văn bản đi; {VB_TY_LE_DIEN_TU_HOAN_TOAN%} văn bản được gửi hoàn toàn dưới dạng điện tử."),
    # ---- issue 13, second round (written after the blind4 first look, for tuning): table rows
    # stated in prose, level/sector rates, activity plans, zeros in words.
    ("tune", "Cơ cấu tổ chức của Bộ gồm {TC_VU} Vụ, {TC_CUC} Cục và {TC_TONG_CUC} Tổng cục."),
    ("tune", "Hiện nay, tỉnh có {CQ_CHUYEN_MON_TINH} cơ quan chuyên môn thuộc UBND tỉnh; toàn tỉnh có {DVHC_CAP_XA} đơn vị hành chính cấp xã."),
    ("tune", "Số TTHC tiếp nhận tại Bộ phận Một cửa cấp huyện là {TTHC_MOT_CUA_HUYEN} thủ tục."),
    ("tune", "Đã có {TTHC_BON_TAI_CHO} TTHC được thực hiện theo mô hình 4 tại chỗ."),
    ("tune", "Chủ tịch UBND tỉnh công bố {TTHC_PHI_DIA_GIOI} TTHC tiếp nhận hồ sơ không phụ thuộc vào địa giới hành chính."),
    ("tune", "Số đơn vị sự nghiệp được phê duyệt vị trí việc làm là {VTVL_DVSN_PHE_DUYET} đơn vị."),
    ("tune", "Đến nay có {TRUC_LT_SO_DON_VI} đơn vị kết nối Trục liên thông văn bản quốc gia."),
    ("tune", "Toàn huyện có {XA_PHAN_MEM_QLVB} xã, thị trấn triển khai phần mềm quản lý văn bản."),
    ("tune", "Tỷ lệ hồ sơ TTHC về lĩnh vực đất đai được giải quyết đúng hạn là {HS_TY_LE_DUNG_HAN_DAT_DAI%}."),
    ("tune", "Ở cấp xã, tỷ lệ hồ sơ do UBND cấp xã tiếp nhận được giải quyết đúng hạn đạt {HS_TY_LE_DUNG_HAN_XA%}."),
    ("tune", "Năm 2024, Huyện ủy ban hành {VB_CHI_DAO_HUYEN_UY} văn bản chỉ đạo về CCHC."),
    ("tune", "UBND xã ban hành {VB_CHI_DAO_HDND_UBND_XA} văn bản chỉ đạo, điều hành CCHC của xã."),
    ("tune", "Đoàn kiểm tra đã kiểm tra {KT_SO_UBND_XA} UBND xã, đạt 100% kế hoạch kiểm tra năm."),
    ("tune", "Tổ chức {TT_LOP_TAP_HUAN} lớp tập huấn chuyên đề về CCHC cho công chức cấp xã."),
    ("tune", "Số VBQPPL còn nợ đọng: không có[[VBQPPL_NO_DONG=0]]."),
    ("tune", "Trong kỳ, không có văn bản quy phạm pháp luật nào trái pháp luật[[VBQPPL_TRAI_PHAP_LUAT=0]]."),
    ("tune", "Tỷ lệ công chức có hộp thư điện tử công vụ đạt {TY_LE_CC_HOP_THU%}."),
    ("tune", "Tính đến ngày 30/9/2024, có {CHU_KY_SO} chữ ký số được cấp cho lãnh đạo các cơ quan, đơn vị."),
    ("tune", "Số đơn vị sự nghiệp công lập thuộc UBND tỉnh là {DVSNCL_THUOC_UBND_TINH} đơn vị."),
    ("tune", "Có {TC_CQHC_TU_CHU} cơ quan hành chính thực hiện cơ chế tự chủ theo Nghị định số 130/2005/NĐ-CP."),
    ("tune", "Tuyển dụng {TD_CONG_CHUC} công chức và {TD_VIEN_CHUC} viên chức; tiếp nhận {TD_CONG_CHUC_DAC_BIET} trường hợp đặc biệt vào công chức."),
    ("tune", "Số lượng phiếu khảo sát phát ra là {KS_SO_PHIEU} phiếu, mức độ hài lòng chung đạt {KS_MUC_DO_HAI_LONG%}."),
    ("tune", "Tỷ lệ TTHC đã được phê duyệt quy trình nội bộ là {TTHC_TY_LE_QUY_TRINH_NOI_BO%}."),
    ("tune", "Số lượng TTHC được đơn giản hóa sau rà soát là {TTHC_DON_GIAN_HOA} thủ tục."),
    # ---- issue 13, third round (written after the blind6 first look, for tuning): asides in
    # brackets, x/y follow-ups, rates over a population, "đúng hạn" as the part of a resolved total,
    # bullet lines, list items sharing a total, level ellipses without a verb.
    ("tune", "Tỷ lệ hoàn thành Kế hoạch CCHC năm 2024 (tính đến ngày 15/11/2024) đạt {KH_TY_LE_HOAN_THANH%}."),
    ("tune", "Số hồ sơ đang giải quyết (trong thời hạn quy định) là {NAR_HS_DANG_GIAI_QUYET} hồ sơ."),
    ("tune", "Đối với các vấn đề phát hiện qua kiểm tra, đến nay các cơ quan đã khắc phục xong {KT_VAN_DE_DA_XU_LY}/{KT_VAN_DE_PHAT_HIEN} vấn đề."),
    ("tune", "Về phản ánh, kiến nghị về quy định hành chính, trong năm đơn vị đã tiếp nhận và xử lý xong {PAKN_DA_GIAI_QUYET}/{PAKN_TIEP_NHAN} PAKN."),
    ("tune", "Phòng Nội vụ đã kiểm tra {KT_SO_UBND_XA} UBND xã, thị trấn, đạt tỷ lệ {KT_TY_LE_UBND_XA%} tổng số đơn vị cấp xã."),
    ("tune", "UBND cấp xã đã giải quyết xong {HS_DA_GIAI_QUYET_XA} hồ sơ do cấp xã tiếp nhận, trong đó {HS_DUNG_HAN_XA} hồ sơ giải quyết đúng hạn."),
    ("tune", "Bộ phận Một cửa huyện đã giải quyết đúng hạn {NAR_HS_GIAI_QUYET_DUNG_HAN} hồ sơ, không có hồ sơ quá hạn[[NAR_HS_GIAI_QUYET_QUA_HAN=0]]."),
    ("tune", "- Số hồ sơ tiếp nhận trong kỳ: {HS_TONG_SO}; - Số hồ sơ đã giải quyết: {NAR_HS_DA_GIAI_QUYET}."),
    ("tune", "Tỷ lệ hồ sơ giải quyết đúng hạn ở cấp tỉnh (các sở, ngành) là {HS_TY_LE_DUNG_HAN_CAP_TINH%}; cấp huyện {HS_TY_LE_DUNG_HAN_HUYEN%}; cấp xã {HS_TY_LE_DUNG_HAN_XA%}."),
    ("tune", "Năm 2024, Chủ tịch UBND tỉnh công bố mới {TTHC_CONG_BO_MOI} TTHC, sửa đổi, thay thế {TTHC_BAI_BO_THAY_THE} TTHC thuộc thẩm quyền giải quyết của các cấp."),
    ("tune", "Toàn huyện có {TC_DVSN_TU_CHU_CHI_TX_DAU_TU} đơn vị tự bảo đảm chi thường xuyên và chi đầu tư, {TC_DVSN_TU_CHU_CHI_TX} đơn vị tự bảo đảm chi thường xuyên, {TC_DVSN_TU_CHU_MOT_PHAN} đơn vị tự bảo đảm một phần chi thường xuyên."),
    ("tune", "Tỷ lệ hồ sơ TTHC được giải quyết đúng hạn của xã đạt {HS_TY_LE_DUNG_HAN%}."),
    ("tune", "Qua kiểm tra, phát hiện {KT_VAN_DE_PHAT_HIEN} vấn đề cần chấn chỉnh, khắc phục."),
    ("tune", "Thông qua hình thức thi tuyển cạnh tranh, huyện đã tuyển dụng {TD_CONG_CHUC_THI_CANH_TRANH} công chức."),
    ("tune", "Bộ phận Một cửa đã giải quyết trước và đúng hạn {NAR_HS_GIAI_QUYET_DUNG_HAN} hồ sơ (đạt {HS_TY_LE_DUNG_HAN%})."),
    ("tune", "Các đơn vị đã chấn chỉnh, khắc phục {KT_VAN_DE_DA_XU_LY} vấn đề sau kiểm tra, đạt {KT_TY_LE_XU_LY_VAN_DE%}."),
    ("tune", "Số TTHC đang cung cấp trực tuyến mức độ 3 là {TTHC_DANG_CUNG_CAP_MD3} thủ tục."),
    ("tune", "Tỷ lệ hồ sơ TTHC giải quyết trước và đúng hạn: cấp huyện đạt {HS_TY_LE_DUNG_HAN_HUYEN%}, cấp xã đạt {HS_TY_LE_DUNG_HAN_XA%}."),
    ("tune", "Bộ phận Một cửa của tỉnh đã tích hợp {TTHC_TICH_HOP_CONG_DVC} TTHC lên Cổng dịch vụ công của tỉnh."),
    ("tune", "Hiện có {LT_QLVB_SO_NGANH_TINH%} sở, ngành kết nối, liên thông hệ thống quản lý văn bản với UBND tỉnh."),
    ("tune", "Chỉ số hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính đạt {KS_MUC_DO_HAI_LONG%}."),
    ("tune", "Trong năm, Văn phòng đã gửi {TRUC_LT_VB_GUI} văn bản qua Trục liên thông."),
    ("tune", "Năm 2024, UBND tỉnh đã phê duyệt vị trí việc làm cho {VTVL_CQHC_PHE_DUYET} cơ quan hành chính."),
    ("tune", "Hồ sơ tiếp nhận trong kỳ {HS_TONG_SO} hồ sơ (trực tuyến: {HS_TIEP_NHAN_TRUC_TUYEN}; qua BCCI: {NAR_HS_TIEP_NHAN_BUU_CHINH})."),
    # round 4: comparisons with an earlier period (their numbers are never figures), telegraphic
    # shorthand, headings over dash items, semicolon lists and x/y sides
    ("tune", "Trong năm, Trung tâm Phục vụ hành chính công tiếp nhận {HS_TONG_SO} hồ sơ, tăng 1.214 hồ sơ so với năm 2023."),
    ("tune", "Số văn bản đi là {VB_DI_TONG_SO} văn bản, ít hơn 96 văn bản so với cùng kỳ."),
    ("tune", "Tỷ lệ hồ sơ giải quyết đúng hạn đạt {HS_TY_LE_DUNG_HAN%} (năm 2023 đạt 96%)."),
    ("tune", "Đã rà soát {VBQPPL_RA_SOAT} VBQPPL (Quý I: 37 văn bản)."),
    ("tune", "VB đi: {VB_DI_TONG_SO}. VB đến: {NAR_VB_DEN_TONG_SO}."),
    ("tune", "HS tiếp nhận: {HS_TONG_SO}; trực tuyến: {HS_TIEP_NHAN_TRUC_TUYEN}."),
    ("tune", "Hồ sơ do UBND cấp xã tiếp nhận:\n- Đã giải quyết: {HS_DA_GIAI_QUYET_XA} hồ sơ;\n- Tỷ lệ đúng hạn: {HS_TY_LE_DUNG_HAN_XA%}."),
    ("tune", "Số ĐVSNCL: {DVSNCL_TONG_SO} đơn vị, gồm: giáo dục - đào tạo {DVSNCL_GIAO_DUC}; y tế {DVSNCL_Y_TE}; lĩnh vực khác {DVSNCL_KHAC}."),
]

# Round 6: x/y sides with verbs of their own, telegraphic runs and short headers, clauses that share the
# subject of the clause before, near-twin siblings told apart by their qualifier.  (split, wording, order):
# order "up" draws the counts so that each is at most the next (a part, then its total), "down" the reverse.
ROUND6: list[tuple[str, str, str | None]] = [
    ("tune", "Năm 2024, Sở đã hoàn thành đúng hạn {NV_HOAN_THANH_DUNG_HAN}/{NV_GIAO_TONG_SO} nhiệm vụ được UBND tỉnh giao.", "up"),
    ("tune", "Phòng Tư pháp đã xử lý xong {VBQPPL_DA_XU_LY_XONG} trên tổng số {VBQPPL_KIEN_NGHI_XU_LY} văn bản có kiến nghị xử lý.", "up"),
    ("tune", "Qua kiểm tra, Sở Tư pháp kiến nghị xử lý {VBQPPL_KIEN_NGHI_XU_LY} văn bản quy phạm pháp luật, trong đó {VBQPPL_DA_XU_LY_XONG} văn bản đã được cơ quan ban hành xử lý xong.", "down"),
    ("tune", "Hồ sơ tiếp nhận {HS_TONG_SO}. Giải quyết {NAR_HS_DA_GIAI_QUYET}. Đang giải quyết {NAR_HS_DANG_GIAI_QUYET}.", None),
    ("tune", "Một cửa cấp huyện: đúng hạn {HS_TY_LE_DUNG_HAN_HUYEN%}.", None),
    ("tune", "PAKN về quy định hành chính: nhận {PAKN_TIEP_NHAN}, giải quyết {PAKN_DA_GIAI_QUYET}.", None),
    ("tune", "Huyện ủy đã ban hành {VB_CHI_DAO_HUYEN_UY} văn bản chỉ đạo, điều hành về cải cách hành chính; HĐND, UBND huyện ban hành {VB_CHI_DAO_HDND_UBND_HUYEN} văn bản.", None),
    ("tune", "Số đơn vị sự nghiệp tự bảo đảm từ 30% đến dưới 70% chi thường xuyên là {TC_DVSN_TU_CHU_30_70} đơn vị; từ 10% đến dưới 30% là {TC_DVSN_TU_CHU_10_30} đơn vị.", None),
    ("tune", "Số sở, ngành có kết nối với Hệ thống thông tin một cửa điện tử đạt tỷ lệ {MCDT_TY_LE_SO_NGANH%}; cấp huyện {MCDT_TY_LE_HUYEN%}; cấp xã {MCDT_TY_LE_XA%}.", None),
    ("tune", "Số cơ quan, đơn vị thuộc Bộ được kiểm tra CCHC: {KT_SO_CQ_DV_THUOC_BO} đơn vị.", None),
    ("tune", "Huyện bổ nhiệm {BN_PHONG_HUYEN_QUA_THI_TUYEN} lãnh đạo cấp phòng thuộc UBND huyện thông qua thi tuyển.", None),
    ("tune", "Số lãnh đạo cấp vụ, cục thuộc Bộ bị kỷ luật là {KL_LANH_DAO_VU_CUC} người.", None),
    ("tune", "Qua rà soát, có {VBQPPL_DE_NGHI_SAU_RA_SOAT} văn bản được đề nghị bãi bỏ, sửa đổi; đã xử lý theo thẩm quyền {VBQPPL_DA_XU_LY_SAU_RA_SOAT} văn bản.", "down"),
    ("tune", "Sở Tư pháp phát hiện {VBQPPL_TRAI_PHAP_LUAT} VBQPPL trái pháp luật về nội dung, thẩm quyền và cả {VBQPPL_TRAI_PHAP_LUAT_DA_XU_LY} văn bản này đã được cơ quan ban hành xử lý.", "down"),
    ("tune", "Số tổ chức bên trong trực thuộc các vụ, cục, tổng cục của Bộ là {TC_BEN_TRONG_VU_CUC} phòng và tương đương.", None),
    ("tune", "Hệ thống quản lý chất lượng được duy trì tại {ISO_DON_VI_DA_AP_DUNG} xã, thị trấn; áp dụng mới {ISO_DON_VI_MOI} đơn vị trong năm.", "down"),
    ("tune", "Qua kiểm tra, phát hiện {VB_CHUA_QPPL} văn bản không phải là VBQPPL nhưng có chứa QPPL.", None),
    ("tune", "Tỉnh đã tổ chức đo lường sự hài lòng của người dân đối với {KS_SO_DICH_VU} dịch vụ công.", None),
    ("tune", "Toàn tỉnh có {MANG_LAN} cơ quan chuyên môn cấp huyện, đơn vị hành chính cấp xã sử dụng mạng nội bộ để trao đổi công việc.", None),
    ("tune", "Số UBND cấp xã đã được kiểm tra: {KT_SO_UBND_XA} trên tổng số {DVHC_CAP_XA} đơn vị hành chính cấp xã.", "up"),
    ("tune", "UBND cấp xã đã giải quyết xong {HS_DA_GIAI_QUYET_XA} hồ sơ, trong đó đúng hạn {HS_DUNG_HAN_XA} hồ sơ.", "down"),
    ("tune", "- TTHC sửa đổi, bổ sung: 31; bãi bỏ, thay thế: {TTHC_BAI_BO_THAY_THE}.", None),
    ("tune", "Kỷ luật cán bộ, công chức, viên chức: {KL_CBCCVC_TONG} trường hợp.", None),
    ("tune", "Năm 2024, đã phê duyệt vị trí việc làm cho {VTVL_CQHC_PHE_DUYET} cơ quan, tổ chức hành chính và {VTVL_DVSN_PHE_DUYET} đơn vị sự nghiệp công lập.", None),
    ("tune", "Sở đã giải quyết xong {PAKN_DA_GIAI_QUYET} trên tổng số {PAKN_TIEP_NHAN} phản ánh, kiến nghị của người dân.", "up"),
    ("tune", "Số TTHC cung cấp trực tuyến toàn trình là {DVCTT_TTHC_MD4} thủ tục; một phần là {DVCTT_TTHC_MD3} thủ tục.", None),
    ("tune", "Trong năm, trên địa bàn huyện có {KL_LANH_DAO_UBND_XA} lãnh đạo cấp xã bị xử lý kỷ luật về Đảng.", None),
    ("tune", "Hệ thống quản lý chất lượng được duy trì tại {ISO_DON_VI_DA_AP_DUNG} xã, thị trấn.", None),
]

# Round 7 (issue 13): targets and earlier years' figures beside the reported ones, table rows pasted into
# prose, tasks assigned "do … giao", figures in brackets, passive wordings and predicates shared by
# "N% X và M% Y …" — hand-written in the seed reports' style, none copied from a blind split.
ROUND7: list[tuple[str, str, str | None]] = [
    ("tune", "Phương hướng, nhiệm vụ Quý IV năm 2024: tổ chức 02 hội nghị tập huấn nghiệp vụ kiểm soát TTHC; kiểm tra 15 cơ quan, đơn vị.", None),
    ("tune", "Năm 2025, huyện phấn đấu 98% hồ sơ TTHC được giải quyết đúng hạn và 100% UBND cấp xã được kiểm tra công tác CCHC.", None),
    ("tune", "Trong năm, Bộ phận Một cửa huyện đã tiếp nhận {HS_TONG_SO} hồ sơ (năm 2023 tiếp nhận 8.412 hồ sơ).", None),
    ("tune", "Tỷ lệ hồ sơ tiếp nhận trực tuyến đạt {HS_TY_LE_TIEP_NHAN_TRUC_TUYEN%}, chưa đạt chỉ tiêu 60% theo Kế hoạch số 201/KH-UBND.", None),
    ("tune", "Kết quả kiểm soát TTHC trong kỳ:\nSố TTHC công bố mới\t{TTHC_CONG_BO_MOI}\tthủ tục\nSố TTHC bãi bỏ, thay thế\t{TTHC_BAI_BO_THAY_THE}\tthủ tục", None),
    ("tune", "Tình hình biên chế của huyện:\nBiên chế công chức được giao      {BIEN_CHE_GIAO}\nBiên chế công chức có mặt      {BIEN_CHE_CO_MAT}", "down"),
    ("tune", "Năm 2024, Văn phòng nhận {NV_GIAO_TONG_SO} nhiệm vụ do Tỉnh ủy, UBND tỉnh giao; đến nay đã hoàn thành {NAR_NV_GIAO_HOAN_THANH} nhiệm vụ.", "down"),
    ("tune", "Số hồ sơ kỳ trước chuyển sang ({NAR_HS_KY_TRUOC_CHUYEN_SANG} hồ sơ) đều đã được giải quyết xong trong kỳ này.", None),
    ("tune", "Hiện nay, {ISO_DON_VI_DA_AP_DUNG} UBND xã, thị trấn đã áp dụng, duy trì Hệ thống quản lý chất lượng theo tiêu chuẩn TCVN ISO 9001:2015.", None),
    ("tune", "Đến cuối kỳ, {LT_QLVB_SO_NGANH_TINH%} sở, ngành và {LT_QLVB_HUYEN_TINH%} UBND cấp huyện đã kết nối, liên thông văn bản điện tử với UBND tỉnh.", None),
    ("tune", "So với năm 2023 (đạt 88,5%), tỷ lệ hồ sơ tiếp nhận trực tuyến năm nay tăng lên {HS_TY_LE_TIEP_NHAN_TRUC_TUYEN%}.", None),
    ("tune", "Toàn huyện có {DVSNCL_GIAO_DUC} đơn vị sự nghiệp công lập lĩnh vực giáo dục, {DVSNCL_Y_TE} đơn vị sự nghiệp lĩnh vực y tế.", None),
]

# Round 8 (issue 13): whole report sections — quotas and earlier levels beside the figure, what is left undone,
# percentages of the noun after them, deeds shared across "và", parts after "trong đó", bullet shorthand and
# label-value lines as a PDF prints them (no tab: one line per record) — hand-written in the seed reports' style.
ROUND8: list[tuple[str, str, str | None]] = [
    ("tune", "Tỷ lệ hồ sơ tiếp nhận trực tuyến của huyện đạt {HS_TY_LE_TIEP_NHAN_TRUC_TUYEN%}; chỉ tiêu Kế hoạch số 15/KH-UBND của tỉnh giao là 70% hồ sơ nộp trực tuyến.", None),
    ("tune", "Sau sắp xếp đơn vị hành chính, toàn huyện giảm từ 27 xuống còn {DVHC_CAP_XA} đơn vị hành chính cấp xã.", None),
    ("tune", "Đến nay đã có {TC_DVSN_CO_PHAN_HOA} đơn vị sự nghiệp công lập chuyển đổi thành công ty cổ phần; còn 03 đơn vị chưa thực hiện theo lộ trình.", None),
    ("tune", "UBND huyện đã công khai {NAR_TY_LE_TTHC_CONG_KHAI%} TTHC thuộc thẩm quyền giải quyết trên Trang thông tin điện tử của huyện.", None),
    ("tune", "Trong năm, tỉnh đã tinh giản {BIEN_CHE_TINH_GIAN} biên chế công chức và {NLV_TINH_GIAN} người làm việc tại các đơn vị sự nghiệp công lập.", None),
    ("tune", "Văn phòng đang áp dụng {ISO_QT_CONG_VIEC} quy trình nội bộ giải quyết công việc, trong đó {ISO_QT_CONG_VIEC_MOI} quy trình được xây dựng mới trong năm.", "down"),
    ("tune", "- Tuyển dụng VC: {TD_VIEN_CHUC} người;\n- ĐVSNCL do NN bảo đảm chi TX: {TC_DVSN_NN_BAO_DAM} đv.", None),
    ("tune", "Biên chế công chức được giao {BIEN_CHE_GIAO}\nBiên chế công chức có mặt {BIEN_CHE_CO_MAT}", "down"),
    ("tune", "Qua rà soát, {TTHC_DON_GIAN_HOA} TTHC thuộc thẩm quyền giải quyết của huyện đã được đơn giản hóa, cắt giảm thành phần hồ sơ.", None),
    ("tune", "Xã có {MO_HINH_SANG_KIEN} sáng kiến, mô hình cải cách hành chính được áp dụng trong năm.", None),
    ("tune", "Số đơn vị sự nghiệp công lập thuộc huyện: {DVSNCL_TONG_SO} đơn vị (giáo dục - đào tạo {DVSNCL_GIAO_DUC} đơn vị; văn hóa - thể thao {DVSNCL_VAN_HOA_TDTT} đơn vị).", "down"),
    ("tune", "- Tỷ lệ thủ tục hành chính đủ điều kiện cung cấp trực tuyến MĐ3: {TTHC_TY_LE_MD3%}; MĐ4: {TTHC_TY_LE_MD4%}.", None),
    ("tune", "Số nhiệm vụ được giao đã hoàn thành là {NAR_NV_GIAO_HOAN_THANH}/{NV_GIAO_TONG_SO}, các nhiệm vụ còn lại đang triển khai.", "up"),
    ("tune", "Trong năm, Phòng Tư pháp đã rà soát {VBQPPL_RA_SOAT} văn bản quy phạm pháp luật của HĐND, UBND huyện (trong đó kiến nghị sửa đổi, bổ sung, thay thế, bãi bỏ {VBQPPL_DE_NGHI_SAU_RA_SOAT} văn bản; đã xử lý theo thẩm quyền {VBQPPL_DA_XU_LY_SAU_RA_SOAT} văn bản).", "down"),
    ("tune", "Huyện đang cung cấp {DVCTT_SO_DICH_VU_MD34} DVC trực tuyến mức độ 3, 4 trên Cổng dịch vụ công của tỉnh.", None),
]

# Round 9 (issue 13): text as a PDF gives it (hard line breaks), sector units, bracketed breakdowns and x/y
# restating a rate, target lists after "mục tiêu:", several-year running totals, BCCI rates, procedures named by
# what they govern, on time beside late — hand-written in the seed reports' style, none copied from blind12.
ROUND9: list[tuple[str, str, str | None]] = [
    ("tune", "Năm 2024, tỷ lệ hồ sơ giải quyết đúng hạn của huyện đạt {HS_TY_LE_DUNG_HAN%}. Kế hoạch CCHC năm 2025 đặt "
             "mục tiêu: tỷ lệ hài lòng đạt tối thiểu 92%; 85% hồ sơ được số hóa; 100% xã được kiểm tra.", None),
    ("tune", "Trong năm, Sở Nội vụ đã tinh giản {BIEN_CHE_TINH_GIAN} biên chế công chức; lũy kế giai đoạn 2021-2025 "
             "toàn tỉnh đã tinh giản 1.214 người.", None),
    ("tune", "Toàn thị xã có {DVHC_CAP_XA} đơn vị hành chính cấp xã (7 phường, 5 xã), giảm 03 đơn vị sau sắp xếp.", None),
    ("tune", "Năm 2024, Sở Y tế tuyển dụng {TD_VIEN_CHUC} viên chức (xét tuyển 43, thi tuyển 22) cho các bệnh viện tuyến huyện.", None),
    # the x/y must restate the rate, so its figures are written out ([[ID=value]] adds the truth)
    ("tune", "Tỷ lệ UBND cấp xã được kiểm tra công tác CCHC đạt 27,3%[[KT_TY_LE_UBND_XA=27.3]]\n(3[[KT_SO_UBND_XA=3]]/11 "
             "xã, thị trấn) theo Kế hoạch kiểm tra năm 2024.", None),
    ("tune", "- Thủ tục hành chính thuộc thẩm quyền giải quyết của UBND\nthị trấn: {TTHC_HIEU_LUC_CAP_XA} thủ tục, đã "
             "công khai tại Bộ phận một cửa.", None),
    ("tune", "TTHC thuộc thẩm quyền giải quyết của UBND quận hiện có {TTHC_HIEU_LUC_CAP_HUYEN} thủ tục.", None),
    ("tune", "Cơ cấu tổ chức của UBND thị xã gồm {PHONG_CHUYEN_MON_HUYEN} phòng chuyên môn và {DVSNCL_THUOC_UBND_HUYEN}\n"
             "đơn vị sự nghiệp công lập trực thuộc.", "up"),
    ("tune", "Sở Xây dựng đã ban hành {ISO_QTNB_TTHC} quy trình nội bộ giải quyết TTHC và đang áp dụng "
             "{ISO_QT_CONG_VIEC} quy trình xử lý công việc theo TCVN ISO 9001:2015.", "down"),
    ("tune", "Tỷ lệ hồ sơ được trả kết quả qua dịch vụ bưu chính công ích đạt {BCCI_TY_LE_KET_QUA%} tổng số hồ sơ đã giải quyết.", None),
    ("tune", "Dịch vụ BCCI: tiếp nhận {BCCI_TY_LE_HS_TIEP_NHAN%} hồ sơ; trả kết quả {BCCI_TY_LE_KET_QUA%} hồ sơ.", None),
    ("tune", "Số TTHC đã phát sinh hồ sơ tiếp nhận qua dịch vụ bưu chính công ích chiếm {BCCI_TY_LE_TTHC%} số TTHC "
             "đã triển khai.", None),
    ("tune", "Chi cục Thuế khu vực đã giải quyết đúng hạn {NAR_HS_GIAI_QUYET_DUNG_HAN} hồ sơ, trễ hạn {NAR_HS_GIAI_QUYET_QUA_HAN} "
             "hồ sơ do phải xác minh thông tin.", "down"),
    ("tune", "Năm 2024, Trung tâm Y tế huyện đã cử {BD_VIEN_CHUC} lượt viên chức, bác sĩ tham gia các lớp\nbồi dưỡng "
             "chuyên môn, nghiệp vụ.", None),
    ("tune", "Trong kỳ, Sở đã cử {BD_CBCC} lượt cán bộ, công chức đi bồi dưỡng kiến thức quản lý nhà nước "
             "ngạch chuyên viên chính.", None),
    ("tune", "Bộ phận Một cửa UBND quận đang tiếp nhận {TTHC_MOT_CUA_HUYEN} TTHC thuộc thẩm quyền của quận và các "
             "cơ quan ngành dọc.", None),
    ("tune", "Bộ phận tiếp nhận và trả kết quả của UBND phường hiện tiếp nhận {TTHC_MOT_CUA_XA} TTHC.", None),
    ("tune", "Có {BC_TY_LE_QUA_HTTTBC%} báo cáo định kỳ của tỉnh được gửi, nhận trên Hệ thống thông tin báo cáo quốc gia.", None),
    ("tune", "Kế hoạch vốn đầu tư công năm 2024 được giao {GIAI_NGAN_DTC_KE_HOACH$}; phần vốn chưa giải ngân đề nghị "
             "kéo dài sang năm 2025.", None),
    # x/y with the noun on each side, the rate restating it (figures written out: the rate must equal x/y)
    ("tune", "Số hồ sơ nộp trực tuyến: 3.120[[HS_TIEP_NHAN_TRUC_TUYEN=3120]] hồ sơ/4.800[[HS_TONG_SO=4800]] hồ\nsơ "
             "tiếp nhận, đạt tỷ lệ 65%[[HS_TY_LE_TIEP_NHAN_TRUC_TUYEN=65]].", None),
    ("tune", "Hồ sơ TTHC cấp huyện - đã giải quyết: {HS_DA_GIAI_QUYET_HUYEN}; tỷ lệ đúng hạn: {HS_TY_LE_DUNG_HAN_HUYEN%}.", None),
    ("tune", "Theo khoản 3 Điều 8 Nghị định số 107/2021/NĐ-CP, Văn phòng UBND tỉnh đã kiểm tra việc tiếp nhận, giải quyết "
             "TTHC tại {KT_SO_UBND_HUYEN} UBND cấp huyện.", None),
    ("tune", "Đến nay có {VTVL_CQHC_PHE_DUYET} cơ quan, tổ chức hành chính của tỉnh được phê duyệt vị trí việc làm.", None),
    ("tune", "Đoàn kiểm tra của Bộ đã làm việc tại {KT_SO_CQ_DV_THUOC_BO} vụ, cục và đơn vị thuộc Bộ; qua kiểm tra đã chỉ ra "
             "{KT_VAN_DE_PHAT_HIEN} tồn tại cần khắc phục.", None),
    ("tune", "Sở Nội vụ đã khảo sát {KS_SO_PHIEU} phiếu tại {KS_SO_DICH_VU} dịch vụ công của các sở, ngành.", "down"),
    ("tune", "Chi cục Hải quan đã sắp xếp lại các đội nghiệp vụ; năm 2024 đã tinh giản {BIEN_CHE_TINH_GIAN} biên chế "
             "theo đề án được phê duyệt.", None),
    ("tune", "Năm nay Bộ phận Một cửa tiếp nhận {HS_TONG_SO} hồ sơ; năm 2023 đã tiếp nhận 5.318 hồ sơ.", None),
    ("tune", "{LT_QLVB_XA_HUYEN%} UBND cấp xã đã kết nối, liên thông với UBND huyện trên phần mềm quản lý văn bản "
             "và điều hành.", None),
    ("tune", "Tỷ lệ hồ sơ giải quyết đúng hạn của thị xã tiếp tục ở mức cao (đạt {HS_TY_LE_DUNG_HAN%}), không để "
             "tồn đọng kéo dài.", None),
]

# Sentences with no figure of a catalog indicator: every figure mapped from them is a false
# positive (a number may be read unmapped, for review, as "vốn chương trình MTQG" is).
NEGATIVES: list[tuple[str, str]] = [
    ("tune", "Căn cứ Quyết định số 1234/QĐ-UBND ngày 12/3/2024 của UBND tỉnh về ban hành Kế hoạch CCHC năm 2024."),
    ("tune", "Báo cáo số 128/BC-UBND ngày 15/6/2024 về kết quả công tác CCHC 6 tháng đầu năm 2024."),
    ("tune", "Thực hiện Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 và Nghị định số 107/2021/NĐ-CP."),
    ("tune", "Kinh phí đã thực hiện 200 triệu đồng cho công tác CCHC."),
    ("tune", "Tỷ lệ giải ngân vốn chương trình mục tiêu quốc gia đạt 30,5%."),
    ("tune", "Số văn bản đi được ký số là 1.250 văn bản."),
    ("tune", "Số văn bản đi, đến trên Trục liên thông văn bản quốc gia là 3.400."),
    ("tune", "Tổng số văn bản đi, đến trong Quý I/2024 là 2.450 văn bản."),
    ("tune", "Ngày 15 tháng 3 năm 2024, UBND tỉnh ban hành Quyết định số 456/QĐ-UBND về công bố danh mục TTHC."),
    ("fresh", "Báo cáo kết quả thực hiện Nghị quyết số 18-NQ/TW ngày 25/10/2017, giai đoạn 2018-2023."),
    ("fresh", "Ngày 28 tháng 6 năm 2024, Chủ tịch UBND huyện ký ban hành Quyết định số 3456/QĐ-UBND."),
    ("blind", "Căn cứ Thông tư số 01/2024/TT-BNV ngày 15/02/2024 và Kế hoạch số 236/KH-UBND ngày 29/12/2023, 9 tháng năm 2024."),
    ("blind", "Triển khai Đề án 06/CP giai đoạn 2022-2025, tầm nhìn đến năm 2030."),
    ("blind2", "Thực hiện Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 về công tác văn thư, Quý III/2024."),
    ("blind3", "Thực hiện Chỉ thị số 23/CT-TTg ngày 26/5/2023 và Kế hoạch số 88/KH-UBND ngày 02/4/2024, 9 tháng năm 2024."),
    ("heldout", "Thực hiện Công văn số 1649/UBND-NV ngày 20/5/2024 về việc báo cáo CCHC Quý II/2024."),
    ("heldout", "Kế hoạch số 72/KH-BDT ngày 10/01/2023 triển khai Chương trình tổng thể CCHC giai đoạn 2021-2030."),
    ("heldout", "Áp dụng Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001:2015 từ ngày 01/7/2024."),
]

PERCENT_VALUES = [45.8, 96.4, 99.2, 100.0, 87.5, 62.3, 98.15, 93.0, 75.6]
MONEY_UNITS = ["triệu đồng", "tỷ đồng"]


def _fmt_count(n: int, rng: random.Random) -> str:
    if n >= 1000:
        return f"{n:,}".replace(",", ".")
    if n < 10 and rng.random() < 0.5:
        return f"{n:02d}"
    return str(n)


def _fmt_decimal(x: float) -> str:
    s = f"{x:,.2f}".rstrip("0").rstrip(".")
    return s.replace(",", "_").replace(".", ",").replace("_", ".")


def _distractor_numbers(text: str) -> set[float]:
    return {float(n) for n in re.findall(r"\d+", text)}


def _render(wording: str, rng: random.Random, frame: str | None) -> tuple[str, list[dict], list[float]]:
    frame_text = frame or "{body}"
    wording_numbers = re.sub(r"\{[^}]+\}|\[\[[^\]]*\]\]", "", wording)
    banned = _distractor_numbers(frame_text.replace("{body}", "")) | _distractor_numbers(wording_numbers)
    figures: list[dict] = []
    used: set[float] = set()
    counts: list[int] = []

    def slot(m: re.Match[str]) -> str:
        ind, kind = m.group(1), m.group(2) or ""
        while True:
            if kind == "%":
                v = rng.choice(PERCENT_VALUES)
                raw = _fmt_decimal(v) + rng.choice(["%", "%", " %"])
                unit = "%"
            elif kind == "$":
                v = round(rng.uniform(100, 9000) * (1 if rng.random() < 0.5 else 0.1), 1)
                unit = rng.choice(MONEY_UNITS)
                raw = _fmt_decimal(v) + " " + unit
            else:
                small = rng.random() < 0.4
                v = float(rng.randint(2, 60) if small else rng.randint(61, 4800))
                raw = _fmt_count(int(v), rng)
                unit = None
            if v not in banned and v not in used:
                break
        used.add(v)
        if kind == "":
            counts.append(int(v))
        figures.append({"indicator_id": ind, "value": v, "unit": unit})
        return raw

    body = re.sub(r"\{([A-Z0-9_]+)([%$]?)\}", slot, wording)
    for ind, val in re.findall(r"\[\[([A-Z0-9_]+)=([\d.]+)\]\]", body):  # a figure stated in words ("không có")
        figures.append({"indicator_id": ind, "value": float(val), "unit": None})
    body = re.sub(r"\[\[[^\]]*\]\]", "", body)
    text = frame_text.replace("{body}", body) if frame else body
    text = text[0].upper() + text[1:]
    distractors = sorted(_distractor_numbers(frame_text.replace("{body}", "")) | _distractor_numbers(wording_numbers))
    return text, figures, distractors



def _add_round(out: dict[str, list[dict[str, Any]]], rounds: list[tuple[str, str, str | None]], prefix: str,
               rng: random.Random) -> None:
    """Two renderings of each hand-written wording of a tuning round; `order` "up"/"down" keeps the counts
    of a sentence rising or falling where the wording says so (a part below its whole)."""
    for ri, (split, sentence, order) in enumerate(rounds):
        for k in range(2):
            while True:
                text, figures, distractors = _render(sentence, rng, None)
                counts = [f["value"] for f in figures if f["unit"] is None]
                pairs = list(zip(counts, counts[1:], strict=False))
                if order is None or all(a <= b if order == "up" else a >= b for a, b in pairs):
                    break
            out[split].append({"id": f"{prefix}-{ri:02d}-{k}", "split": split, "text": text, "level": None,
                               "figures": figures, "distractors": distractors, "wording": sentence,
                               "origin": "hand"})

def build() -> dict[str, list[dict]]:
    rng = random.Random(SEED)
    out: dict[str, list[dict]] = {"tune": [], "heldout": [], "fresh": [], "blind": [], "blind2": [], "blind3": []}
    for wi, (split, wording) in enumerate(W):
        for k in range(INSTANCES):
            frame = DISTRACTORS[(wi * INSTANCES + k) % len(DISTRACTORS)] if k else None
            text, figures, distractors = _render(wording, rng, frame)
            if frame is None:
                text += "."
            out[split].append({"id": f"w{wi:03d}-{k}", "split": split, "text": text, "level": None,
                               "figures": figures, "distractors": distractors, "wording": wording,
                               "origin": "template"})
    for hi, (split, sentence) in enumerate(HAND):
        for k in range(2):
            text, figures, distractors = _render(sentence, rng, None)
            out[split].append({"id": f"h{hi:03d}-{k}", "split": split, "text": text, "level": None,
                               "figures": figures, "distractors": distractors, "wording": sentence,
                               "origin": "hand"})
    _add_round(out, ROUND6, "r6", rng)
    for ni, (split, sentence) in enumerate(NEGATIVES):
        out[split].append({"id": f"n{ni:03d}", "split": split, "text": sentence, "level": None, "figures": [],
                           "distractors": sorted(_distractor_numbers(sentence)), "wording": sentence,
                           "origin": "negative"})
    _add_round(out, ROUND7, "r7", rng)
    _add_round(out, ROUND8, "r8", rng)
    _add_round(out, ROUND9, "r9", rng)
    return out


def main() -> None:
    for split, records in build().items():
        path = HERE / f"{split}.jsonl"
        tmp = path.with_suffix(".jsonl.tmp")
        tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        tmp.replace(path)
        print(f"{path.name}: {len(records)} records, {sum(len(r['figures']) for r in records)} figures")


if __name__ == "__main__":
    main()
