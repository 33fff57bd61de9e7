"""Value cells and STT codes as Vietnamese reports print them.

Why hand-written: the conventions are local (decimal comma, thousands dot,
leading zeros "03", dashes for "not applicable", coded answers spelt out as
"Chưa = 0 Hoàn thành = 1" in the unit cell) and OCR adds its own confusions
(`l`/`I` for 1, `O` for 0).  No locale library parses "1.245" as 1245 *and*
"12.5" as 12.5, which is what these documents mean.

The rules follow the output contract: a value is either a number
(`value_num`), a kept text (`value_text`), an explicit dash (`value_text="-"`)
or blank (both None); `kind` says which rule decided.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

__all__ = [
    "ParsedValue",
    "parse_value",
    "parse_number",
    "parse_codes",
    "normalize_code",
    "code_depth",
    "is_count_unit",
    "fold",
]


class ParsedValue(NamedTuple):
    """Result of `parse_value`.

    kind: ``number`` | ``percent`` | ``coded`` | ``zero_word`` | ``dash`` |
    ``blank`` | ``fraction`` | ``text``.
    """

    value_num: float | None
    value_text: str | None
    kind: str


_WS = re.compile(r"\s+")
_DASHES = re.compile(r"^[\-\u2010-\u2015\u2212_.]*[\-\u2010-\u2015\u2212_][\-\u2010-\u2015\u2212_.]*$")
# OCR confusions inside digit strings: only letters that look like 1 or 0.
_OCR_ONE = "lI|!"
_OCR_ZERO = "Oo"
_NUM_CHARS = "0123456789.,"


def fold(text: str) -> str:
    """Case-fold and strip diacritics ("Hoàn thành" -> "hoan thanh") for tolerant comparison."""
    text = unicodedata.normalize("NFD", text.casefold())
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return _WS.sub(" ", text.replace("đ", "d")).strip()


def _clean(raw: str) -> str:
    text = unicodedata.normalize("NFC", raw or "")
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2009", " ")
    return _WS.sub(" ", text).strip()


def _fix_ocr_digits(token: str) -> str:
    """Map l/I/O inside a token made of digits (``1O`` -> ``10``, ``l2,5`` -> ``12,5``).

    Only when the token already holds a real digit and every character is a
    digit, a separator or a confusable letter; words are left alone.
    """
    if not any(c.isdigit() for c in token):
        return token
    if not all(c in _NUM_CHARS or c in _OCR_ONE or c in _OCR_ZERO for c in token):
        return token
    out = []
    for c in token:
        if c in _OCR_ONE:
            out.append("1")
        elif c in _OCR_ZERO:
            out.append("0")
        else:
            out.append(c)
    return "".join(out)


_INT = re.compile(r"^\d+$")
_THOUSANDS_DOT = re.compile(r"^[1-9]\d{0,2}(?:\.\d{3})+$")
_THOUSANDS_DOT_DEC_COMMA = re.compile(r"^[1-9]\d{0,2}(?:\.\d{3})+,\d+$")
_DEC_COMMA = re.compile(r"^\d+,\d+$")
_DEC_DOT = re.compile(r"^\d+\.\d+$")
_EN_THOUSANDS_DEC_DOT = re.compile(r"^[1-9]\d{0,2}(?:,\d{3})+\.\d+$")
_SPACE_THOUSANDS = re.compile(r"^[1-9]\d{0,2}(?: \d{3})+(?:,\d+)?$")


def parse_number(text: str) -> float | None:
    """Parse one bare number written the Vietnamese way; None if it is not one.

    ``12,5`` -> 12.5, ``1.245`` -> 1245, ``1.245,5`` -> 1245.5, ``03`` -> 3,
    ``12.5`` -> 12.5 (a dot followed by other than three digits cannot be a
    thousands group), ``-3`` -> -3.  OCR letter confusions inside the digits
    are repaired.
    """
    s = _clean(text)
    if not s:
        return None
    sign = 1.0
    if s[0] in "-\u2212+" and len(s) > 1:
        sign = -1.0 if s[0] != "+" else 1.0
        s = s[1:].strip()
    if _SPACE_THOUSANDS.match(s):
        s = s.replace(" ", ".")
    s = _fix_ocr_digits(s)
    if _INT.match(s):
        return sign * float(int(s))
    if _THOUSANDS_DOT.match(s):
        return sign * float(int(s.replace(".", "")))
    if _THOUSANDS_DOT_DEC_COMMA.match(s):
        return sign * float(s.replace(".", "").replace(",", "."))
    if _DEC_COMMA.match(s):
        return sign * float(s.replace(",", "."))
    if _DEC_DOT.match(s):
        return sign * float(s)
    if _EN_THOUSANDS_DEC_DOT.match(s):
        return sign * float(s.replace(",", ""))
    return None


def parse_codes(unit_text: str | None) -> dict[str, int]:
    """Coded answers spelt out in a unit cell: "Chưa = 0 Đang làm = 1 Hoàn thành = 2".

    Returns ``{"Chưa": 0, "Đang làm": 1, "Hoàn thành": 2}``; empty when the cell
    is an ordinary unit.  Labels are split at the previous ``= N``.
    """
    if not unit_text or "=" not in unit_text:
        return {}
    text = _clean(unit_text)
    codes: dict[str, int] = {}
    pos = 0
    for m in re.finditer(r"=\s*(\d+)", text):
        label = text[pos : m.start()].strip(" ;,.:-")
        pos = m.end()
        if label:
            codes[label] = int(m.group(1))
    return codes


_NON_COUNT_UNIT = re.compile(r"%|=|tỷ lệ|ty le|điểm|diem|phần trăm", re.IGNORECASE)


def is_count_unit(unit: str | None) -> bool:
    """True when the unit counts things (Văn bản, Người, Thủ tục, …), so "không" means 0."""
    if unit is None:
        return False
    u = _clean(unit)
    if not u:
        return False
    return not _NON_COUNT_UNIT.search(u) and not _NON_COUNT_UNIT.search(fold(u))


_ZERO_WORDS = {"khong", "khong co", "chua co", "khong phat sinh", "0 (khong)", "khong (0)"}
_FRACTION = re.compile(r"^\d+(?:[.,]\d+)?\s*/\s*\d+(?:[.,]\d+)?$")
_PERCENT = re.compile(r"^(?P<num>.*?\d.*?)\s*%$")
_NUM_WITH_WORDS = re.compile(r"^(?P<num>[\d.,lIO]+)\s+(?P<rest>[^\d=/%]+)$")


def _match_code(s: str, codes: dict[str, int]) -> int | None:
    f = fold(s)
    folded = {fold(k): v for k, v in codes.items()}
    if f in folded:
        return folded[f]
    # "Hoàn thành = 1" written back in the value cell, or the bare digit of a code.
    m = re.match(r"^(.*?)\s*=\s*(\d+)$", f)
    if m and int(m.group(2)) in folded.values():
        return int(m.group(2))
    if re.fullmatch(r"\d+", f) and int(f) in folded.values():
        return int(f)
    # "Chưa hoàn thành": the label that starts the answer wins, the longest first.
    prefixes = [k for k in folded if f.startswith(k + " ") or f == k]
    if prefixes:
        return folded[max(prefixes, key=len)]
    contained = [k for k in folded if re.search(rf"(?<!\w){re.escape(k)}(?!\w)", f)]
    if len(contained) == 1:
        return folded[contained[0]]
    return None


def parse_value(raw: str, codes: dict[str, int] | None = None, unit: str | None = None) -> ParsedValue:
    """Turn a value cell into (value_num, value_text, kind) per the output contract.

    `codes` are the coded answers of the indicator (or parsed from the unit
    cell with `parse_codes`); `unit` decides whether "không" means zero.
    """
    s = _clean(raw).strip("|¦").strip()  # a ruling glued to the cell's text by OCR ("34|") is not part of it
    if not s:
        return ParsedValue(None, None, "blank")
    if _DASHES.match(s) and any(c not in "." for c in s):
        return ParsedValue(None, "-", "dash")
    if codes is None and unit and "=" in unit:
        codes = parse_codes(unit) or None
    if codes:
        code = _match_code(s, codes)
        if code is not None:
            return ParsedValue(float(code), None, "coded")
    num = parse_number(s)
    if num is not None:
        return ParsedValue(num, None, "number")
    m = _PERCENT.match(s)
    if m:
        num = parse_number(m.group("num"))
        if num is not None:
            return ParsedValue(num, None, "percent")
    f = fold(s).rstrip(".")
    if f in _ZERO_WORDS and is_count_unit(unit):
        return ParsedValue(0.0, None, "zero_word")
    if _FRACTION.match(s):
        return ParsedValue(None, s, "fraction")
    m = _NUM_WITH_WORDS.match(s)
    if m and unit and fold(m.group("rest")).rstrip(".") == fold(unit):
        # "16 nhiệm vụ" where the unit is "Nhiệm vụ": the words only repeat the unit.
        num = parse_number(m.group("num"))
        if num is not None:
            return ParsedValue(num, None, "number")
    return ParsedValue(None, s, "text")


_ROMAN = re.compile(r"^(?=[IVXLC])M{0,3}(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
_NUM_CODE = re.compile(r"^\d{1,3}(?:\.\d{1,3})*$")
_LETTER_CODE = re.compile(r"^[a-zđ]$")
_TRONG_DO = re.compile(r"^trong\s*(do|so)\b")


def normalize_code(raw: str | None) -> str | None:
    """The STT cell as a code: "1.1.1." -> "1.1.1", "I." -> "I", "a)" -> "a".

    Returns None for "Trong đó", bullets ("-", "+") and cells that are not a
    code.  OCR slips are repaired ("2.1," -> "2.1", "l.2" -> "1.2", "1. 2" ->
    "1.2", "5:2" -> "5.2", "4.1.2. _" -> "4.1.2"); an ambiguous "21." (maybe a
    lost inner dot) is left as "21" for the matcher to judge against the
    neighbouring rows.
    """
    if raw is None:
        return None
    s = _clean(raw)
    if not s:
        return None
    if _TRONG_DO.match(fold(s)):
        return None
    # OCR junk after the code ("4.1.2. _", "4.2.3. -", "5.1.`"), then the usual trailing dot
    s = re.sub(r"[\s_\-\u2013\u2014~`'|\"\u201c\u201d]+$", "", s)
    s = s.strip(" .,;:)(*")
    s = re.sub(r"\s*([.,:;])\s*", r"\1", s)
    s = re.sub(r"(?<=\d)[:;](?=\d)", ".", s)
    if not s:
        return None
    if _ROMAN.match(s.upper()) and s.isupper():
        return s.upper()
    if _LETTER_CODE.match(s):
        return s
    fixed = _fix_ocr_digits(s)
    fixed = re.sub(r"(?<=\d),(?=\d)", ".", fixed)
    fixed = re.sub(r"\.{2,}", ".", fixed)
    if _NUM_CODE.match(fixed):
        return fixed
    return None


def code_depth(code: str | None) -> int:
    """Nesting depth of a normalised code: "I" -> 0, "1" -> 1, "1.2.3" -> 3, letters -> 9."""
    if not code:
        return 99
    if _ROMAN.match(code):
        return 0
    if _LETTER_CODE.match(code):
        return 9
    return code.count(".") + 1
