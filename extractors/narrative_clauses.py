"""Figures read from clause structure: whose number is it, and is it a number at all.

Why: a sentence-level regex binds a number to whatever words are near it, so "giải ngân …,
đạt 45,8% kế hoạch" became the CCHC plan-completion rate and "văn bản đi … trong 6 tháng là
2.318" gave 6.  Here a sentence is cut into clauses (at ";", ",", brackets) and each number
is bound to a *subject*: first the noun it counts (right after it), then its own clause
before it, then — only for an elliptic clause such as "…, có mặt 1.795" or "…, đạt 45,8%"
— the clause just before.  Numbers inside dates, periods, document, decree and standard
numbers are found first (`protected_spans`) and are never figures, whatever matched them.

Everything works on the folded sentence of `extractors.narrative` (one character per
character), so offsets are the original text's.  The rules are data (`SUBJECT_RULES`).
underthesea's `chunk` (segmentation + POS + chunking) was tried on the issue's sentences: every
chunk is one word ("B-NP" throughout, no noun phrase spans), "đi" in "văn bản đi" is a verb,
"vốn" an adverb and "%" a verb, and numbers are tagged M or N at random, so it cannot delimit
a subject; the clause rules below do, and work on folded (accent-blind) text as the patterns do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cchc.core.vntext import NUMBER_IN_TEXT, NUMBER_TEXT

# --------------------------------------------------------------------------- protected spans

_PROTECTED = [re.compile(p) for p in (
    r"(?<![\w.,])\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{2,4}(?!\w)",  # 12/3/2024
    r"(?<!\w)ngay \d{1,2}(?:\s*/\s*\d{1,2})?(?: thang \d{1,2})?(?: nam \d{4})?",  # ngày 5 tháng 3 năm 2024
    r"(?<![\w.,/])\d{1,2}\s*/\s*(?:19|20)\d{2}(?!\w)",  # 6/2024
    r"(?<![\w.,/])[ivx]{1,4}\s*/\s*(?:19|20)\d{2}(?!\w)",  # I/2024
    r"(?<!\w)thang \d{1,2}(?:\s*/\s*\d{4})?(?!\w)",  # tháng 6
    r"(?<![\w.,/])\d{1,2} thang(?!\w)",  # 6 tháng, 9 tháng
    r"(?<!\w)quy (?:[ivx]{1,4}|[1-4])(?:\s*/\s*\d{4}| nam \d{4})?(?!\w)",  # Quý II năm 2024
    r"(?<!\w)(?:nam|nien do|khoa) (?:19|20)\d{2}(?:\s*-\s*(?:19|20)\d{2})?(?!\w)",  # năm 2023
    r"(?<!\w)giai doan (?:19|20)\d{2}\s*-\s*(?:19|20)\d{2}(?!\w)",
    r"(?<![\w.,/])(?:19|20)\d{2}\s*-\s*(?:19|20)\d{2}(?!\w)",  # 2021-2025
    r"(?<!\w)(?:den|tu|truoc|sau) (?:nam )?(?:19|20)\d{2}(?!\w)",
    r"(?<![\w.,])\d+(?:\s*/\s*\d{2,4})?\s*/\s*[a-z][a-z0-9\-&]*",  # 128/BC-UBND, 61/2018/ND-CP
    r"(?<!\w)(?:nghi dinh|thong tu|quyet dinh|chi thi|cong van|nghi quyet|luat|cong dien)(?: lien tich)?"
    r"(?: so)? \d+(?!\s*(?:[.,]\d|%|\w))",  # Nghị định 107, Chỉ thị 08
    r"(?<!\w)(?:ke hoach|bao cao|thong bao|to trinh|van ban|huong dan|ket luan|chuong trinh|de an) so \d+",
    r"(?<!\w)so \d+\s*/",  # "số 1649/…" (rest taken by the document-number rule)
    r"(?<!\w)(?:tcvn )?iso \d+(?:\s*:\s*\d{4})?",  # ISO 9001:2015
    r"(?<![\w.,])\d{4,5}\s*:\s*(?:19|20)\d{2}(?!\w)",  # 9001:2015
    r"(?<!\w)muc do [1-4](?:\s*(?:va|,|-|–|hoac)\s*[1-4])?(?![\d.,])",  # mức độ 3 (và 4): service levels, also "mức độ 3 %"
    r"(?<!\w)ca [2-4] cap(?!\w)",  # "ở cả 3 cấp": the tiers of government, not a count
    r"(?<!\w)(?:dieu|khoan|chuong|lan thu) \d+(?!\s*(?:[.,]\d|%))",  # Điều 5
)]


def protected_spans(folded: str) -> list[tuple[int, int]]:
    """Spans of a folded sentence whose digits are dates, periods, document or standard numbers,
    the numbers of a comparison with an earlier period (`comparison_spans`), targets and an
    earlier year's figures (`target_spans`)."""
    return sorted([m.span() for r in _PROTECTED for m in r.finditer(folded)] + comparison_spans(folded)
                  + target_spans(folded))


# A target is not a figure.  "Phương hướng năm 2025: kiểm tra 10 phòng …", "Nhiệm vụ trọng tâm 6 tháng
# cuối năm: phấn đấu giải ngân 100% …": after such a heading every number is planned, not done.
_PLAN_HEAD = (r"^\W*(?:(?:[ivx]+|\d{1,2}|[a-d])[.)]\s*)?(?:phuong huong|nhiem vu,? giai phap|nhiem vu (?:trong tam|chu yeu)"
              r"|nhiem vu (?:cua )?(?:nam|quy|\d{1,2} thang|thoi gian|giai doan|ky)[^:;.]{0,30}?"
              r"(?:toi|tiep theo|cuoi nam|sau|con lai))(?!\w)")
