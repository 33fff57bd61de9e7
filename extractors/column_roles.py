"""Column roles from what the cells hold, with the header as evidence rather than a precondition.

Why: on scans the header is the least reliable part of a grid (bold type,
two levels, merged cells, a stamp), and agencies reorder or rename columns
("Kết quả" over "Đơn vị tính | Số liệu", unit after the value, no "Ghi chú").
Reading the header alone, a unit column ("Hồ sơ", "Người", "%") is taken for
the values as soon as one header word is misread.  The body is much larger
than the header and tells columns apart by content: units come from a small
vocabulary (the catalog's units, read fuzzily), values parse as numbers,
codes look like "1.2.3.", labels are long text.

`reconcile_roles` keeps every header role the body agrees with (or cannot
judge) and overrides the ones it contradicts, recording why.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from cchc.core.vntext import fold, normalize_code
from extractors.numbers import parse_value

MIN_CELLS = 3  # filled body cells a column needs before its content may overrule the header
UNIT_SHARE = 0.5  # share of a column's filled cells that must read as units
VALUE_SHARE = 0.5  # … or as values
UNIT_FUZZ = 80  # rapidfuzz ratio against the unit vocabulary (OCR: "Hồ sử", "Đơn ì", "Ngưòi")

# Units as templates print them; the catalog's own units are added at first use.
_BASE_UNITS = (
    "%", "người", "thủ tục", "tthc", "cơ quan, đơn vị", "cơ quan", "đơn vị", "văn bản", "nhiệm vụ", "vấn đề",
    "hồ sơ", "số lượng", "phiếu", "triệu đồng", "tỷ đồng", "đồng", "quy trình", "quyết định", "lần", "cuộc",
    "cặp file", "chỉ tiêu", "lớp", "mô hình", "đề án", "điểm", "cái", "bộ", "dịch vụ", "kiến nghị", "tổ chức",
    "xã", "phường", "huyện", "cán bộ", "công chức", "viên chức", "buổi", "đợt", "tin", "bài", "trang",
)
_LEGEND = re.compile(r"\S\s*[=\-–:]\s*\d\b")  # "Chưa = 0", "Không - 0": the coded answers' legend


@functools.lru_cache(maxsize=1)
def unit_vocabulary() -> tuple[str, ...]:
    """Folded unit words: the built-in list plus every unit the catalog's templates print."""
    units = {fold(u) for u in _BASE_UNITS}
    try:
        from indicator_catalog import load_catalog

        for row in load_catalog().all_rows():
            u = getattr(row, "unit", None)
            if u and len(u) <= 25 and not _LEGEND.search(u):
                units.add(fold(u))
    except Exception:  # the catalog is optional here: the built-in list is enough to tell units apart
        pass
    return tuple(sorted(u for u in units if u))


def looks_like_unit(text: str) -> bool:
    """A unit cell: a vocabulary word (fuzzily, for OCR), or a coded answers' legend."""
    t = text.strip()
    if not t:
        return False
    if _LEGEND.search(t) and parse_value(t).kind not in ("number", "percent"):
        return True
    f = fold(t).strip(" .:;,_-|")
    if not f or len(f) > 30 or any(c.isdigit() for c in f):
        return False
    if f in unit_vocabulary():
        return True
    best = process.extractOne(f, unit_vocabulary(), scorer=fuzz.ratio)
    return best is not None and best[1] >= UNIT_FUZZ and len(f) >= 3


def looks_like_value(text: str) -> bool:
    kind = parse_value(text).kind
    return kind in ("number", "percent", "dash", "fraction", "zero_word")


def looks_like_code(text: str) -> bool:
    t = text.strip()
    return bool(t) and len(t) <= 12 and normalize_code(t) is not None and not looks_like_value(t.rstrip("."))


