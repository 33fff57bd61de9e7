"""Figures written in the running text of a report, as `Value`s with provenance.

Many reports fill little of the appendix but state the figures in prose
("Tổng số 351 hồ sơ …; Hồ sơ đã giải quyết: 348").  This module joins a
page's lines into running text, splits it into sentences (underthesea's
`sent_tokenize`), runs the named patterns of `narrative_patterns` on a
folded copy of each sentence, and returns one `Value` per figure with the
sentence as evidence, the pattern's name as extractor and, when the caller
gives line boxes, the bbox of the lines the phrase sits on.

Design choices:
* Patterns match on folded text (no diacritics, lower case, one character for
  one character) so light OCR noise on accents does not lose a figure; the
  phrase and value are cut from the original text by the same offsets.
* One number is one figure: when several patterns claim the same digits the
  first in registry order wins (specific patterns come first), and the same
  (indicator, value) stated twice in a document is kept once.
* The indicator label comes from the catalog; if the catalog cannot be
  loaded the figure still carries its indicator ID.
* Besides the named patterns, *frames* read "<verb> <N> <noun>" and "số <noun>
  … <verb> … là <N>" generally: the counted noun, the governing verb (shared
  across "và"/commas, or the noun's own verb after it) and the document's level
  pick the indicator from `narrative_patterns.FRAME_RULES` (data).  Specific
  patterns win a contested number; frames win over weak guesses.  A frame
  without a rule, a plan ("dự kiến kiểm tra 20 …") or a total after "trong đó"
  yields nothing; a named pattern whose indicator is only a guess
  (`guess_only`) yields an unmapped, needs_review figure.
* Pages flagged appendix are still read above their "PHỤ LỤC" heading (or first
  grid row): reports often end on the page where the appendix begins.
* A number inside a date, period, document, decree or standard number
  (`narrative_clauses.protected_spans`) is never a figure, whichever pattern read it.
* `narrative_clauses` binds a number to the subject of its own clause (the noun it
  counts, the clause before it, or — for "…, có mặt 1.795" / "…, đạt 45,8%" — the clause
  just before): where it names another indicator than a pattern did, the clause wins
  ("giải ngân …, đạt 45,8% kế hoạch" is the disbursement rate).  A subject found only two
  clauses back is a guess and is flagged for review.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from cchc.core.model import BBox, Candidate, Line, Match, MatchMethod, Page, TextOrigin, Value, ValueSource
from cchc.core.vntext import clean as _clean
from cchc.core.vntext import fold_aligned as fold
from cchc.core.vntext import parse_number
from extractors import narrative_catalog as _nc
from extractors import narrative_patterns as _np
from extractors import narrative_ratios as _nr
from extractors.narrative_clauses import clause_figures, inside, protected_spans
from extractors.narrative_clauses import plan_section as _plan_section
from extractors.narrative_patterns import (
    FRAME_RULES,
    LEVEL_FAMILIES,
    LEVEL_VARIANTS,
    NOUNS,
    NUMBER_WORDS,
    PARTITION,
    PATTERNS,
    VERBS,
    FigurePattern,
    FrameRule,
)

log = logging.getLogger(__name__)

__all__ = [
    "extract_figures",
    "extract_document_figures",
    "fold",
    "parse_vn_number",
    "split_sentences",
]

_SCORES = {"exact": 100.0, "context": 85.0, "fuzzy": 0.0}
_WEAK_SCORE = 70.0
_FUZZY_ACCEPT = 80.0  # rapidfuzz score above which a "tỷ lệ …" label names a catalog indicator


# --------------------------------------------------------------------------- text helpers


def parse_vn_number(raw: str, *, percent: bool = False) -> float | None:
    """`1.245` → 1245, `12,5` → 12.5, `03` → 3; in a percentage `98.5` is 98.5.

    Vietnamese writes a dot between thousands and a comma before decimals.  A
    percentage cannot be in the thousands, so there a dot is a decimal point.
    """
    folded = fold(raw.strip())
    if folded in NUMBER_WORDS:
        return float(NUMBER_WORDS[folded])
    return parse_number(raw)  # the one number rule (cchc/core/vntext.py); a percent's "98.5" is 98.5 there too


_ABBREV_DOT = re.compile(r"\b(?:TP|Tp|TT|Q|P|Th\.S|ThS|TS|PGS|GS|Đ/c|đ/c|v\.v|K\.T|KT|TM|UBND|Sở|St)\.$")


@functools.lru_cache(maxsize=1)
def _sent_tokenize():  # type: ignore[no-untyped-def]
    try:
        from underthesea import sent_tokenize

        return sent_tokenize
    except Exception as exc:  # pragma: no cover - underthesea is a declared dependency
        log.warning("underthesea unavailable (%s); splitting sentences on punctuation", exc)
        return None


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of `text` (already cleaned).

    underthesea knows Vietnamese abbreviations; its pieces are located back in
    the text so offsets stay exact.  Pieces it cannot place fall back to a
    punctuation split.  Very long "sentences" (lists without full stops) are
    fine: patterns never cross a semicolon clause on their own.
    """
    tokenize = _sent_tokenize()
    pieces: list[str] = []
    if tokenize is not None:
        try:
            pieces = [p for p in tokenize(text) if p.strip()]
        except Exception as exc:  # pragma: no cover - defensive
            log.warning("sent_tokenize failed (%s)", exc)
            pieces = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for piece in pieces:
        piece = piece.strip()
        at = text.find(piece, pos)
        if at < 0:
            spans = []
            break
        if at > pos and text[pos:at].strip():  # text underthesea skipped: keep it as a sentence
            spans.append((pos, at))
        spans.append((at, at + len(piece)))
        pos = at + len(piece)
    if not spans:
        spans = [(m.start(), m.end()) for m in re.finditer(r"[^.!?]+(?:[.!?]+|$)", text)]
        pos = spans[-1][1] if spans else 0
    if pos < len(text) and text[pos:].strip():
        spans.append((pos, len(text)))
    # Strip leading spaces so evidence starts at a word.
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        if a < b:
            out.append((a, b))
    return out


# A printed label-value line ("Tổng số người làm việc được giao    2.964"): its number, a percent sign or a
# unit word or two end the line.  pdfplumber gives such lines without their gap, one after another.
_RECORD_END = re.compile(r"(?<![\w/.,:\-])\d[\d.,]*(?:\s*%|(?:\s+[^\W\d]+){0,2})\s*$")


_RECORD_HEAD = re.compile(r"(?:Số|Tổng|Tỷ lệ|Kế hoạch|Vốn|Biên chế|Hồ sơ|Văn bản|Thủ tục|Đơn vị|Cơ quan|Kinh phí|Giá trị"
                          r"|Chỉ số|Lượt|Người|Công chức|Viên chức)(?!\w)")


def record_break(before: str, after: str) -> bool:
    """Whether a line break between two lines ends one label-value record and starts the next.

    "Tổng số người làm việc được giao 2.964" then "Tổng số người làm việc có mặt 2.871": two figures, never
    one sentence (else the second label reads the first number).  Only a line ending in a value followed
    by a line that opens with a label's head word ("Số", "Tổng số", "Tỷ lệ", "Biên chế", "Vốn" …) and ends in
    a value of its own (or opens "Số …", "Tổng số …", "Tỷ lệ …"); a sentence wrapped between a figure and its
    noun ("… đã kiểm tra 12" / "Phòng Nội vụ …") stays one sentence.
    """
    b, a = before.rstrip(), after.strip()
    end = _RECORD_END.search(b)
    if not end or not _RECORD_HEAD.match(a):
        return False
    num = re.match(r"\d[\d.,]*", b[end.start():])
    if num and inside((end.start(), end.start() + num.end()), protected_spans(fold(b))):
        return False  # "…, năm 2024" / "… ngày 30/9/2024": a date or period a wrapped sentence breaks after
    return bool(_RECORD_END.search(a)) or bool(re.match(r"(?:Số|Tổng số|Tỷ lệ)\s", a))


# "Kế hoạch vốn … được giao 1.254.300 triệu đồng": a record line's label, its value and a unit word or two
_RECORD_LINE = re.compile(r"^(?P<label>.*?[^\W\d])\s+(?P<value>\d[\d.,]*(?:\s*%)?(?:(?:\s+[^\W\d]+){0,2}))\s*[;.]?$")


def join_lines(lines: list[str]) -> list[tuple[str, str]]:
    """(joiner, line) for cleaned lines as one running text: a space, or a line break where a label-value
    record ends (`record_break`); a record line without its column gap reads "label: value unit" as a pasted
    table row does (`_table_lines`), so its number never binds to the words of the line after it."""
    out: list[tuple[str, str]] = []
    breaks = [i > 0 and record_break(lines[i - 1], t) for i, t in enumerate(lines)]
    for i, t in enumerate(lines):
        record = breaks[i] or (i + 1 < len(lines) and breaks[i + 1])
        m = _RECORD_LINE.match(t) if record and ":" not in t else None
        if m:
            t = f"{m['label']}: {m['value']}."
        out.append(("" if i == 0 else "\n" if breaks[i] else " ", t))
    return out


