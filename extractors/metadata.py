"""Document metadata from the header block and title of a Vietnamese report.

Administrative documents follow Nghị định 30/2020/NĐ-CP's layout: the issuing
body top-left (parent body above it), the national motto top-right, then
"Số: 89/BC-BDT", "<place>, ngày 12 tháng 6 năm 2023", the document type
("BÁO CÁO") and a title naming the period ("… 6 tháng đầu năm 2023").
Text layers and OCR scramble the two header columns onto shared lines, so the
patterns below work line by line and strip the motto wherever it lands.
"""

from __future__ import annotations

import datetime as dt
import re

from cchc.core.model import Metadata, Word
from cchc.core.vntext import nfc

_MOTTO = re.compile(
    r"C[ỘO]NG\s+H(?:ÒA|OÀ|OA)\s+X[ÃA]\s+H[ỘO]I\s+CH[ỦU]\s+NGH[ĨI]A\s+VI[ỆE]T\s+NAM|"
    r"Độc\s+lập\s*[-–]\s*Tự\s+do\s*[-–]\s*Hạnh\s+phúc|-{3,}|_{3,}",
    re.IGNORECASE,
)
_DOC_NUMBER = re.compile(
    r"^\s*Số\s*[:.]?\s*(?P<num>\d{1,6}[a-z]?)\s*/\s*(?P<sym>[A-ZĐ][A-ZĐ0-9&]*(?:\s*[-–]\s*[A-ZĐ0-9&]+)*)",
)
_DATE = re.compile(
    r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})", re.IGNORECASE
)
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_PERIODS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"giai\s+đoạn\s+(?P<y0>\d{4})\s*[-–]\s*(?P<y>\d{4})", re.I), "MULTI"),
    (re.compile(r"(?P<label>(?:6|sáu)\s+tháng\s+đầu\s+năm)\s*(?P<y>\d{4})", re.I), "H1"),
    (re.compile(r"(?P<label>(?:9|chín)\s+tháng(?:\s+đầu)?\s+năm)\s*(?P<y>\d{4})", re.I), "9M"),
    (re.compile(r"(?P<label>Q[UÚ][YÝ]\s+(?P<q>IV|III|II|I|[1-4]))\s*(?:năm|/)\s*(?P<y>\d{4})", re.I), "Q"),
    (re.compile(r"(?P<label>(?:tổng\s+hợp\s+)?năm)\s+(?P<y>\d{4})", re.I), "Y"),
]
_TITLE_START = re.compile(r"^\s*(BÁO\s+CÁO|KẾ\s+HOẠCH|CÔNG\s+VĂN|TỜ\s+TRÌNH)\b", re.I)
_BODY_START = re.compile(r"^\s*(Kính\s+gửi|Thực\s+hiện|Căn\s+cứ|I\.\s)", re.I)

# Body names printed in capitals in the header, and how they are written in running text.
_BODY_PREFIXES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(ỦY|UỶ)\s+BAN\s+NHÂN\s+DÂN\s*", re.I), "UBND "),
    (re.compile(r"^UBND\s*", re.I), "UBND "),
    (re.compile(r"^HỘI\s+ĐỒNG\s+NHÂN\s+DÂN\s*", re.I), "HĐND "),
]
_LEVEL_WORDS = ("thành phố", "thị xã", "thị trấn", "tỉnh", "huyện", "quận", "xã", "phường")


def extract_metadata(first_pages_text: str, left_header: list[str] | None = None) -> Metadata:
    """Parse doc number, issuer, date and period from the first page(s) of a report.

    `left_header` — the lines of the top-left block alone, when the page
    geometry could separate it from the motto column (see `left_header_lines`);
    body names wrapped over two lines ("BỘ KHOA HỌC VÀ CÔNG" / "NGHỆ") are
    only joinable that way.
    """
    text = nfc(first_pages_text)
    lines = [ln.strip() for ln in text.splitlines()]
    meta = Metadata()
    head = lines[:60]
    meta.doc_number = _doc_number(head)
    meta.issue_date = _issue_date(head)
    meta.issuer = (_issuer_from_block(left_header) if left_header else None) or _issuer(head)
    caption = _ATTACHED_TO.search(" ".join(lines))
    if caption and meta.doc_number is None:
        # Only the appendix reached us (scanned apart, photographed): its caption names the report.
        number = caption.group("num")
        symbol = re.sub(r"\s*[-–]\s*", "-", caption.group("sym"))
        meta.doc_number = f"{number}/{symbol}" if number else None
        try:
            meta.issue_date = meta.issue_date or dt.date(int(caption.group("y")), int(caption.group("m")),
                                                         int(caption.group("d")))
        except ValueError:
            pass
        meta.issuer = _caption_body(caption.group("body")) or meta.issuer
    title = _title(lines)
    meta.title = title
    label, ptype, year = _period(title) if title else (None, None, None)
    if label is None:
        label, ptype, year = _period(" ".join(lines[:80]))
    if label is None:
        label, ptype, year = _period_without_year(" ".join(lines[:80]), meta.issue_date)
    meta.period_label, meta.period_type, meta.report_year = label, ptype, year
    return meta


