"""Decide, page by page, whether a PDF text layer can be trusted.

A text layer is ~100× cheaper than OCR and exact when it is good, so it is
used whenever it is; but Vietnamese text layers go bad in four ways (field
notes): legacy one-byte fonts (TCVN3/VNI) → "repair"; missing ToUnicode maps
giving `(cid:NN)` → "ocr"; glyphs placed one by one, so syllables are cut by
spaces → "repair" (re-join) or "ocr"; no text at all (a scan) → "ocr".
The main signal is the share of tokens that are well-formed Vietnamese
syllables, checked by structure (onset + rhyme + at most one tone), so no
dictionary has to be downloaded.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from cchc.core.model import Word
from extractors import legacy_fonts

# --------------------------------------------------------------------------- syllables
_TONE_MARKS = {"\u0301", "\u0300", "\u0309", "\u0303", "\u0323"}
_ONSETS = (
    "ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x"
)
# vowel nuclei (with glides) as written, tone marks removed; "open" ones end in a glide and take no coda
_OPEN_NUCLEI = """
    ai ao au ay âu ây eo êu ia iu oi ôi ơi ui ưi ưu ưa ua ya
    iêu yêu oai oao oay oeo uây uôi ươi ươu uya uyu uêu
""".split()
_CLOSED_NUCLEI = "a ă â e ê i o ô ơ u ư y oa oă oe oo uâ uê uô uơ uy ươ iê yê uyê".split()
_CODAS = "ch|ng|nh|c|m|n|p|t"


def _alt(items: list[str]) -> str:
    return "|".join(sorted(items, key=len, reverse=True))


_SYLLABLE = re.compile(
    rf"^(?:{_ONSETS})?(?:(?:{_alt(_OPEN_NUCLEI)})|(?:{_alt(_CLOSED_NUCLEI)})(?:{_CODAS})?)$"
)
_LETTERS = re.compile(r"[^\W\d_]+", re.UNICODE)
_ABBREVIATION = re.compile(r"^[A-ZĐ]{2,8}$")
_CID = re.compile(r"\(cid:\d+\)")
# a figure with letters standing in for digits (2O2O, ZO11, 20l1): what OCR without the right model leaves
_MISREAD_NUMBER = re.compile(r"^(?=.*\d)(?=.*[OolIZ])[\dOolIZ]+$")


def _strip_tone(token: str) -> tuple[str, int]:
    """Lower-case, remove tone marks (keep ă â ê ô ơ ư đ); return it and the number of tones."""
    nfd = unicodedata.normalize("NFD", token.lower())
    tones = sum(1 for c in nfd if c in _TONE_MARKS)
    return unicodedata.normalize("NFC", "".join(c for c in nfd if c not in _TONE_MARKS)), tones


def is_vietnamese_syllable(token: str) -> bool:
    """Structural check: onset? + nucleus + coda?, at most one tone, stop codas only with sắc/nặng."""
    bare, tones = _strip_tone(token)
    if tones > 1 or not _SYLLABLE.match(bare):
        return False
    if tones == 1 and re.search(r"(c|ch|p|t)$", bare):
        nfd = unicodedata.normalize("NFD", token.lower())
        return "\u0301" in nfd or "\u0323" in nfd
    return True


def syllable_stats(text: str) -> dict[str, float]:
    """Counts over the alphabetic tokens of `text` (abbreviations such as UBND are left out)."""
    tokens = [t for t in re.split(r"[\s\-/,.;:()\"'“”!?…]+", unicodedata.normalize("NFC", text)) if t]
    words = [t for t in tokens if _LETTERS.search(t) and not _CID.search(t)]
    checked = [t for t in words if not _ABBREVIATION.match(t)]
    valid = sum(1 for t in checked if is_vietnamese_syllable(t))
    single = sum(1 for t in checked if len(t) == 1)
    consonant_only = sum(1 for t in checked if len(t) == 1 and not is_vietnamese_syllable(t))
    marked = sum(1 for t in checked if not t.isascii())
    return {
        "tokens": float(len(words)),
        "checked": float(len(checked)),
        "valid": float(valid),
        "valid_share": valid / len(checked) if checked else 0.0,
        "single_letter_share": single / len(checked) if checked else 0.0,
        "lone_consonant_share": consonant_only / len(checked) if checked else 0.0,
        # Vietnamese prose carries a diacritic on ~60-75 % of its syllables; a hidden OCR layer made
        # without the `vie` model ("Cac chi tieu") carries almost none, yet its syllables still parse.
        "marked_share": marked / len(checked) if checked else 0.0,
    }


def number_stats(text: str) -> dict[str, float]:
    """Figures on the page and those with a letter read for a digit ("2O2O", "l7").

    A typed report never writes them (no sample or seed page holds one); a hidden OCR layer
    does, and its figures are what the product extracts.
    """
    numbers = _numbers(text)
    misread = sum(1 for t in numbers if _MISREAD_NUMBER.match(t))
    return {"numbers": float(len(numbers)), "misread_numbers": float(misread),
            "misread_number_share": misread / len(numbers) if numbers else 0.0}


def _numbers(text: str) -> list[str]:
    tokens = [t for t in re.split(r"[\s\-/,.;:()\"'“”!?…%]+", text) if t]
    return [t for t in tokens if any(c.isdigit() for c in t)]


def guess_legacy_encoding(text: str, min_gain: float = 0.25) -> str | None:
    """`tcvn3`/`vni` when decoding the text that way makes far more syllables valid, else None."""
    base = syllable_stats(text)["valid_share"]
    best, best_share = None, base + min_gain
    for enc in (legacy_fonts.TCVN3, legacy_fonts.VNI):
        share = syllable_stats(legacy_fonts.decode(text, enc))["valid_share"]
        if share >= best_share:
            best, best_share = enc, share
    return best


# --------------------------------------------------------------------------- verdict
@dataclass
class PageVerdict:
    """What to do with a page's text layer, and why (the reason goes to `Page.origin_reason`)."""

    action: str  # "text" | "repair" | "ocr"
    reason: str
    stats: dict[str, Any] = field(default_factory=dict)
    encoding: str | None = None  # legacy encoding to decode with when action == "repair"
    problem: str | None = None  # legacy_font|legacy_bytes|spaced_glyphs|cid|no_text|garbled|no_diacritics|misread_digits


