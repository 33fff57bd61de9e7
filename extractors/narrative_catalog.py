"""Subjects read from the catalog's own labels: any indicator a sentence names, not only the tuned ones.

Why: the named patterns and frames of `narrative_patterns` cover the wordings that were tuned
on; a report that states a table-row indicator in prose ("Bộ có 08 Vụ, 11 Cục", "Số TTHC thực
hiện 4 tại chỗ là 27 thủ tục") went unread.  Here every count, percentage and amount
indicator of the catalog (labels and aliases, abbreviations contracted) becomes a bag of
weighted syllables; a number's subject — the words of its own clause before it, the noun
phrase after it, and (weaker) the rest of its semicolon clause — is scored against every
label of the same kind (IDF-weighted share of the label found, minus the subject words the
label does not explain).  The best label, when it clearly wins, names the figure.

Precision first: a figure is auto-accepted only when the label is covered almost entirely
from the number's own clause and no other label comes close; a weaker but still clear match
is kept for review (`needs_review`), and anything less is left unmapped.  The same scores
let a generic figure read by a pattern give way to a more specific catalog indicator the
clause names ("lĩnh vực đất đai … đúng hạn 93,6%" is the land-sector rate, not the overall).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from cchc.core.vntext import NUMBER_IN_TEXT, NUMBER_TEXT, clean
from cchc.core.vntext import fold_aligned as fold
from extractors.narrative_clauses import figure_kind


@functools.lru_cache(maxsize=1)
def _catalog():  # type: ignore[no-untyped-def]
    """The indicator catalog, or None while it cannot be loaded (no catalog subjects then)."""
    try:
        from indicator_catalog import load_catalog

        return load_catalog()
    except Exception:
        return None


# Folded multi-syllable terms contracted to one token, so that label and text agree whether the
# report spells them out or abbreviates them (order matters: longest first).
_DEEDS_ON_RULES = r"bai bo|thay the|sua doi|bo sung|huy bo|dinh chi"
_CONTRACT: list[tuple[str, str]] = [
    (r"tinh (?:den|tu|luy ke|theo|tren|chung)", " "),  # "tính đến": to count, not a province
    (r"van ban quy pham phap luat|vb ?qppl", "vbqppl"),
    (r"van ban di,? (?:va )?den|van ban den,? (?:va )?di", "vanbandiden"),  # both together: no catalog figure
    (r"van ban di", "vanbandi"),
    (r"van ban den", "vanbanden"),
    (r"noi vu", "noivu"),
    # "Số đơn vị sự nghiệp tại thời điểm báo cáo" is a row of its own: its words set it apart from the total
    (r"(?:tai |den )?thoi diem bao cao", "thoidiembaocao"),
    (r"quy pham phap luat", "qppl"),
    (r"thu tuc hanh chinh|thu tuc", "tthc"),
    (r"don vi su nghiep cong lap|don vi su nghiep|don vi sncl|dvsncl|dvsn", "dvsn"),
    (r"(?:o )?(?:uy ban nhan dan|ubnd)", "ubnd"),
    (r"hoi dong nhan dan", "hdnd"),
    # a town's committee (UBND thị xã) is a district-level one, not a commune's (xã)
    (r"ubnd (?:cac )?thi xa(?!\w)", "ubnd huyen"),
    (r"xa,? (?:phuong,? )?thi tran|xa,? phuong", "xa"),
    (r"phong,? ban(?:,? (?:bo phan|don vi))?", "phong"),
    (r"(?:cac )?so,? (?:ban,? )?nganh", "songanh"),
    (r"cai cach hanh chinh", "cchc"),
    (r"mo hinh,? (?:va )?sang kien|sang kien,? (?:va )?mo hinh", "mohinhsangkien"),  # one pair in labels and reports: no list comma
    (r"noi dung,? (?:va )?tham quyen", "noi dung tham quyen"),  # "trái pháp luật về nội dung, thẩm quyền"
    (r"co quan ban hanh", "coquanbanhanh"),
    # "văn bản không phải là VBQPPL nhưng có chứa QPPL": one kind of document ("chứa" is no "chưa")
    (r"khong phai (?:la )?vbqppl,? nhung (?:co )?chua qppl", "vbchuaqppl"),  # the issuing body ("đã được cơ quan ban hành xử lý"), not the deed
    # a list of deeds on the same things ("bãi bỏ, thay thế", "sửa đổi, bổ sung, thay thế, bãi bỏ") has no
    # clause boundary inside (twice: the matches of one pass do not overlap; only a comma is a join to make, so
    # the second pass reaches the comma the first one stepped over in "sửa đổi, bổ sung, thay thế, bãi bỏ")
    (rf"({_DEEDS_ON_RULES}), ({_DEEDS_ON_RULES})", r"\1 \2"),
    (rf"({_DEEDS_ON_RULES}), ({_DEEDS_ON_RULES})", r"\1 \2"),
    (r"(?:trien khai|ap dung|xay dung)(?:,? ap dung)? moi", "trienkhaimoi"),  # "áp dụng mới 02 đơn vị" (ISO): new to it
    (r"vu,? cuc,? (?:va )?tong cuc", "vu cuc tongcuc"),  # "các vụ, cục, tổng cục": one owner, no list comma
    (r"vu,? (?:va )?cuc", "vu cuc"),
    (r"phan anh,? kien nghi|phan anh|pakn", "pakn"),
    (r"dich vu cong", "dvc"),
    (r"(?:cong|trang)(?: ?/ ?(?:cong|trang))? (?:thong tin dien tu|ttdt)", "congttdt"),
    (r"thong tin dien tu", "ttdt"),
    (r"buu chinh cong ich|bcci", "bcci"),
    (r"can bo,? cong chuc,? vien chuc|cbccvc", "cbcc vien chuc"),
    (r"can bo,? cong chuc|cbcc", "cbcc"),
    (r"cbcc vien chuc,? va nguoi lao dong", "cbccvcld"),
    (r"quan ly van ban", "qlvb"),
    (r"co quan hanh chinh(?: nha nuoc)?|cqhc", "cqhc"),
    (r"co quan nha nuoc|cqnn", "cqnn"),
    (r"thu tuong(?: chinh phu)?|ttg", "ttg"),
    (r"ngan sach nha nuoc|nsnn", "nsnn"),
    (r"he thong quan ly chat luong|htqlcl", "htqlcl"),
    (r"tieu chuan quoc gia|tcvn", "tcvn"),
    (r"quan ly nha nuoc|qlnn", "qlnn"),
    (r"giao duc(?: va| -|,)? dao tao|gd ?- ?dt", "giaoduc"),
    (r"con trong (?:thoi )?han(?: giai quyet)?|dang trong (?:thoi )?han", "dang giaiquyet"),
    (r"dang (?:trien khai|thuc hien|xem xet|xu ly)", "dang"),
    (r"giao duc", "giaoduc"),
    (r"linh vuc", " "),
    (r"van hoa(?:,| -| va)? (?:the duc )?the thao|van hoa", "vanhoa"),
    (r"ho so", "hoso"),
    (r"y te", "yte"),
    (r"khong ke", " "),
    (r"truc thuoc", "thuoc"),
    (r"toan (?:tinh|huyen|xa|bo|nganh)", " "),  # the scope of a count, not its level
    (r"tren (?:toan )?dia ban(?: (?:tinh|huyen|xa|thanh pho))?", " "),  # … as "trên địa bàn tỉnh" is
    (r"(?:ca )?ve dang(?: va chinh quyen)?", " "),  # "kỷ luật về Đảng": which track, not which figure
    (r"(?:bi )?xu ly ky luat", "bi ky luat"),
    (r"(?:moi |van )?chi (dat|co|la|con)", r"\1"),  # "chỉ đạt 91,2%": only, not "chi" (spending)
    (r"\((?:o )?(?:ca )?(?:\d|ba|hai) cap\)", " "),  # "(ở cả 3 cấp)": all levels, an aside  # "bị xử lý kỷ luật": disciplined, no other deed
    (r"(?:hien|thuc|hien dang) co|co mat", "comat"),
    (r"dat dai", "datdai"),
    (r"xay dung", "xaydung"),
    (r"(?:su nghiep|linh vuc|nganh) (giaoduc|yte|vanhoa|datdai|xaydung)", r"\1"),
    (r"trong (?:ky|quy|nam|thang)|hang nam", " "),
    (r"muc do (\d)", r"md\1"),
    # since Decree 42/2022 "toàn trình" / "một phần" name the old levels 4 and 3 of online services
    (r"(?:truc tuyen )?toan trinh", "tructuyen md4"),
    (r"(?:truc tuyen )?mot phan(?= (?:la|dat|:|co|voi|\d))", "tructuyen md3"),
    (r"(?<!thong )qua (thi tuyen|xet tuyen)", r"thong qua \1"),  # "bổ nhiệm qua thi tuyển"
    # an autonomy band "từ 70% đến dưới 100%" is a name, not two figures
    (r"(?:tu )?(\d+) ?% ?(?:-|den) ?(?:duoi )?(\d+) ?%", r"band\1x\2"),
    (r"(?:dung|truoc) (?:han )?va (?:truoc|dung) (?:han|hen)|(?:dung|truoc),? (?:truoc|dung) (?:han|hen)", "dunghan"),
    (r"dung (?:han|hen)", "dunghan"),
    (r"chan chinh,? khac phuc|khac phuc|chan chinh", "xuly"),
    (r"ton tai,? han che|ton tai|han che|sai sot|thieu sot", "vande"),
    (r"(?:qua|tre) (?:han|hen)", "quahan"),
    (r"truoc (?:han|hen)", "truochan"),
    (r"dien tu hoa|dien tu", "dientu"),
    (r"truc tuyen|qua mang|tren mang|moi truong mang", "tructuyen"),
    (r"mot cua", "motcua"),
    (r"ket noi,? (?:va )?lien thong", "ketnoi lienthong"),  # one verb pair: its comma ends no clause
    (r"nguoi dan,? (?:va |hoac )?(?:to chuc|doanh nghiep)", "nguoidan tochuc"),  # one subject pair, likewise
    (r"lien thong", "lienthong"),
    (r"tu (?:bao|dam) (?:dam|bao)|tu chu", "tuchu"),
    (r"(?:nha nuoc|ngan sach) (?:bao|dam) (?:dam|bao)", "nnbaodam"),
    (r"don vi hanh chinh", "dvhc"),
    (r"to chuc hanh chinh", "cqhc"),
    (r"tong cuc", "tongcuc"),
    (r"huyen uy", "huyenuy"),
    (r"dang uy", "danguy"),
    (r"chu ky so|chung thu so", "chukyso"),
    (r"ky so", "kyso"),
    (r"hop thu dien tu|hop thu", "hopthu"),
    (r"truc lien thong|truc lienthong", "truclt"),
    (r"dia gioi hanh chinh", "diagioi"),
    (r"4 tai cho|bon tai cho", "bontaicho"),
    (r"vi tri viec lam", "vtvl"),
    (r"nguoi lam viec", "nlv"),
    (r"bien che", "bienche"),
    (r"hop dong lao dong|hop dong", "hdld"),
    (r"ky luat", "kyluat"),
    (r"bo nhiem", "bonhiem"),
    (r"tuyen dung|thi tuyen|xet tuyen", "tuyendung"),
    (r"boi duong|tap huan|dao tao", "boiduong"),
    (r"tinh gian|cat giam", "tinhgian"),
    (r"kiem tra", "kiemtra"),
    (r"ra soat", "rasoat"),
    (r"khao sat", "khaosat"),
    (r"giai quyet", "giaiquyet"),
    (r"tiep nhan", "tiepnhan"),
    (r"cong khai|niem yet", "congkhai"),
    (r"quy trinh noi bo|qtnb", "qtnb"),
    (r"quy trinh", "quytrinh"),
    (r"chi dao|lanh dao|dieu hanh", "chidao"),
    (r"giai ngan", "giaingan"),
    (r"dau tu cong|dtc", "dtc"),
    (r"ke hoach", "kehoach"),
    (r"nhiem vu", "nhiemvu"),
    (r"mo hinh|sang kien", "mohinh"),
]
_CONTRACT_RES = [(re.compile(rf"(?<!\w)(?:{a})(?!\w)"), b) for a, b in _CONTRACT]

# Words that say nothing of which indicator: quantity words, particles, the period, levels' "cấp".
_STOP = frozenset("""
so tong luong ty le cac da duoc cua trong va la dat co nhung nay cho voi theo tai o ve do cap hoac
nhu viec den tu dau nam ky quy thang ngay moi mot gom bao the cu con len hien nay toan nao tren
duoi bang chiem khoang gan hon dong trieu ty nguoi lan luot ca tongso soluong tyle phantram
thuchien luyke thoidiem baocao doivoi tuongduong trong do bao gom
""".split())
_NUM = NUMBER_IN_TEXT
_TOKEN = re.compile(r"[a-z0-9]+")
# Words that close a number's own subject on its left (a new clause or list item starts).
_LEFT_STOP = re.compile(r",(?!\d)|[;()]|:(?!\s*$)|(?<!\w)(?:va|trong do|gom|bao gom|nhung|voi(?=\s*$)|tuong ung|tren tong ?so)(?!\w)")
# "842 TTHC trên tổng số 1.013 TTHC …, đạt tỷ lệ 83,12%": the whole ends the total's subject, not the rate's
_LEFT_STOP_RATE = re.compile(r",(?!\d)|[;()]|:(?!\s*$)|(?<!\w)(?:va|trong do|gom|bao gom|nhung|voi(?=\s*$)|tuong ung)(?!\w)")
_RIGHT_STOP = re.compile(r",(?!\d)|[;()/:]|\.(?!\d)|(?<!\w)(?:va|trong do|gom|dat|chiem|tuong ung|sau khi|nhung|(?:voi )?(?:tyle|ty le)|do co)(?!\w)")
# The number is a duration, a count of days or an age, not an indicator's figure.
_NOT_FIGURE_UNIT = re.compile(r"\s*(?:ngay|gio|phut|tuan|thang|nam|tuoi|lan thu|km|m2|ha)(?!\w)")
# A document cited by kind and number ("theo Nghị định số 61/2018/NĐ-CP"): its kind is no subject.
_DOC_REF = re.compile(r"(?<!\w)(?:theo |tai |cua )?(?:nghi ?dinh|thong ?tu|quyet ?dinh|ke ?hoach|bao ?cao|cong van|chi thi"
                      r"|nghi ?quyet|van ?ban|huong dan|thong bao|luat)(?: (?:lien tich|so))* ?\d[\w/.:\-]*")
_HEADING_NUMBER = re.compile(r"\.(?:\s|$)")
# "…, gồm: giáo dục 812; y tế 39; lĩnh vực khác 174.": the last item of a colon list, not a heading number
_LIST_TAIL = re.compile(r":[^:]*[,;]\s*[^\W\d][^,;:\d]{0,60}\s$")
_LEGEND_CODE = re.compile(r"[a-z]\s*=\s*\d")
_PLAN = re.compile(r"(?<!\w)(?:du kien|se|phan dau|de nghi|nham|muc tieu|chua|khong(?! phu thuoc))(?!\w)")
_RATE = re.compile(r"(?<!\w)(?:tyle|ty le|dat|chiem|bang|la|muc do)(?!\w)")
_RATE_AFTER = re.compile(r"\s*(?:kehoach|so voi|tong so)(?!\w)")
_YEAR = re.compile(r"(?:19|20)\d\d")  # "kế hoạch vốn 2024": a year, never a count here
# "đạt 100% kế hoạch kiểm tra": one activity's plan, which no catalog indicator measures.
_ACTIVITY_PLAN = re.compile(r"\s*% (?:so voi |cua )?kehoach (?!cchc)[a-z]")
_ELLIPTIC = re.compile(r"^[\s(]*(?:(?:tyle|ty le|dat|la|bang|chiem|tuong ung|voi|so voi)\s*:?\s*)*$")

# What was done to what is counted: an action word of the number's own clause that a label lacks
# speaks against that label far more than a missing qualifier ("kiểm tra 12 phòng chuyên môn").
_ACTIONS = frozenset("""
kiemtra bonhiem boiduong banhanh giaiquyet tiepnhan tinhgian tuyendung kyluat congkhai rasoat
khaosat giao dang hoanthanh xuly phathien apdung tuchu congbo baibo thaythe comat tichhop
ketnoi lienthong pheduyet nnbaodam quahan truochan dunghan kyso dieukien trienkhaimoi
""".split())
# The kind of thing a count counts, read from the noun after the number and from the label's unit
# or head noun: "2.274 người" is never a number of units, "12 đơn vị" never a number of people.
_NOUN_CLASS: list[tuple[str, str]] = [
    ("person", r"nguoi|luot|cbcc|cong chuc|congchuc|vien chuc|vienchuc|can bo|canbo|lanh dao|chidao vien|truong hop|truonghop"),
    ("dossier", r"hoso"),
    ("procedure", r"tthc"),
    ("document:vbqppl", r"vbqppl"),
    ("document:nghiquyet", r"nghi quyet|nghiquyet"),
    ("document:quyetdinh", r"quyet dinh|quyetdinh"),
    ("document:thongtu", r"thong tu|thongtu"),
    ("document:nghidinh", r"nghi dinh|nghidinh"),
    ("document:luat", r"luat|phap lenh|phaplenh"),
    ("document", r"vanban|vanbandi|vanbanden"),
    ("body:dvsn", r"dvsn"),
    ("body:admin", r"ubnd|xa|huyen|tinh|dvhc"),
    ("body:phong", r"phong"),
    ("body:so", r"songanh|so"),
    ("body:vu", r"vu"),
    ("body:cuc", r"cuc"),
    ("body:tongcuc", r"tongcuc"),
    ("body", r"donvi|don vi|coquan|co quan|cqhc|tochuc|to chuc"),
    ("task", r"nhiemvu"),
    ("course", r"lop"),
]
_NOUN_CLASS_RES = [(k, re.compile(rf"^\s*(?:{r})(?!\w)")) for k, r in _NOUN_CLASS]


_UNIT_NOUNS = frozenset({"donvi", "coquan", "nguoi", "luot", "tochuc", "truong", "hop", "truonghop"})


def _same_noun(a: str, b: str) -> bool:
    """Equal classes, or a generic one ("văn bản", "đơn vị") against a specific kind of it."""
    return a == b or (a.split(":")[0] == b.split(":")[0] and (":" not in a or ":" not in b))


def _noun_class(text: str) -> str | None:
    """The class of the first noun of a contracted text ("người" → person), if any."""
    for key, regex in _NOUN_CLASS_RES:
        if regex.match(text):
            return key
    return None


ACCEPT = 0.86  # label covered at least this much from the number's own clause: auto-accepted
REVIEW = 0.62  # … at least this much (own clause and its sentence): kept, flagged for review
STRONG = 0.70  # "z% <noun> <did>" is a figure only at this much (it is often a remark, not a rate)
MARGIN = 0.12  # the runner-up must trail by this much, else the subject is ambiguous
CANDIDATES = 5  # labels kept per number for review


LEXICON = Path(__file__).resolve().parent / "narrative_lexicon.txt"


def build_lexicon() -> list[str]:
    """Two-syllable words of the catalog's labels by underthesea's word segmentation (folded).

    underthesea segments the same words differently by context, so its segmentation of the
    labels is used as a dictionary applied the same way to labels and text.  Stored in
    `narrative_lexicon.txt` (segmenting ~500 labels costs seconds per process); a test checks
    the stored list is what this builds: `python -m extractors.narrative_catalog` rewrites it.
    """
    from underthesea import word_tokenize

    cat = _catalog()
    if cat is None:
        return []
    words: set[str] = set()
    for ind in cat.indicators.values():
        for text in [ind.label, *(getattr(ind, "aliases", None) or [])]:
            for w in word_tokenize(text):
                f = fold(w).strip()
                if re.fullmatch(r"[a-z]+ [a-z]+", f) and not set(f.split()) & _ABBREV_TOKENS:
                    words.add(f)
    return sorted(words)


@functools.lru_cache(maxsize=1)
def _lexicon() -> re.Pattern[str] | None:
    """The stored lexicon as one regex ("hồ sơ" read as one token: it is not "số")."""
    words = (LEXICON.read_text(encoding="utf-8").split("\n") if LEXICON.exists() else build_lexicon())
    words = [w for w in words if w.strip()]
    if not words:
        return None
    return re.compile(r"(?<!\w)(" + "|".join(sorted(map(re.escape, words), key=len, reverse=True)) + r")(?!\w)")


_ABBREV_TOKENS = {b for _a, b in _CONTRACT if re.fullmatch(r"[a-z]+", b)}


def _contract(folded: str) -> str:
    text = folded
    for regex, repl in _CONTRACT_RES:
        text = regex.sub(repl, text)
    lex = _lexicon()
    if lex is not None:
        text = lex.sub(lambda m: m.group(1).replace(" ", ""), text)
    return text


def tokens(folded: str) -> list[str]:
    """Content tokens of a folded text, multi-syllable terms contracted."""
    return [t for t in _TOKEN.findall(_contract(folded)) if t not in _STOP and not t.isdigit()]


@dataclass(frozen=True)
class Label:
    indicator: str
    kind: str  # count | percent | money
    feats: frozenset[str]
    noun: str | None = None  # what a count counts (`_NOUN_CLASS`), from the unit or the label's head


def _label_noun(unit: str, label_folded: str) -> str | None:
    """The label's head noun ("Số phòng …" → body:phong), else its unit's ("Cơ quan, đơn vị")."""
    if unit and _noun_class(_contract(unit)) == "person":
        return "person"  # "Số lãnh đạo cấp vụ, cục … bị kỷ luật" (Người) counts leaders, not units
    head = re.sub(r"^(?:tong so|so luong|so)\s+(?:cac\s+)?(?:lanh dao (?:cap )?)?", "", label_folded)
    cls = _noun_class(_contract(head)) if head != label_folded else None
    if cls is None and unit:
        cls = _noun_class(_contract(unit))
    return cls


WORDINGS = Path(__file__).resolve().parent.parent / "indicator_catalog" / "data" / "narrative_wordings.yaml"


def _wordings(known: set[str]) -> dict[str, list[str]]:
    """Prose wordings of catalog indicators (narrative_wordings.yaml); unknown IDs are an error."""
    if not WORDINGS.exists():
        return {}
    import yaml

    data = yaml.safe_load(WORDINGS.read_text(encoding="utf-8")) or {}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValueError(f"{WORDINGS.name}: not catalog indicators: {unknown}")
    return {k: [str(w) for w in v or []] for k, v in data.items()}


@functools.lru_cache(maxsize=1)
def _labels() -> tuple[tuple[Label, ...], dict[str, float]]:
    """Every count/percent/money indicator's labels as token sets, and the tokens' IDF."""
    cat = _catalog()
    if cat is None:
        return (), {}
    out: list[Label] = []
    wordings = _wordings(set(cat.indicators))
    for ind in cat.indicators.values():
        kind = getattr(ind, "value_kind", None)
        unit = (getattr(ind, "unit", None) or "").lower()
        if kind == "percent" or unit == "%":
            kind = "percent"
        elif kind == "money" or "đồng" in unit:
            kind = "money"
        elif kind != "count":
            continue
        texts = [ind.label, *(getattr(ind, "aliases", None) or []), *wordings.get(ind.id, [])]
        # "Ban hành danh mục tài liệu HTQLCL; công bố/công bố lại hệ thống": each part names it
        for text in [part for t in texts for part in t.split(";") if part.strip()]:
            folded = fold(clean(text))
            # long parentheses are notes ("(Chỉ thống kê đối với …)"); short ones name it ("(VBQPPL)")
            folded = re.sub(r"\((?!do )(?:[^()\s]+\s+){5,}[^()]*\)|\((?:tinh |lu[yi] ke |o ca |neu co)[^()]*\)", " ", folded)
            folded = re.sub(r"\b(?:trong quy/6 thang/nam|trong nam)\b", " ", folded)
            feats = frozenset(tokens(folded))
            if feats:
                noun = _label_noun(fold(unit), folded) if kind == "count" else None
                out.append(Label(ind.id, kind, feats, noun))
    df: dict[str, int] = {}
    ids_by_tok: dict[str, set[str]] = {}
    for lab in out:
        for t in lab.feats:
            ids_by_tok.setdefault(t, set()).add(lab.indicator)
    n = len({lab.indicator for lab in out}) or 1
    for t, ids in ids_by_tok.items():
        df[t] = len(ids)
    idf = {t: math.log(1 + n / d) for t, d in df.items()}
    return tuple(out), idf


@dataclass
class Guess:
    """The catalog's best reading of one number."""

    indicator: str | None
    score: float
    runner_up: str | None
    runner_score: float
    own_score: float  # share of the label found in the number's own clause and noun
    matched: int  # label tokens found in the sentence
    span: tuple[int, int]
    kind: str
    phrase: tuple[int, int]
    unit_span: tuple[int, int] | None
    near: tuple[str, ...] = ()
    far: tuple[str, ...] = ()
    noun: str | None = None
    far_left: tuple[str, ...] = ()  # the part of `far` before the number
    lead: tuple[str, ...] = ()  # the first words of its semicolon clause: the sentence's subject
    rated: bool = False  # a percentage stated as a rate ("tỷ lệ …", "đạt z%"), not "z% of X did Y"
    ranked: tuple[tuple[str, float], ...] = ()  # the best labels with their scores: a steward's choices
    ratio: bool = False  # the x of an "x/y"
    terse: bool = False  # a telegraphic item whose short header names its subject ("BPMC cấp xã: đúng hạn 99,6%")

    def score_of(self, indicator: str) -> float:
        """This number's score for another indicator (one a pattern gave it)."""
        ranked = score_labels(self.kind, self.near, self.far, only={indicator}, noun=self.noun)
        return ranked[0][0] if ranked else -1.0

    @property
    def sure(self) -> bool:
        return (self.indicator is not None and self.own_score >= ACCEPT and self.score >= ACCEPT
                and self.score - self.runner_score >= MARGIN)

    @property
    def strong(self) -> bool:
        """Clear enough for a percentage not stated as a rate ("96,5% quy trình … đã được điện tử hóa")."""
        return self.usable and self.score >= STRONG and self.score - self.runner_score >= MARGIN

    @property
    def usable(self) -> bool:
        return (self.indicator is not None and self.score >= REVIEW and self.score - self.runner_score >= MARGIN / 2
                and (self.matched >= 2 or self.own_score >= 0.95))  # one word only when it is the whole label