def _split_records(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """`spans` cut again at the line breaks that end a label-value record (`record_break`)."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        start = a
        for m in re.finditer(r"\n", text[a:b]):
            cut = a + m.start()
            line0 = text.rfind("\n", 0, cut) + 1
            line1 = text.find("\n", cut + 1)
            if record_break(text[line0:cut], text[cut + 1:line1 if line1 >= 0 else len(text)]):
                if text[start:cut].strip():
                    out.append((start, cut))
                start = cut + 1
        while start < b and text[start].isspace():
            start += 1
        if start < b:
            out.append((start, b))
    return out


# --------------------------------------------------------------------------- catalog


@functools.lru_cache(maxsize=1)
def _catalog():  # type: ignore[no-untyped-def]
    """The indicator catalog, or None while it cannot be loaded (figures keep their IDs)."""
    try:
        from indicator_catalog import load_catalog

        return load_catalog()
    except Exception as exc:
        log.warning("indicator catalog unavailable for narrative labels: %s", exc)
        return None


def _catalog_unit(indicator_id: str | None) -> str | None:
    """The catalog's unit of a count, lower-cased as the patterns write theirs ("người")."""
    cat = _catalog()
    ind = cat.indicators.get(indicator_id) if cat is not None and indicator_id else None
    unit = getattr(ind, "unit", None) if ind is not None else None
    return unit.lower() if unit and unit != "%" else None


def _indicator_label(indicator_id: str | None) -> str | None:
    cat = _catalog()
    if cat is None or indicator_id is None:
        return None
    ind = cat.indicators.get(indicator_id)
    return ind.label if ind is not None else None


@functools.lru_cache(maxsize=1)
def _percent_choices() -> dict[str, str]:
    """Folded label/alias → indicator ID for every percentage indicator in the catalog."""
    cat = _catalog()
    out: dict[str, str] = {}
    if cat is None:
        return out
    for ind in cat.indicators.values():
        if getattr(ind, "value_kind", None) != "percent" and getattr(ind, "unit", None) != "%":
            continue
        for label in [ind.label, *(getattr(ind, "aliases", None) or [])]:
            key = re.sub(r"^ty le (?:phan tram )?", "", fold(_clean(label)))
            key = re.sub(r"\s*\(.*?\)\s*", " ", key).strip()
            if key:
                out.setdefault(key, ind.id)
    return out


def _fuzzy_percent(label: str) -> tuple[str | None, float]:
    """Best catalog percentage indicator for a free "tỷ lệ <label>" phrase."""
    choices = _percent_choices()
    if not choices:
        return None, 0.0
    from rapidfuzz import fuzz, process

    best = process.extractOne(fold(label), list(choices), scorer=fuzz.token_set_ratio)
    if best is None:
        return None, 0.0
    key, score, _ = best
    return (choices[key], float(score)) if score >= _FUZZY_ACCEPT else (None, float(score))


# --------------------------------------------------------------------------- extraction


@dataclass
class _Hit:
    pattern: FigurePattern
    order: int  # registry position: lower wins a contested number
    indicator_id: str | None
    group: str
    value_span: tuple[int, int]  # offsets in the cleaned text
    phrase_span: tuple[int, int]
    sentence_span: tuple[int, int]
    raw_value: str
    value_num: float | None
    score: float
    method: str
    needs_review: bool
    review_reason: str | None
    level_word: str | None = None  # pct_level_ellipsis: the level the phrase names
    alternatives: list[str] = field(default_factory=list)  # other indicators the reading could be (review)
    ranked: tuple[tuple[str, float], ...] = ()  # the catalog labels the number's clause names best, scored 0-1

    @property
    def unit_is_percent(self) -> bool:
        return self.pattern.percent or self.group == "p"


_CLAUSE_END = re.compile(r";|,(?!\d)|\(|\)")


def _clause(folded_sentence: str, start: int, end: int) -> str:
    """The comma/semicolon-delimited segment(s) around [start, end) of a folded sentence.

    `forbids` looks only here, so "15 biên chế QLNN/14 chỉ tiêu, 00/02 biên chế
    sự nghiệp" does not veto the first figure because of the second.
    """
    a = max((m.end() for m in _CLAUSE_END.finditer(folded_sentence, 0, start)), default=0)
    m = _CLAUSE_END.search(folded_sentence, end)
    b = m.start() if m else len(folded_sentence)
    return folded_sentence[a:b]


def _semicolon_clause(folded_sentence: str, start: int, end: int) -> str:
    a = folded_sentence.rfind(";", 0, start) + 1
    b = folded_sentence.find(";", end)
    return folded_sentence[a:b if b >= 0 else len(folded_sentence)]


def _hits_in_sentence(text: str, s_start: int, s_end: int) -> list[_Hit]:
    sentence = text[s_start:s_end]
    folded = fold(sentence)
    hits: list[_Hit] = []
    for i, pat in enumerate(PATTERNS):
        order = _pattern_order(i, pat)
        if pat.requires is not None and not pat.requires.search(folded):
            continue
        for m in pat.regex.finditer(folded):
            if pat.forbids is not None and pat.forbids.search(_clause(folded, m.start(), m.end())):
                continue
            if pat.near is not None and not pat.near.search(_semicolon_clause(folded, m.start(), m.end())):
                continue
            phrase = (s_start + m.start(), s_start + m.end())
            if pat.zero:
                hits.append(_make_hit(pat, order, pat.groups["_zero"], "_zero", phrase, phrase,
                                      (s_start, s_end), text, 0.0))
                continue
            for group, indicator in pat.groups.items():
                span = m.span(group)
                raw_num = None
                if span == (-1, -1) and group == "n":
                    span = m.span("w") if "w" in m.re.groupindex else (-1, -1)
                if span == (-1, -1):
                    continue
                raw = sentence[span[0]:span[1]]
                raw_num = parse_vn_number(raw, percent=pat.percent)
                if raw_num is None:
                    continue
                value_span = (s_start + span[0], s_start + span[1])
                ind = indicator
                hit = _make_hit(pat, order, ind, group, value_span, phrase, (s_start, s_end), text, raw_num)
                if pat.subjects:
                    hit.indicator_id = _subject_indicator(pat, folded, m.start())
                    if hit.indicator_id is None:
                        hit.needs_review, hit.review_reason = True, f"{pat.name}: no subject named before it"
                elif pat.level_ellipsis:
                    hit.level_word = m.group("lvl")
                elif indicator is None and "label" in m.re.groupindex:
                    label = sentence[m.start("label"):m.end("label")]
                    ind, score = _fuzzy_percent(label)
                    hit.indicator_id = ind
                    hit.score = score
                    hit.needs_review = True
                    hit.review_reason = (
                        f"narrative percentage matched by label similarity ({score:.0f})"
                        if ind else "narrative percentage with no catalog indicator"
                    )
                if group == "n2" and not hit.needs_review and _total_unstated(hit.indicator_id, folded):
                    hit.needs_review = True
                    hit.review_reason = f"{pat.name}: the y of x/y read as {hit.indicator_id}, which the sentence never names"
                hits.append(hit)
    return _resolve_level_ellipsis(hits, folded, s_start)


def _total_unstated(indicator: str | None, folded: str) -> bool:
    """The total of an "x/y" is an inference when the sentence never states what that total did.

    "đã giải quyết 1.204/1.230 hồ sơ": 1.230 may be the dossiers received or those due this period;
    "hoàn thành 44/45 ý kiến chỉ đạo": 45 directives, not surely the tasks assigned.  The total's own
    action word (tiếp nhận, giao, khảo sát …) in the sentence makes the reading sure.
    """
    acts = _nc.label_feats(indicator or "") & _nc._ACTIONS
    return bool(acts) and not acts & set(_nc.tokens(folded))


_FRAME_ORDER = len(PATTERNS)  # frames rank after every specific pattern …
_LATE_ORDER = 2 * len(PATTERNS)  # … and before weak guesses and ellipses
_UNMAPPED_ORDER = 3 * len(PATTERNS)  # a frame without a rule only claims what nothing else read


def _pattern_order(i: int, pat: FigurePattern) -> int:
    """Registry position; weak patterns and ellipses rank after the frames."""
    return i + _LATE_ORDER if (pat.weak or pat.level_ellipsis) else i


def _subject_indicator(pat: FigurePattern, folded: str, before: int) -> str | None:
    """The subject heading the match's comma clause, else the one named last before it.

    "Số người làm việc trong các đơn vị sự nghiệp đã tinh giản 9%": người làm việc;
    "Toàn tỉnh có 812 đơn vị sự nghiệp, giảm 12,5%": đơn vị sự nghiệp.
    """
    clause_start = max(folded.rfind(",", 0, before), folded.rfind(";", 0, before)) + 1
    found = [(m.start(), indicator) for regex, indicator in pat.subjects
             for m in regex.finditer(folded[:before])]  # type: ignore[attr-defined]
    own = sorted(f for f in found if f[0] >= clause_start)
    if own:
        return own[0][1]
    return max(found)[1] if found else None


# "Tỷ lệ hồ sơ giải quyết đúng hạn: cấp tỉnh đạt 99,12%, cấp huyện …": a header naming the family
_FAMILY_HEADER = re.compile(r"ty le (?:[^;%\d]{0,40}?)(?:giai quyet|tra ket qua)?[^;%\d]{0,20}?dung (?:han|hen)\s*:?\s*$")


_LEVEL_ITEMS = re.compile(r"[\s,]*(?:cap \w+ (?:dat |la )?[\d.,]+\s*%[\s,]*)*")


def _resolve_level_ellipsis(hits: list[_Hit], folded: str = "", s_start: int = 0) -> list[_Hit]:
    """"…; ở cấp xã đạt 99,9%": the previous percentage's family at the level named, or dropped.

    With no percentage before, a header "Tỷ lệ hồ sơ giải quyết đúng hạn:" right before the first
    level names the on-time family.
    """
    out = []
    for h in hits:
        if h.level_word is None:
            out.append(h)
            continue
        head = folded[:h.phrase_span[0] - s_start]
        cut = max(head.rfind(":"), head.rfind(";"))
        if cut >= 0 and _FAMILY_HEADER.search(head[:cut + 1]) and _LEVEL_ITEMS.fullmatch(head[cut + 1:]):
            h.indicator_id = LEVEL_FAMILIES[0][h.level_word]
            out.append(h)
            continue
        before = [p for p in hits if p.level_word is None and p.unit_is_percent
                  and p.value_span[1] <= h.value_span[0] and p.indicator_id]
        before.sort(key=lambda p: p.value_span)
        for prev in reversed(before):
            family = next((f for f in LEVEL_FAMILIES if prev.indicator_id in f.values()), None)
            if family is not None and family.get(h.level_word):
                h.indicator_id = family[h.level_word]
                out.append(h)
                break
    return out


def _make_hit(
    pat: FigurePattern,
    order: int,
    indicator: str | None,
    group: str,
    value_span: tuple[int, int],
    phrase: tuple[int, int],
    sentence: tuple[int, int],
    text: str,
    value: float,
) -> _Hit:
    score = _SCORES.get(pat.method, 80.0)
    if pat.weak:
        score = min(score, _WEAK_SCORE)
    raw = text[value_span[0]:value_span[1]]
    if pat.zero:
        raw = _zero_word(raw)
    reason = f"weak narrative pattern {pat.name}" if pat.weak else None
    if pat.guess_only:  # surely a figure, but which indicator is only a guess: do not assert it
        reason = f"{pat.name}: a figure whose indicator is uncertain (perhaps {indicator})"
        indicator = None
    return _Hit(
        pattern=pat, order=order, indicator_id=indicator, group=group, value_span=value_span,
        phrase_span=phrase, sentence_span=sentence, raw_value=raw, value_num=value, score=score,
        method=pat.method, needs_review=pat.weak or pat.guess_only, review_reason=reason,
    )


def _zero_word(phrase: str) -> str:
    """The negation that states the zero ("không", "chưa"), as raw_value."""
    m = re.match(r"\s*(\S+(?:\s+(?:có|nhận được|tiếp nhận|ban hành))?)", phrase)
    return m.group(1) if m else phrase


def _resolve(hits: list[_Hit]) -> list[_Hit]:
    """One figure per number (first pattern wins), one per (indicator, value) per document."""
    by_span: dict[tuple[int, int], _Hit] = {}
    for h in sorted(hits, key=lambda h: (h.order, h.value_span)):
        key = h.value_span
        # Overlapping value spans (e.g. a zero phrase around a number) count as the same figure.
        clash = next((k for k in by_span if k[0] < key[1] and key[0] < k[1]), None)
        if clash is None:
            by_span[key] = h
    seen: set[tuple[str | None, float | None, str | None]] = set()
    out = []
    for h in sorted(by_span.values(), key=lambda h: h.value_span):
        fig = (h.indicator_id, h.value_num, None if h.indicator_id else h.raw_value)
        if h.indicator_id is not None and fig in seen:
            continue
        seen.add(fig)
        out.append(h)
    return out


def _unit_for(hit: _Hit, text: str) -> str | None:
    if hit.pattern.percent or hit.group == "p":
        return "%"
    return hit.pattern.unit or None


def _to_value(
    hit: _Hit, text: str, page: int, bbox: BBox | None, origin: TextOrigin, level: str | None = None
) -> Value:
    label = text[hit.phrase_span[0]:hit.phrase_span[1]]
    indicator, method, score = hit.indicator_id, hit.method, hit.score
    refined = LEVEL_VARIANTS.get(indicator or "", {}).get(level or "")
    if refined:  # "hồ sơ đã giải quyết" in a commune's report is the commune's figure
        indicator, method, score = refined, "context", min(score, _SCORES["context"])
    return Value(
        source=ValueSource.NARRATIVE,
        raw_label=label,
        raw_value=hit.raw_value,
        page=page,
        value_num=hit.value_num,
        unit=_unit_for(hit, text),
        bbox=bbox,
        text_source=origin,
        match=Match(indicator_id=indicator, indicator_label=_indicator_label(indicator),
                    match_score=score if indicator else 0.0,
                    match_method=MatchMethod(method) if indicator else MatchMethod.NONE,
                    candidates=_candidates(hit, indicator, score, text)),  # also for a figure validation flags later
        needs_review=hit.needs_review or indicator is None,
        review_reason=hit.review_reason,
        evidence=text[hit.sentence_span[0]:hit.sentence_span[1]].strip(),
        extractor=hit.pattern.name,
    )


def _candidates(hit: _Hit, indicator: str | None, score: float, text: str) -> list[Candidate]:
    """What a steward chooses from for a flagged figure: its reading, the rivals the rules saw, the catalog's best.

    Scores are 0-100: the reading's own, a label similarity for the catalog's (none: 0).  A number the
    catalog reader skipped (the y of an x/y) is scored against the labels from its phrase and sentence.
    """
    ranked_labels = hit.ranked
    if not ranked_labels:
        kind = "percent" if hit.unit_is_percent else ("money" if "đồng" in (hit.pattern.unit or "") else "count")
        near = _nc.tokens(fold(text[hit.phrase_span[0]:hit.phrase_span[1]]))
        far = _nc.tokens(fold(text[hit.sentence_span[0]:hit.sentence_span[1]]))
        ranked_labels = tuple((i, s) for s, _o, i, _n in _nc.score_labels(kind, near, far)[:_nc.CANDIDATES])
    by_label = {i: round(100 * max(0.0, min(s, 1.0)), 1) for i, s in ranked_labels}
    ranked = [(indicator, score)] if indicator else []
    ranked += [(i, by_label.get(i, 0.0)) for i in hit.alternatives if i]
    ranked += sorted(by_label.items(), key=lambda x: -x[1])
    out: list[Candidate] = []
    for ind, sc in ranked:
        label = _indicator_label(ind)
        if label is None or any(c.indicator_id == ind for c in out):
            continue
        out.append(Candidate(indicator_id=ind, code=None, label=label, score=float(sc),
                             features={"label_similarity": by_label.get(ind, 0.0)}))
    return out[:_nc.CANDIDATES]


_LIST_ITEM = r"(?:[^;:.\d]|\d+\s*%){1,60}?(?:\s*:)?\s*\d[\d.,]*(?:\s*%)?(?:\s+[^\W\d]+){0,2}(?:\s*\([^()\d]*\))?"
_LIST_ITEM = rf"(?:{_LIST_ITEM}|\s*\d[\d.,]*\s+[^;:.\d%()]{{1,60}}?)"  # or "02 viên chức tiếp nhận …"
_PCT_ITEM = r"\d{1,3}(?:,\d+)?\s*%[^;:.\d%]{1,60}?"  # "100% sở, ngành; 96,4% đơn vị cấp xã đã kết nối"
_SEMICOLON_LIST = re.compile(rf":\s*{_LIST_ITEM}(?:\s*;\s*{_LIST_ITEM})+\s*(?:[.;]|$)"
                             rf"|:\s*{_PCT_ITEM}(?:\s*;\s*{_PCT_ITEM})+\s*(?:[.;]|$)")


def _list_commas(folded: str) -> str:
    """A colon list of short "label N" items, its semicolons as commas (same length, same offsets).

    "… gồm: giáo dục - đào tạo 812; y tế 39; lĩnh vực khác 174": each item names only what sets it
    apart, and the catalog subjects read the list head across commas, not across semicolons.
    """
    return _SEMICOLON_LIST.sub(lambda m: m.group(0)[:-1].replace(";", ",") + m.group(0)[-1:], folded)


_TERSE_NUMBER = re.compile(r"(?<![\w.,])\d[\d.,]*(?![\w])")


def _find_hits(text: str, level: str | None = None) -> list[_Hit]:
    hits: list[_Hit] = []
    catalog_guesses: list[tuple[int, int, _nc.Guess]] = []
    carry: tuple[str, ...] = ()  # a telegraphic run's subject: "Tiếp nhận 4.210 hồ sơ. Giải quyết 4.158. Quá hạn 6."
    plan = False  # inside a "Phương hướng, nhiệm vụ …" section: what follows are targets, not figures
    for a, b in _split_records(text, split_sentences(text)):
        folded = fold(text[a:b])
        plan = _plan_section(folded, plan)
        if plan:  # a "…: targets" heading sentence itself is read by `target_spans`
            carry = ()
            continue
        terse = len(_nc.tokens(folded)) <= 4 and len(_TERSE_NUMBER.findall(folded)) == 1
        catalog_guesses += [(a, b, g) for g in _nc.guesses(_list_commas(folded), protected_spans(folded),
                                                           carry if terse else ())]
        carry = (_nc.subject_nouns(folded) or carry) if terse else ()
        catalog_guesses += [(a, b, g) for g in _nc.zero_guesses(folded, protected_spans(folded))]
        protected = [(a + x, a + y) for x, y in protected_spans(folded)]
        found = _hits_in_sentence(text, a, b) + _frame_hits(text, a, b, level)
        # A number inside a date, period or document number is never a figure, whatever read it.
        found = [h for h in found if h.pattern.zero or not inside(h.value_span, protected)]
        # The clause reading decides where a regex bound the number elsewhere; where a sure named
        # pattern agrees with it, that pattern keeps the figure (its name says which phrasing
        # read it), and a weak guess it confirms gives way to it.
        for c in _clause_hits(text, a, b, folded, protected):
            same = [h for h in found if h.value_span == c.value_span and h.indicator_id == c.indicator_id
                    and not h.needs_review]
            if same:
                same[0].order = _CLAUSE_ORDER
                if c.needs_review:  # the clause found the subject only far back: the agreement is a guess too
                    same[0].needs_review, same[0].review_reason = True, c.review_reason
            else:
                hits.append(c)
        hits.extend(found)
    out = _by_exam(_with_catalog(_on_time_part(_resolve(hits), text), catalog_guesses, text), text)
    out = _ratio_sides(out, text)
    out = _late_levels(out, text)
    out = _paren_parts(out, text)
    # one indicator, one figure a sentence: a flagged reading a sure one of the sentence already holds is
    # a wrong guess ("áp dụng 124 quy trình … TTHC và 18 quy trình … công việc": 18 is surely the latter)
    sure = {(h.sentence_span, h.indicator_id) for h in out if h.indicator_id and not h.needs_review}
    out = [h for h in out if not (h.needs_review and (h.sentence_span, h.indicator_id) in sure)]
    for h in out:  # "…, không có hồ sơ quá hạn, còn 23 hồ sơ …": a zero in words among figures is an aside, and
        # alone ("trong Quý I, không có phản ánh, kiến nghị nào …") as often a remark as a reported figure
        if h.raw_value and not any(c.isdigit() for c in h.raw_value) and not h.needs_review:
            among = any(o is not h and o.sentence_span == h.sentence_span and o.indicator_id for o in out)
            h.needs_review = True
            h.review_reason = f"a zero stated in words{' among figures' if among else ''}: a figure, or a remark"
    # one indicator, one figure a sentence: two sure readings of one indicator with different values
    # ("Bộ phận Một cửa huyện tiếp nhận 3.104 hồ sơ; cấp xã tiếp nhận 8.920 hồ sơ") cannot both be right
    sure_seen: dict[tuple[tuple[int, int], str], list[_Hit]] = {}
    for h in out:
        if h.indicator_id and not h.needs_review:
            sure_seen.setdefault((h.sentence_span, h.indicator_id), []).append(h)
    for same in sure_seen.values():
        if len({h.value_num for h in same}) > 1:
            for h in same:
                h.needs_review = True
                h.review_reason = f"{len(same)} figures of {h.indicator_id} in one sentence: which is it?"
    _activity_plan(out, text)
    _assigned_done(out)
    _own_deed(out, text)
    if level is None:
        _heading_level(out, text)
        _clause_level(out, text)
        _part_of_level_total(out, text)
    for h in out:
        if h.indicator_id and not h.needs_review:
            read = {o.indicator_id for o in out if o.sentence_span == h.sentence_span and o.indicator_id}
            sentence = text[h.sentence_span[0]:h.sentence_span[1]]
            narrower = _narrower_named(h.indicator_id, sentence, read)
            if narrower is None and h.pattern.name.startswith(("frame:", "clause:")):
                narrower = _twin_named(h.indicator_id, sentence, read)
            if narrower:
                h.needs_review = True
                h.review_reason = f"the sentence also names what sets {narrower} apart from {h.indicator_id}"
                if _qualifier_own(h, narrower, text, read):
                    h.alternatives.append(h.indicator_id)
                    h.indicator_id = narrower
                else:
                    h.alternatives.append(narrower)
    return out


_PAREN_LEAD = re.compile(r"\s*(?:[^\W\d]+\s+){0,8}\(")


def _paren_parts(hits: list[_Hit], text: str) -> list[_Hit]:
    """"19 đơn vị hành chính cấp xã (17 xã, 02 thị trấn)", "viên chức 146 người (xét tuyển 131, thi tuyển 15)":
    numbers in brackets right after a figure break it down; read as the figure's own indicator they are its
    parts, not a second figure of it (a part with an indicator of its own keeps it)."""
    drop: set[int] = set()
    for h in hits:
        if not h.indicator_id:
            continue
        a = h.sentence_span[0]
        before = text[a:h.value_span[0]]
        op = before.rfind("(")
        if op < 0 or ")" in before[op:]:
            continue
        op += a
        close = text.find(")", op, h.sentence_span[1])
        parts = [parse_vn_number(n.rstrip(".,")) for n in _TERSE_NUMBER.findall(text[op:close if close > 0 else h.sentence_span[1]])]
        for g in hits:
            if (g is not h and g.indicator_id == h.indicator_id and g.sentence_span == h.sentence_span
                    and g.value_span[1] <= op and id(g) not in drop and g.value_num
                    and _PAREN_LEAD.fullmatch(fold(text[g.value_span[1]:op + 1]).replace("%", " "))
                    # a breakdown: its parts add up to the figure, or are several and each below it
                    and (abs(sum(p or 0 for p in parts) - g.value_num) < 0.5
                         or (len(parts) > 1 and all(p is not None and p < g.value_num for p in parts)))):
                drop.add(id(h))
                break
    return [h for h in hits if id(h) not in drop]


_LEVEL_RATE = re.compile(r"(?<!\w)(?:o |tai |doi voi |con )?cap (?P<lvl>tinh|huyen|xa)(?:(?: [^;.%\d]{0,25}?)?"
                         r"(?: dat| la|:))? (?P<p>\d{1,3}(?:,\d+)?)\s*%")


def _late_levels(hits: list[_Hit], text: str) -> list[_Hit]:
    """"Số sở, ngành đã kết nối … đạt tỷ lệ 100%; cấp huyện 100%; cấp xã 99,4%": a level's rate after a
    rate the catalog read (after the patterns' own level pass) takes that rate's family at the level
    named, for review."""
    out = list(hits)
    for a, b in {h.sentence_span for h in hits}:
        folded = fold(text[a:b])
        for m in _LEVEL_RATE.finditer(folded):
            span = (a + m.start("p"), a + m.end("p"))
            if any(h.value_span[0] < span[1] and span[0] < h.value_span[1] and h.indicator_id for h in out):
                continue
            before = sorted((h for h in out if h.sentence_span == (a, b) and h.indicator_id
                             and (h.unit_is_percent or h.pattern.unit == "%")
                             and h.value_span[1] <= span[0]), key=lambda h: h.value_span)
            family = next((f for prev in reversed(before) for f in LEVEL_FAMILIES if prev.indicator_id in f.values()), None)
            indicator = family.get(m.group("lvl")) if family else None
            value = parse_vn_number(m.group("p"), percent=True)
            if indicator is None or value is None or any(h.indicator_id == indicator for h in before):
                continue
            model = before[-1]
            out = [h for h in out if not (h.value_span[0] < span[1] and span[0] < h.value_span[1])]
            out.append(replace(model, indicator_id=indicator, value_span=span, raw_value=text[span[0]:span[1]],
                               value_num=value, phrase_span=(a + m.start(), a + m.end()), method="context",
                               pattern=_frame_pattern("level_after_rate", "%", "context"), needs_review=True,
                               review_reason=f"a level's rate read in the family of the rate before it ({indicator})",
                               alternatives=[], ranked=()))
    out.sort(key=lambda h: h.value_span)
    return out


# "(5/14 xã, thị trấn)": a whole made of administrative units or bodies (the base a rate of them is taken of), unlike
# "(9.107/12.846 hồ sơ)" whose whole is the period's own count
_UNIT_WHOLE = re.compile(r"\s*(?:xa|phuong|thi tran|phong|don vi|co quan|huyen|quan|so|ubnd)(?!\w)")
_PERCENT_NUMBER = re.compile(r"(?<![\w/.,:\-])(\d{1,3}(?:,\d+)?)\s*%")


def _ratio_sides(hits: list[_Hit], text: str) -> list[_Hit]:
    """Both sides of an "x/y" or "x trên tổng số y" whose rate the catalog defines.

    "258/1.105 thủ tục, tỷ lệ 23,3%": the rate read as TTHC_TY_LE_MD4 makes 258 the procedures
    provided and 1.105 those eligible (the template's sub-rows), when 258/1.105 is 23,3 %.  Without
    an agreeing rate, a side read from its partner alone is flagged for review.
    """
    out = list(hits)
    for a, b in {h.sentence_span for h in hits}:
        folded = fold(text[a:b])
        protected = protected_spans(folded)
        in_sentence = [h for h in out if h.sentence_span == (a, b)]
        for r in _nr.ratios(folded):
            if inside(r.x, protected) or inside(r.y, protected):
                continue
            xs, ys = (a + r.x[0], a + r.x[1]), (a + r.y[0], a + r.y[1])
            hx = next((h for h in in_sentence if h.value_span == xs), None)
            hy = next((h for h in in_sentence if h.value_span == ys), None)
            share = 100.0 * r.x_num / r.y_num
            rate = next((h for h in in_sentence if (h.unit_is_percent or h.pattern.unit == "%") and h.value_num is not None
                         and abs(h.value_num - share) <= 1.0
                         and any(t[0] == h.indicator_id for t in _nr.triples())), None)
            sure = False
            if rate is not None:
                num, den = next((n, d) for p, n, d in _nr.triples() if p == rate.indicator_id)
                sure = not rate.needs_review
            elif hx is not None and hx.indicator_id in _nr.pairs():
                num, den = hx.indicator_id, _nr.pairs()[hx.indicator_id]
            elif hx is not None and hx.indicator_id and (n := _nr.numerator_of(hx.indicator_id)):
                num, den = n, hx.indicator_id
            elif hx is None and hy is not None and hy.indicator_id and (n := _numerator_named(hy.indicator_id, folded, r.x[0])):
                num, den = n, hy.indicator_id  # "178 trên tổng số 181 hồ sơ đã giải quyết": y names the total
            else:
                continue
            if any(h.indicator_id in (num, den) and h.value_span not in (xs, ys) for h in in_sentence):
                continue  # the sentence states one side elsewhere: this x/y is something else
            # "đạt 35,7% (5/14 xã, thị trấn)": a bracketed x/y right after its rate restates it; its y is the
            # whole the rate was taken of, no figure of the period
            restated = (rate is not None and re.fullmatch(r"\s*%?\s*\(\s*", text[rate.value_span[1]:xs[0]]) is not None
                        and _UNIT_WHOLE.match(fold(text[ys[1]:ys[1] + 20])) is not None)
            if restated and hy is not None:
                out.remove(hy)
                hy = None
            model = hx or hy or rate
            assert model is not None
            for span, have, ind, group in ((xs, hx, num, "n"), (ys, hy, den, "n2")):
                if restated and group == "n2":
                    continue
                if have is not None and have.indicator_id == ind:
                    continue
                if have is not None and have.indicator_id and not have.needs_review:
                    continue  # a sure reading of its own stays
                value = parse_vn_number(text[span[0]:span[1]])
                if value is None:
                    continue
                hit = replace(model, indicator_id=ind, group=group, value_span=span, raw_value=text[span[0]:span[1]],
                              value_num=value, method="context", score=_SCORES["context"],
                              pattern=_frame_pattern("ratio_side", model.pattern.unit if model is not rate else "",
                                                     "context"),
                              needs_review=not sure,
                              review_reason=None if sure else f"the {'x' if group == 'n' else 'y'} of an x/y read "
                                                              f"from its partner as {ind}",
                              alternatives=[], ranked=())
                if have is not None:
                    out.remove(have)
                out.append(hit)
            if rate is None:
                _rate_of_sides(out, (a, b), text, ys, num, den, share)
    out.sort(key=lambda h: h.value_span)
    return out


def _rate_of_sides(out: list[_Hit], sentence: tuple[int, int], text: str, ys: tuple[int, int], num: str, den: str,
                   share: float) -> None:
    """"Số UBND xã đã được kiểm tra CCHC: 6 trên tổng số 15 đơn vị hành chính cấp xã, đạt 40%": a percentage after
    an x/y whose sides are a rate's numerator and denominator, equal to x/y, is that rate (for review)."""
    pct = next((p for p, n, d in _nr.triples() if (n, d) == (num, den)), None)
    if pct is None or any(h.indicator_id == pct for h in out if h.sentence_span == sentence):
        return
    folded = fold(text[sentence[0]:sentence[1]])
    for m in _PERCENT_NUMBER.finditer(folded, ys[1] - sentence[0]):
        value = parse_vn_number(m.group(1), percent=True)
        span = (sentence[0] + m.start(1), sentence[0] + m.end(1))
        if value is None or abs(value - share) > 1.0:
            continue
        have = next((h for h in out if h.value_span == span), None)
        if have is not None and have.indicator_id and not have.needs_review:
            return
        model = next(h for h in out if h.sentence_span == sentence)
        if have is not None:
            out.remove(have)
        out.append(replace(model, indicator_id=pct, group="p", value_span=span, raw_value=text[span[0]:span[1]],
                           value_num=value, method="context", score=_SCORES["context"],
                           pattern=_frame_pattern("ratio_rate", "%", "context"), needs_review=True,
                           review_reason=f"the rate of an x/y read as {num}/{den}", alternatives=[], ranked=()))
        return


def _numerator_named(den: str, folded: str, x0: int) -> str | None:
    """Of the parts of `den`, the one whose label words the clause before x names most ("hoàn thành đúng
    hạn 29/33 nhiệm vụ": completed on time, not just completed); the only part when none is named."""
    left = folded[:x0]
    left = left[max(left.rfind(","), left.rfind(";"), left.rfind(":")) + 1:]
    said = set(_nc.tokens(left))
    parts = _nr.numerators_of(den)
    named = sorted(((len(_nc.label_feats(p) & said), p) for p in parts), reverse=True)
    if named and named[0][0] > 0 and (len(named) == 1 or named[0][0] > named[1][0]):
        return named[0][1]
    return _nr.numerator_of(den)


_WHO = _nc.LEVEL_TOKENS | {"hdnd", "ubnd", "huyenuy", "danguy", "songanh"}  # whose deed: kept by a switch
_DEED_LEFT = re.compile(r"(?:[^\W\d]+\s+){1,4}$")


def _idf_sum(tokens: Iterable[str], idf: dict[str, float]) -> float:
    return sum(idf.get(t, 0.0) for t in tokens)


_ACTIVITY = re.compile(r"(?<!\w)(?:kiem tra|tap huan|boi duong|tuyen truyen|khao sat|hoi nghi|doi thoai|thanh tra)(?!\w)")
_PLAN_OF_TASKS = re.compile(r"(?<!\w)(?:nhiem vu|ke hoach (?:cai cach hanh chinh|cchc))(?!\w)")


def _activity_plan(hits: list[_Hit], text: str) -> None:
    """"Đã tổ chức 02 đợt kiểm tra … tại 08 cơ quan, đơn vị, đạt 100% kế hoạch": a bare "đạt N% kế hoạch" after
    one activity is that activity's plan, perhaps not the year's CCHC plan: flagged, not asserted."""
    for h in hits:
        if h.pattern.name != "kh_ty_le" or h.needs_review:
            continue
        folded = fold(text[h.sentence_span[0]:h.sentence_span[1]])
        phrase = fold(text[h.phrase_span[0]:h.phrase_span[1]])
        if phrase.startswith(("dat", "hoan thanh")) and _ACTIVITY.search(folded) and not _PLAN_OF_TASKS.search(folded):
            h.needs_review = True
            h.review_reason = "a plan rate after one activity: that activity's plan, or the year's?"


def _assigned_done(hits: list[_Hit]) -> None:
    """"Sở nhận được 36 nhiệm vụ do UBND tỉnh … giao; đã hoàn thành 33 nhiệm vụ": tasks done in a sentence
    that counts assigned tasks, and no plan's tasks, are the assigned ones done (read so, for review)."""
    for h in hits:
        if h.indicator_id != _np.KH_NV_HOAN_THANH:
            continue
        mates = {o.indicator_id for o in hits if o.sentence_span == h.sentence_span and o is not h}
        if _np.GIAO_TONG in mates and _np.KH_NV_DE_RA not in mates and _np.GIAO_HOAN_THANH not in mates:
            h.alternatives.append(h.indicator_id)
            h.indicator_id = _np.GIAO_HOAN_THANH
            h.needs_review = True
            h.review_reason = "tasks done beside assigned tasks and no plan's: the assigned ones?"


def _own_deed(hits: list[_Hit], text: str) -> None:
    """A flagged reading whose label lacks the deed written just before its number takes the ranked
    label that has it ("rà soát để đơn giản hóa 36 TTHC thuộc thẩm quyền …": simplified, not in force),
    when that label names what follows the number as well.  Still for review."""
    labels, idf = _nc._labels()
    for h in hits:
        if not h.needs_review or not h.indicator_id or not h.ranked or h.unit_is_percent:
            continue
        a = h.sentence_span[0]
        left = fold(text[a:h.value_span[0]])
        left = left[max(left.rfind(","), left.rfind(";"), left.rfind("("), left.rfind(":")) + 1:]
        m = _DEED_LEFT.search(left + " ")
        said = set(_nc.tokens(m.group(0))) if m else set()
        # "đơn giản hóa": a deed the action lexicon lacks; "đang" is an aspect, not a deed
        deeds = said & (_nc._ACTIONS | {"dongian"}) - {"dang"}
        own = _nc.label_feats(h.indicator_id)
        if not deeds or deeds <= own:
            continue
        right = fold(text[h.value_span[1]:h.sentence_span[1]])
        after = set(_nc.tokens(re.split(r"[,;.(]", right)[0]))
        best = max(((_idf_sum(deeds & _nc.label_feats(i) - own, idf), s, i) for i, s in h.ranked
                    if i != h.indicator_id and s >= 0.4
                    # what follows the number stays named
                    and _idf_sum(after & _nc.label_feats(i), idf) >= _idf_sum(after & own, idf)
                    and own & _WHO <= _nc.label_feats(i)
                    and not _nc.label_feats(i) & _nc.LEVEL_TOKENS - own - said), default=None)
        if best is not None and best[0] >= 2.0:
            h.alternatives.append(h.indicator_id)
            h.review_reason = f"the deed before the number names {best[2]} rather than {h.indicator_id}"
            h.indicator_id = best[2]


def _part_of_level_total(hits: list[_Hit], text: str) -> None:
    """"UBND huyện đã giải quyết xong 3.928 hồ sơ, trong đó đúng hạn 3.869 hồ sơ": a part after "trong đó"
    of a total read at a level is that level's part (the catalog's pair of the two), for review."""
    for h in hits:
        variants = LEVEL_VARIANTS.get(h.indicator_id or "")
        if not variants:
            continue
        for t in hits:
            if t.sentence_span != h.sentence_span or t.value_span[1] > h.value_span[0] or not t.indicator_id:
                continue
            between = fold(text[t.value_span[1]:h.value_span[0]])
            t_level = next((lv for vs in LEVEL_VARIANTS.values() for lv, v in vs.items() if v == t.indicator_id), None)
            lvl = t_level if t_level in variants and variants[t_level] in _nr.numerators_of(t.indicator_id) else None
            if lvl is None or not _PARTITION.search(between) or ";" in between:
                continue
            h.alternatives.append(h.indicator_id or "")
            h.indicator_id = variants[lvl]
            h.needs_review = True
            h.review_reason = f"a part of {t.indicator_id} after 'trong đó': its level's figure"
            break


# "… cấp huyện tiếp nhận: - Giải quyết …", or a table row pasted as "Hồ sơ TTHC cấp xã - Tổng: 9.876; đã giải quyết: …"
_HEADING = re.compile(r"^(?P<head>[^:;]*?):\s*-\s|^(?P<head2>[^:;\d]{3,60}?)\s+-\s+(?=[^:;\d]{1,30}:)")
_LEVEL_NAMED = re.compile(r"(?<!\w)cap (xa|huyen)(?!\w)")


def _level_candidates(hits: list[_Hit], text: str) -> Iterator[tuple[_Hit, dict[str, str], str, int]]:
    """Hits whose indicator has level variants, each with them, its folded sentence and where it starts."""
    for h in hits:
        variants = LEVEL_VARIANTS.get(h.indicator_id or "")
        if variants:
            a, b = h.sentence_span
            yield h, variants, fold(text[a:b]), a


def _heading_level(hits: list[_Hit], text: str) -> None:
    """Dash items under a heading that names one level are that level's figures.

    "Kết quả giải quyết hồ sơ do UBND cấp huyện tiếp nhận: - Giải quyết đúng hạn: 6.695 hồ sơ;
    - Tỷ lệ đúng hạn: 99,3%": each item is the district's, though no item says "cấp huyện".
    """
    for h, variants, folded, a in _level_candidates(hits, text):
        m = _HEADING.match(folded)
        if m is None or h.value_span[0] - a < m.end():
            continue
        levels = set(_LEVEL_NAMED.findall(m.group("head") or m.group("head2")))
        item = folded[folded.rfind(" - ", 0, h.value_span[0] - a) + 1:h.value_span[0] - a]
        if len(levels) == 1 and not _LEVEL_NAMED.search(item) and variants.get(next(iter(levels))):
            h.indicator_id = variants[next(iter(levels))]


def _clause_level(hits: list[_Hit], text: str) -> None:
    """A level named once in the figure's own semicolon clause is the figure's level.

    "Ở cấp huyện, UBND các huyện đã giải quyết xong 64.210 hồ sơ …, trong đó 63.118 hồ sơ đúng hạn;
    ở cấp xã, …": each part of the sentence is one level's, though the level leads the part.
    """
    for h, variants, folded, a in _level_candidates(hits, text):
        at = h.value_span[0] - a
        start = folded.rfind(";", 0, at) + 1
        end = folded.find(";", at)
        part = folded[start:end if end >= 0 else len(folded)]
        levels = set(_LEVEL_NAMED.findall(part))
        special = variants.get(next(iter(levels))) if len(levels) == 1 else None
        if special and not any(o.indicator_id == special and o.sentence_span == h.sentence_span for o in hits):
            h.alternatives.append(h.indicator_id or "")
            h.indicator_id = special


_RESOLVED_BEFORE = re.compile(r"giai quyet(?: xong)?(?: la)?\s*:?\s*\d[\d.,]*(?:\s+ho so|\s*;)|\d[\d.,]*\s+ho so[^;\d]{0,40}giai quyet")
# "giải quyết đúng hạn 6.213 hồ sơ, quá hạn 97 hồ sơ": on time and late side by side (no "trước hạn") split the
# resolved dossiers in two, so "đúng hạn" is every one not late
_LATE_BESIDE = re.compile(r"(?<!khong )(?<!khong co )(?:qua|tre|cham) (?:han|hen)\s*:?\s*\d|\d[\d.,]*\s+(?:ho so\s+)?(?:bi )?"
                          r"(?:giai quyet )?(?:qua|tre|cham) (?:han|hen)")
_NONE_LATE = re.compile(r"(?:khong co|khong phat sinh|chua co)\s+(?:ho so\s+)?(?:nao\s+)?(?:tre|qua) (?:han|hen)")


def _on_time_part(hits: list[_Hit], text: str) -> list[_Hit]:
    """"đã giải quyết xong 21.406 hồ sơ, trong đó 20.988 hồ sơ đúng hạn": the part of the resolved total
    that was not late, i.e. the templates' "giải quyết đúng hạn" (early included), still for review.

    So is it when the sentence says none was late.  With neither ("đã giải quyết 01 hồ sơ đúng hạn")
    the on-the-day reading stays.
    """
    for h in hits:
        if h.pattern.name != "hs_dung_han_alone" or h.indicator_id != _np.HS_DUNG_HAN:
            continue
        before = fold(text[h.sentence_span[0]:h.value_span[0]])
        sentence = fold(text[h.sentence_span[0]:h.sentence_span[1]])
        if _RESOLVED_BEFORE.search(before) or _NONE_LATE.search(sentence) or _LATE_BESIDE.search(sentence):
            h.alternatives.append(h.indicator_id)
            h.indicator_id = _np.HS_DUNG_HAN_GOP
            h.review_reason = "'đúng hạn' as the part of the resolved total not late (early included): a reading"
    return hits


def _twin_named(indicator: str, sentence: str, read: set[str]) -> str | None:
    """A near-twin of a generic reading (same deed, same things) whose own words the sentence states.

    "phát hiện 03 VBQPPL trái pháp luật …, đã xử lý xong 02 văn bản": the frame reads documents
    handled (VBQPPL_DA_XU_LY_XONG), but the unlawful ones handled (…_TRAI_PHAP_LUAT_DA_XU_LY) is as
    near; the reading is flagged rather than guessed.
    """
    labels, idf = _nc._labels()
    own = _nc.label_feats(indicator)
    kind = next((lab.kind for lab in labels if lab.indicator == indicator), None)
    deeds = own & _nc._ACTIONS
    if not own or not deeds or kind is None:
        return None
    said = set(_nc.tokens(fold(sentence)))
    best: tuple[float, str] | None = None
    for lab in labels:
        if lab.indicator == indicator or lab.indicator in read or lab.kind != kind or not deeds <= lab.feats:
            continue
        if len(own & lab.feats - _nc._ACTIONS) < 1 or lab.feats & _nc.LEVEL_TOKENS - own:
            continue
        extra = lab.feats - own - _nc.LEVEL_TOKENS - _nc._ACTIONS
        got = sum(idf.get(t, 0.0) for t in extra if t in said)
        if got >= 4.0 and got >= 0.8 * sum(idf.get(t, 0.0) for t in extra) and (best is None or got > best[0]):
            best = (got, lab.indicator)
    return best[1] if best else None


def _narrower_named(indicator: str, sentence: str, read: set[str]) -> str | None:
    """A narrower sibling of `indicator` whose own words the sentence states: the reading is not sure.

    "Thi tuyển cạnh tranh tuyển dụng 14 công chức": TD_CONG_CHUC, or its competitive-exam part;
    "Qua rà soát, …; đã xử lý theo thẩm quyền 12 văn bản": documents handled, or those handled after
    the review.  A sibling another number of the sentence was read as is a co-figure, not a rival;
    level siblings (xã, huyện …) are left to the level rules.
    """
    labels, idf = _nc._labels()
    stem = "_".join(indicator.split("_")[:3 if indicator.startswith("NAR_") else 2])
    own = _nc.label_feats(indicator)
    kind = next((lab.kind for lab in labels if lab.indicator == indicator), None)
    if not own or kind is None:
        return None
    said = set(_nc.tokens(fold(sentence)))
    best: tuple[float, str] | None = None
    for lab in labels:
        if lab.indicator == indicator or lab.indicator in read or not lab.indicator.startswith(stem) or lab.kind != kind:
            continue
        extra = lab.feats - own - _nc.LEVEL_TOKENS
        lost = own - lab.feats
        if not extra or lab.feats & _nc.LEVEL_TOKENS - own or lost & said:
            continue  # a level sibling, or the sentence states what sets the reading's own label apart
        if sum(idf.get(t, 0.0) for t in lost) > 0.3 * sum(idf.get(t, 0.0) for t in own):
            continue  # a sibling, not a narrower kind of the same figure
        got = sum(idf.get(t, 0.0) for t in extra if t in said)
        if got >= 1.5 and got >= 0.3 * sum(idf.get(t, 0.0) for t in extra) and (best is None or got > best[0]):
            best = (got, lab.indicator)
    return best[1] if best else None


_UNDONE_AFTER = re.compile(r"(?<=[\d\w])\s+(?:can|chua|se|du kien|de nghi|phai)\s.*$")
_LEAD = re.compile(r"^\s*(?:qua|sau|sau khi|thong qua|tren co so)\s[^,;:]*,")


def _qualifier_own(h: _Hit, narrower: str, text: str, read: set[str]) -> bool:
    """The sibling's distinguishing words lie in the figure's own comma clause (or the sentence's
    "Qua rà soát, …" lead that scopes every clause): the sibling is read, not just offered.

    "Số cơ quan, đơn vị thuộc Bộ đã kiểm tra …: 09 đơn vị" is the ministry's own bodies;
    "tuyển dụng … 312 viên chức; tiếp nhận 02 … trường hợp đặc biệt" leaves 312 a plain recruitment.
    """
    a, b = h.sentence_span
    folded = fold(text[a:b])
    own = _clause(folded, h.value_span[0] - a, h.value_span[1] - a)
    own = _UNDONE_AFTER.sub("", own)  # "phát hiện 19 vấn đề cần chấn chỉnh": what is yet to be done is not done
    lead = _LEAD.match(folded)
    scope = (lead.group(0) + " " if lead and lead.end() <= h.value_span[0] - a else "") + own
    # "Đã rà soát 164 văn bản … (trong đó …; đã xử lý theo thẩm quyền 19 văn bản)": a bracket elaborates the
    # clause it opens after, which scopes every figure inside it (not one opened right after a figure: "đạt
    # 83,3% (15/18 văn bản …)" spells that figure out)
    p = folded.rfind("(", 0, h.value_span[0] - a)
    if p >= 0 and folded.find(")", p, h.value_span[0] - a) < 0 and not re.search(r"\d\s*%?\s*$", folded[:p]):
        scope = folded[folded.rfind(";", 0, p) + 1:p] + " " + scope
    assert h.indicator_id is not None
    return narrower in (_narrower_named(h.indicator_id, scope, read), _twin_named(h.indicator_id, scope, read))


_BY_EXAM = re.compile(r"trong do(?: co)? (\d+) (?:nguoi|dong chi|truong hop|cong chuc)? ?(?:duoc )?(?:bo nhiem )?"
                      r"(?:qua|thong qua) thi tuyen")


def _by_exam(hits: list[_Hit], text: str) -> list[_Hit]:
    """"…được bổ nhiệm mới: 06 người, trong đó 02 người qua thi tuyển": the part by competitive exam.

    The part's subject is the appointment figure before it; the catalog's "…_QUA_THI_TUYEN" sibling of
    that figure's indicator, else the overall BN_QUA_THI_TUYEN_SO.  The subject is inferred: for review.
    """
    out = list(hits)
    for a, b in split_sentences(text):
        folded = fold(text[a:b])
        for m in _BY_EXAM.finditer(folded):
            span = (a + m.start(1), a + m.end(1))
            if any(h.value_span == span and h.indicator_id for h in out):
                continue
            before = [h for h in out if h.indicator_id and h.indicator_id.startswith("BN_")
                      and h.sentence_span == (a, b) and h.value_span[1] <= span[0]]
            if not before:
                continue
            own = f"{before[-1].indicator_id}_QUA_THI_TUYEN"
            indicator = own if _indicator_label(own) else "BN_QUA_THI_TUYEN_SO"
            value = parse_vn_number(text[span[0]:span[1]])
            out = [h for h in out if h.value_span != span]
            out.append(_Hit(pattern=_frame_pattern("by_exam", "người", "context"), order=_UNMAPPED_ORDER,
                            indicator_id=indicator, group="n", value_span=span, phrase_span=(a + m.start(), a + m.end()),
                            sentence_span=(a, b), raw_value=text[span[0]:span[1]], value_num=value, score=80.0,
                            method="context", needs_review=True,
                            review_reason=f"the part by exam of {before[-1].indicator_id} (subject inferred)"))
    return sorted(out, key=lambda h: h.value_span)


OVERRIDE = 0.25  # the catalog label beats a pattern's indicator by this much: the clause names another …
BETTER = 0.10  # a pattern's figure whose clause names another label this much better is flagged
FLOOR = 0.25  # … even when that label is no clear winner among the catalog's, if it scores this much
MARGIN_FRAME = 0.05  # a frame reading whose catalog label leads the next by less is flagged
GROUNDLESS = 0.9  # a reading its clause names nothing of (score < 0) that a usable label leads by this much gives way
WEAK_OWN = 0.45  # … and the pattern's own indicator is named this little by the clause


def _stated_level(indicator: str | None, g: _nc.Guess, folded: str) -> str | None:
    """The level variant of a generic dossier figure whose sentence names one level only, as "cấp X".

    "Số hồ sơ … do UBND cấp huyện tiếp nhận … trong đó đúng hạn 4.470 hồ sơ" is the district's;
    "UBND xã đã tiếp nhận …" or "Kế hoạch … của UBND huyện" name the reporting body, not a level.
    """
    variants = LEVEL_VARIANTS.get(indicator or "")
    stated = (set(g.near) | set(g.far_left) | set(g.lead)) & _nc.LEVEL_TOKENS
    if not variants or len(stated) != 1 or len(set(re.findall(r"cap (xa|huyen|tinh)", folded))) != 1:
        return None
    return variants.get({"songanh": "so_nganh"}.get(next(iter(stated)), next(iter(stated))))


_LEVEL_STATED = re.compile(r"(?<!\w)(?:cap (?:xa|huyen|tinh|so)|so,? (?:ban,? )?nganh|huyen uy|dang uy)(?!\w)")


def _owner_not_level(generic: str, special: str, folded: str) -> bool:
    """A level sibling read from "… của huyện" / "UBND xã …" alone: the reporting body, not a level.

    "tỷ lệ hồ sơ giải quyết đúng hạn của huyện đạt 99,82%" is the district's overall rate; only
    "cấp huyện", "các sở, ngành" … name a level of a multi-level figure.
    """
    extra = _nc.label_feats(special) - _nc.label_feats(generic)
    return bool(extra) and extra <= _nc.LEVEL_TOKENS | {"cap", "ubnd"} and not _LEVEL_STATED.search(folded)


# what was done to the counted things: a label stating one the number's clause never says is not its figure
_DEEDS = frozenset("hoanthanh xuly giaiquyet banhanh kiemtra tuyendung kyluat bonhiem tinhgian pheduyet congbo "
                   "baibo thaythe tichhop ketnoi rasoat khaosat phathien apdung tiepnhan boiduong".split())


def _second_opinion(h: _Hit, g: _nc.Guess, taken: set[tuple[str | None, float | None]], folded: str = "") -> None:
    """A pattern's figure whose clause names another catalog indicator much better is re-read.

    "Đối với lĩnh vực đất đai, tỷ lệ hồ sơ giải quyết đúng hạn là 93,6%": the pattern reads the
    overall on-time rate, the clause names the land-sector one.  Clearly better: the catalog's
    indicator, flagged; somewhat better: the pattern's, flagged for review.
    """
    if g.kind != ("percent" if h.unit_is_percent else g.kind):
        return
    special = _nc.specialise(h.indicator_id or "", g) or _stated_level(h.indicator_id, g, folded)
    if special and folded and _owner_not_level(h.indicator_id or "", special, folded):
        special = None
    if special and any(i == special for i, _ in taken):
        special = None  # "04 đơn vị tự chủ chi thường xuyên và chi đầu tư, 27 đơn vị tự chủ chi thường xuyên": a list's sibling
    if special and (special, h.value_num) not in taken:
        taken.discard((h.indicator_id, h.value_num))
        taken.add((special, h.value_num))
        h.review_reason = f"the clause names the narrower {special} (was {h.indicator_id})"
        h.alternatives.append(h.indicator_id or "")
        h.indicator_id, h.needs_review = special, True
        return
    if (not h.needs_review and h.pattern.name.startswith("frame:") and g.indicator == h.indicator_id
            and g.runner_up and g.score - g.runner_score < MARGIN_FRAME):
        # a verb+noun frame the catalog barely prefers to another label: the clause may say more
        h.needs_review = True
        h.review_reason = f"{h.indicator_id} is barely ahead of {g.runner_up} ({g.score:.2f} vs {g.runner_score:.2f})"
        h.alternatives.append(g.runner_up or "")
    if g.indicator is None or g.indicator == h.indicator_id:
        return
    mine = g.score_of(h.indicator_id or "")
    # an action of the clause the pattern's label states and the catalog's does not: keep the pattern's
    kept_action = set(g.near) & _nc._ACTIONS & (_nc.label_feats(h.indicator_id or "") - _nc.label_feats(g.indicator))
    clearly = (mine < WEAK_OWN and g.score - mine >= OVERRIDE) or (g.sure and g.score - mine >= 2 * OVERRIDE)
    # a band the clause states ("từ 10% đến dưới 30%") that the catalog's label has and the pattern's lacks
    band = {t for t in g.near if t.startswith("band")}
    clearly = clearly or (g.sure and g.score - mine >= OVERRIDE and bool(
        band & _nc.label_feats(g.indicator) - _nc.label_feats(h.indicator_id or "")))
    # the number counts the pattern's own noun ("12 quy trình …") and the catalog's label another one (Hồ sơ)
    own_unit, other_unit = fold(h.pattern.unit or ""), fold(_catalog_unit(g.indicator) or "")
    after = folded[h.value_span[1] - h.sentence_span[0]:][:len(own_unit) + 2].strip()
    clash = (bool(own_unit) and h.pattern.unit != "%" and bool(other_unit)
             and own_unit.split()[0] not in re.findall(r"\w+", other_unit) and after.startswith(own_unit))
    # the catalog's label states an action (hoàn thành, xử lý …) the number's own clause never says
    acts = _nc.label_feats(g.indicator) & _DEEDS
    # … unless the clause names nothing of the pattern's own label and the catalog's clearly ("29 TTHC … đã được
    # đơn giản hóa" after "Qua rà soát,": the pattern's reading is the one with no ground)
    unsaid = bool(acts) and not acts & set(g.near) and not (mine < 0 and g.usable and g.score - mine >= GROUNDLESS)
    # the words that set the catalog's label apart lie only in another clause ("… với 38 nhiệm vụ cụ thể,
    # giao cho các cơ quan …"): not the number's own subject
    labels, _idf = _nc._labels()
    apart = (frozenset().union(*(lab.feats for lab in labels if lab.indicator == g.indicator))
             - frozenset().union(*(lab.feats for lab in labels if lab.indicator == h.indicator_id)))
    elsewhere = bool(apart & set(g.far)) and not apart & set(g.near) and not h.unit_is_percent
    # "Toàn tỉnh có 524 ĐVSNCL lĩnh vực giáo dục - đào tạo, 41 …": a total's frame whose own words also
    # name what sets a part apart reads the part
    clearly = clearly or (g.sure and g.score - mine >= OVERRIDE and "TONG" in (h.indicator_id or "")
                          and bool(apart & set(g.near)))
    if (g.usable and not kept_action and not unsaid and clearly and not clash and not elsewhere
            and (g.indicator, h.value_num) not in taken):
        taken.discard((h.indicator_id, h.value_num))
        taken.add((g.indicator, h.value_num))
        h.review_reason = f"the clause names {g.indicator} ({g.score:.2f}) rather than {h.indicator_id} ({mine:.2f})"
        h.alternatives.append(h.indicator_id or "")
        h.indicator_id, h.needs_review, h.method, h.score = g.indicator, True, "fuzzy", round(100 * g.score, 1)
        return
    if (not h.needs_review and (g.usable or g.score >= FLOOR) and g.score - mine >= BETTER
            and not any(i == g.indicator for i, _ in taken)):
        # a catalog label fits the clause better, not by enough to re-read it, and no other number
        # of the text is that label's figure ("18 người/19 người (theo chỉ tiêu)"): not sure either way
        h.needs_review = True
        h.review_reason = f"the clause also names {g.indicator} ({g.score:.2f} vs {mine:.2f} for {h.indicator_id})"
        h.alternatives.append(g.indicator)


# a percentage followed by the noun it quantifies ("100% sở, ngành", "95% hồ sơ, tài liệu"): a usable
# label for that noun's rate is read, for review like every catalog reading
_QUANTIFIES = re.compile(r"\s*%\s+(?!so voi|ke hoach|chi tieu)[^\W\d_]", re.UNICODE)


ELIDED = 0.3  # "…; lĩnh vực xây dựng đạt 96,1%": the rate's own words are in an earlier clause


def _sibling_before(hits: list[_Hit], sentence: tuple[int, int], start: int, indicator: str | None) -> bool:
    """An earlier figure of the sentence is a sibling of `indicator` (same ID but its last words).

    "Đối với lĩnh vực đất đai, tỷ lệ hồ sơ giải quyết đúng hạn là 93,6%; lĩnh vực xây dựng là 100%":
    the second clause elides "tỷ lệ hồ sơ giải quyết đúng hạn", the first one states it.
    """
    if not indicator:
        return False
    for h in hits:
        if h.indicator_id and h.indicator_id != indicator and h.sentence_span == sentence and h.value_span[1] <= start:
            common = 0
            for x, y in zip(h.indicator_id.split("_"), indicator.split("_"), strict=False):
                if x != y:
                    break
                common += 1
            if common >= 4:
                return True
    return False


@functools.lru_cache(maxsize=4096)
def _label_levels(indicator: str | None) -> frozenset[str]:
    """The level words (xã, huyện …) of an indicator's own catalog label."""
    return frozenset(_nc.tokens(fold(_indicator_label(indicator) or ""))) & _nc.LEVEL_TOKENS


_RATE_GAP = re.compile(r"\s*(?:/\s*[\d.,]+\s*)?(?:[a-z]+\s*){0,6}[,(]\s*(?:(?:dat|bang|chiem|tuong ung|voi|ty le)\s*)*:?\s*")
RATE_OF = 0.6  # the rate label a count's own label words name, at least this well and clearly
RATE_MARGIN = 0.1


def _rate_of_count(hits: list[_Hit], sentence: tuple[int, int], span: tuple[int, int],
                   text: str) -> tuple[str, float, str | None, float] | None:
    """"đúng hạn 4.470 hồ sơ (99,07%)", "khắc phục 15 vấn đề, đạt 88,2%": the rate of the count just before.

    The percentage states no subject; the count's indicator does.  Its label words name the rate indicator
    of the same thing (HS_DUNG_HAN_HUYEN → HS_TY_LE_DUNG_HAN_HUYEN) when one catalog rate leads clearly.
    """
    prev = [h for h in hits if h.indicator_id and h.sentence_span == sentence and not h.unit_is_percent
            and h.value_span[1] <= span[0]]
    if not prev:
        return None
    h0 = max(prev, key=lambda h: h.value_span)
    if not _RATE_GAP.fullmatch(fold(text[h0.value_span[1]:span[0]])):
        return None
    # "xử lý xong 25/27 vấn đề (đạt 92,6%)": the rate of the x, not of the total
    h0 = next((h for h in prev if h0.group == "n2" and h.group == "n" and h.phrase_span == h0.phrase_span), h0)
    ranked = _nc.score_labels("percent", sorted(_nc.label_feats(h0.indicator_id or "")), [])
    levels = _label_levels(h0.indicator_id)  # the rate of a level's count is that level's, and only then
    ranked = [r for r in ranked if _label_levels(r[2]) == levels]
    if not ranked or ranked[0][0] < RATE_OF:
        return None
    runner = next(((r[0], r[2]) for r in ranked[1:] if r[2] != ranked[0][2]), (0.0, None))
    if ranked[0][0] - runner[0] < RATE_MARGIN:
        return None
    return ranked[0][2], ranked[0][0], runner[1], runner[0]


_QUOTA = frozenset({"giao", "chitieu"})


DOMINANT = 0.40  # a count's label found this well, from its own words this much, far ahead of the next (review)
DOMINANT_OWN = 0.45
QUANTIFIED = 0.40  # "100% TTHC thuộc thẩm quyền …": a percentage of the noun after it, all its words in one label
LONE_RATE = 0.45  # a "tỷ lệ …" rate's label found this well, and far ahead of the next, names it (for review)


def _with_catalog(hits: list[_Hit], guesses: list[tuple[int, int, _nc.Guess]], text: str) -> list[_Hit]:
    """Numbers no pattern mapped take the catalog label their clause names (`narrative_catalog`).

    A usable label match (clear winner) names the figure, always for review (a label similarity
    is a guess); a number a pattern mapped gets a second opinion (`_second_opinion`).
    """
    out = list(hits)
    taken: set[tuple[str | None, float | None]] = {(h.indicator_id, h.value_num) for h in hits if h.indicator_id}
    for a, b, g in guesses:
        span = (a + g.span[0], a + g.span[1])
        same = [h for h in out if h.value_span[0] < span[1] and span[0] < h.value_span[1]]
        for h in same:
            h.ranked = h.ranked or g.ranked
        mapped = [h for h in same if h.indicator_id]
        if g.kind == "zero" and (any(h.pattern.zero for h in out if h.sentence_span == (a, b)) or mapped):
            continue  # a named zero pattern read this sentence's "không có" already
        if mapped:
            if not g.ratio:  # the x of an x/y a pattern read: that pattern knew the y too
                _second_opinion(mapped[0], g, taken, fold(text[a:b]))
            continue
        feats = _nc.label_feats(g.indicator or "")
        if g.ratio and feats & _QUOTA and not feats & _DEEDS:
            continue  # "05/06 chỉ tiêu": the x is what there is, the quota is the y (but "được giao đã hoàn thành
            # là 44/47": what was done of the assigned)
        rate_of = _rate_of_count(out, (a, b), span, text) if g.kind == "percent" and not (g.usable and g.rated) else None
        if rate_of is not None and (rate_of[0], parse_vn_number(text[span[0]:span[1]], percent=True)) not in taken:
            g = replace(g, indicator=rate_of[0], score=rate_of[1], runner_up=rate_of[2], runner_score=rate_of[3],
                        matched=2, own_score=rate_of[1])
        quantifies = g.kind == "percent" and _QUANTIFIES.match(fold(text[a:b]), g.span[1])  # "100% sở, ngành đã kết nối"
        elided_or_rate = rate_of is not None
        elided = elided_or_rate or (g.kind == "percent" and g.score >= ELIDED
                                    and _sibling_before(out, (a, b), span[0], g.indicator))
        # "tỷ lệ phòng chuyên môn, đơn vị được kiểm tra … đạt 46,2%": a rate whose list of nouns cut its
        # subject short, with one label far ahead of every other
        lone = (g.kind == "percent" and g.rated and g.indicator is not None and g.score >= LONE_RATE
                and g.score - g.runner_score >= 3 * _nc.MARGIN)
        # "BPMC cấp xã: đúng hạn 99,6%": a telegraphic item whose header and word or two name one label
        terse = (g.terse and g.indicator is not None and g.score >= LONE_RATE
                 and g.score - g.runner_score >= 1.5 * _nc.MARGIN)
        # "đã cấp, đưa vào sử dụng 5.630 chữ ký số cho …": a count whose own words hold all of one label, far
        # ahead of every other, though they say more than it
        # … and, passive or nominalised ("37 văn bản QPPL … đã được … tham mưu ban hành", "16 UBND xã … đã áp dụng
        # HTQLCL"), one whose own words name one label well and every other far less
        covered = (g.kind == "count" and g.indicator is not None and g.score - g.runner_score >= 2.5 * _nc.MARGIN
                   and ((g.own_score >= 0.99 and g.score >= LONE_RATE)
                        or (g.own_score >= DOMINANT_OWN and g.score >= DOMINANT)))
        # "niêm yết, công khai 100% TTHC thuộc thẩm quyền …": a percentage of the noun after it, whose own words
        # hold one rate label and name no other (its label's "tỷ lệ" words are never written here)
        covered = covered or bool(quantifies and g.indicator is not None and g.score - g.runner_score >= 3 * _nc.MARGIN
                                  and ((g.own_score >= 0.99 and g.score >= QUANTIFIED)
                                       or (g.own_score >= DOMINANT_OWN and g.score >= LONE_RATE + _nc.MARGIN)))
        if (not (g.usable or elided or lone or terse or covered) or any(h.pattern.guess_only for h in same)) or (
                g.kind == "percent" and not (g.sure or g.rated or g.strong or quantifies or elided or terse)):
            continue  # a pattern that left its figure unmapped on purpose knows it is a guess
        raw = text[span[0]:span[1]]
        value = 0.0 if g.kind == "zero" else parse_vn_number(raw, percent=g.kind == "percent")
        if value is None or (g.indicator, value) in taken:
            continue
        for h in same:
            out.remove(h)
        taken.add((g.indicator, value))
        unit = {"percent": "%"}.get(g.kind) or (
            text[a + g.unit_span[0]:a + g.unit_span[1]] if g.unit_span else _catalog_unit(g.indicator))
        name = f"catalog:{g.indicator}"
        pat = _frame_pattern(name, unit or "", "fuzzy")
        p0 = a + g.phrase[0] + len(text[a + g.phrase[0]:a + g.phrase[1]]) - len(
            text[a + g.phrase[0]:a + g.phrase[1]].lstrip(" ,;:("))
        sure = False  # a label similarity is never auto-accepted: it is kept for review with its score
        out.append(_Hit(pattern=pat, order=_UNMAPPED_ORDER, indicator_id=g.indicator, group="n", value_span=span,
                        ranked=g.ranked,
                        phrase_span=(p0, max(p0, a + g.phrase[1])), sentence_span=(a, b), raw_value=raw,
                        value_num=value, score=round(100 * max(0.0, min(g.score, 1.0)), 1), method="fuzzy",
                        needs_review=not sure,
                        review_reason=("subject matched to the catalog label" if g.sure else
                                       "subject matched to the catalog label only in part")
                        + f" ({g.score:.2f}; next {g.runner_up} {g.runner_score:.2f})"))
    return sorted(out, key=lambda h: h.value_span)


_CLAUSE_ORDER = -1  # a subject bound by its clause wins a number any regex also claimed


def _clause_hits(text: str, s_start: int, s_end: int, folded: str,
                 protected: list[tuple[int, int]]) -> list[_Hit]:
    """Figures whose subject `narrative_clauses` binds from the clause structure."""
    hits = []
    local = [(x - s_start, y - s_start) for x, y in protected]
    for f in clause_figures(folded, local):
        raw = text[s_start + f.span[0]:s_start + f.span[1]]
        value = parse_vn_number(raw, percent=f.kind == "percent")
        if value is None:
            continue
        unit = {"percent": "%"}.get(f.kind) or (
            text[s_start + f.unit_span[0]:s_start + f.unit_span[1]] if f.unit_span else _catalog_unit(f.indicator))
        name = f"clause:{f.indicator}" + (":ellipsis" if f.inherited else "")
        pat = _frame_pattern(name, unit or "", "context")
        p0 = f.phrase[0] + len(folded[f.phrase[0]:f.phrase[1]]) - len(folded[f.phrase[0]:f.phrase[1]].lstrip(" ,;:("))
        hits.append(_Hit(pattern=pat, order=_CLAUSE_ORDER, indicator_id=f.indicator, group="n",
                         value_span=(s_start + f.span[0], s_start + f.span[1]),
                         phrase_span=(s_start + p0, s_start + f.phrase[1]),
                         sentence_span=(s_start, s_end), raw_value=raw, value_num=value,
                         score=_SCORES["context"] - (10.0 if f.inherited else 0.0) - (20.0 if f.guessed else 0.0),
                         method="context", needs_review=f.guessed,
                         review_reason="subject or verb taken from an earlier clause: a guess" if f.guessed else None))
    return hits


# --------------------------------------------------------------------------- frames


_FRAME_NUMBER = re.compile(_np._num("n", ratio_left=True))
_RATIO_RIGHT = re.compile(r"(?:\s*/\s*|\s+tren (?:tong so |tong )?)(?P<y>\d+(?:[.,]\d+)*)(?![\w%]|[.,]\d)")
_NOUN_RES = [(k, re.compile(rf"\s+(?:{r})(?!\w)")) for k, r in NOUNS]
_LABEL_NOUN_RES = [(k, re.compile(rf"(?<!\w)(?:tong so|so luong|so) (?:cac )?(?:{r})(?!\w)")) for k, r in NOUNS]
_VERB_RES = [(k, re.compile(rf"(?<!\w)(?:{r})(?!\w)")) for k, r in VERBS]
_PARTITION = re.compile(PARTITION)
_NOT_DONE = re.compile(_np.NOT_DONE)
_POST_VERB_END = re.compile(r",|;|\(|(?<!\w)va(?!\w)|(?<!\w)nhung(?!\w)")


@functools.lru_cache(maxsize=256)
def _frame_pattern(name: str, unit: str, method: str) -> FigurePattern:
    """A registry-like record for a frame, so frame figures carry a name like any pattern."""
    return FigurePattern(name=name, regex=_np.rx(""), groups={"n": None}, unit=unit, example="", expect={},
                         doc="number + counted noun + governing verb (FRAME_RULES)", method=method)


def _verbs_in(clause: str) -> list[tuple[int, int, str]]:
    """(start, end, key) of every verb in a folded clause; of overlapping matches the longest."""
    found = sorted(((m.start(), m.end(), k) for k, r in _VERB_RES for m in r.finditer(clause)),
                   key=lambda t: (t[0], -(t[1] - t[0])))
    out: list[tuple[int, int, str]] = []
    for v in found:
        if out and v[0] < out[-1][1]:
            continue
        out.append(v)
    return out


def _noun_ok(key: str, original: str) -> bool:
    """Folding merges "sở" and "số": a bare "so" counts bodies only when it is "sở"."""
    return not (key == "so_nganh" and original.startswith("số"))


def _verb_ok(verb: tuple[int, int, str], original: str) -> bool:
    """Folding merges "có" (have) and "cơ" (as in "cơ quan"): the verb must be "có"."""
    return verb[2] != "co" or "có" in original[verb[0]:verb[1]]


def _frame_rule(verb: str | None, noun: str, tail: str, sentence: str, level: str | None,
                partition: bool) -> FrameRule | None:
    for rule in FRAME_RULES:
        if rule.noun != noun:
            continue
        if rule.verbs is not None and verb not in rule.verbs:
            continue
        if rule.levels is not None and level not in rule.levels:
            continue
        if rule.total and partition:
            continue
        if rule.tail is not None and not re.search(rule.tail, tail):
            continue
        if rule.context is not None and not re.search(rule.context, sentence):
            continue
        return rule
    return None


# words between two items of a list that make the second its own predicate, not a share of the first's verb
_OWN_PREDICATE = re.compile(r"(?<!\w)(?:sua doi|bo sung|thay the|huy bo|dinh chi|" + "|".join(
    r for k, r in VERBS if k not in ("co", "giao", "hieu_luc")) + r")(?!\w)")


def _frame_hits(text: str, s_start: int, s_end: int, level: str | None) -> list[_Hit]:
    """Figures read as (governing verb, number, counted noun) in each clause of a sentence.

    The noun is read right after the number (past an "x/y" ratio's right side),
    or, when none follows, from a "số <noun> …" label earlier in the clause.  The
    verb is the one the noun phrase carries itself ("38 đơn vị tự bảo đảm …"),
    else the nearest before the number in the clause, which coordinated figures
    share ("tuyển dụng 46 công chức và 312 viên chức").
    """
    folded = fold(text[s_start:s_end])
    hits: list[_Hit] = []
    claimed: set[tuple[str | None, tuple[int, int, str] | None]] = set()
    pos = 0
    for clause_text in re.split(r"(;)", folded):
        c0 = pos
        pos += len(clause_text)
        if clause_text == ";" or not clause_text.strip():
            continue
        clause = clause_text
        nums = list(_FRAME_NUMBER.finditer(clause))
        verbs = _verbs_in(clause)
        prev_end = 0
        original = text[s_start + c0:s_start + c0 + len(clause)].lower()
        for i, m in enumerate(nums):
            n0, n1 = m.span("n")
            if n0 < prev_end:  # a digit inside the previous noun phrase ("mức độ 3")
                continue
            item_gap = clause[prev_end:n0] if prev_end else ""
            r = _RATIO_RIGHT.match(clause, n1)
            skip = r.end() if r else n1
            noun, noun_end = None, None
            for key, regex in _NOUN_RES:
                nm = regex.match(clause, skip)
                if nm and _noun_ok(key, original[nm.start():nm.end()]):
                    noun, noun_end = key, nm.end()
                    break
            nxt = next((x.start() for x in nums[i + 1:] if x.start() >= (noun_end or n1)), len(clause))
            tail = clause[n1:nxt]
            label_at = None
            if noun is None:  # "Số sở, ngành được kiểm tra: 12"
                window = clause[prev_end:n0]
                best = None
                for key, regex in _LABEL_NOUN_RES:
                    for lm in regex.finditer(window):
                        if best is None or lm.start() > best[1]:
                            best = (key, lm.start(), lm.end())
                if best is not None:
                    noun, label_at, noun_end = best[0], prev_end + best[1], n1
                    gap = clause[prev_end + best[2]:n0]
                    if re.search(r"\d", gap):
                        noun = None
            prev_end = max(n1, noun_end or n1)
            if noun is None:
                continue
            # governing verb
            post_from = noun_end if (label_at is None and noun_end is not None) else n1
            stop = _POST_VERB_END.search(clause, post_from, nxt)
            post_to = stop.start() if stop else nxt
            post = [v for v in verbs if v[0] >= post_from and v[1] <= post_to]
            lo = label_at if label_at is not None else 0
            pre = [v for v in verbs if v[1] <= n0 and v[0] >= lo]
            pre = [v for v in pre if _verb_ok(v, original)]
            post = [v for v in post if _verb_ok(v, original)]
            # The noun phrase's own verb first ("38 đơn vị tự bảo đảm …"), then the one before it.  Of an
            # "x/y" or "x trên tổng số y", the verb after the noun names the total y ("hoàn thành 29/33
            # nhiệm vụ được giao"), the one before it x ("xử lý xong 9 trên tổng số 10 văn bản có kiến
            # nghị xử lý"): each side reads its own.
            options: list[tuple[int, int, str] | None] = []
            # … when x has a deed of its own before it; with none ("Có 12/19 xã đã được kiểm tra"), the verb
            # after the noun is x's
            # ("Có 1.690 trên tổng số 1.754 TTHC đang có hiệu lực đã được cập nhật": unless it names a total)
            own_deed = any(v[2] != "co" for v in pre)
            y_hit = None
            if r is not None and label_at is None:
                y_hit = _ratio_total_hit(text, s_start, s_end, c0, clause, r, noun, post, tail, folded, level,
                                         totals_only=not own_deed)
                if y_hit is not None:
                    hits.append(y_hit)
            if (r is None or not own_deed) and y_hit is None:
                options += post if label_at is None else []
            options += [pre[-1]] if pre else []
            # "kiểm tra việc số hóa hồ sơ, kết quả giải quyết TTHC tại 9 UBND cấp huyện": where an inspection took
            # place is the inspection's figure, past the verbs of what it looked at
            if re.search(r"(?<!\w)tai\s*$", clause[:n0]):
                options += [v for v in reversed(pre) if v[2] == "kiem_tra" and v not in options][:1]
            options = options or [None]
            gov, rule = options[0], None
            for cand in options:
                verb = cand[2] if cand else None
                part = bool(_PARTITION.search(clause, cand[1] if cand and cand[1] <= n0 else 0, n0))
                rule = _frame_rule(verb, noun, tail, folded, level, part)
                if rule is not None:
                    gov = cand
                    break
            verb = gov[2] if gov else None
            if rule is not None and gov is not None and _NOT_DONE.search(clause, 0, gov[0]):
                continue  # "dự kiến kiểm tra 20 cơ quan": a plan, not a result
            if gov is not None and gov[1] <= n0 and item_gap and gov[1] <= n0 - len(item_gap) and _OWN_PREDICATE.search(item_gap):
                continue  # "công bố mới 29 TTHC, sửa đổi, thay thế 55 TTHC": the item has a verb of its own
            if rule is None:
                continue  # no rule: the frame cannot say what the number measures, so it says nothing
            if (gov is not None and gov[1] <= n0 and _PARTITION.search(clause, gov[1], n0)
                    and (rule.indicator, gov) in claimed):
                continue  # "kiến nghị xử lý 18 văn bản, trong đó 16 văn bản …": a part is not its total
            claimed.add((rule.indicator, gov))
            a = min(n0, gov[0] if gov else n0, label_at if label_at is not None else n0)
            b = max(noun_end or n1, gov[1] if gov else n1)
            name = f"frame:{verb or '-'}+{noun}"
            pat = _frame_pattern(name, rule.unit if rule else "", "context")
            raw = text[s_start + c0 + n0:s_start + c0 + n1]
            hit = _Hit(pattern=pat, order=_FRAME_ORDER if rule else _UNMAPPED_ORDER, indicator_id=rule.indicator if rule else None,
                       group="n", value_span=(s_start + c0 + n0, s_start + c0 + n1),
                       phrase_span=(s_start + c0 + a, s_start + c0 + b), sentence_span=(s_start, s_end),
                       raw_value=raw, value_num=parse_vn_number(raw), score=_SCORES["context"],
                       method="context", needs_review=rule is None,
                       review_reason=None if rule else f"{name}: no catalog indicator for this verb and noun")
            if hit.value_num is not None:
                hits.append(hit)
    return hits


def _ratio_total_hit(text: str, s_start: int, s_end: int, c0: int, clause: str, r: re.Match[str], noun: str,
                     post: list[tuple[int, int, str]], tail: str, folded: str, level: str | None,
                     totals_only: bool = False) -> _Hit | None:
    """The y of "x/y <noun> <verb>" read with the verb after its noun, when a rule names a total by it."""
    for cand in post:
        rule = _frame_rule(cand[2], noun, tail, folded, level, False)
        if rule is None or rule.indicator is None or (totals_only and not rule.total):
            continue
        y0, y1 = r.span("y")
        raw = text[s_start + c0 + y0:s_start + c0 + y1]
        value = parse_vn_number(raw)
        if value is None:
            return None
        name = f"frame:{cand[2]}+{noun}"
        return _Hit(pattern=_frame_pattern(name, rule.unit, "context"), order=_FRAME_ORDER,
                    indicator_id=rule.indicator, group="n", value_span=(s_start + c0 + y0, s_start + c0 + y1),
                    phrase_span=(s_start + c0 + y0, s_start + c0 + cand[1]), sentence_span=(s_start, s_end),
                    raw_value=raw, value_num=value, score=_SCORES["context"], method="context",
                    needs_review=False, review_reason=None)
    return None


# --------------------------------------------------------------------------- line geometry


@dataclass
class _Running:
    """Running text built from lines, with where each line sits in it."""

    text: str
    starts: list[int]  # offset of each line in text
    ends: list[int]
    pages: list[int]
    boxes: list[BBox | None]
    origins: list[TextOrigin]

    @classmethod
    def build(cls, lines: Iterable[tuple[str, BBox | None, int, TextOrigin]]) -> _Running:
        parts: list[str] = []
        starts, ends, pages, boxes, origins = [], [], [], [], []
        pos = 0
        kept = [(t, box, page, origin) for raw, box, page, origin in lines if (t := _clean_text(raw))]
        for (joiner, t), (_t, box, page, origin) in zip(join_lines([k[0] for k in kept]), kept, strict=True):
            pos += len(joiner)  # the joining space, or a line break where a label-value record ends
            parts.append(joiner)
            starts.append(pos)
            parts.append(t)
            pos += len(t)
            ends.append(pos)
            pages.append(page)
            boxes.append(box)
            origins.append(origin)
        return cls("".join(parts), starts, ends, pages, boxes, origins)

    def line_at(self, offset: int) -> int:
        import bisect

        i = bisect.bisect_right(self.starts, offset) - 1
        return max(0, min(i, len(self.starts) - 1))

    def bbox(self, span: tuple[int, int], value_line: int) -> BBox | None:
        """Union of the boxes of the lines the phrase spans, on the value's page."""
        first, last = self.line_at(span[0]), self.line_at(max(span[0], span[1] - 1))
        page = self.pages[value_line]
        boxes = [b for i in range(first, last + 1) if self.pages[i] == page and (b := self.boxes[i])]
        if not boxes:
            return None
        return (min(b[0] for b in boxes), min(b[1] for b in boxes),
                max(b[2] for b in boxes), max(b[3] for b in boxes))


# Report shorthand the wordings, frames and catalog labels spell out.  Upper-case whole tokens only, so
# words are never touched; the figure's evidence then reads the long form.
_ABBREVIATIONS = {
    "VB": "văn bản", "HS": "hồ sơ", "DVCTT": "dịch vụ công trực tuyến", "BPMC": "Bộ phận Một cửa",
    "MCĐT": "một cửa điện tử", "CQCM": "cơ quan chuyên môn", "KSTTHC": "kiểm soát thủ tục hành chính",
    "QTNB": "quy trình nội bộ", "HCC": "hành chính công", "ĐVSN": "đơn vị sự nghiệp",
    # bullet-line shorthand of summary sections ("ĐVSNCL do NN bảo đảm chi TX: 127 đv", "Tuyển dụng VC: 96 người")
    "ĐVHC": "đơn vị hành chính", "CQ": "cơ quan", "VC": "viên chức", "CC": "công chức", "NN": "nhà nước",
    "TX": "thường xuyên", "ĐK": "điều kiện", "QT": "quy trình", "ĐV": "đơn vị", "đv": "đơn vị",
    "TTuyến": "trực tuyến",
}
_ABBREVIATION = re.compile(r"(?<![\w/-])(" + "|".join(_ABBREVIATIONS) + r")(?![\w/-])")
_LEVEL_ABBREVIATION = re.compile(r"(?<![\w/-])MĐ\s?([1-4])(?![\w/-])")  # "MĐ3: 17,2%; MĐ4: 71,6%"


def _clean_text(text: object) -> str:
    """`clean`, with report shorthand ("VB đến: 2.115", "HS tiếp nhận qua DVCTT") spelled out."""
    text = _ABBREVIATION.sub(lambda m: _ABBREVIATIONS[m.group(1)], _clean(text))
    return _LEVEL_ABBREVIATION.sub(r"mức độ \1", text)


def _union(boxes: Sequence[BBox]) -> BBox:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
            max(b[3] for b in boxes))