_ATTACHED_TO = re.compile(
    r"kèm\s+theo\s+Báo\s+cáo\s+số\s*(?P<num>\d{0,6})\s*/\s*(?P<sym>[A-ZĐ][A-ZĐ0-9&]*(?:\s*[-–]\s*[A-ZĐ0-9&]+)*)"
    r"\s+ngày\s+(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})\s*/\s*(?P<y>\d{4})\s+của\s+(?P<body>[^)\n]{3,80})",
    re.IGNORECASE,
)


def _caption_body(text: str) -> str | None:
    """'UBND xã Bình Yên)' / 'Ban Dân tộc' as written in running text: keep it, trimmed."""
    body = re.split(r"[)(;]", text)[0].strip(" .,")
    body = re.sub(r"^(Ủy|Uỷ)\s+ban\s+nhân\s+dân\s+", "UBND ", body, flags=re.I)
    return body or None


def _strip_motto(line: str) -> str:
    return _MOTTO.sub(" ", line).strip()


def _doc_number(lines: list[str]) -> str | None:
    for line in lines:
        m = _DOC_NUMBER.search(_strip_motto(line))
        if m:
            sym = re.sub(r"\s*[-–]\s*", "-", m.group("sym")).strip("-")
            return f"{m.group('num')}/{sym}"
    return None


# "Hà Nội, ngày 05/01/2025": the place-and-date line written with numbers (only at a place name's
# comma, so "Kế hoạch số 05/KH-UBND ngày 12/01/2024" in the body is not taken for it)
_NUMERIC_DATE_LINE = re.compile(
    r"(?:^|\s)[^\d,;:()]{2,40},\s*ngày\s+(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})\s*/\s*(?P<y>\d{4})", re.IGNORECASE
)


def _issue_date(lines: list[str]) -> dt.date | None:
    for pattern in (_DATE, _NUMERIC_DATE_LINE):
        for line in lines:
            m = pattern.search(line)
            if m:
                try:
                    return dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
                except ValueError:
                    continue
    return None


def _issuer(lines: list[str]) -> str | None:
    """The lowest line of the top-left block: the body that actually issues the report."""
    block: list[str] = []
    for raw in lines:
        if _DOC_NUMBER.search(raw) or _DATE.search(raw) or _TITLE_START.search(raw):
            break
        line = _strip_motto(raw)
        line = re.sub(r"\*+", "", line).strip(" -–_")
        if not line:
            continue
        letters = [c for c in line if c.isalpha()]
        if letters and sum(c.isupper() for c in letters) / len(letters) > 0.8 and (
            _BODY_START.match(line) or (block and re.fullmatch(r"(ỦY|UỶ)\s+BAN\s+NHÂN\s+DÂN", block[-1], re.I))
        ):
            block.append(line)
    if not block:
        return None
    # A body name broken over two lines ("ỦY BAN NHÂN DÂN" / "HUYỆN CẨM XUYÊN") is one name.
    if len(block) >= 2 and re.fullmatch(r"(ỦY|UỶ)\s+BAN\s+NHÂN\s+DÂN", block[-2], re.I):
        name = f"{block[-2]} {block[-1]}"
    else:
        name = block[-1]
    return _body_case(name)


_BODY_START = re.compile(
    r"^(ỦY|UỶ|UBND|HĐND|HỘI\s+ĐỒNG|BỘ|SỞ|BAN|CỤC|TỔNG\s+CỤC|VĂN\s+PHÒNG|PHÒNG|TRUNG\s+TÂM|THANH\s+TRA|"
    r"CHI\s+CỤC|ĐẢNG\s+ỦY|TỈNH\s+ỦY|HUYỆN\s+ỦY|KHO\s+BẠC|CÔNG\s+AN|BỘ\s+CHỈ\s+HUY|TRƯỜNG|BỆNH\s+VIỆN)\b",
    re.IGNORECASE,
)


def _issuer_from_block(block_lines: list[str]) -> str | None:
    """Group the top-left block into body names (a line not starting a body continues the one above)."""
    bodies: list[str] = []
    for raw in block_lines:
        line = re.sub(r"\*+", "", _strip_motto(raw)).strip(" -–_")
        if not line or _DOC_NUMBER.search(line):
            continue
        letters = [c for c in line if c.isalpha()]
        if not letters or sum(c.isupper() for c in letters) / len(letters) < 0.8:
            continue
        if bodies and not _BODY_START.match(line):
            bodies[-1] = f"{bodies[-1]} {line}"
        elif bodies and re.fullmatch(r"(ỦY|UỶ)\s+BAN\s+NHÂN\s+DÂN", bodies[-1], re.I):
            bodies[-1] = f"{bodies[-1]} {line}"  # "ỦY BAN NHÂN DÂN" / "HUYỆN …" is one name
        else:
            bodies.append(line)
    return _body_case(bodies[-1]) if bodies else None