def _weight(token: str, idf: dict[str, float]) -> float:
    """A token's IDF; an action word no label uses ("ký số") weighs as the rarest label word."""
    if token in idf:
        return idf[token]
    return max(idf.values(), default=0.0) if token in _ACTIONS else 0.0


def score_labels(kind: str, near: Iterable[str], far: Iterable[str],
                 only: set[str] | None = None, noun: str | None = None,
                 head: str | None = None, also: Iterable[str] = ()) -> list[tuple[float, float, str, int]]:
    """(score, own-clause score, indicator) for every label of `kind`, best first.

    score = IDF share of the label found (own clause 1, rest of the sentence 0.6), less a
    third of the IDF share of own-clause words the label does not explain.
    """
    labels, idf = _labels()
    own_set, far_set = set(near), set(far)
    near_set = own_set | set(also)  # `also`: words that name the subject as its own, never held against a label
    stated_levels = (near_set | far_set) & LEVEL_TOKENS
    best: dict[str, tuple[float, float, int]] = {}
    near_w = sum(_weight(t, idf) for t in own_set) or 1.0
    present = near_set | far_set
    for lab in labels:
        if lab.kind != kind or (only is not None and lab.indicator not in only):
            continue
        if only is None and not lab.feats & present:
            continue  # shares no word with the clause: scores nothing
        if noun and lab.noun and not _same_noun(noun, lab.noun):
            continue
        if stated_levels and lab.feats & LEVEL_TOKENS and not lab.feats & stated_levels:
            continue  # "UBND tỉnh ban hành … quyết định" is not the district's figure
        total = sum(idf[t] for t in lab.feats)
        got_near = sum(idf[t] for t in lab.feats if t in near_set)
        got_far = sum(idf[t] for t in lab.feats if t not in near_set and t in far_set)
        unexplained = sum(_weight(t, idf) * (3 if t in _ACTIONS else 1) for t in own_set
                          if t not in lab.feats and not (t == head and lab.noun and noun and _same_noun(lab.noun, noun)))
        s = (got_near + 0.6 * got_far) / total - 0.6 * unexplained / near_w
        own = got_near / total
        if lab.indicator not in best or s > best[lab.indicator][0]:
            best[lab.indicator] = (s, own, sum(1 for t in lab.feats if t in near_set or t in far_set))
    return sorted(((s, own, i, n) for i, (s, own, n) in best.items()), reverse=True)