def _search_bbox(value: Value, line_boxes: Sequence[tuple[str, BBox]]) -> BBox | None:
    """Fallback when `text` is not the caller's lines joined: find the line by content."""
    tokens = set(fold(value.raw_label).split())
    best, best_score = None, -1.0
    for t, box in line_boxes:
        ft = fold(_clean(t))
        if not re.search(rf"(?<![\d.,]){re.escape(fold(value.raw_value))}(?![\d,])", ft):
            continue
        score = len(tokens & set(ft.split()))
        if score > best_score:
            best, best_score = box, score
    return best


# --------------------------------------------------------------------------- public API


# A table row pasted into prose: "Tổng số người làm việc được giao    2.964", "… của Huyện ủy\t03",
# "Số lượng chữ ký số …    19    đơn vị": a label, a gap of tabs or 2+ spaces, a number, perhaps a unit.
_TABLE_LINE = re.compile(r"^(?P<label>[ \t]*[^\W\d][^\n\t;:]*?[^\s;:])[ \t]*(?:\t|  )[ \t]*(?P<value>\d[\d.,]*(?:[ \t]*%)?)"
                         r"(?:[ \t]+(?P<unit>[^\W\d][^\d\t;:.]{0,30}?))?[ \t]*[;.]?[ \t]*$", re.M)