def left_header_lines(words: list[tuple[str, tuple[float, float, float, float]]], page_height: float) -> list[str]:
    """Lines of the top-left header block, from words with boxes (text layer or OCR).

    The national motto ("CỘNG HÒA XÃ HỘI …") starts the right column; words
    entirely left of it, above the document number, form the issuer block.
    """
    anchor_x: float | None = None
    for i, (text, box) in enumerate(words[:-1]):
        if box[1] > page_height * 0.3:
            continue
        if _is_motto_start(text, words[i + 1][0]):
            anchor_x = box[0] if anchor_x is None else min(anchor_x, box[0])
    if anchor_x is None:
        return []
    stop_y = next((box[1] for text, box in words if re.fullmatch(r"Số\s*:?", text) and box[0] < anchor_x),
                  page_height * 0.3)
    from extractors.text_layer import group_lines  # visual lines by vertical overlap, not by glyph tops

    out: list[str] = []
    for line in group_lines(Word(text, box) for text, box in words if box[1] < stop_y - 1):
        ws = line.words
        # on a line that carries the motto, the body name is what comes before it, however long;
        # on other lines, the words that start left of the motto column
        cut = next((i for i in range(len(ws) - 1) if _is_motto_start(ws[i].text, ws[i + 1].text)), None)
        kept = ws[:cut] if cut is not None else [w for w in ws if w.bbox[0] < anchor_x - 2]
        if kept:
            out.append(" ".join(w.text for w in kept))
    return out


def _is_motto_start(word: str, nxt: str) -> bool:
    return bool(re.fullmatch(r"C[ỘO]NG", word, re.I) and re.fullmatch(r"H(?:ÒA|OÀ|OA)", nxt, re.I)) or (
        word == "Độc" and nxt == "lập")


def _body_case(name: str) -> str:
    """'ỦY BAN NHÂN DÂN XÃ BÌNH YÊN' → 'UBND xã Bình Yên'; 'BAN DÂN TỘC' → 'Ban Dân tộc'."""
    name = re.sub(r"\s+", " ", name).strip()
    prefix = ""
    for pattern, short in _BODY_PREFIXES:
        if pattern.match(name):
            prefix, name = short, pattern.sub("", name)
            break
    lower = name.lower()
    for level in _LEVEL_WORDS:
        if lower.startswith(level + " "):
            place = name[len(level) + 1 :]
            return f"{prefix}{level} {_title_words(place)}".strip()
    words = lower.split()
    if not words:
        return prefix.strip()
    # Body names: the type word and the name's first word are capitalised, and so is each name joined
    # by "và" or a dash ("Ban Dân tộc", "Bộ Khoa học và Công nghệ", "Sở Lao động - Thương binh và Xã hội").
    cased = [w.capitalize() if i < 2 or words[i - 1] in ("và", "-", "–") else w for i, w in enumerate(words)]
    return (prefix + " ".join(cased)).strip()


def _title_words(text: str) -> str:
    return " ".join(w.capitalize() for w in text.lower().split())


def _title(lines: list[str]) -> str | None:
    for i, line in enumerate(lines[:120]):
        if _TITLE_START.search(line):
            parts = [line]
            for nxt in lines[i + 1 : i + 5]:
                if not nxt or _BODY_START.search(nxt):
                    break
                parts.append(nxt)
            return " ".join(parts)
    return None


def _period(text: str) -> tuple[str | None, str | None, int | None]:
    for pattern, ptype in _PERIODS:
        m = pattern.search(text)
        if not m:
            continue
        year = int(m.group("y"))
        if ptype == "MULTI":
            return _clean(m.group(0)), "MULTI", year
        if ptype == "Q":
            q = m.group("q").upper()
            qn = _ROMAN.get(q) or int(q)
            return _clean(m.group(0)), f"Q{qn}", year
        return _clean(m.group(0)), ptype, year
    return None, None, None


_YEARLESS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?:6|sáu)\s+tháng\s+đầu\s+năm", re.I), "H1"),
    (re.compile(r"(?:9|chín)\s+tháng(?:\s+đầu\s+năm)?", re.I), "9M"),
    (re.compile(r"Q[UÚ][YÝ]\s+(?P<q>IV|III|II|I|[1-4])\b", re.I), "Q"),
]


def _period_without_year(text: str, issued: dt.date | None) -> tuple[str | None, str | None, int | None]:
    """'… 6 tháng đầu năm và …' with the year left out: the year is the one the report was issued in."""
    if issued is None:
        return None, None, None
    for pattern, ptype in _YEARLESS:
        m = pattern.search(text)
        if m:
            if ptype == "Q":
                q = m.group("q").upper()
                ptype = f"Q{_ROMAN.get(q) or int(q)}"
            return _clean(m.group(0)), ptype, issued.year
    return None, None, None


def _clean(label: str) -> str:
    label = re.sub(r"\s+", " ", label).strip()
    # Titles are often in capitals; keep the label as written but fix the all-caps case.
    if label.isupper():
        label = label.capitalize()
    return label