@dataclass(frozen=True)
class ColumnContent:
    """What a column's body cells hold, as shares of its filled cells."""

    filled: int
    unit: float
    value: float
    code: float
    mean_len: float

    @property
    def role(self) -> str | None:
        """The role the content alone points to, or None when it cannot tell."""
        if self.filled < MIN_CELLS:
            return None
        if self.unit >= UNIT_SHARE and self.unit > self.value:
            return "unit"
        if self.value >= VALUE_SHARE and self.value > self.unit:
            return "value"
        if self.code >= 0.5 and self.mean_len <= 10:
            return "code"
        if self.mean_len >= 25 and self.value < 0.2:
            return "label"
        return None


def column_content(texts: list[str]) -> ColumnContent:
    filled = [t.strip() for t in texts if t and t.strip()]
    n = len(filled) or 1
    return ColumnContent(
        filled=len(filled),
        unit=sum(looks_like_unit(t) for t in filled) / n,
        value=sum(looks_like_value(t) for t in filled) / n,
        code=sum(looks_like_code(t) for t in filled) / n,
        mean_len=sum(len(t) for t in filled) / n if filled else 0.0,
    )


def reconcile_roles(roles: list[str], headers: list[str], body: list[list[str]]) -> tuple[list[str], list[str]]:
    """Header roles corrected by content.  `body[r][c]` is the text of body row r, column c.

    Returns the new roles and one note per change.  Code and label columns
    named by the header are kept (their content is too varied to judge);
    a value/unit/note/unnamed column whose body clearly holds units becomes
    the unit column, one that clearly holds numbers becomes a value column.
    """
    n = len(roles)
    content = [column_content([row[c] if c < len(row) else "" for row in body]) for c in range(n)]
    new = list(roles)
    notes: list[str] = []
    label = next((i for i, r in enumerate(new) if r == "label"), None)
    if label is not None and content[label].role in ("value", "unit", "code"):
        # the header named the wrong column (a garbled header box): the long-text column is the label
        texty = [c for c in range(n) if content[c].role == "label" and new[c] != "code"]
        if texty:
            best = max(texty, key=lambda c: content[c].mean_len)
            notes.append(f"column {label} ({headers[label] or 'no header'}): its cells are "
                         f"{content[label].role}s, not labels; column {best} holds the labels")
            new[label], new[best] = content[label].role or "other", "label"
            label = best
    if label is None:
        # header word misread ("Chỉ SƠ tiêu"): the long-text column is the label
        texty = [c for c in range(n) if content[c].role == "label" and new[c] not in ("code",)]
        if texty:
            label = max(texty, key=lambda c: content[c].mean_len)
            notes.append(f"column {label} ({headers[label] or 'no header'}): its cells are long text, "
                         f"taken as label instead of {new[label]}")
            new[label] = "label"

    def set_role(c: int, role: str, why: str) -> None:
        if new[c] != role:
            notes.append(f"column {c} ({headers[c] or 'no header'}): {why}, taken as {role} instead of {new[c]}")
            new[c] = role

    if label is not None:
        # left of the labels nothing is a figure: a column the header called a value ("Số hiệu" read as
        # "Số liệu") whose cells are codes ("1.", "1.2") is the STT column, though such codes parse as numbers
        for c in range(label):
            cells = [t for t in (row[c].strip() for row in body if c < len(row)) if any(ch.isalnum() for ch in t)]
            share = sum(normalize_code(t) is not None for t in cells) / len(cells) if cells else 0.0
            if new[c] == "value" and "code" not in new and (share >= 0.5 or not cells):
                set_role(c, "code", f"{share:.0%} of its cells are codes, left of the labels")
            elif new[c] == "value":
                set_role(c, "other", "a column left of the labels holds no figures")
            elif new[c] == "other" and "code" not in new and len(cells) >= MIN_CELLS and share >= 0.5 \
                    and content[c].mean_len <= 10:
                set_role(c, "code", f"{share:.0%} of its cells are codes, left of the labels")
    if "code" not in new:
        coded = [c for c in range(n) if content[c].role == "code" and (label is None or c < label)]
        if coded:
            c0 = coded[0]
            notes.append(f"column {c0} ({headers[c0] or 'no header'}): its cells are codes, taken as code "
                         f"instead of {new[c0]}")
            new[c0] = "code"
    # units: the column that reads most like units, right of the label
    unit_cols = [c for c in range(n) if content[c].role == "unit" and new[c] not in ("code", "label")
                 and (label is None or c > label)]
    if unit_cols:
        best = max(unit_cols, key=lambda c: content[c].unit)
        set_role(best, "unit", f"{content[best].unit:.0%} of its cells are units")
        for c in range(n):
            if c != best and new[c] == "unit" and content[c].role == "value":
                set_role(c, "value", f"{content[c].value:.0%} of its cells are numbers")
    # values: numeric columns the header left unnamed, or named unit/note while no value column holds numbers
    has_numeric_value = any(new[c] == "value" and content[c].role == "value" for c in range(n))
    for c in range(n):
        if content[c].role != "value" or new[c] in ("code", "label", "value"):
            continue
        if label is not None and c < label:
            continue
        if new[c] in ("other", "unit") or (new[c] == "note" and not has_numeric_value):
            set_role(c, "value", f"{content[c].value:.0%} of its cells are numbers")
    # a "value" column holding no numbers at all while another one does: not a value column
    if any(new[c] == "value" and content[c].role == "value" for c in range(n)):
        for c in range(n):
            if new[c] == "value" and content[c].filled >= MIN_CELLS and content[c].value == 0 \
                    and content[c].role in ("label", None) and content[c].unit < UNIT_SHARE \
                    and not _YEAR.match(headers[c] or ""):  # "Năm 2012" over cells OCR garbled
                set_role(c, "other", "none of its cells is a number")
    return new, notes