TARGET_HEAD = re.compile(_PLAN_HEAD + r"[^:;.]{0,80}?:")
_PLAN_SECTION = re.compile(_PLAN_HEAD)
# a heading that ends a "Phương hướng" section: the next numbered part, results, shortcomings, proposals
_OTHER_SECTION = re.compile(r"^\W*(?:[ivx]+[.)]\s|(?:ket qua|ton tai|han che|kien nghi|de xuat|danh gia|nguyen nhan)(?!\w))")


def plan_section(folded: str, inside_plan: bool) -> bool:
    """Whether a sentence lies in a "Phương hướng, nhiệm vụ …" section (`inside_plan`: the one before did):
    it opens one, or follows one until another section's heading."""
    if _PLAN_SECTION.match(folded):  # … a heading of its own: "Nhiệm vụ trọng tâm …: phấn đấu …." leads one
        return not TARGET_HEAD.match(folded)  # sentence only (`target_spans`); the next may be a result
    # "Đến ngày 14/6, toàn tỉnh đã giải ngân …": what was done is a result, wherever it stands
    return inside_plan and not _OTHER_SECTION.match(folded) and not _DONE.search(folded)


_DONE = re.compile(r"(?<!\w)(?:da|vua)(?!\w)(?! de ra)")
# "phấn đấu 100% …", "phấn đấu nằm trong nhóm 10 …": the rest of its clause (to ";" or the end)
_STRIVE = re.compile(r"(?<!\w)(?:phan dau|dat muc tieu|nham dat)(?!\w)[^;]*")
_STRIVE_CLAUSE = re.compile(r"(?:^|;)[^;]*?(?<!\w)(?:phan dau|dat muc tieu|nham dat)(?!\w)[^;]*")
# "dự kiến trong Quý IV sẽ tổ chức 03 lớp …", "dự kiến cả năm khoảng 5.100 hồ sơ": what is planned or expected,
# to the end of its clause ("chia sẻ" is no "sẽ")
_PLANNED = re.compile(r"(?<!\w)(?:du kien|(?<!chia )se)(?!\w)[^;]*")
# "Kế hoạch số 25/KH-UBND đặt mục tiêu: tỷ lệ … đạt trên 98%; 80% hồ sơ …; tỷ lệ hài lòng đạt tối thiểu 90%": a colon
# after the goal opens a list of targets that runs past its ";" to the end of the sentence
_GOAL_LIST = re.compile(r"(?<!\w)(?:phan dau|(?:dat|de ra|dat ra|xac dinh|voi) (?:cac )?(?:muc tieu|chi tieu)"
                        r"|(?:cac )?muc tieu (?:dat ra|de ra|cu the|chu yeu))[^:;.\d]{0,40}:.*$")
# "lũy kế giai đoạn 2021-2025 đã tinh giản 612 người", "lũy kế từ năm 2021 đến nay": a several-year running total,
# not the period reported (a "lũy kế đến thời điểm báo cáo" of the year is the figure and stays)
_CUMULATIVE = re.compile(r"(?<!\w)luy ke (?:ca |trong |cua )?(?:giai doan|tu nam) (?:19|20)\d{2}[^;]*")
# "chưa đạt chỉ tiêu 50% …", "vượt mục tiêu tinh giản tối thiểu 5%": the target a figure is measured by
_GOAL_NUMBER = re.compile(rf"(?<!\w)(?:dat|vuot|so voi|theo|hon) (?:muc tieu|chi tieu)(?!\w)[^;.()\d]{{0,40}}?"
                          rf"(?P<n>{NUMBER_TEXT})")
# "chỉ tiêu Nghị quyết số 01/NQ-CP giao là 50% hồ sơ nộp trực tuyến", "mục tiêu của Kế hoạch là 80%": the quota a
# percentage states is no result ("mức độ đạt được các chỉ tiêu đề ra là 91,7%" is one: achieved, not set)
_QUOTA_IS = re.compile(rf"(?<!\w)(?<!dat duoc )(?<!dat duoc cac )(?<!thuc hien )(?:chi tieu|muc tieu)(?! chat luong)"
                       rf"[^;,.()\d%]{{0,60}}?(?:\d+\s*/\s*[^\s;,.()]+[^;,.()\d%]{{0,30}}?)?(?<!\w)(?:la|:)\s*"
                       rf"(?P<n>{NUMBER_TEXT})\s*%")
# "lộ trình … còn 04 đơn vị chưa thực hiện": what is left undone is not the deed's figure (no indicator counts
# what is not yet done; "chưa đến hạn" dossiers are counted elsewhere)
_NOT_YET = re.compile(rf"(?<![\w/.,:\-])(?P<n>{NUMBER_TEXT})(?: [^\W\d]+){{1,4}} chua (?!den han|qua han)[^\W\d]")
# "…; năm 2023 số hồ sơ quá hạn là 27 hồ sơ": an earlier year's figure set beside the current one
_YEAR_CLAUSE = re.compile(r"(?:;|,)\s*(?:(?:trong|so voi|con|cung ky) )?nam (?P<y>(?:19|20)\d{2})(?!\s*[-\d])[^;]*")
# "… nợ đọng 4 văn bản (năm 2023 nợ đọng 7 văn bản)": an earlier year's figure in brackets, whatever its verb
_YEAR_PAREN = re.compile(r"\(\s*(?:cung ky )?nam (?!2015)(?:19|20)\d{2}(?!\s*-)[^()]*\)")
_YEAR = re.compile(r"(?<!\w)nam ((?:19|20)\d{2})(?!\s*-|\d)")