def _table_lines(text: str) -> str:
    """Table rows pasted into prose as "label: value unit;" lines, so each row reads as its own
    colon item (the gap alone is lost when whitespace is collapsed, and the row's number then
    binds to the next row's label)."""
    if not isinstance(text, str) or ("\t" not in text and "  " not in text):
        return text
    return _TABLE_LINE.sub(lambda m: f"{m['label']}: {m['value']}{' ' + m['unit'] if m['unit'] else ''}.", text)


def extract_figures(
    text: str,
    page: int = 1,
    line_boxes: list[tuple[str, BBox]] | None = None,
    text_source: TextOrigin = TextOrigin.TEXT,
    level: str | None = None,
) -> list[Value]:
    """Every figure the named patterns find in `text` (one page's running text).

    `line_boxes` — the page's lines as (text, bbox) — lets each figure carry
    the bbox of the line(s) its phrase sits on.  Line breaks inside sentences
    are fine: whitespace is collapsed before matching.  `level` (a catalog
    template level: `xa`, `huyen`, `so_nganh` …) refines the dossier figures
    whose indicator depends on who received the dossiers.
    """
    # line by line, as a PDF's lines are joined (`_Running`): a label-value record's line break is kept
    lines = [t for t in (_clean_text(raw) for raw in str(_table_lines(text) or "").split("\n")) if t]
    clean = "".join(joiner + t for joiner, t in join_lines(lines))
    if not clean:
        return []
    running = None
    if line_boxes:
        running = _Running.build((t, b, page, text_source) for t, b in line_boxes)
        if running.text != clean:
            running = None
    hits = _find_hits(clean, level)
    values = []
    for h in hits:
        bbox = None
        if running is not None:
            bbox = running.bbox(h.phrase_span, running.line_at(h.value_span[0]))
        v = _to_value(h, clean, page, bbox, text_source, level)
        if line_boxes and running is None:
            v.bbox = _search_bbox(v, line_boxes)
        values.append(v)
    return values


_PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?\d{1,3}(?:\s*-)?\s*$|^\s*(?:Trang|Page)\s+\d{1,3}(?:\s*/\s*\d{1,3})?\s*$", re.I)


def extract_document_figures(
    pages: list[Page], *, skip_appendix: bool = True, level: str | None = None
) -> list[Value]:
    """Figures in the running text of a whole document.

    The pages' lines are joined into one running text, so a sentence cut by a
    line break or a page break is read whole; each figure is attributed to the
    page and line its number sits on.  Appendix pages (the statistical grid)
    are skipped by default: their labels are read by the table stage.
    """
    lines = [
        (_table_lines(_gapped_text(line)), line.bbox, p.number,
         p.origin if p.origin is not TextOrigin.NONE else TextOrigin.TEXT)
        for p in pages
        for line in (_running_lines(p) if skip_appendix else p.lines)
        if not _PAGE_NUMBER.match(line.text)  # a folio between two halves of a sentence
    ]
    running = _Running.build(lines)
    if not running.text:
        return []
    values = []
    for h in _find_hits(running.text, level):
        li = running.line_at(h.value_span[0])
        bbox = running.bbox(h.phrase_span, li)
        v = _to_value(h, running.text, running.pages[li], bbox, running.origins[li], level)
        v.ocr_confidence = _ocr_confidence(pages, running.pages[li], bbox)
        values.append(v)
    return values