def assess_text(
    text: str,
    fontnames: Iterable[str | None] = (),
    *,
    min_letters: int = 40,
    min_valid_share: float = 0.6,
    max_cid_share: float = 0.05,
    max_single_letter_share: float = 0.3,
    min_marked_share: float = 0.5,
    min_checked_for_marks: int = 30,
    min_marked_share_short: float = 0.2,
    min_checked_short: int = 8,
    min_misread_numbers: int = 2,
    max_misread_number_share: float = 0.05,
) -> PageVerdict:
    """Judge a page from its text and the font name of each character (or word).

    `fontnames` may repeat: shares are computed over its items, so pass one
    entry per character (pdfplumber `page.chars`) or per word.

    The marks test has two bars: on a page of 30+ syllables half must carry a mark; a short page
    (a table continuation of a few labels) must still show some (any 8 consecutive syllables of
    the seed reports carry ≥50 % marks; a layer stripped of them carries ~0 %), else a short bad
    hidden layer is trusted with its misread figures.
    """
    text = unicodedata.normalize("NFC", text or "")
    letters = sum(1 for c in text if c.isalpha())
    cid_runs = len(_CID.findall(text))
    fonts = [f for f in fontnames]
    legacy = [legacy_fonts.font_encoding(f) for f in fonts]
    n_legacy = sum(1 for e in legacy if e)
    stats: dict[str, Any] = {"letters": letters, "cid_runs": cid_runs}
    stats["legacy_font_share"] = n_legacy / len(fonts) if fonts else 0.0
    stats.update(syllable_stats(text))
    stats.update(number_stats(text))
    glyphs = letters + cid_runs

    if cid_runs and cid_runs / max(glyphs, 1) > max_cid_share:
        return PageVerdict("ocr", f"text layer unusable: {cid_runs} (cid:NN) glyphs without a ToUnicode map",
                           stats, problem="cid")
    if letters < min_letters:
        return PageVerdict("ocr", f"no usable text layer ({letters} letters)", stats, problem="no_text")
    if fonts and n_legacy / len(fonts) >= 0.2:
        encs = [e for e in legacy if e]
        enc_font = max(set(encs), key=encs.count)
        names = sorted({str(f) for f, e in zip(fonts, legacy, strict=True) if e})[:3]
        decoded = syllable_stats(legacy_fonts.decode(text, enc_font))["valid_share"]
        stats["decoded_valid_share"] = decoded
        if stats["valid_share"] >= max(min_valid_share, decoded):
            # a ToUnicode map already turns the legacy bytes into Unicode: decoding again would garble it
            return PageVerdict("text", f"text layer: {stats['valid_share']:.0%} valid syllables "
                               f"(legacy font {names[0]} already mapped to Unicode)", stats)
        return PageVerdict("repair", f"legacy {enc_font.upper()} font ({', '.join(names)}): converted to Unicode",
                           stats, encoding=enc_font, problem="legacy_font")
    enc = guess_legacy_encoding(text) if stats["valid_share"] < 0.85 else None
    if enc:
        return PageVerdict("repair", f"text bytes look {enc.upper()} ({stats['valid_share']:.0%} valid syllables "
                           "as they stand): converted to Unicode", stats, encoding=enc, problem="legacy_bytes")
    if stats["single_letter_share"] > max_single_letter_share:
        rejoined = syllable_stats(rejoin_spaced_text(text))
        stats["rejoined_valid_share"] = rejoined["valid_share"]
        if rejoined["valid_share"] >= min_valid_share and rejoined["single_letter_share"] <= max_single_letter_share:
            return PageVerdict("repair", f"glyphs placed one by one ({stats['single_letter_share']:.0%} one-letter "
                               "tokens): syllables re-joined", stats, problem="spaced_glyphs")
        return PageVerdict("ocr", f"glyphs placed one by one ({stats['single_letter_share']:.0%} one-letter "
                           "tokens) and re-joining fails", stats, problem="spaced_glyphs")
    if stats["valid_share"] < min_valid_share:
        return PageVerdict("ocr", f"text layer garbled: only {stats['valid_share']:.0%} valid syllables",
                           stats, problem="garbled")
    if stats["checked"] >= min_checked_for_marks and stats["marked_share"] < min_marked_share:
        return PageVerdict("ocr", f"text layer without Vietnamese diacritics (only {stats['marked_share']:.0%} of "
                           "syllables marked): a poor hidden OCR layer, read again", stats, problem="no_diacritics")
    if stats["checked"] >= min_checked_short and stats["marked_share"] < min_marked_share_short:
        return PageVerdict("ocr", f"short text layer without Vietnamese diacritics ({stats['marked_share']:.0%} of "
                           f"{stats['checked']:.0f} syllables marked): a poor hidden OCR layer, read again", stats,
                           problem="no_diacritics")
    if (stats["misread_numbers"] >= min_misread_numbers
            and stats["misread_number_share"] >= max_misread_number_share):
        examples = [t for t in _numbers(text) if _MISREAD_NUMBER.match(t)][:3]
        return PageVerdict("ocr", f"text layer with misread figures ({stats['misread_numbers']:.0f} of "
                           f"{stats['numbers']:.0f}, e.g. {', '.join(examples)}): a poor hidden OCR layer, read again",
                           stats, problem="misread_digits")
    return PageVerdict("text", f"text layer: {stats['valid_share']:.0%} valid syllables", stats)