def target_spans(folded: str) -> list[tuple[int, int]]:
    """Numbers that are targets or an earlier year's, not figures of the period reported.

    A target heading ("Phương hướng …:") covers its whole sentence; "phấn đấu …" its clause; "chưa đạt
    chỉ tiêu 50%" the target's own number.  An earlier year's clause ("…; năm 2023 số … là 27") and, in a
    sentence naming two years, a clause naming only the earlier one keep their numbers out too.
    """
    spans: list[tuple[int, int]] = []
    ranges: list[tuple[int, int]] = []
    head = TARGET_HEAD.match(folded)
    if head:
        ranges.append((head.end(), len(folded)))
    ranges += [m.span() for m in _STRIVE.finditer(folded)]
    ranges += [m.span() for m in _PLANNED.finditer(folded)]
    ranges += [m.span() for r in (_GOAL_LIST, _CUMULATIVE) for m in r.finditer(folded)]
    ranges += [m.span() for m in _YEAR_PAREN.finditer(folded)]
    spans += [m.span("n") for m in _GOAL_NUMBER.finditer(folded)]
    spans += [m.span("n") for m in _QUOTA_IS.finditer(folded)]
    spans += [m.span("n") for m in _NOT_YET.finditer(folded)]
    # the year of a target ("…; năm 2025 phấn đấu …") says nothing of which figure is the current one
    planned = [(a, b) for a, b in ranges] + [m.span() for m in _STRIVE_CLAUSE.finditer(folded)]
    # … nor does a year something is carried over to ("đề nghị kéo dài sang năm 2025")
    years = [int(m.group(1)) for m in _YEAR.finditer(folded)
             if m.group(1) != "2015" and not any(a <= m.start() < b for a, b in planned)
             and not re.search(r"(?<!\w)(?:sang|toi)\s*$", folded[max(0, m.start() - 6):m.start()])]
    latest = max(years, default=0)
    for m in _YEAR_CLAUSE.finditer(folded):
        y = int(m.group("y"))
        # "…; năm 2024 đã tinh giản 16 biên chế": the only year named, with a deed done, is the period's own
        done_now = (y == latest and len(set(years)) == 1 and _DONE.search(m.group(0)) is not None
                    and not re.search(r"(?<!\w)(?:nam nay|ky nay|nam truoc|cung ky)(?!\w)", folded))
        if y != 2015 and (y < latest or (folded[m.start()] == ";" and not done_now)):
            ranges.append(m.span())
    if len(set(years)) > 1:  # "Chỉ số CCHC năm 2023 của tỉnh đạt 87,12%, …; năm 2024 tỉnh phấn đấu …"
        pos = 0
        for part in re.split(r"(;)", folded):
            own = [int(y) for y in _YEAR.findall(part) if y != "2015"] if not _STRIVE.search(part) else []
            if own and max(own) < latest:
                ranges.append((pos, pos + len(part)))
            pos += len(part)
    for a, b in ranges:
        spans += [(a + n.start(), a + n.end()) for n in _CMP_NUMBER.finditer(folded[a:b])
                  if not _SET_ALREADY.match(folded, a + n.end())]
    return spans


# "… hoàn thành 8 nhiệm vụ còn lại trong tổng số 32 nhiệm vụ đề ra tại Kế hoạch …": what a plan already set
# is a figure even in a target sentence
_SET_ALREADY = re.compile(r"\s+(?:[^\W\d]+\s+){1,4}?(?:da |duoc )?(?:de ra|giao|phe duyet)(?!\w)")


# An earlier period a figure is compared with.  2015 is the catalog's own reference year ("giảm
# 12,5% so với năm 2015" is an indicator), and plans/targets are not periods ("đạt 62% so với kế hoạch").
_PERIOD = (r"(?:cung ky|ky truoc|ky bao cao truoc|nam truoc|quy truoc|thang truoc|dau (?:nam|ky)"
           r"|(?:\d{1,2} thang (?:dau |cuoi )?)?nam (?!2015)(?:19|20)\d{2}|quy (?:[ivx]{1,4}|[1-4])"
           r"|(?:\d{1,2} )?thang (?:dau |cuoi )?(?:nam )?(?:(?:19|20)\d{2}|truoc)|ngay \d|thoi diem (?!(?:nam )?2015)"
           r"|cuoi nam|giai doan truoc|lan (?:truoc|khao sat truoc))")
_SO_VOI_PERIOD = rf"so voi (?:cung |voi )?{_PERIOD}"
_DELTA = r"(?:tang|giam|it hon|nhieu hon|cao hon|thap hon|vuot)(?: them| duoc| len| xuong)?"
_NUM = NUMBER_TEXT
_COMPARISONS = [re.compile(p) for p in (
    # "tăng 6.103 hồ sơ so với năm 2023", "cao hơn 2,7 điểm phần trăm so với …", "thấp hơn cùng kỳ 4,1%"
    rf"(?<!\w){_DELTA} (?P<n>{_NUM})(?=[^;.()\d]{{0,40}}?{_SO_VOI_PERIOD})",
    rf"(?<!\w){_DELTA} (?:so voi )?{_PERIOD}[^;.,()\d]{{0,20}} (?P<n>{_NUM})",
    # "số hồ sơ trực tuyến so với cùng kỳ tăng 18,5%"
    rf"{_SO_VOI_PERIOD}[^;.()\d]{{0,30}}?(?<!\w){_DELTA} (?P<n>{_NUM})",
    # "bằng 112% so với cùng kỳ": a ratio to the earlier period
    rf"(?<!\w)(?:bang|dat|chiem) (?P<n>{_NUM})\s*%\s*{_SO_VOI_PERIOD}",
    # "đạt 99,62%, tăng 0,4%." / "tiếp nhận 58.214 hồ sơ, tăng 6.103 hồ sơ.": a bare difference after the figure
    rf"\d(?:\s*%|\s+[^\W\d]+(?: [^\W\d]+)?)\s*,\s*(?:tang|giam|it hon|nhieu hon|cao hon|thap hon)(?: them| duoc)? "
    rf"(?P<n>{_NUM})(?:\s*%| [^\W\d]+(?: [^\W\d]+)?)?\s*(?=[.;)]|$)",
    # "ít hơn 42 văn bản", "nhiều hơn 5": a difference whatever it is compared with
    rf"(?<!\w)(?:it hon|nhieu hon|diem phan tram)(?: so voi [^;.,\d]{{0,30}})? (?P<n>{_NUM})",
    rf"(?P<n>{_NUM})\s*diem phan tram",
    # "…, trong khi năm 2023 mới đạt 60%", "trong khi cùng kỳ chỉ có 412 hồ sơ": the earlier period's value
    # "giảm từ 143 xuống còn 121 đơn vị", "tăng từ 62% lên 81%": the level it moved from is an earlier one
    rf"(?<!\w)tu (?P<n>{_NUM})(?:\s*%)?(?: [^\W\d]+){{0,3}} (?:xuong|len)(?: con| den| thanh| muc)? {_NUM}",
    rf"(?<!\w)trong khi (?:{_PERIOD})[^;.()\d]{{0,20}}?(?:moi |chi )?(?:dat|la|co)(?: duoc)? (?P<n>{_NUM})",
)]
# "(năm 2023: 8.402 hồ sơ)", "(năm 2024 đạt 93,5%)", "(Quý II: 4.215 hồ sơ)", "(năm 2024 là 17 mô hình)"
_EARLIER_PAREN = re.compile(rf"\(\s*(?:{_PERIOD}|nam (?:19|20)\d{{2}})[^()]*?(?:\s*:|\s+(?:la|dat|co|chi co))\s*[^()]*\)")
# "so với 6 tháng đầu năm 2023 (312 thủ tục)", "so với năm 2023 (91,4%)": the earlier period's own figure
_AFTER_SO_VOI = re.compile(rf"{_SO_VOI_PERIOD}[^()\d;.,]{{0,25}}\(\s*[^()]*\)")
_CMP_NUMBER = re.compile(rf"(?<![\w/.,:\-]){_NUM}(?![\w/:]|[.,]\d)")


