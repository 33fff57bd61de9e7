"""Vietnamese text as the reports print it: one module for NFC, folding, codes, numbers, legends, levels.

Why one module: the same cell or sentence is compared by the extractors, the
matchers, the catalog, the unit register and the scorer.  When each kept its
own copy the copies drifted ("5:2" was code 5.2 in one and 52 in another, a
legend "Không - 0 / Có - 1" was read by one and not the other).  Every rule
here was decided once against a table of the old disagreements
(tests/test_vntext.py), and every layer imports it from here.

Core layer: imports nothing of the project (see docs/architecture.md).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "LEVELS",
    "clean",
    "code_depth",
    "code_parent",
    "fix_tone_placement",
    "fold",
    "fold_aligned",
    "fold_key",
    "is_subrow_marker",
    "level_hints",
    "level_of",
    "level_words",
    "body_key",
    "nfc",
    "nfc_ocr",
    "normalize_code",
    "parse_codes",
    "parse_number",
    "strip_accents",
]

_WS = re.compile(r"\s+")

# --------------------------------------------------------------------------- NFC and whitespace


def nfc(text: str | None) -> str:
    """Unicode NFC ("" for None): Tesseract and some PDF producers emit decomposed (NFD) text."""
    return unicodedata.normalize("NFC", text) if text else ""


def clean(text: object) -> str:
    """NFC with every run of Unicode whitespace (tabs, newlines, no-break spaces) as one space, stripped.

    The form labels, legends and running text are compared and cut in.
    """
    if text is None:
        return ""
    return _WS.sub(" ", unicodedata.normalize("NFC", str(text))).strip()


# Glyphs Tesseract emits for plain ASCII in these documents ("31⁄3" for "31/3" in a year header), and
# the Icelandic eth it reads for the Vietnamese Đ ("Ð. vị tính"; Vietnamese has no eth)
_OCR_LOOKALIKES = str.maketrans({"\u2044": "/", "\u2215": "/", "\u2010": "-", "\u2011": "-", "\u00ad": "",
                                 "\u00d0": "\u0110", "\u00f0": "\u0111"})


def nfc_ocr(text: str) -> str:
    """NFC with OCR's look-alike slashes and hyphens made ASCII (soft hyphens dropped)."""
    return nfc(text).translate(_OCR_LOOKALIKES)


# --------------------------------------------------------------------------- accents and folding


@lru_cache(maxsize=131072)
def strip_accents(text: str) -> str:
    """Letters without marks, case kept ("Đơn vị" -> "Don vi"): OCR confuses stacked diacritics."""
    decomposed = unicodedata.normalize("NFD", text)
    base = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return base.replace("đ", "d").replace("Đ", "D").replace("ð", "d").replace("Ð", "D")


def fold(text: str) -> str:
    """Case-folded, accent-free, whitespace collapsed ("Hoàn  thành" -> "hoan thanh"): tolerant equality."""
    return _WS.sub(" ", strip_accents(text.casefold())).strip()


def fold_key(text: str) -> str:
    """`fold` with punctuation as spaces too ("UBND xã Bình-Yên" -> "ubnd xa binh yen"): a name as a key."""
    return _WS.sub(" ", re.sub(r"[\W_]+", " ", fold(text))).strip()


def fold_aligned(text: str) -> str:
    """Lower-case, accent-free, đ->d, exactly one character per input character.

    Offsets in the folded string are offsets in the input, which lets patterns
    run accent-blind while figures are cut from the original text.  Give it NFC
    text (`clean`): a stray combining mark becomes a space to keep the length.
    """
    out = []
    for ch in text:
        if ch in "đĐ":
            out.append("d")
            continue
        base = unicodedata.normalize("NFD", ch)[0]
        if unicodedata.combining(base):
            base = " "
        low = base.lower()
        out.append(low if len(low) == 1 else base)
    return "".join(out)