def _sentence_end(folded: str, start: int) -> int:
    m = re.search(r"\.(?!\d)", folded[start:])
    return start + m.start() if m else len(folded)


@functools.lru_cache(maxsize=512)
def _contract_map(folded: str) -> tuple[str, list[int]]:
    """`_contract` with, for every character of the result, its offset in `folded` (one more at the end)."""
    text, pos = folded, list(range(len(folded) + 1))
    lex = _lexicon()
    steps: list[tuple[re.Pattern[str], str | None]] = [(r, repl) for r, repl in _CONTRACT_RES]
    if lex is not None:
        steps.append((lex, None))
    for regex, repl in steps:
        parts, new_pos, last = [], [], 0
        for m in regex.finditer(text):
            parts.append(text[last:m.start()])
            new_pos += pos[last:m.start()]
            r = m.expand(repl) if repl is not None else m.group(1).replace(" ", "")
            parts.append(r)
            new_pos += [pos[m.start()]] * len(r)
            last = m.end()
        if not parts:
            continue
        parts.append(text[last:])
        new_pos += pos[last:]
        text, pos = "".join(parts), new_pos
    return text, pos


# … and "kiến nghị cơ quan ban hành xử lý": a deed asked of another body, not done
_MODAL = re.compile(r"(?<!\w)(?:can(?! bo)|chua|se|nham|de(?= (?:phuc ?vu|dap ?ung|nang ?cao|bao ?dam|dam ?bao))|de nghi|kien ?nghi(?= (?:cac )?(?:coquanbanhanh|co ?quan)))(?!\w)")
# "…, trong đó 05 quy trình …": the number right after opens a part of the whole before it
_PART_OF = re.compile(r"(?<!\w)trong do(?: co| gom)?\s*:?\s*$")
_COUNT_BEFORE = re.compile(r"\d[\d.,]*(?:\s*%)?(?:\s+[a-z]+){0,3}\s*$")