def comparison_spans(folded: str) -> list[tuple[int, int]]:
    """Numbers that compare with an earlier period: the difference and the earlier figure.

    "tiếp nhận 58.214 hồ sơ, tăng 6.103 hồ sơ so với năm 2023" has one figure, 58.214; "(năm 2023:
    8.402 hồ sơ)" is last year's.  Only the numbers are spanned, so clause parsing still reads the words.
    """
    spans = [m.span("n") for r in _COMPARISONS for m in r.finditer(folded)]
    for r in (_EARLIER_PAREN, _AFTER_SO_VOI):
        for m in r.finditer(folded):
            a = folded.index("(", m.start())
            spans += [(a + n.start(), a + n.end()) for n in _CMP_NUMBER.finditer(folded[a:m.end()])]
    # a sentence that opens with "So với cùng kỳ …," compares every delta in it
    if re.match(rf"\s*{_SO_VOI_PERIOD}", folded):  # … but "tăng lên 96,1%" is the level it rose to, not a delta
        spans += [m.span("n") for m in re.finditer(rf"(?<!\w){_DELTA} (?P<n>{_NUM})", folded)
                  if not re.search(r" (?:len|xuong)$", m.group(0)[:m.start("n") - m.start()].rstrip())]
    return spans


def inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(a < span[1] and span[0] < b for a, b in spans)


# --------------------------------------------------------------------------- subject rules


@dataclass(frozen=True)
class SubjectRule:
    """A number of `kind` whose subject matches `subject` (and its own clause `qualifier`) is `indicator`.

    kind: `count`, `percent` or `money`.  `forbid` vetoes on the number's own context.
    `inherit`: the subject may come from the clause just before (ellipsis); needs a
    qualifier of the number's own ("…, có mặt 1.795") or, for percentages, a rate verb.
    `ratio_right`: in "x/y" the right number is this indicator (x takes `indicator`).
    """

    indicator: str
    kind: str
    subject: str
    qualifier: str | None = None
    forbid: str | None = None
    inherit: bool = False
    ratio_right: str | None = None
    unit: str | None = None
    context: str | None = None  # the whole sentence must contain it
    wide: bool = False  # the subject may sit anywhere in the number's semicolon clause ("…văn bản …, … ISO")


_R = SubjectRule
_DTC = r"giai ngan|von dau tu cong|von dtc|dau tu cong"
_CO_MAT = r"(?<!\w)(?:co mat|hien co|thuc co|hien dang co)(?!\w)"
# Other funds than the public-investment plan: national target programmes, recurrent budgets, ODA.
_NOT_DTC = r"muc tieu quoc gia|mtqg|su nghiep|kinh phi|oda|thuong xuyen"
# Outgoing/incoming documents counted by how they were sent, not the total.
_NOT_VB_TOTAL = r"ky so|chu ky|dien tu|truc lien thong|lien thong|song song|ban giay|%"
_GIAO = r"(?<!\w)(?:duoc )?giao(?! (?:duc|thong|dich|luu|nhan|ban))(?!\w)|chi tieu"
# Staff counts of a movement (recruited, cut, disciplined …), not of posts assigned or present.
_STAFF_MOVES = r"tuyen dung|thi tuyen|xet tuyen|tinh gian|ky luat|nghi huu|thoi viec|bo nhiem|(?<!giao duc va )dao tao|boi duong|tiep nhan"
# the document system's links: a sentence naming that system and a link, not the one-stop system's
_LT_QLVB = (r"^(?!.*mot cua)(?=.*(?:quan ly van ban|qlvb|van ban (?:va )?dieu hanh))"
            r"(?=.*(?:ket noi|lien thong))")