GAP_CHARS = 4.0  # a gap this many of the line's average character widths wide is a table-like line's column gap


def _gapped_text(line: Line) -> str:
    """A line's text with a tab where its words stand a column gap apart ("Tổng số … được giao⇥2.964").

    pdfplumber and Tesseract give words, not the gap between a label and its value at the right margin;
    `_table_lines` reads "label⇥value" as its own record, as it does the tabs of pasted text.
    """
    words = [w for w in line.words if w.text]
    chars = sum(len(w.text) for w in words)
    width = sum(max(0.0, w.bbox[2] - w.bbox[0]) for w in words)
    if len(words) < 2 or chars == 0 or width <= 0:
        return line.text
    char_w = width / chars
    out = words[0].text
    for prev, w in zip(words, words[1:], strict=False):
        out += ("\t" if w.bbox[0] - prev.bbox[2] > GAP_CHARS * char_w else " ") + w.text
    return out


_APPENDIX_HEADING = re.compile(r"^\s*(?:PHỤ\s*LỤC|Phụ\s*lục)\b")
# The first line of a grid on a page that holds no heading: a row "1.2.1." or an STT header.
_ENDS_WITH_VALUE = re.compile(r"(?:\s|^)(?:\d[\d.,]*%?|-|x)\s*$")
_GRID_START = re.compile(r"^\s*(?:\d+(?:\.\d+)+\.?\s|(?:STT|TT|Số TT)\s)")