def _whole_before(text: str, s: int, seg0: int, prev_end: int) -> tuple[int, int] | None:
    """The span of the whole a part at `s` belongs to: the clause before a "trong đó" right before the part,
    or before a bracket opened right after a count and still open at `s`; else None."""
    td = _PART_OF.search(text, 0, s)
    if td and prev_end <= td.start() and td.start() >= seg0:
        return max(text.rfind(";", 0, td.start()), text.rfind("(", 0, td.start())) + 1, td.start()
    p = text.rfind("(", 0, s)
    if p >= 0 and prev_end > p and text.find(")", p, s) < 0 and _COUNT_BEFORE.search(text, 0, p):
        return text.rfind(";", 0, p) + 1, p
    return None


_RATIO_X = re.compile(r"(?<![\w/.,:\-])" + NUMBER_TEXT + r"(?=\s*/\s*" + NUMBER_TEXT + r"(?![\w/:]|[.,]\d))")
_RATIO_Y = re.compile(r"\s*/\s*(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?(?![\w/])")
_ASIDE = re.compile(r"\([^()]*\)")


def _blank_asides(text: str, nums: list[re.Match[str]]) -> str:
    """Blank a parenthesis holding no figure: an aside between a subject and its figure.

    "Tỷ lệ hoàn thành kế hoạch CCHC (lũy kế đến thời điểm báo cáo) đạt 76,5%", "Số hồ sơ đang giải
    quyết (chưa đến hạn) là 128": the aside neither ends the subject's clause nor adds its words.
    """
    return _ASIDE.sub(lambda m: m.group(0) if any(m.start() <= n.start() < m.end() for n in nums)
                      else " " * len(m.group(0)), text)