# … the province's links when the system is named before the link ("Hệ thống … của tỉnh đã kết nối với 100% sở, ngành");
# named after it ("100% sở, ngành đã kết nối … hệ thống quản lý văn bản") the catalog's reading stays, for review
_LT_QLVB_TINH = r"^(?!.*mot cua).*(?:quan ly van ban|qlvb|van ban (?:va )?dieu hanh).*(?:ket noi|lien thong)"
SUBJECT_RULES: list[SubjectRule] = [
    # public investment: amounts and the disbursement rate
    _R("GIAI_NGAN_DTC_DA_THUC_HIEN", "money", r"giai ngan", forbid=_NOT_DTC, ratio_right="GIAI_NGAN_DTC_KE_HOACH"),
    _R("GIAI_NGAN_DTC_DA_THUC_HIEN", "money", r"(?:da|gia tri) thuc hien", context=r"von dau tu|dau tu cong|giai ngan",
       forbid=_NOT_DTC + r"|kinh phi", ratio_right="GIAI_NGAN_DTC_KE_HOACH"),
    _R("GIAI_NGAN_DTC_KE_HOACH", "money", r"ke hoach von|von ke hoach|von (?:dau tu cong|dtc)|von (?:duoc )?(?:giao|phan bo)|tong von"),
    _R("GIAI_NGAN_DTC_KE_HOACH", "money", r"(?<!\w)ke hoach(?!\w)", context=r"(?<!\w)von(?!\w)|giai ngan"),
    _R("GIAI_NGAN_DTC_TY_LE", "percent", r"giai ngan|von dau tu cong|von dtc", inherit=True, forbid=_NOT_DTC),
    # documents
    _R("VB_TY_LE_DIEN_TU_HOAN_TOAN", "percent", r"van ban[^;%]{0,40}?hoan toan[^;%]{0,30}?dien tu",
       forbid=r"song song"),
    _R("VB_DI_TONG_SO", "count", r"van ban di(?!\w)(?!,? (?:va )?den)", forbid=_NOT_VB_TOTAL),
    _R("NAR_VB_DEN_TONG_SO", "count", r"van ban den(?!\w)", forbid=r"van ban di,? (?:va )?den|" + _NOT_VB_TOTAL),
    _R("ISO_VAN_BAN", "count", r"#\s+van ban(?! (?:di|den|chi dao|quy pham|qppl))[^;%]{0,120}?(?:iso|htqlcl|he thong quan ly chat luong)"
       r"|iso[^;%]{0,40}?van ban",
       qualifier=r"ban hanh", forbid=r"quy trinh|tai lieu", wide=True),
    # on-time rate of dossiers
    _R("HS_TY_LE_DUNG_HAN", "percent",
       r"ho so[^;%]{0,60}?(?:(?:truoc|dung)(?: han)?,? (?:va )?)?(?:dung|truoc) (?:han|hen)",
       forbid=r"qua han|tre han|(?<!va )(?<!, )(?<!dung )truoc han(?! va)(?!,)|cap (?:tinh|huyen|xa)|(?:ubnd|so,? nganh) |dat dai|xay dung"),
    _R("HS_TY_LE_DUNG_HAN", "percent", r"ty le (?:[^;%]{0,30}?(?:giai quyet|tra ket qua)[^;%]{0,20}?)?dung (?:han|hen)",
       context=r"ho so", forbid=r"qua han|tre han|cap (?:tinh|huyen|xa)|(?:ubnd|so,? nganh) |dat dai|xay dung"),
    # e-government and service percentages named by their own clause
    _R("NAR_TY_LE_CBCC_MAY_TINH", "percent", r"(?:can bo|cong chuc|cbcc)[^;%]{0,40}?may (?:vi )?tinh"),
    _R("NAR_TY_LE_CBCC_TAI_KHOAN_DVC", "percent", r"(?:can bo|cong chuc|cbcc)[^;%]{0,40}?tai khoan"),
    _R("NAR_TY_LE_HS_CONG_VIEC_DIEN_TU", "percent", r"ho so cong viec"),
    _R("NAR_TY_LE_TTHC_CONG_KHAI", "percent", r"(?:tthc|thu tuc)[^;%]{0,30}?(?:cong khai|niem yet)",
       forbid=r"cong (?:dvc|dich vu cong)|tich hop|truc tuyen|muc do"),
    _R("HS_TY_LE_TIEP_NHAN_TRUC_TUYEN", "percent", r"ho so[^;%]{0,40}?(?:truc tuyen|qua mang)",
       forbid=r"(?:dung|truoc|qua|tre) (?:han|hen)|thanh toan"),
    _R("KS_MUC_DO_HAI_LONG", "percent", r"hai long", forbid=r"khong hai long"),
    # "Hệ thống quản lý văn bản và điều hành … đã kết nối, liên thông với 100% sở, ngành và 100% UBND cấp huyện": the
    # document system's links, by whose share follows the percentage (not the one-stop system's, MCDT_*)
    _R("LT_QLVB_SO_NGANH_TINH", "percent", r"#\s*%?\s*(?:cac )?so(?:,|\s*$| (?:ban,? )?nganh)", context=_LT_QLVB_TINH),
    _R("LT_QLVB_HUYEN_TINH", "percent", r"#\s*%?\s*(?:cac )?(?:(?:ubnd|uy ban nhan dan) (?:cap )?)?huyen",
       context=r"(?=.*(?:ubnd|uy ban nhan dan|cap|cua|voi) tinh)" + _LT_QLVB_TINH),
    _R("LT_QLVB_XA_HUYEN", "percent", r"#\s*%?\s*(?:cac )?(?:(?:ubnd|uy ban nhan dan) (?:cap )?)?xa(?!\w)",
       context=_LT_QLVB + r"(?=.*(?:ubnd|uy ban nhan dan|cap|cua|voi) huyen)"),
    # "đã cử 86 lượt cán bộ, công chức tham gia các lớp bồi dưỡng …", "1.128 lượt viên chức quản lý, giáo viên tham gia
    # bồi dưỡng …": people trained, named by who they are right after the number, in a sentence about training
    _R("BD_VIEN_CHUC", "count", r"#\s*(?:luot\s+)?(?:vien chuc|giao vien)(?!\w)", context=r"boi duong",
       forbid=r"tuyen dung|thi tuyen|xet tuyen|tinh gian|ky luat|nghi huu|thoi viec|bo nhiem|co mat|%"),
    _R("BD_CBCC", "count", r"#\s*(?:luot\s+)?(?:can bo,? (?:cong chuc|cc)|cong chuc|cbcc)(?!\w)(?!,? vien chuc)",
       context=r"boi duong", wide=True,
       forbid=r"tuyen dung|thi tuyen|xet tuyen|tinh gian|ky luat|nghi huu|thoi viec|bo nhiem|co mat|%"),
    # "Bộ phận Một cửa UBND huyện hiện đang tiếp nhận 287 TTHC …": procedures the one-stop shop takes in, by its level
    _R("TTHC_MOT_CUA_HUYEN", "count", r"tiep nhan\s+#\s*(?:tthc|thu tuc)",
       context=r"^(?:(?!\bxa\b|phuong|thi tran).)*(?:mot cua|bo phan tiep nhan va tra ket qua)[^;]*?(?:ubnd|uy ban nhan dan|cap) "
               r"(?:huyen|quan|thi xa)(?!\w)",
       forbid=r"truc tuyen|buu chinh|%|ho so"),
    _R("TTHC_MOT_CUA_XA", "count", r"tiep nhan\s+#\s*(?:tthc|thu tuc)",
       context=r"(?:mot cua|bo phan tiep nhan va tra ket qua)[^;]*?(?:ubnd|uy ban nhan dan|cap) (?:xa|phuong|thi tran)(?!\w)",
       forbid=r"truc tuyen|buu chinh|%|ho so"),
    # "Có 92% báo cáo định kỳ … được gửi, nhận trên Hệ thống thông tin báo cáo quốc gia": a share of the reports after it
    _R("BC_TY_LE_QUA_HTTTBC", "percent", r"(?:#\s*%?\s*(?:so )?|ty le )bao cao[^;%\d]{0,80}?(?:he thong thong tin bao cao|htttbc)",
       wide=True),
    # public postal service (BCCI): of procedures with dossiers by post, of dossiers received, of results returned
    _R("BCCI_TY_LE_TTHC", "percent", r"phat sinh|#\s*%?\s*(?:so )?(?:tthc|thu tuc)",
       context=r"(?:tthc|thu tuc)[^;%\d]{0,40}?phat sinh[^;%\d]{0,60}?(?:buu chinh|bcci)"),
    _R("BCCI_TY_LE_KET_QUA", "percent", r"(?:ho so|ket qua)[^;%\d]{0,30}?tra ket qua[^;%\d]{0,20}?(?:buu chinh|bcci)"
       r"|(?:buu chinh|bcci)[^;%\d]{0,20}?tra ket qua\s+#|tra ket qua\s+#\s*(?:\S+\s+)?ho so",
       forbid=r"tthc|thu tuc|tiep nhan", context=r"buu chinh|bcci"),
    _R("BCCI_TY_LE_HS_TIEP_NHAN", "percent", r"(?:ho so[^;%\d]{0,30}?tiep nhan[^;%\d]{0,20}?(?:buu chinh|bcci))"
       r"|(?:buu chinh|bcci)[^;%\d]{0,20}?tiep nhan\s+#|tiep nhan\s+#\s*(?:\S+\s+)?ho so",
       forbid=r"tthc|thu tuc|tra ket qua", context=r"buu chinh|bcci"),
    # staff per sector, public-service staff, civil-servant posts
    _R("NAR_NLV_CO_MAT_GIAO_DUC", "count", r"giao duc", qualifier=_CO_MAT, inherit=True, forbid=_STAFF_MOVES),
    _R("NAR_NLV_CO_MAT_Y_TE", "count", r"(?<!\w)y te(?!\w)", qualifier=_CO_MAT, inherit=True, forbid=_STAFF_MOVES),
    _R("NLV_CO_MAT", "count", r"nguoi lam viec|(?<!\w)vien chuc|bien che su nghiep", qualifier=_CO_MAT,
       inherit=True, ratio_right="NLV_GIAO", forbid=_STAFF_MOVES),
    _R("NLV_GIAO", "count", r"nguoi lam viec|(?<!\w)vien chuc|bien che su nghiep", qualifier=_GIAO, inherit=True,
       forbid=_CO_MAT + "|" + _STAFF_MOVES),
    _R("BIEN_CHE_CO_MAT", "count", r"bien che", qualifier=_CO_MAT, inherit=True,
       forbid=r"su nghiep|nguoi lam viec|vien chuc|" + _STAFF_MOVES, ratio_right="BIEN_CHE_GIAO"),
    _R("BIEN_CHE_GIAO", "count", r"bien che", qualifier=_GIAO, inherit=True,
       forbid=r"su nghiep|nguoi lam viec|vien chuc|" + _CO_MAT + "|" + _STAFF_MOVES),
    # dossiers received, named by "tiếp nhận" in the number's own clause ("Kết quả tiếp nhận hồ sơ: 3.529")
    # "- Đã trả kết quả: 798 hồ sơ, trong đó trước hạn: 640 …": dossiers returned are those resolved
    _R("NAR_HS_DA_GIAI_QUYET", "count", r"(?:^|[-+•*]\s*|\W)(?:da )?tra ket qua\s*:?\s*#\s*ho so",
       forbid=r"buu chinh|bcci|truc tuyen|qua mang|(?:dung|truoc|qua|tre) han|%"),
    _R("HS_TONG_SO", "count", r"tiep nhan(?: moi)? ho so|ho so (?:da |duoc )*tiep nhan|(?<!\w)(?:da )?nhan(?: duoc)?\s+#\s+ho so",
       forbid=r"truc tuyen|truc tiep|qua mang|buu chinh|giai quyet|ky truoc|dang|%|tra ket qua|(?:dung|qua|truoc) han"),
    # TTHC under the body's competence: the catalog's total in force (as `tthc_tong_label`)
    # … of a commune, ward or town's people's committee, or a district's ("… của UBND phường: 112 TTHC")
    _R("TTHC_HIEU_LUC_CAP_XA", "count", r"(?:tthc|thu tuc(?: hanh chinh)?)[^;%\d]{0,40}?thuoc tham quyen[^;%\d]{0,30}?"
       r"(?:cap xa|(?:ubnd|uy ban nhan dan) (?:cac )?(?:xa|phuong|thi tran))(?!\w)",
       forbid=r"cap (?:tinh|huyen|trung uong)|lien thong|mot cua|muc do|truc tuyen|cong bo|bai bo|thay the|sua doi|%"),
    _R("TTHC_HIEU_LUC_CAP_HUYEN", "count", r"(?:tthc|thu tuc(?: hanh chinh)?)[^;%\d]{0,40}?thuoc tham quyen[^;%\d]{0,30}?"
       r"(?:cap huyen|(?:ubnd|uy ban nhan dan) (?:cac )?(?:huyen|quan|thi xa))(?!\w)",
       forbid=r"cap (?:tinh|xa|trung uong)|lien thong|mot cua|muc do|truc tuyen|cong bo|bai bo|thay the|sua doi|%"),
    _R("TTHC_HIEU_LUC_TONG", "count", r"(?:tthc|thu tuc(?: hanh chinh)?)[^;%\d]{0,40}?thuoc tham quyen",
       forbid=r"cap (?:tinh|huyen|xa|trung uong)|(?:ubnd|uy ban nhan dan) (?:tinh|huyen|xa|phuong|thi tran|quan|thi xa)"
              r"|lien thong|mot cua"
              r"|muc do|truc tuyen|cong bo|bai bo|thay the|sua doi|%"),
]

