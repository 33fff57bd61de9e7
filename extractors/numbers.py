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
from typing import NamedTuple

from cchc.core.vntext import clean as _clean
from cchc.core.vntext import fold, parse_codes, parse_number

__all__ = ["ParsedValue", "parse_value", "is_count_unit"]


class ParsedValue(NamedTuple):
    """Result of `parse_value`.

    kind: ``number`` | ``percent`` | ``coded`` | ``zero_word`` | ``dash`` |
    ``blank`` | ``fraction`` | ``text``.
    """

    value_num: float | None
    value_text: str | None
    kind: str


_DASHES = re.compile(r"^[\-\u2010-\u2015\u2212_.]*[\-\u2010-\u2015\u2212_][\-\u2010-\u2015\u2212_.]*$")
_INNER_RULING = re.compile(r"(?<=\w)\s*[|¦]\s*(?=\w)")
_LEADING_SEPARATOR = re.compile(r"^[.,](?=\d{2})")
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
    s = _INNER_RULING.sub(" ", s)  # nor one read between two words ("Hoàn| thành")
    s = _LEADING_SEPARATOR.sub("", s)  # a speck read as "," before a figure (",866"): no figure starts so
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