_SHORT = {"nhan": "tiepnhan"}
_LABEL_IS = re.compile(r"^\s*(?:[-+•]\s*)?(?:tong ?so|so ?luong|so)\s[^;:]*\sla\s*$")  # (the lexicon joins "tổng số")
def _list_goes_on(text: str, e: int, stop: re.Match[str]) -> bool:
    """A list comma inside a counted body's noun phrase: the counted bodies, qualified ("31 cơ quan chuyên
    môn cấp huyện, đơn vị hành chính cấp xã …"), then more bodies, with no figure of their own after."""
    if stop.group(0) != "," or not _LIST_NOUN.match(text, stop.end()) or re.match(r"[^;()\d]*\d", text[stop.end():]):
        return False
    cls = _noun_class(text[e:stop.start()])
    return bool(cls and cls.startswith("body")) and len(text[e:stop.start()].split()) >= 2


# a body after a list comma: the next item of the same counted subject
_LIST_NOUN = re.compile(r"\s*(?:cac )?(?:donvi|don vi|coquan|co quan|dvhc|thanhtra|thanh tra|to chuc|tochuc)(?!\w)")
_ANAPHOR_BEFORE = re.compile(r"(?<!\w)(?:ca|toan bo|tat ca)\s+$")
_ANAPHOR_AFTER = re.compile(r"\s+[a-z]+(?: [a-z]+)?\s+(?:nay|noi tren|neu tren)(?!\w)")
_OWNERS = frozenset({"xa", "huyen", "tinh", "songanh", "huyenuy", "danguy", "tw", "hdnd", "ubnd", "tinhuy"})


def _qualifier(token: str, terse: bool = False) -> bool:
    """A band ("từ 30% đến dưới 70%") or, in a clause of a word or two ("…; mức độ 4: 71,6%"), a service level:
    what sets a sibling apart, no subject."""
    return token.startswith("band") or (terse and re.fullmatch(r"md[1-4]", token) is not None)


def _elided_subject(text: str, words: str, seg0: int, s: int, right_to: int) -> set[str]:
    """The subject words of the semicolon clauses before, when this clause adds nothing to them but who,
    at which level or in which band (its figure's subject is elided); else none.  Clauses that
    are themselves elided ("…; từ 30% - dưới 70% là 23 đơn vị; từ 10% - dưới 30% là 15 đơn vị")
    pass the first one's subject on."""
    seg_end = text.find(";", s)
    mine = set(tokens(_blank(words[seg0:seg_end if seg_end >= 0 else _sentence_end(text, s)])))
    words_before: set[str] = set()
    end = seg0 - 1
    while end > 0:
        start = text.rfind(";", 0, end) + 1
        prev_text = text[start:end]
        if not re.search(r"\d", prev_text) or ("%" in prev_text) != ("%" in text[s:right_to + 2]):
            return set()  # no figure before, or a rate after a count: a subject of its own
        prev = set(tokens(_blank(words[start:end])))
        words_before |= prev
        if {t for t in prev - _OWNERS - _UNIT_NOUNS - _ACTIONS if not _qualifier(t, len(prev) <= 2)}:
            break  # the clause that names the subject
        end = start - 1
    else:
        return set()
    extra = {t for t in mine - words_before - _OWNERS - _UNIT_NOUNS if not _qualifier(t, len(mine) <= 2)}
    subject = {t for t in words_before - _OWNERS if not _qualifier(t, True)}
    if extra and extra <= _ACTIONS:  # "TTHC công bố mới: 24; bãi bỏ, thay thế: 19": a deed of its own on the same things
        subject -= _ACTIONS
        extra = set()
    return set() if extra or subject <= mine else subject  # a clause that repeats the whole subject elides nothing