_NUMBER = NUMBER_IN_TEXT
_RATIO = re.compile(r"(?<![\w/.,:\-])(" + NUMBER_TEXT + r")\s*/\s*(" + NUMBER_TEXT + r")(?![\w/:]|[.,]\d)")
_BOUNDARY = re.compile(r";|,(?!\d)|\(|\)|:(?!\s*\d)|\.(?!\d)")
_PERCENT_AFTER = re.compile(r"\s*%")
_MONEY_AFTER = re.compile(r"\s*(?:(?:trieu|ty|nghin|ngan) dong|dong)(?!\w)")
_MONEY_RATIO_RIGHT = re.compile(r"\s*/\s*(" + NUMBER_TEXT + r")(?![\w/:]|[.,]\d)")
_LEGEND = re.compile(r"\s*\([^()\d]{2,40}\)")
_RATE_VERB = re.compile(r"(?<!\w)(?:dat|bang|la|chiem|duoc|ty le)(?!\w)")
_AFTER_STOP = re.compile(r"/|;|,(?!\d)|\(|\)|\.(?!\d)|(?<!\w)(?:va|trong do|gom|dat)(?!\w)")


@dataclass
class ClauseFigure:
    """One number and the indicator its subject names; offsets in the sentence."""

    indicator: str
    span: tuple[int, int]
    phrase: tuple[int, int]
    kind: str
    unit_span: tuple[int, int] | None  # the unit words ("triệu đồng") for amounts
    inherited: bool  # the subject came from the clause before (or the list's header)
    guessed: bool = False  # … from further back, or its verb from a parallel item: flagged for review


