"""Convert legacy one-byte Vietnamese text layers (TCVN3/ABC and VNI) to Unicode.

Before Unicode became the norm (≈2001–2010 in provincial offices), reports
were typed in `.VnTime`/`.VnTimeH` (TCVN3, a.k.a. ABC) or `VNI-Times` fonts.
Their PDFs carry the raw font bytes, which pdfminer/pdfplumber surface as
Latin-1 characters ("C«ng t¸c", "Coâng taùc").  Python ships no codec for
either encoding, so the tables live here.

* TCVN3 is a single-byte table: one byte per precomposed lower-case letter.
  It has no accented capitals: `.VnTimeH` (every TCVN3 font whose name ends
  in "H") draws the *same* codes as capitals, so text in such a font is
  upper-cased after conversion.
* VNI writes a base letter followed by one "mark" byte (tone, circumflex +
  tone, breve + tone), plus a few single bytes (ơ ư đ and some i/y forms).

The encoders exist so the tests can round-trip every Vietnamese letter; the
pipeline only ever decodes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace

from cchc.core.model import TextOrigin, Word

TCVN3 = "tcvn3"
VNI = "vni"

# --------------------------------------------------------------------------- TCVN3
# byte (as the Latin-1 character pdfminer yields) -> Unicode letter
_TCVN3_PAIRS: dict[int, str] = {
    # capitals without tone (the only capitals TCVN3 encodes)
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    # lower-case base letters
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    # a: grave hook tilde acute dot
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}
_TCVN3_DECODE = {b: ord(u) for b, u in _TCVN3_PAIRS.items()}
_TCVN3_ENCODE = {u: chr(b) for b, u in _TCVN3_PAIRS.items()}

# --------------------------------------------------------------------------- VNI
_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_CIRC, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
_TONES = (None, _ACUTE, _GRAVE, _HOOK, _TILDE, _DOT)

# mark byte -> (quality mark or None, tone or None); lower-case forms, upper-case below
_VNI_TONE_LOWER = {"ù": _ACUTE, "ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ï": _DOT}
_VNI_CIRC_LOWER = {"â": None, "á": _ACUTE, "à": _GRAVE, "å": _HOOK, "ã": _TILDE, "ä": _DOT}
_VNI_BREVE_LOWER = {"ê": None, "é": _ACUTE, "è": _GRAVE, "ú": _HOOK, "ü": _TILDE, "ë": _DOT}
# single bytes that stand for a whole letter
_VNI_SINGLE_LOWER = {"ô": "ơ", "ö": "ư", "ñ": "đ", "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ"}


_VNI_MARKS: dict[str, tuple[str | None, str | None]] = {}
_MARK_TABLES: tuple[tuple[dict[str, str | None], str | None], ...] = (
    (dict(_VNI_TONE_LOWER), None), (_VNI_CIRC_LOWER, _CIRC), (_VNI_BREVE_LOWER, _BREVE),
)
for _table, _quality in _MARK_TABLES:
    for _k, _tone in _table.items():
        _VNI_MARKS[_k] = (_quality, _tone)
        _VNI_MARKS[_k.upper()] = (_quality, _tone)
_VNI_SINGLE: dict[str, str] = {**_VNI_SINGLE_LOWER}
_VNI_SINGLE.update({k.upper(): v.upper() for k, v in _VNI_SINGLE_LOWER.items()})

_TONE_BASES = set("aeiouyAEIOUY") | set("ơưƠƯ")
_CIRC_BASES = set("aeoAEO")
_BREVE_BASES = set("aA")

_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
_STYLE_SUFFIX = re.compile(r"([,\-_ ]?(bold|italic|oblique|regular|semibold|narrow|mt|ps))+$", re.IGNORECASE)


def font_encoding(fontname: str | None) -> str | None:
    """`tcvn3`, `vni` or None for a PDF font name (subset prefix and style ignored)."""
    if not fontname:
        return None
    name = _SUBSET_PREFIX.sub("", fontname).strip().lower()
    if name.startswith(".vn") or re.match(r"^vn(time|arial|avant|helv|univers|courier|bahamas|book|cooper|souvenir|aptima|linus|clarendon|shelley|present|square|lucida|stamp|3d|free|black|commercial|koala|bodoni|tifani|centur|brush|wind)", name):
        return TCVN3
    if name.startswith(("vni-", "vni ", "vni_", "vn-")):
        return VNI
    return None


def is_caps_font(fontname: str | None) -> bool:
    """True for TCVN3 capital fonts (`.VnTimeH`, `.VnArialH,Bold`, …), whose lower-case codes draw capitals."""
    if font_encoding(fontname) != TCVN3:
        return False
    name = _SUBSET_PREFIX.sub("", fontname or "").strip()
    name = _STYLE_SUFFIX.sub("", name)
    return name.endswith(("H", "h"))


# TCVN3 puts the plain "ư" at 0xAD, the soft hyphen; pdfminer often hands it back as a space
# ("Tr êng" for "Trường").  A consonant-only token followed by the rest of an "ư…" rhyme is re-joined.
_ONSET_ONLY = r"(?:ngh|ng|nh|ch|gh|kh|ph|th|tr|qu|[bcdđghklmnprstvx])"
_UHORN_REST = r"(?:[ơờớởỡợ]|a\b|u\b|ng\b|u[^\W\d_])"
_UHORN_GAP = re.compile(rf"(?<![^\W\d_])({_ONSET_ONLY}) (?={_UHORN_REST})", re.IGNORECASE)


def restore_uhorn_gaps(text: str) -> str:
    """Put back the "ư" that surfaced as a space ("Tr ờng" → "Trường"); for TCVN3 text only."""
    return _UHORN_GAP.sub(lambda m: m.group(1) + ("Ư" if m.group(1).isupper() and len(m.group(1)) > 1 else "ư"), text)


def decode_tcvn3(text: str, caps: bool = False) -> str:
    """TCVN3 bytes-as-Latin-1 → NFC Unicode; `caps` for `.VnTimeH`-style fonts."""
    out = restore_uhorn_gaps(text.translate(_TCVN3_DECODE))
    if caps:
        out = out.upper()
    return unicodedata.normalize("NFC", out)


def decode_vni(text: str) -> str:
    """VNI bytes-as-Latin-1 → NFC Unicode: a base letter absorbs the mark byte that follows it."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        base = _VNI_SINGLE.get(ch, ch)
        i += 1
        if i < n and text[i] in _VNI_MARKS:
            quality, tone = _VNI_MARKS[text[i]]
            plain = unicodedata.normalize("NFD", base)[0]
            ok = (
                (quality is None and (plain in _TONE_BASES or base in _TONE_BASES) and tone is not None)
                or (quality == _CIRC and plain in _CIRC_BASES and base == plain)
                or (quality == _BREVE and plain in _BREVE_BASES and base == plain)
            )
            # a tone on a letter that already carries one is not VNI; leave the byte alone
            if ok and not _has_tone(base):
                seq = unicodedata.normalize("NFD", base) + (quality or "") + (tone or "")
                out.append(unicodedata.normalize("NFC", seq))
                i += 1
                continue
        out.append(base)
    return unicodedata.normalize("NFC", "".join(out))