def noun_after_count(text: str, e: int, right_to: int) -> bool:
    """The count names what it counts right after it ("5.480 hồ sơ")."""
    return _noun_class(text[e:right_to]) is not None


def subject_nouns(folded: str) -> tuple[str, ...]:
    """The words of a sentence that say what is counted, not what was done ("Tiếp nhận 4.210 hồ sơ" → hồ sơ)."""
    return tuple(dict.fromkeys(t for t in tokens(_blank(folded)) if t not in _ACTIONS and t not in LEVEL_TOKENS))


def guesses(folded: str, protected: list[tuple[int, int]], carry: tuple[str, ...] = ()) -> list[Guess]:
    """The catalog's reading of every number of a folded sentence (not dates/document numbers).

    The sentence is contracted first ("giáo dục và đào tạo", "sở, ban, ngành" become one token
    each), so clause boundaries never cut a term; offsets are mapped back to the sentence.
    `carry`: the subject nouns of a telegraphic run's earlier sentence ("Tiếp nhận 4.210 hồ sơ.
    Giải quyết 4.158."), which a bare item of this one shares.
    """
    text, pos = _contract_map(folded)
    words = _DOC_REF.sub(lambda m: " " * len(m.group(0)), text)  # subject words: no "theo Nghị định số …"
    out: list[Guess] = []
    found = sorted([*_NUM.finditer(text), *_RATIO_X.finditer(text)], key=lambda m: m.start())
    nums = [m for m in found if not inside((pos[m.start()], pos[m.end()]), protected)
            and not _YEAR.fullmatch(m.group(0))]
    text = _blank_asides(text, nums)
    words = _DOC_REF.sub(lambda m: " " * len(m.group(0)), text)
    shared_va: tuple[int, list[str]] | None = None  # where the count before ended on "và", and its deeds
    for i, m in enumerate(nums):
        s, e = m.span()
        if re.search(r"/\s*$", text[:s]):
            continue  # the y of an x/y: a total the sentence may never name (the pattern readers own it)
        e_num = e
        ratio = _RATIO_Y.match(text, e)
        if ratio:  # "đã xử lý xong 25/27 vấn đề": x is read as a count of what follows the y
            e = ratio.end()
        if _NOT_FIGURE_UNIT.match(text, e) or _ACTIVITY_PLAN.match(text, e):
            continue
        run_item = bool(carry) and set(tokens(_blank(text[:s]))) <= _ACTIONS  # "… hồ sơ. Giải quyết 4.158."
        if _HEADING_NUMBER.match(text, e) and not re.search(r"(?:[:=]|(?<!\w)(?:la|dat|co))\s*$", text[:s]) \
                and not _LIST_TAIL.search(text, 0, s) and not run_item:
            continue  # "… TRỌNG TÂM 1." / "1.1.3.": a heading's number, not a figure
        if len(_LEGEND_CODE.findall(text)) >= 2 and re.search(r"=\s*$", text[:s]):
            continue  # "Trực tuyến = 0 Phát phiếu = 1": the codes of a question's answers
        kind, unit_span = figure_kind(text, e)
        after = unit_span[1] if unit_span else e
        if kind == "percent":
            after = text.index("%", e) + 1
        # own clause on the left: back to the last clause boundary or the previous number
        seg0 = text.rfind(";", 0, s) + 1
        # "…; trong đó lĩnh vực giáo dục 512 đơn vị": the part names the whole before it
        whole = text[text.rfind(";", 0, max(seg0 - 1, 0)) + 1:seg0] if re.match(r"\s*trong do", text[seg0:]) else ""
        cut = max((lm.end() for lm in _LEFT_STOP.finditer(text[seg0:s])), default=0)
        prev = seg0
        if i and nums[i - 1].end() > seg0:  # past the previous number and the noun it counts
            noun_after = re.match(r"\s*(?:%|[a-z]+)", text[nums[i - 1].end():])
            prev = nums[i - 1].end() + (noun_after.end() if noun_after else 0)
        own_from = max(seg0 + cut, prev)
        if prev == seg0 and (re.search(r":\s*$", text[seg0:s]) or _LABEL_IS.match(text[seg0:s])):
            # "Số PAKN được xử lý và công khai …: 19", "Số văn bản ban hành liên quan đến xây dựng, duy trì
            # ISO 9001 trong năm là 05": the whole label is the subject — after a header's colon, if any
            # ("Thực hiện cơ chế một cửa tại huyện: Số TTHC đã thực hiện 4 tại chỗ: 27": the header is far)
            label_colon = text.rfind(":", seg0, s)
            head_colon = text.rfind(":", seg0, label_colon) if label_colon >= 0 else -1
            full = re.match(r"\s*(?:[-+•]\s*)?(?:tong ?so|so ?luong|so|tyle|ty le)\s", text[head_colon + 1:label_colon])
            # (a short item under its header, "…cấp xã tiếp nhận: - Giải quyết đúng hạn: 2.208", keeps the header)
            own_from = head_colon + 1 if head_colon >= seg0 and full else seg0
        # the noun phrase after the number
        stop = _RIGHT_STOP.search(text, after)
        while stop and ((stop.group(0) == "va" and not re.match(r"[^,;()\d]*\d", text[stop.end():]))
                        or _list_goes_on(text, e, stop)):
            # "32 cơ quan … và đơn vị … sử dụng mạng LAN", "31 cơ quan chuyên môn cấp huyện, đơn vị hành chính
            # cấp xã sử dụng mạng nội bộ", "02 đơn vị văn phòng, thanh tra thuộc UBND huyện": one subject
            stop = _RIGHT_STOP.search(text, stop.end())
        nxt = nums[i + 1].start() if i + 1 < len(nums) else len(text)
        right_to = min(stop.start() if stop else len(text), nxt, _sentence_end(text, after))
        shared_pred: list[str] = []
        if kind == "percent" and stop and stop.group(0) == "va" and i + 1 < len(nums) \
                and not text[stop.end():nums[i + 1].start()].strip():
            # "100% sở, ngành và 100% UBND cấp huyện đã kết nối, liên thông với UBND tỉnh": one predicate
            # for both items; the next item's words from its first deed on are this one's too
            nxt_words = tokens(_blank(words[nums[i + 1].end():_sentence_end(text, nums[i + 1].end())].split(";")[0]))
            first_act = next((k for k, t in enumerate(nxt_words) if t in _ACTIONS), None)
            if first_act is not None:
                shared_pred = nxt_words[first_act:]
        modal = _MODAL.search(text, after, right_to)
        if modal:  # "19 vấn đề cần chấn chỉnh": what is still to be done does not name the figure
            right_to = modal.start()
        bare = _ELLIPTIC.match(text[own_from:s]) or set(tokens(_blank(words[own_from:s]))) <= _ACTIONS
        near = tokens(_blank(words[own_from:s] + " " + words[after:right_to])) + shared_pred  # no "theo Nghị định số …"
        if shared_va is not None and not tokens(_blank(words[shared_va[0]:s])) and not _ANAPHOR_BEFORE.search(text, 0, s):
            # "đã tinh giản 47 biên chế công chức và 263 người làm việc …": a count right after "và" shares the
            # deed of the count before it
            near += [t for t in shared_va[1] if t not in near]
        shared_va = ((stop.end(), [t for t in tokens(_blank(words[own_from:s])) if t in _ACTIONS])
                     if stop and stop.group(0) == "va" and stop.start() <= right_to + 1 else None)
        if _PLAN.search(text[seg0 + cut:s]):
            continue  # "Phấn đấu tuyển dụng 30 viên chức": a plan or a wish, not a result
        # "đã kiểm tra 11 UBND cấp xã, đạt tỷ lệ 47,8% tổng số xã": the share of all, named by the clause before
        of_all = kind == "percent" and re.match(r"\s*(?:cua |tren )?(?:tongso|tong so|so)(?!\w)", text[after:])
        # "PAKN: nhận 5, giải quyết 5", "BPMC cấp xã: đúng hạn 99,6%": a telegraphic item is its short
        # header's subject with a word or two more; the header's words are its own, and its verb is
        # written short ("nhận 5" is "tiếp nhận 5")
        colon0 = text.rfind(":", seg0, own_from)
        header0 = text[seg0:colon0] if colon0 > seg0 else ""
        terse = bool(header0 and len(tokens(_blank(header0))) <= 3 and not re.search(r"\d", header0)
                     and tokens(_blank(words[colon0 + 1:s])) and not re.search(r":\s*$", text[own_from:s])
                     and not noun_after_count(text, e, right_to)
                     and len(tokens(_blank(words[own_from:s] + " " + words[after:right_to]))) <= 2)
        header_words: list[str] = []
        elided: list[str] = []
        if terse:
            near = [_SHORT.get(t, t) for t in near]
            header_words = [t for t in tokens(_blank(header0)) if t not in near]
        elif _ANAPHOR_BEFORE.search(text, 0, s) or _ANAPHOR_AFTER.match(text, e):
            # "Phát hiện 03 VBQPPL trái pháp luật …, cả 03 văn bản này đã được xử lý": the same things again,
            # with a deed of their own; the earlier subject is theirs
            terse = True
            own_acts = set(near) & _ACTIONS
            header_words = [t for t in dict.fromkeys(tokens(_blank(words[:own_from])))
                            if t not in near and not (own_acts and t in _ACTIONS)]
        elif shared := _elided_subject(text, words, seg0, s, right_to):
            # "Huyện ủy ban hành 03 văn bản chỉ đạo về CCHC; HĐND, UBND huyện ban hành 14 văn bản": a
            # clause that adds only its owner, level or band to the clause before shares that one's
            # subject, and the words it repeats ("ban hành … văn bản") are that frame's, not its own
            terse = True
            elided = sorted(shared)
            near = [t for t in near if t not in shared]
            header_words = elided
        elif i and len(set(near) - _UNIT_NOUNS) <= 4 and (part := _whole_before(text, s, seg0, nums[i - 1].end())):
            # "Sở đang áp dụng 24 quy trình nội bộ giải quyết công việc, trong đó 05 quy trình được xây dựng
            # mới", "…: 84 đơn vị (giáo dục 76 đơn vị; văn hóa, thể thao 02 đơn vị …)": a part names only what
            # sets it apart; the whole's words before "trong đó" or the bracket are its subject too
            terse = True
            header_words = [t for t in dict.fromkeys(tokens(_blank(words[part[0]:part[1]]))) if t not in near]
        elif (carry and not header0 and not noun_after_count(text, e, right_to)
              and 0 < len(tokens(_blank(words[own_from:s] + " " + words[after:right_to]))) <= 2):
            terse = True
            near = [_SHORT.get(t, t) for t in near]
            header_words = [t for t in carry if t not in near]
        # "nhận 5, giải quyết 5": a deed after a bare figure is the next item of a series, not its rate
        series = (not _ELLIPTIC.match(text[own_from:s]) and i > 0
                  and re.fullmatch(r"\s*,\s*", text[nums[i - 1].end():own_from]) is not None)
        # "Các hồ sơ kỳ trước chuyển sang (25 hồ sơ) đã được …": a count opening a parenthesis that only
        # repeats its noun is the figure of the words before the bracket
        # ("Văn bản đến (1.578 văn bản)": the noun repeated may be the head of the term before, "văn bản đến")
        before_paren = set(tokens(_blank(words[seg0:own_from])))
        paren = (kind == "count" and re.search(r"\(\s*$", text[seg0:s]) is not None and own_from > seg0
                 and all(any(b.startswith(t) for b in before_paren) for t in tokens(_blank(words[after:right_to]))))
        if paren or bare and not series and not terse and own_from > seg0 and (
                not tokens(_blank(words[after:right_to])) or of_all):
            # "…, tỷ lệ 58,2%" / "(đạt 98,2%)" / "…, hiện có 2.201": the clause just before names
            # the subject (its nouns; the verb stays the number's own)
            own_from = seg0 + max((x.end() for x in _LEFT_STOP_RATE.finditer(text[seg0:own_from - 1])), default=0)
            own_acts = set(near) & _ACTIONS
            near += [t for t in tokens(_blank(words[own_from:s])) if not (own_acts and t in _ACTIONS)]
        semi = text.find(";", right_to)
        colon = text.rfind(":", seg0, own_from)  # a list's header names every item's subject
        header = text[seg0:colon] if colon > seg0 and not re.match(r"\s*[\d.,]+", text[colon + 1:]) else ""
        far_left = tokens(_blank(words[seg0:own_from] + " " + header + " " + whole))

        far = far_left + tokens(_blank(words[right_to:semi if semi >= 0 else len(text)]))
        noun = _noun_class(text[e:right_to]) if kind == "count" else None
        # the unit noun right after a count ("512 đơn vị") says what is counted, not which figure
        head = next(iter(tokens(text[e:right_to])), None) if noun else None
        head = head if head in _UNIT_NOUNS else None
        ranked = score_labels(kind, near, far, noun=noun, head=head, also=header_words)
        if elided and ranked:  # … and whose owner words pick the sibling ("HĐND, UBND huyện": not the generic)
            said = set(tokens(_blank(words[seg0:s]))) & _OWNERS
            owned = [r for r in ranked if said and said <= label_feats(r[2])]
            if owned and owned[0] is not ranked[0] and owned[0][0] >= ranked[0][0] - 3 * MARGIN:
                ranked = [owned[0]] + [r for r in ranked if r is not owned[0]]
        near = near + header_words
        if not ranked:
            continue
        (sc, own, ind, n), rest = ranked[0], ranked[1:]
        runner = next(((r_s, r_i) for r_s, _o, r_i, _n in rest if r_i != ind), (0.0, None))
        unit = (pos[unit_span[0]], pos[unit_span[1]]) if unit_span else None
        out.append(Guess(ind, sc, runner[1], runner[0], own, n, (pos[s], pos[e_num]), kind, (pos[own_from], pos[right_to]),
                         unit, tuple(near), tuple(far), noun, tuple(far_left),
                         _lead(words[seg0:s]),
                         bool(_RATE.search(text[own_from:s])) or bool(_RATE_AFTER.match(text, after)),
                         tuple((r_i, r_s) for r_s, _o, r_i, _n in ranked[:CANDIDATES]), ratio is not None, terse))
    return _rivals_elsewhere(out)