def figure_kind(folded: str, end: int) -> tuple[str, tuple[int, int] | None]:
    """What the number ending at `end` counts: "percent", "money" (with the unit's span) or "count"."""
    if _PERCENT_AFTER.match(folded, end):
        return "percent", None
    m = _MONEY_AFTER.match(folded, end)
    if m:
        return "money", (m.start() + len(m.group(0)) - len(m.group(0).lstrip()), m.end())
    return "count", None


def _segments(folded: str) -> list[int]:
    """Offsets where clauses start (0 and after each boundary)."""
    return [0] + [m.end() for m in _BOUNDARY.finditer(folded)]


def _match_rule(kind: str, context: str, own: str, *, inherited: bool, sentence: str = "",
                wide: str = "", prev: str = "") -> SubjectRule | None:
    """The first rule whose subject `context` names; qualifier and veto read on `own`.

    `wide` (the number's whole semicolon clause) stands for `context` in `wide` rules; `prev`
    (the clause before) may hold the qualifier of a parallel list: "giáo dục có mặt 31, y tế 22".
    """
    for rule in SUBJECT_RULES:
        if rule.kind != kind or (inherited and not rule.inherit):
            continue
        if rule.context and not re.search(rule.context, sentence):
            continue
        if not re.search(rule.subject, wide if (rule.wide and wide) else context):
            continue
        if rule.forbid and re.search(rule.forbid, own):
            continue
        if rule.qualifier and not re.search(rule.qualifier, own) and not (
                rule.inherit and not inherited and prev and re.search(rule.qualifier, prev)
                and re.search(rule.subject, own)):
            continue
        if inherited and not rule.qualifier and not _RATE_VERB.search(own):
            continue
        return rule
    return None


# Verbs that make a clause say something else than the list it follows ("…, đã tinh giản 12 biên chế").
_ACTION = re.compile(r"(?<!\w)(?:tinh gian|tuyen dung|ky luat|nghi huu|thoi viec|chuyen cong tac|giam|tang|"
                     r"bo nhiem|dao tao|boi duong|tiep nhan|giai quyet|ban hanh|kiem tra|xu ly)(?!\w)")
_OWN_SUBJECT = re.compile(r"(?<!\w)(?:ty le|tong so|so luong|so|muc do)(?!\w)(?! (?:co mat|hien co|duoc|da|la)(?!\w))")


