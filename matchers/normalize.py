"""Label and unit normalisation for matching appendix rows to the catalog.

Why a module of its own: the same label reaches us in many spellings — old and
new tone placement ("hoà"/"hòa"), NFD from Tesseract, abbreviations
("Số VBQPPL" vs "Số văn bản quy phạm pháp luật"), remarks in brackets
("(lũy kế đến thời điểm báo cáo)"), footnote markers, typos ("Thông kê"), and
OCR that confuses stacked diacritics ("Tập ưung").  Both sides of every
comparison (document row and catalog row) go through exactly the same
functions, so a difference that survives normalisation is a real difference.

NFC, accents, tone placement and STT codes are the shared rules of `cchc.core.vntext`;
this module adds what only label matching needs.  Every label yields several
*forms* (accented / de-accented, with / without bracketed remarks); the matcher
scores all of them and keeps the best.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from cchc.core.vntext import fix_tone_placement, nfc, strip_accents

__all__ = [
    "LabelForms",
    "AbbreviationExpander",
    "drop_parentheticals",
    "clean_label",
    "simplify",
    "label_forms",
    "normalize_unit",
]

_HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_FOOTNOTE_BRACKET = re.compile(r"\[\d{1,2}\]")
_SUPERSCRIPTS = re.compile(r"[\u00b9\u00b2\u00b3\u2070-\u209f]")
_PARENS = re.compile(r"\([^()]*\)")
_UNCLOSED_PAREN = re.compile(r"\([^()]*$")
_SUBROW_PREFIX = re.compile(r"^\s*(?:trong\s+đó|trong\s+do|trong\s+dó)\s*[:,]?\s*", re.IGNORECASE)
_BULLET_PREFIX = re.compile(r"^\s*(?:[-–—+*•·]+|[a-zđ]\)|\(?[ivx]+\))\s+", re.IGNORECASE)
# keep letters (any script), digits, % and spaces; everything else splits words
_NON_WORD = re.compile(r"[^\w%]+", re.UNICODE)
_WS = re.compile(r"\s+")
_CAPS_WORD = re.compile(r"(?<![\w])\w{4,8}(?![\w])")


def drop_parentheticals(text: str) -> str:
    """Remove bracketed remarks such as "(lũy kế đến thời điểm báo cáo)".

    Nested brackets are removed inside out; an unclosed bracket at the end (a
    label cut by a page break) is dropped too.
    """
    previous = None
    while previous != text:
        previous = text
        text = _PARENS.sub(" ", text)
    text = _UNCLOSED_PAREN.sub(" ", text)
    return _WS.sub(" ", text).strip()


def clean_label(text: str | None) -> str:
    """The label as a person would write it: NFC, no markup, footnotes, bullets or trailing colons."""
    t = nfc(text)
    t = _HTML_TAG.sub(" ", t)
    t = _FOOTNOTE_BRACKET.sub(" ", t)
    t = _SUPERSCRIPTS.sub(" ", t)
    t = _SUBROW_PREFIX.sub("", t)
    t = _BULLET_PREFIX.sub("", t)
    t = _WS.sub(" ", t).strip()
    return t.rstrip(" :;,.")


class AbbreviationExpander:
    """Expands the catalog's abbreviations (TTHC → thủ tục hành chính, …) as whole words.

    Applied to both sides of a comparison, so "Số VBQPPL đã rà soát" and
    "Số văn bản quy phạm pháp luật đã rà soát" become the same string.  Keys
    are matched case-sensitively (they are capitals in print: "CP" must not
    eat a lower-case word); keys of four letters or more also match in any
    case and in de-accented form ("DVSNCL" from OCR), where that does not
    collide with another key.
    """

    def __init__(self, abbreviations: Mapping[str, str] | None) -> None:
        exact: dict[str, str] = {}
        loose: dict[str, str] = {}
        for key, value in (abbreviations or {}).items():
            k = nfc(str(key)).strip()
            v = nfc(str(value)).strip()
            if not k or not v:
                continue
            exact[k] = v
        for k, v in exact.items():
            if len(k) >= 4:
                for variant in {k.lower(), strip_accents(k), strip_accents(k).lower()}:
                    if variant not in exact and variant not in loose:
                        loose[variant] = v
        self._exact = exact
        self._loose = loose
        self.forms_cache: dict[str, LabelForms] = {}  # label -> forms: catalogs repeat labels
        self._re_exact = self._compile(exact, flags=0)
        self._re_loose = self._compile(loose, flags=re.IGNORECASE)
        # OCR-damaged capitals ("VBQPPn", "TTHe"): one edit away from exactly one key
        self._fuzzy_keys: dict[str, str] = {}
        for k, v in exact.items():
            plain_k = strip_accents(k).upper()
            if len(plain_k) >= 4 and plain_k.isalpha():
                self._fuzzy_keys.setdefault(plain_k, v)

    @staticmethod
    def _compile(table: Mapping[str, str], flags: int) -> re.Pattern[str] | None:
        if not table:
            return None
        keys = sorted(table, key=len, reverse=True)  # longest first: ĐVSNCL before ĐVSN
        alternation = "|".join(re.escape(k) for k in keys)
        return re.compile(rf"(?<![\w]){'(?:' + alternation + ')'}(?![\w])", flags)

    def __bool__(self) -> bool:
        return bool(self._exact)

    def expand(self, text: str) -> str:
        """Replace every abbreviation in `text` by its expansion."""
        if self._re_exact is not None:
            text = self._re_exact.sub(lambda m: self._exact[m.group(0)], text)
        if self._re_loose is not None:

            def repl(m: re.Match[str]) -> str:
                g = m.group(0)
                return (
                    self._loose.get(g)
                    or self._loose.get(g.lower())
                    or self._loose.get(strip_accents(g).lower(), g)
                )

            text = self._re_loose.sub(repl, text)
        if self._fuzzy_keys:
            text = _CAPS_WORD.sub(self._fuzzy_repl, text)
        return text

    def _fuzzy_repl(self, m: re.Match[str]) -> str:
        word = m.group(0)
        upper = sum(ch.isupper() for ch in word)
        if upper < 3 or upper < 0.6 * len(word):
            return word
        key = strip_accents(word).upper()
        hits = {
            v
            for k, v in self._fuzzy_keys.items()
            if abs(len(k) - len(key)) <= 1 and Levenshtein.distance(k, key, score_cutoff=1) <= 1
        }
        return hits.pop() if len(hits) == 1 else word


@lru_cache(maxsize=131072)
def simplify(text: str) -> str:
    """Lower-case, punctuation to spaces, whitespace collapsed: the string fuzzy matching sees."""
    t = text.casefold()
    t = _NON_WORD.sub(" ", t).replace("_", " ")
    return _WS.sub(" ", t).strip()


@dataclass(frozen=True)
class LabelForms:
    """The comparison forms of one label.

    `full`/`full_plain` keep bracketed remarks, `core`/`core_plain` drop them;
    `*_plain` are de-accented.  All are lower-case with abbreviations expanded.
    """

    raw: str
    full: str
    core: str
    full_plain: str
    core_plain: str

    @property
    def accented(self) -> tuple[str, ...]:
        return (self.full, self.core) if self.core != self.full else (self.full,)

    @property
    def plain(self) -> tuple[str, ...]:
        return (
            (self.full_plain, self.core_plain) if self.core_plain != self.full_plain else (self.full_plain,)
        )

    @property
    def empty(self) -> bool:
        return not self.full


_EXPANDER_CACHE: dict[int, AbbreviationExpander] = {}


def _expander_for(abbreviations: Mapping[str, str] | AbbreviationExpander | None) -> AbbreviationExpander:
    if isinstance(abbreviations, AbbreviationExpander):
        return abbreviations
    key = id(abbreviations)
    exp = _EXPANDER_CACHE.get(key)
    if exp is None:
        exp = AbbreviationExpander(abbreviations)
        if abbreviations is not None:
            _EXPANDER_CACHE[key] = exp
    return exp


def label_forms(
    label: str | None,
    abbreviations: Mapping[str, str] | AbbreviationExpander | None = None,
) -> LabelForms:
    """All comparison forms of `label` (see `LabelForms`)."""
    expander = _expander_for(abbreviations)
    raw = nfc(label)
    hit = expander.forms_cache.get(raw)
    if hit is not None:
        return hit
    forms = _label_forms(raw, expander)
    if len(expander.forms_cache) < 200_000:
        expander.forms_cache[raw] = forms
    return forms


def _label_forms(raw: str, expander: AbbreviationExpander) -> LabelForms:
    cleaned = fix_tone_placement(clean_label(raw))
    expanded = expander.expand(cleaned) if expander else cleaned
    core_text = drop_parentheticals(expanded)
    full = simplify(expanded)
    core = simplify(core_text) or full
    # de-accent before expanding too, so OCR'd keys ("DVSNCL") still expand
    plain_expanded = strip_accents(expander.expand(strip_accents(cleaned)) if expander else cleaned)
    full_plain = simplify(plain_expanded)
    core_plain = simplify(drop_parentheticals(plain_expanded)) or full_plain
    return LabelForms(raw=raw, full=full, core=core, full_plain=full_plain, core_plain=core_plain)


_UNIT_SYNONYMS = {
    "tthc": "thu tuc",
    "thu tuc hanh chinh": "thu tuc",
    "co quan don vi": "don vi",
    "co quan": "don vi",
    "phan tram": "%",
    "ty le": "%",
    "nguoi": "nguoi",
    "so luong": "so luong",
    "trieu dong": "trieu dong",
    "trieu": "trieu dong",
}


def normalize_unit(unit: str | None) -> str:
    """A unit key for agreement tests: "Cơ quan, đơn vị" ≈ "Đơn vị", "TTHC" ≈ "Thủ tục".

    Coded answers ("Chưa = 0 Hoàn thành = 1") become "coded" — their exact
    wording varies between templates and is compared separately.
    """
    t = nfc(unit).strip()
    if not t or t in {"-", "–"}:
        return ""
    if "=" in t:
        return "coded"
    p = simplify(strip_accents(t))
    return _UNIT_SYNONYMS.get(p, p)