def _rivals_elsewhere(out: list[Guess]) -> list[Guess]:
    """A runner-up another number of the sentence is read as, better than here, is that number's, not a
    rival ("Số VBQPPL trái pháp luật … là 02 văn bản và cả 2 văn bản đều đã được xử lý": the handled ones
    are the second 2; the first is the unlawful ones)."""
    fixed = []
    for g in out:
        if g.runner_up and any(o is not g and o.indicator == g.runner_up
                               and (o.score > g.runner_score or o.score - o.runner_score >= 2 * MARGIN) for o in out):
            taken = {o.indicator for o in out if o is not g}
            nxt = next(((i, sc) for i, sc in g.ranked if i != g.indicator and i not in taken), (None, 0.0))
            g = replace(g, runner_up=nxt[0], runner_score=min(nxt[1], g.runner_score))
        fixed.append(g)
    return fixed


# A count stated as none: "Số VBQPPL còn nợ đọng: không có", "không có hồ sơ nào trễ hạn".
_ZERO_AFTER = re.compile(r":\s*(?:khong co|khong|chua co|chua phat sinh|khong phat sinh)\s*(?:[.;]|$)")
_ZERO_BEFORE = re.compile(r"(?<!\w)(?:khong co|chua co|khong phat sinh|chua phat sinh)(?! (?:gi|y kien|van de gi)\b)\s+")