@lru_cache(maxsize=65536)
def fix_tone_placement(text: str) -> str:
    """Move tone marks to the modern position ("hoà" -> "hòa", "thuý" -> "thúy").

    underthesea's `text_normalize` does the syllable-level work but also splits
    punctuation into tokens; we only keep its syllable rewrites by applying it
    word by word, so the rest of the text is left as it was.
    """
    text = nfc(text)
    if not text or text.isascii():
        return text
    out: list[str] = []
    for token in re.split(r"(\s+)", text):
        if token and not token.isspace() and not token.isascii():
            m = re.match(r"^(\W*)(.*?)(\W*)$", token, re.UNICODE)
            if m is not None and m.group(2):
                lead, core, trail = m.groups()
                token = lead + _fix_word(core) + trail
        out.append(token)
    return nfc("".join(out))


@lru_cache(maxsize=65536)
def _fix_word(word: str) -> str:
    from underthesea import text_normalize  # heavy import: only when needed

    fixed = nfc(text_normalize(word)).replace(" ", "")
    return fixed if len(fixed) == len(word) else word  # only tone moves, never other edits


# --------------------------------------------------------------------------- numbers

# OCR confusions inside digit strings: only letters that look like 1 or 0.
_OCR_ONE = "lI|!"
_OCR_ZERO = "Oo"
_NUM_CHARS = "0123456789.,"


def _fix_ocr_digits(token: str) -> str:
    """Map l/I/O inside a token made of digits (``1O`` -> ``10``, ``l2,5`` -> ``12,5``).

    Only when the token already holds a real digit and every character is a
    digit, a separator or a confusable letter; words are left alone.
    """
    if not any(c.isdigit() for c in token):
        return token
    if not all(c in _NUM_CHARS or c in _OCR_ONE or c in _OCR_ZERO for c in token):
        return token
    return "".join("1" if c in _OCR_ONE else "0" if c in _OCR_ZERO else c for c in token)


# One number as running text writes it ("1.245", "12,5", "03"), not inside a date, code or word;
# `parse_number` reads what it matches.  NUMBER_TEXT is the bare pattern, for larger patterns ("x/y").
NUMBER_TEXT = r"(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?"
NUMBER_IN_TEXT = re.compile(r"(?<![\w/.,:\-])" + NUMBER_TEXT + r"(?![\w/:]|[.,]\d)")

_INT = re.compile(r"^\d+$")
_THOUSANDS_DOT = re.compile(r"^[1-9]\d{0,2}(?:\.\d{3})+$")
_THOUSANDS_DOT_DEC_COMMA = re.compile(r"^[1-9]\d{0,2}(?:\.\d{3})+,\d+$")
_DEC_COMMA = re.compile(r"^\d+,\d+$")
_DEC_DOT = re.compile(r"^\d+\.\d+$")
_EN_THOUSANDS_DEC_DOT = re.compile(r"^[1-9]\d{0,2}(?:,\d{3})+\.\d+$")
_SPACE_THOUSANDS = re.compile(r"^[1-9]\d{0,2}(?: \d{3})+(?:,\d+)?$")


def parse_number(text: str | None) -> float | None:
    """Parse one bare number written the Vietnamese way; None if it is not one.

    ``12,5`` -> 12.5, ``1.245`` -> 1245, ``1.245,5`` -> 1245.5, ``03`` -> 3,
    ``12.5`` -> 12.5 (a dot followed by other than three digits cannot be a
    thousands group), ``1 245`` -> 1245, ``-3`` -> -3.  OCR letter confusions
    inside the digits are repaired (``l2`` -> 12).  Python's own float syntax
    (``1e5``, ``inf``, ``nan``) is not a printed number.
    """
    s = clean(text)
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


# --------------------------------------------------------------------------- coded-answer legends

_CODE_PAIR = re.compile(r"\s*(?:=|-|–|:)\s*(\d+)(?!\d)(?![.,]\d)(?!\s*%)")
_TRAILING_REMARK = re.compile(r"\s*\([^()]*\)\s*[.;]?\s*$")