_BARE_RATE = re.compile(r"^\s*ty le(?: (?:dat|la|bang|chiem))?\s*:?\s*$")


def _elliptic(prefix: str) -> bool:
    """A clause with no subject of its own: a few words of verb before the number ("có mặt", "đạt",
    a bare "tỷ lệ"); `prefix` comes with its dates and periods already blanked."""
    if _BARE_RATE.match(prefix):
        return True
    words = re.findall(r"\w+", prefix)
    return len(words) <= 4 and not _OWN_SUBJECT.search(prefix)


def _blank(text: str, start: int, protected: list[tuple[int, int]]) -> str:
    """`text` (found at `start`) with the protected spans in it removed: "có mặt đến 30/6/2024 là"."""
    out = list(text)
    for a, b in protected:
        for i in range(max(a, start), min(b, start + len(text))):
            out[i - start] = " "
    return re.sub(r"\s+", " ", "".join(out))


def clause_figures(folded: str, protected: list[tuple[int, int]]) -> list[ClauseFigure]:
    """Figures in a folded sentence whose subject a `SUBJECT_RULES` entry names."""
    numbers: list[tuple[int, int, int | None]] = []  # (start, end, ratio partner index)
    ratios: dict[int, tuple[int, int]] = {}
    for m in _RATIO.finditer(folded):
        if inside(m.span(), protected):
            continue
        ratios[m.start(1)] = m.span(2)
    for m in _NUMBER.finditer(folded):
        if not inside(m.span(), protected):
            numbers.append((m.start(), m.end(), None))
    for a, (b0, _b1) in ratios.items():
        left_end = a + len(re.match(r"[\d.,]+", folded[a:]).group(0))  # type: ignore[union-attr]
        numbers.append((a, left_end, b0))
    numbers.sort()
    starts = _segments(folded)
    out: list[ClauseFigure] = []
    prev_end = 0
    ratio_rights = {r[0] for r in ratios.values()}
    for start, end, partner in numbers:
        if start in ratio_rights:
            continue  # read with its left side
        seg0 = max(s for s in starts if s <= start)
        own_from = max(seg0, prev_end)
        right_end = ratios[start][1] if partner is not None else end
        kind, unit_span = figure_kind(folded, right_end)
        stop = _AFTER_STOP.search(folded, right_end)
        nxt = next((m for m in _NUMBER.finditer(folded, right_end) if not inside(m.span(), protected)), None)
        after_to = min(stop.start() if stop else len(folded), nxt.start() if nxt else len(folded),
                       right_end + 80)
        legend = _LEGEND.match(folded, after_to)  # "3.496/9 (có mặt/được giao)": the legend names them
        if legend:
            after_to = legend.end()
        own = folded[own_from:start] + " # " + folded[right_end:after_to]
        prev_end = after_to
        if kind == "money" and partner is None and unit_span is not None:
            mr = _MONEY_RATIO_RIGHT.match(folded, unit_span[1])  # "689,9 tỷ đồng/4.071,2 tỷ đồng"
            if mr:
                partner = mr.start(1)
                ratios[start] = mr.span(1)
                right_end = mr.end(1)
        semi_end = folded.find(";", right_end)
        wide = own + folded[after_to:semi_end if semi_end >= 0 else len(folded)]
        before = [s for s in starts if s < seg0]
        prev = folded[before[-1]:seg0] if before and seg0 > 0 else ""
        rule = _match_rule(kind, own, own, inherited=False, sentence=folded, wide=wide)
        guessed = False
        if rule is None and not _ACTION.search(folded[own_from:start]):  # a parallel list item
            rule = _match_rule(kind, own, own, inherited=False, sentence=folded, wide=wide, prev=prev)
            guessed = rule is not None  # its verb ("có mặt", "giao") is the previous item's: a guess
        inherited = False
        subj_from = own_from
        # "tỷ lệ hồ sơ giải quyết đúng hạn duy trì ở mức cao (đạt 98,9%)": a bare rate in brackets is the one its
        # clause just named
        if (rule is None and kind == "percent" and before and folded[seg0 - 1] == "("
                and _elliptic(_blank(folded[own_from:start], own_from, protected))):
            rule = _match_rule(kind, folded[before[-1]:seg0 - 1], own, inherited=False, sentence=folded)
            if rule is not None:
                inherited, subj_from = True, before[-1]
        if rule is None and seg0 > 0 and _elliptic(_blank(folded[own_from:start], own_from, protected)):
            before = [s for s in starts if s < seg0]
            # The clause just before ("…được giao 1.863, có mặt 1.795"), else a list's header
            # before its colon ("Về người làm việc: giao 26, có mặt 13"), else two clauses back
            # — that last one is a guess and is flagged.
            colon = folded.rfind(":", 0, before[-1] if before else 0)
            header = (0, colon) if colon > 0 and not re.match(r"\s*\d", folded[colon + 1:]) else None
            options = [(before[-1], seg0, False)] if before else []
            if header:
                options.append((header[0], header[1], False))
            if len(before) >= 2:
                options.append((before[-2], before[-1], True))
            for a, b, is_guess in options:
                rule = _match_rule(kind, folded[a:b], own, inherited=True, sentence=folded)
                if rule is not None:
                    inherited, guessed, subj_from = True, is_guess, a
                    break
        if rule is None:
            continue
        if partner is not None and rule.ratio_right is None:
            continue  # "x/y" of a subject without a ratio rule: the registry's ratio patterns read it
        phrase = (subj_from, after_to)
        out.append(ClauseFigure(rule.indicator, (start, end), phrase, kind, unit_span, inherited, guessed))
        if partner is not None and rule.ratio_right:
            right_unit = figure_kind(folded, ratios[start][1])[1] or unit_span  # "… tỷ đồng/495 triệu đồng"
            out.append(ClauseFigure(rule.ratio_right, ratios[start], phrase, kind, right_unit, inherited, guessed))
    return out