def zero_guesses(folded: str, protected: list[tuple[int, int]]) -> list[Guess]:
    """Counts a sentence states as none, with the catalog label their subject names.

    "Label: không có" takes the label before the colon; "không có <noun phrase> (nào) …" the noun
    phrase and the rest of its clause.  The span is the negation's ("không có"): it is the value.
    """
    text, pos = _contract_map(folded)
    out: list[Guess] = []
    found: list[tuple[int, int, str]] = []
    for m in _ZERO_AFTER.finditer(text):
        seg0 = max(text.rfind(";", 0, m.start()), text.rfind(".", 0, m.start())) + 1
        colon = m.start() + text[m.start():].index(":")
        found.append((colon + 1, m.end(), text[seg0:colon]))
    for m in _ZERO_BEFORE.finditer(text):
        stop = re.search(r"[;.()]|,(?!\d)", text[m.end():])
        end = m.end() + (stop.start() if stop else len(text) - m.end())
        found.append((m.start(), m.start() + len(m.group(0).rstrip()), text[m.end():end]))
    for a, b, subject in found:
        if re.search(r"\d", subject) or inside((pos[a], pos[b]), protected):
            continue
        near = tokens(subject)
        ranked = score_labels("count", near, [], noun=_noun_class(subject.strip().removeprefix("so ")))
        if not ranked:
            continue
        (sc, own, ind, n), rest = ranked[0], ranked[1:]
        runner = next(((r_s, r_i) for r_s, _o, r_i, _n in rest if r_i != ind), (0.0, None))
        span = (pos[a] + len(folded[pos[a]:pos[b]]) - len(folded[pos[a]:pos[b]].lstrip(" :")), pos[b])
        out.append(Guess(ind, sc, runner[1], runner[0], own, n, span, "zero", span, None, tuple(near)))
    return out


def inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(a < span[1] and span[0] < b for a, b in spans)


_INTRO = re.compile(r"\s*(?:thuchien|thuc hien|can cu|theo|tinh|trong|ve|nam|quy|giai doan|tu|den|qua|sau|truoc)(?!\w)")


def _lead(clause_text: str) -> tuple[str, ...]:
    """The sentence's subject: the first words of its first clause, unless that clause is an
    introduction ("Thực hiện Kế hoạch … của UBND huyện, …") or they follow "của"."""
    first = re.split(r",(?!\d)|(?<!\w)cua(?!\w)|:", clause_text, maxsplit=1)[0]
    if _INTRO.match(first):
        return ()
    return tuple(tokens(_blank(first))[:2])


def _blank(text: str) -> str:
    """Digits out of a subject text (they are other figures, not words)."""
    return _OWNER.sub(" ", re.sub(r"(?<![a-z\d])[\d.,%]+", " ", text))


# "Cổng DVC của tỉnh", "tỷ lệ … của huyện": the reporting body, not a level of a multi-level figure
_OWNER = re.compile(r"(?<!\w)cua (?:tinh|huyen|xa)(?!\w)")


# Level words as the catalog-label tokens spell them (contracted: "so nganh" -> "songanh"); narrative.py reads them too.
LEVEL_TOKENS = frozenset({"xa", "huyen", "tinh", "songanh", "huyenuy", "danguy", "tw"})


def specialise(generic: str, guess: Guess) -> str | None:
    """The sibling of `generic` (same ID stem) whose extra label words the number's clause states.

    "lĩnh vực đất đai, tỷ lệ … đúng hạn 93,6%" → HS_TY_LE_DUNG_HAN_DAT_DAI; "Huyện ủy ban hành 02
    văn bản chỉ đạo" → VB_CHI_DAO_HUYEN_UY.  A level word of the sibling (xã, huyện, tỉnh, sở,
    ngành, Huyện ủy) must be in the number's own clause and no other level beside it; other
    extra words (a sector) may be anywhere in its semicolon clause, and must mostly be there.
    """
    labels, idf = _labels()
    stem = "_".join(generic.split("_")[:3 if generic.startswith("NAR_") else 2])
    gen = [lab.feats for lab in labels if lab.indicator == generic]
    if not gen:
        return None
    gen_feats = frozenset().union(*gen)
    near, seen = set(guess.near), set(guess.near) | set(guess.far_left)
    best: tuple[float, str] | None = None
    for lab in labels:
        if lab.indicator == generic or not lab.indicator.startswith(stem) or lab.kind != guess.kind:
            continue
        extra = lab.feats - gen_feats
        lost = sum(idf.get(t, 0.0) for t in gen_feats - lab.feats)
        if not extra or lost > 0.3 * sum(idf.get(t, 0.0) for t in gen_feats):
            continue  # a sibling, not a narrower kind of the same figure
        levels = extra & LEVEL_TOKENS
        if (gen_feats - lab.feats - (_ACTIONS if levels else frozenset())) & near:
            continue  # the clause states what sets the pattern's own indicator apart
        stated = near | set(guess.lead)  # a level of the clause or of the sentence's subject
        if levels and (not levels & stated or (stated & LEVEL_TOKENS) - lab.feats):
            continue
        rest = extra - LEVEL_TOKENS
        weight = sum(idf.get(t, 0.0) for t in rest)
        if rest and not levels and sum(idf.get(t, 0.0) for t in rest if t in seen) < 0.6 * weight:
            continue
        if not levels and not any(t in seen for t in rest):
            continue
        got = sum(idf.get(t, 0.0) for t in extra if t in seen)
        if got >= 2.0 and (best is None or got > best[0]):
            best = (got, lab.indicator)
    return best[1] if best else None


@functools.lru_cache(maxsize=4096)
def label_feats(indicator: str) -> frozenset[str]:
    """All words of an indicator's labels, aliases and wordings."""
    return frozenset().union(*[lab.feats for lab in _labels()[0] if lab.indicator == indicator])


if __name__ == "__main__":
    LEXICON.write_text("\n".join(build_lexicon()) + "\n", encoding="utf-8")
    print(f"wrote {LEXICON}")