def decode(text: str, encoding: str, caps: bool = False) -> str:
    """Dispatch to the decoder for `encoding` (`tcvn3` or `vni`)."""
    if encoding == TCVN3:
        return decode_tcvn3(text, caps=caps)
    if encoding == VNI:
        out = decode_vni(text)
        return out.upper() if caps else out
    raise ValueError(f"unknown legacy encoding {encoding!r}")


def _has_tone(ch: str) -> bool:
    return any(c in (_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT) for c in unicodedata.normalize("NFD", ch))


# --------------------------------------------------------------------------- encoders (tests, fixtures)
def encode_tcvn3(text: str) -> tuple[str, bool]:
    """Unicode → TCVN3 as Latin-1 characters, plus whether a caps (`…H`) font is needed.

    Accented capitals have no TCVN3 code, so a text holding any is encoded in
    lower case and flagged for a caps font, as typists did with `.VnTimeH`.
    """
    text = unicodedata.normalize("NFC", text)
    needs_caps = any(ch.isupper() and ch not in _TCVN3_ENCODE and not ch.isascii() for ch in text)
    src = text.lower() if needs_caps else text
    out = []
    for ch in src:
        if ch.isascii():
            out.append(ch)
        elif ch in _TCVN3_ENCODE:
            out.append(_TCVN3_ENCODE[ch])
        else:
            raise ValueError(f"{ch!r} has no TCVN3 code")
    return "".join(out), needs_caps