def parse_codes(text: str | None) -> dict[str, int]:
    """Parse a printed coded-answer legend into ``{answer: code}``.

    Handles the forms the templates print: ``Chưa = 0 / Hoàn thành = 1``,
    ``Không - 0\\nCó - 1``, one-line ``Chưa có = 0 2 cấp = 1 3 cấp = 2``, a
    code wrapped onto its own line (``Trực tuyến = \\n0``) and a bracketed
    remark after the last pair (``Có = 1; Không = 0 (ghi rõ)``).  Returns ``{}``
    when the text is not a legend (a unit such as ``Người`` or ``%``).
    """
    s = clean(text)
    if not s:
        return {}
    out: dict[str, int] = {}
    pos = 0
    for m in _CODE_PAIR.finditer(s):
        label = s[pos : m.start()].strip(" /,;()\t")
        if not label or not re.search(r"[^\W\d_]", label):
            return {}
        out[label] = int(m.group(1))
        pos = m.end()
    if not out or _TRAILING_REMARK.sub("", s[pos:]).strip(" /,;().\t"):
        return {}
    return out


# --------------------------------------------------------------------------- STT codes

_ROMAN = re.compile(r"^(?=[IVXLC])M{0,3}(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
_LETTER_CODE = re.compile(r"^[a-zđ]$")
_TRONG_DO = re.compile(r"^trong\s*(?:do|so)\b")
#: numbers (or a Roman section, or an appendix prefix ``PL3``) then dotted numbers, then sub-row letters
_CODE_SHAPE = re.compile(
    r"^(?:PL\d{1,2}(?:\.\d{1,3})*|\d{1,3}(?:\.\d{1,3})*|[IVXLC]{1,5}(?:\.\d{1,3})*)(?:\.[a-zđ])*$"
)


def is_subrow_marker(text: str | None) -> bool:
    """True for the "Trong đó" cell that opens a block of sub-rows (also OCR'd or de-accented)."""
    return bool(text) and bool(_TRONG_DO.match(fold(nfc(text)).rstrip(":,.")))


def normalize_code(raw: str | None) -> str | None:
    """The STT cell as a code: "1.1.1." -> "1.1.1", "I." -> "I", "a)" -> "a", "PL3.1" and "2.1.a" kept.

    Returns None for "Trong đó", bullets ("-", "+") and cells that are not a
    code ("Năm 2011").  OCR slips are repaired ("2.1," -> "2.1", "l.2" ->
    "1.2", "1. 2" -> "1.2", "5:2" -> "5.2", "4.1.2. _" -> "4.1.2"); an
    ambiguous "21." (maybe a lost inner dot) is left as "21", and "1 2" (two
    numbers, or a lost dot) is not a code: the matcher judges such rows
    against their neighbours.
    """
    s = clean(raw)
    if not s or is_subrow_marker(s):
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
    if _CODE_SHAPE.match(s) and not s[0].isdigit():
        return s  # a Roman section with parts ("II.1") or an appendix code: no digit repair
    fixed = _fix_ocr_digits(s)
    fixed = re.sub(r"(?<=\d),(?=\d)", ".", fixed)
    fixed = re.sub(r"\.{2,}", ".", fixed)
    return fixed if _CODE_SHAPE.match(fixed) else None


def code_depth(code: str | None) -> int:
    """Outline depth of a normalised code: "I" -> 0, "1" -> 1, "1.2.3" -> 3, a lone letter -> 9, none -> 99."""
    if not code:
        return 99
    if _ROMAN.match(code):
        return 0
    if _LETTER_CODE.match(code):
        return 9
    return code.count(".") + 1


def code_parent(code: str | None) -> str | None:
    """ "1.2.3" -> "1.2"; "2.1.a" -> "2.1"; top-level codes have no parent."""
    if not code or "." not in code:
        return None
    return code.rsplit(".", 1)[0]


# --------------------------------------------------------------------------- administrative levels

#: administrative levels, spelt as the catalog's template levels
LEVELS = ("bo", "tinh", "so_nganh", "huyen", "xa")

_CENTRAL_CITIES = {"ha noi", "ho chi minh", "hai phong", "da nang", "can tho", "hue"}
_BODY_PREFIX = re.compile(r"^(?:uy ban nhan dan|ubnd|hoi dong nhan dan|hdnd)\s+")
_NAME_LEVELS: tuple[tuple[str, str], ...] = (
    (r"^bo\s", "bo"),
    (r"^tinh\s", "tinh"),
    (r"^(?:huyen|quan|thi xa)\s", "huyen"),
    (r"^(?:xa|phuong|thi tran)\s", "xa"),
    (r"^(?:so|ban|cuc|tong cuc|chi cuc|van phong|thanh tra|trung tam|phong)\s", "so_nganh"),
)
#: a specialised body named after its district or commune works at that level; read on the
#: accented words, where "quận" is not "quản lý" and "xã hội" names no commune
_LOCAL_BODY = re.compile(r"\b(?:(huyện|quận|thị xã)|(xã(?! hội)|phường|thị trấn))\b")
_TITLE_LEVELS: tuple[tuple[str, str], ...] = (
    (r"\bxã\b|\bphường\b|\bthị trấn\b", "xa"),
    (r"\bhuyện\b|\bquận\b|\bthị xã\b|\bthành phố thuộc tỉnh\b", "huyen"),
    (r"\bsở\b|\bban\b|\bngành\b|\bsở, ngành\b|\bcục\b", "so_nganh"),
    (r"\btỉnh\b|\bthành phố trực thuộc trung ương\b", "tinh"),
    (r"\bbộ\b|\bcơ quan ngang bộ\b|\bcơ quan thuộc chính phủ\b", "bo"),
)


def body_key(name: str) -> str:
    """The folded name of a body without "UBND"/"Ủy ban nhân dân": what identifies the unit."""
    return _BODY_PREFIX.sub("", fold_key(name))


def level_of(name: str | None) -> str | None:
    """The level of one body from its name ("UBND huyện Cẩm Xuyên" -> "huyen"); None when it does not say.

    The one rule for a document's issuer (narrative stage) and a unit's name (`cchc.core.units`);
    the cases where the old issuer-only rule answered otherwise are a table in tests/test_levels.py.
    """
    if not name:
        return None
    key = body_key(name)
    if key.startswith("tp "):
        key = "thanh pho " + key[len("tp "):]
    if key.startswith("thanh pho "):
        return "tinh" if key[len("thanh pho "):] in _CENTRAL_CITIES else "huyen"
    for pattern, level in _NAME_LEVELS:
        if re.match(pattern, key + " "):
            local = _LOCAL_BODY.search(clean(name).lower()) if level == "so_nganh" else None
            if local:  # "Phòng Nội vụ huyện …", "Thanh tra huyện …": the district's (commune's) own office
                return "huyen" if local.group(1) else "xa"
            return level
    return None


def level_words(key: str) -> str:
    """The words of a `body_key` that name its level ("huyen cam xuyen" -> "huyen"); "" when none do."""
    for pattern, _ in _NAME_LEVELS:
        m = re.match(pattern, key + " ")
        if m:
            return m.group(0).strip()
    return ""


def level_hints(title: str | None) -> set[str]:
    """Every level a title names ("… của UBND xã Bình Yên" -> {"xa"}); "thị xã" is a district-level town."""
    t = nfc(title).lower()
    if not t:
        return set()
    found = {level for pattern, level in _TITLE_LEVELS if re.search(pattern, t)}
    if "xa" in found and not re.search(r"(?<!thị )\bxã\b|\bphường\b|\bthị trấn\b", t):
        found.discard("xa")
    return found