# Value-column headers as templates print them: OCR slips ("Thuc hiện", "Kê hoạch") are mapped back so a
# column keeps one label across pages and documents.
_VALUE_HEADERS = ("Kế hoạch", "Thực hiện", "Số liệu", "Kết quả", "Lũy kế", "Ước thực hiện", "Chỉ tiêu giao",
                  "Kết quả thực hiện", "Số lượng", "Tỷ lệ", "Ghi chú")
VALUE_HEADERS = frozenset(_VALUE_HEADERS)
_VALUE_HEADERS_FOLDED = {fold(h): h for h in _VALUE_HEADERS}
_YEAR_ANYWHERE = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_TWO_WORD_HEADERS = [h for h in _VALUE_HEADERS_FOLDED if len(h.split()) == 2]
SUB_HEADER_FUZZ = 75  # "Kế oạcF" is "Kế hoạch" (80); "trong kỳ" is no header (< 50)


def value_header_at_end(text: str) -> str | None:
    """The value header a two-level header cell ends with when the rule under its group was lost.

    A narrow "Kế hoạch" column under "Kết quả trong kỳ báo cáo" then holds half the group's words
    and its own header last ("Kết tron _báo Kế oạcF"); only its last two words are the column's.
    """
    words = [w for w in re.sub(r"[^\w\s]", " ", fold(text)).split() if w]
    if len(words) < 3:
        return None
    best = process.extractOne(" ".join(words[-2:]), _TWO_WORD_HEADERS, scorer=fuzz.ratio)
    return _VALUE_HEADERS_FOLDED[best[0]] if best is not None and best[1] >= SUB_HEADER_FUZZ else None


_PAREN = re.compile(r"\([^()]*\)")
_YEAR = re.compile(r"^\s*(n\S{1,3}m\s+)?((?:19|20)\d{2})\b(.*)$", re.IGNORECASE)