_VNI_TONE_BYTE = {v: k for k, v in _VNI_TONE_LOWER.items()}
_VNI_CIRC_BYTE = {v: k for k, v in _VNI_CIRC_LOWER.items()}
_VNI_BREVE_BYTE = {v: k for k, v in _VNI_BREVE_LOWER.items()}
_VNI_SINGLE_BYTE = {v: k for k, v in _VNI_SINGLE_LOWER.items()}


def encode_vni(text: str) -> str:
    """Unicode → VNI as Latin-1 characters (mark bytes take the case of their letter)."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        upper = ch.isupper()
        low = ch.lower()
        if low in _VNI_SINGLE_BYTE:
            b = _VNI_SINGLE_BYTE[low]
            out.append(b.upper() if upper else b)
            continue
        nfd = unicodedata.normalize("NFD", low)
        base, marks = nfd[0], nfd[1:]
        if not marks or not base.isascii():
            out.append(ch)
            continue
        tone = next((m for m in marks if m in (_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT)), None)
        if _HORN in marks:  # ơ/ư + tone
            head = _VNI_SINGLE_BYTE[unicodedata.normalize("NFC", base + _HORN)]
            mark = _VNI_TONE_BYTE[tone] if tone else ""
        elif _CIRC in marks:
            head, mark = base, _VNI_CIRC_BYTE[tone]
        elif _BREVE in marks:
            head, mark = base, _VNI_BREVE_BYTE[tone]
        elif tone:
            head, mark = base, _VNI_TONE_BYTE[tone]
        else:
            out.append(ch)
            continue
        out.append(head.upper() + mark.upper() if upper else head + mark)
    return "".join(out)


# --------------------------------------------------------------------------- words
def repair_words(words: Iterable[Word], encoding: str | None = None) -> tuple[list[Word], int]:
    """Convert every word set in a legacy font; return the words and how many changed.

    `encoding` forces a decoder for words whose font says nothing (a text layer
    judged TCVN3/VNI by its bytes alone).  Converted words get origin REPAIRED.
    TCVN3 words cut in two where an "ư" surfaced as a space are joined again.
    """
    out: list[Word] = []
    changed = 0
    for w in words:
        enc = font_encoding(w.font) or encoding
        if enc is None:
            out.append(w)
            continue
        if enc == TCVN3 and out and out[-1].origin is TextOrigin.REPAIRED and _uhorn_split(out[-1], w):
            prev = out[-1]
            text = decode_tcvn3(_TCVN3_ENCODE_RAW.get(prev.text, prev.text) + " " + w.text, caps=is_caps_font(w.font))
            bbox = (prev.bbox[0], min(prev.bbox[1], w.bbox[1]), w.bbox[2], max(prev.bbox[3], w.bbox[3]))
            out[-1] = replace(prev, text=text, bbox=bbox)
            changed += 1
            continue
        new = decode(w.text, enc, caps=is_caps_font(w.font))
        if new != w.text:
            changed += 1
        out.append(replace(w, text=new, origin=TextOrigin.REPAIRED))
    return out, changed


_TCVN3_ENCODE_RAW = {"đ": "\xae", "Đ": "\xa7"}  # undo the one onset letter TCVN3 encodes


def _uhorn_split(prev: Word, w: Word) -> bool:
    h = max(prev.bbox[3] - prev.bbox[1], w.bbox[3] - w.bbox[1], 1e-6)
    gap = w.bbox[0] - prev.bbox[2]
    same_line = abs(prev.bbox[1] - w.bbox[1]) < h / 2
    if not same_line or not (0 <= gap <= 0.7 * h):
        return False
    joined = restore_uhorn_gaps(prev.text + " " + w.text.translate(_TCVN3_DECODE))
    return " " not in joined


def all_vietnamese_letters() -> list[str]:
    """Every Vietnamese letter (12 vowels × 6 tone states, y, đ), lower and upper, NFC."""
    vowels = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"]
    letters = []
    for v in vowels:
        for tone in _TONES:
            letters.append(unicodedata.normalize("NFC", v + (tone or "")))
    letters.append("đ")
    return letters + [c.upper() for c in letters]