def assess_words(words: Sequence[Word], **kwargs: Any) -> PageVerdict:
    """`assess_text` over model words (their `font` gives the legacy-font signal)."""
    text = " ".join(w.text for w in words)
    return assess_text(text, [w.font for w in words if w.font is not None], **kwargs)


def assess_pdfplumber_page(page: Any, **kwargs: Any) -> PageVerdict:
    """`assess_text` on a pdfplumber page: its characters' font names and its plain text."""
    chars = page.chars
    text = page.extract_text() or ""
    return assess_text(text, [c.get("fontname") for c in chars], **kwargs)


# --------------------------------------------------------------------------- spaced glyphs
def _join_tokens(tokens: list[str]) -> list[str]:
    """Greedy: glue one-letter tokens onto the run while it can still grow into a syllable."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        cur = tokens[i]
        j = i + 1
        if len(cur) <= 2:
            best_j, best = j, cur
            while j < len(tokens) and len(tokens[j]) <= 2 and len(cur) < 8:
                cur = cur + tokens[j]
                j += 1
                if is_vietnamese_syllable(cur):
                    best_j, best = j, cur
            cur, j = best, best_j
        out.append(cur)
        i = j
    return out


def rejoin_spaced_text(text: str) -> str:
    """Undo "C ô n g   t á c": re-join one-letter runs into the longest valid syllables."""
    lines = []
    for line in text.splitlines():
        lines.append(" ".join(_join_tokens(line.split())))
    return "\n".join(lines)


def rejoin_spaced_words(words: Sequence[Word], gap_ratio: float = 0.25) -> list[Word]:
    """Merge one-glyph words whose horizontal gap is small against their height into syllables.

    Uses geometry first (a real word space is wider than ~¼ of the text
    height) and the syllable check second, so "C ô n g" becomes "Công" but two
    genuine one-letter words stay apart.
    """
    out: list[Word] = []
    for w in words:
        if out:
            prev = out[-1]
            h = max(prev.bbox[3] - prev.bbox[1], w.bbox[3] - w.bbox[1], 1e-6)
            same_line = abs((prev.bbox[1] + prev.bbox[3]) / 2 - (w.bbox[1] + w.bbox[3]) / 2) < h / 2
            gap = w.bbox[0] - prev.bbox[2]
            if same_line and gap < gap_ratio * h and (len(w.text) == 1 or len(prev.text) == 1):
                merged = prev.text + w.text
                if is_vietnamese_syllable(merged) or not is_vietnamese_syllable(prev.text):
                    out[-1] = replace(prev, text=merged, bbox=(
                        min(prev.bbox[0], w.bbox[0]), min(prev.bbox[1], w.bbox[1]),
                        max(prev.bbox[2], w.bbox[2]), max(prev.bbox[3], w.bbox[3])))
                    continue
        out.append(w)
    return out