def canonical_value_header(text: str) -> str:
    """A value column's header with OCR slips repaired ("Thuc hiện" → "Thực hiện", "Nǎm 2016" → "Năm 2016")."""
    t = " ".join(re.sub(r"[|¦]", " ", text).split()).strip(" :;,_")  # rulings read into the text
    if not t:
        return t
    m = _YEAR.match(t)
    if m:
        return _repair_note(f"Năm {m.group(2)}{m.group(3)}") if m.group(1) else t
    year = _YEAR_ANYWHERE.search(t)
    if year and re.search(r"\bn\S{0,3}m\b", fold(t)):
        # "Năm : 2011", "Cát Năm . 2014": a ruling or the group header above was read into it
        note = _PAREN.search(t[year.end():])
        return _repair_note(f"Năm {year.group(0)}" + (f" {note.group(0)}" if note else ""))
    folded = fold(t)
    best = process.extractOne(folded, list(_VALUE_HEADERS_FOLDED), scorer=fuzz.ratio)
    if best is not None and best[1] >= 85:
        # "c Thực hiện" (the last letter of a wrapped group header above) is "Thực hiện", not
        # "Ước thực hiện": a longer header wins over the one its text ends with only when the word
        # before looks like the longer header's own
        for short in _VALUE_HEADERS_FOLDED:
            extra = best[0][: -len(short)].split()
            if short != best[0] and best[0].endswith(" " + short) and folded.endswith(" " + short):
                before = folded[: -len(short)].split()
                if not before or fuzz.ratio(before[-1], extra[-1]) < 60:
                    return _VALUE_HEADERS_FOLDED[short]
        return _VALUE_HEADERS_FOLDED[best[0]]
    return t


_AS_OF = re.compile(r"\(\s*(\S{1,6})\s+(\S{1,4})\s+(\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{2,4})?)\s*\)")


def _repair_note(header: str) -> str:
    """"(tnh đến 31/3)" → "(tính đến 31/3)": the usual cut-off note of the last year column, OCR slips mended."""
    m = _AS_OF.search(header)
    if m and fuzz.ratio(fold(f"{m.group(1)} {m.group(2)}"), "tinh den") >= 75:
        date = re.sub(r"\s+", "", m.group(3))
        return header[:m.start()] + f"(tính đến {date})" + header[m.end():]
    m = _DATE_TAIL.match(header)
    if m:
        # "Năm 2020 ( 2 tính 31/3)", "Năm 2020 th 31/3)": the note's words lost, its date and a bracket
        # or a piece of "tính"/"đến" left
        tail, date = m.group(2), re.sub(r"\s+", "", m.group(3))
        bracket = "(" in tail or ")" in header[m.end(3):]
        if bracket or any(fuzz.ratio(fold(tok), w) >= 60 for tok in tail.split() for w in ("tinh", "den")):
            return f"{m.group(1)} (tính đến {date})"
    return header


_DATE_TAIL = re.compile(r"^(Năm (?:19|20)\d{2})\s+([^\d/]{0,20}?(?:\d\s+)?[^\d/]{0,12}?)"
                        r"(\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{2,4})?)\s*\)?\s*$")


def fill_year_sequence(headers: list[str]) -> list[str]:
    """Value-column headers of a multi-year grid, repaired from the sequence their readable years make.

    Multi-year grids print one column per consecutive year; OCR of a small bold header loses or
    garbles some ("Năm", "Năm 201112012", a neighbour's year read into "Năm 5 2011|2012").  When
    at least three columns read as "Năm YYYY" at positions that agree on one year-per-column
    sequence (and they are the majority of the year columns), every column that does not name
    another kind of value ("Kế hoạch") gets its year from the sequence; a note such as
    "(tính đến 31/3)" is kept.
    """
    years = [int(m.group(0)) if (m := _YEAR_ANYWHERE.search(h)) and h.startswith("Năm") else None for h in headers]
    known = [(i, y) for i, y in enumerate(years) if y is not None]
    if len(known) < 3:
        return headers
    offsets: dict[int, int] = {}
    for i, y in known:
        offsets[y - i] = offsets.get(y - i, 0) + 1
    offset, votes = max(offsets.items(), key=lambda kv: (kv[1], -kv[0]))
    if votes < 3 or votes * 2 <= len(known):
        return headers
    out = list(headers)
    for k, h in enumerate(headers):
        year = offset + k
        if years[k] == year or not 1900 <= year <= 2100:
            continue
        if h and not h.startswith("Năm") and canonical_value_header(h) in VALUE_HEADERS:
            continue  # a column of another kind ("Kế hoạch") next to the years
        note = _PAREN.search(h)
        out[k] = _repair_note(f"Năm {year}" + (f" {note.group(0)}" if note else ""))
    return out