def _running_lines(page: Page) -> list:  # type: ignore[type-arg]
    """The lines of running text on a page: all of a body page; on a page flagged appendix,
    those above its "PHỤ LỤC" heading or first grid row (the report often ends on the page
    where the appendix starts, and such a page may be flagged whole)."""
    if not page.is_appendix:
        return list(page.lines)
    texts = [unicodedata.normalize("NFC", line.text) for line in page.lines]
    # The heading when there is one ("7.2. Áp dụng ISO …" above it is a prose heading) …
    for i, t in enumerate(texts):
        if _APPENDIX_HEADING.match(t) and len(t.strip()) < 160:
            return list(page.lines[:i])
    # … else the first grid row or STT header (a page flagged whole, or a grid continuation) …
    for i, t in enumerate(texts):
        if _GRID_START.match(t):
            return list(page.lines[:i])
    # … and a page of value cells (most lines end in a figure or "-") is grid throughout.
    if texts and sum(1 for t in texts if _ENDS_WITH_VALUE.search(t)) * 2 >= len(texts):
        return []
    return list(page.lines)


def _ocr_confidence(pages: list[Page], page_no: int, bbox: BBox | None) -> float | None:
    """Mean OCR confidence of the words inside the phrase's box (None for text-layer pages)."""
    if bbox is None:
        return None
    page = next((p for p in pages if p.number == page_no), None)
    if page is None or page.origin is not TextOrigin.OCR:
        return None
    confs = []
    for line in page.lines:
        for w in line.words:
            if w.confidence is None:
                continue
            x = (w.bbox[0] + w.bbox[2]) / 2
            y = (w.bbox[1] + w.bbox[3]) / 2
            if bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]:
                confs.append(w.confidence)
    return sum(confs) / len(confs) if confs else None
