"""Map appendix rows to catalog indicators, with the evidence behind every decision.

String similarity alone is what the obvious assembly does, and it is wrong
exactly where reports are messy: official forms misnumber whole blocks
(`1.1.1`–`1.1.4` printed under section `1.2`), "Trong đó" sub-rows repeat the
same label under different parents, and OCR damages diacritics and codes.  So
every (row, template row) pair is scored on several features:

- ``label``   — fuzzy similarity of the normalised labels (accented and
  de-accented, with and without bracketed remarks, abbreviations expanded),
  best over the template label, the indicator's label and its aliases;
- ``code``    — the printed STT as a *hint*: equal to the template's corrected
  or printed code, dots lost by OCR, or just a sibling;
- ``section`` — the row's enclosing section (from the document's own
  numbering, corrected by the first alignment pass) against the candidate's
  parent, which is what rescues a misnumbered block;
- ``unit``, ``kind`` (section / data / sub-row) and ``value`` (a coded answer
  outside the legend, a percentage over 100);
- ``order``   — a monotone alignment (dynamic programming over the two row
  sequences) of the document to the template: a misnumbered block keeps its
  order, so agreeing with the alignment is evidence.

The result per row is a `MatchResult` with the top-5 candidates shaped like
W3C reconciliation candidates (`cchc.model.Candidate`), the method that
decided, and `needs_review` when the evidence is weak or the runner-up is
close.  Thresholds and weights are one `matchers.settings.MatchSettings` (`settings=`),
calibrated in `tests/test_matching_calibration.py`.

Template detection (`matchers.template_detect`) scores whole templates with the
same features, so the building blocks it needs are public here: `doc_rows` /
`DocRow`, `template_index` / `TargetIndex`, `catalog_expander`, `label_matrix`,
`code_feature` and `unit_feature`.
"""

from __future__ import annotations

import copy
import dataclasses
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from cchc.model import Candidate, Match, MatchMethod, Row, Value
from cchc.vntext import (
    code_depth,
    code_parent,
    is_subrow_marker,
    nfc,
    normalize_code,
    parse_number,
    strip_accents,
)
from extractors.numbers import parse_value
from matchers.normalize import (
    AbbreviationExpander,
    LabelForms,
    clean_label,
    drop_parentheticals,
    label_forms,
    normalize_unit,
    simplify,
)
from matchers.settings import DEFAULT, MatchSettings

if TYPE_CHECKING:  # the catalog is duck-typed: see docs/catalog-api.md
    from indicator_catalog import Catalog, TemplateRow

__all__ = [
    "MatchResult",
    "match_rows",
    "match_label",
    "apply_match",
]

_HEADER_LABELS = {"chi tieu", "chi tieu thong ke", "cac chi tieu", "noi dung", "stt", "nhiem vu tieu chi"}


@dataclass
class MatchResult(Match):
    """The decision for one row (or phrase): the `Match` a `Value` carries, plus the matcher's doubt."""

    needs_review: bool = False
    review_reason: str | None = None
    row_index: int | None = None  # position in the list given to `match_rows`

    def as_match(self) -> Match:
        """The `Match` part alone, with its own candidate list and features (for `Value.match`)."""
        return Match(
            **{f.name: copy.copy(getattr(self, f.name)) for f in dataclasses.fields(Match)},
        )

    @property
    def matched(self) -> bool:
        return self.indicator_id is not None and not self.needs_review


# ----------------------------------------------------------------------------- targets


@dataclass
class _Target:
    """One thing a row can be matched to: a template row, or an indicator (no template)."""

    indicator_id: str
    code: str | None
    printed_code: str | None
    label: str
    unit_key: str
    value_kind: str
    codes: dict[str, int]
    kind: str
    parent: str | None
    forms: list[tuple[LabelForms, bool]]  # (forms, is_alias)


class TargetIndex:
    """Targets plus the flattened label strings fuzzy matching runs over."""

    def __init__(self, targets: list[_Target], template_id: str | None) -> None:
        self.targets = targets
        self.template_id = template_id
        self.acc: list[str] = []
        self.plain: list[str] = []
        self.owner: list[int] = []
        self.alias: list[bool] = []
        for j, t in enumerate(targets):
            for forms, is_alias in t.forms:
                for a, p in zip((forms.full, forms.core), (forms.full_plain, forms.core_plain), strict=True):
                    self.acc.append(a)
                    self.plain.append(p)
                    self.owner.append(j)
                    self.alias.append(is_alias)
        self.owner_arr = np.asarray(self.owner, dtype=np.int64)
        self.alias_arr = np.asarray(self.alias, dtype=bool)
        self._by_code: dict[str, list[int]] = {}
        for j, t in enumerate(targets):
            keys = {t.code, t.printed_code}
            if t.code and t.code.startswith("PL") and "." in t.code:
                keys.add(t.code.split(".", 1)[1])  # appendix-prefixed: the bare number as printed
            for key in list(keys):
                if key:
                    keys.add(key.replace(".", ""))  # OCR drops inner dots
            for key in keys:
                if key:
                    self._by_code.setdefault(key, []).append(j)
        self.tokens = [list(dict.fromkeys(_tokens(f.core_plain) for f, _ in t.forms)) for t in targets]
        # numbers of the target's own label (not its aliases): "mức độ 3" vs "mức độ 4"
        self.numbers = [_label_numbers(t.forms[0][0]) if t.forms else frozenset() for t in targets]

    def code_targets(self, code: str | None) -> list[int]:
        """Targets whose corrected, printed or dot-less code equals the row's printed code."""
        if not code:
            return []
        return self._by_code.get(code, []) + self._by_code.get(code.replace(".", ""), [])


_INDEX_CACHE: dict[tuple[object, str | None], TargetIndex] = {}


_EXPANDERS: dict[object, AbbreviationExpander] = {}


def _catalog_key(catalog: Catalog) -> object:
    """Cache key: the catalog's content hash where it has one."""
    return getattr(catalog, "version", None) or id(catalog)


def catalog_expander(catalog: Catalog) -> AbbreviationExpander:
    key = _catalog_key(catalog)
    exp = _EXPANDERS.get(key)
    if exp is None:
        exp = AbbreviationExpander(getattr(catalog, "abbreviations", {}) or {})
        _EXPANDERS[key] = exp
    return exp


def _unit_key(unit: str | None, codes: dict[str, int] | None) -> str:
    return "coded" if codes else normalize_unit(unit)


def template_index(catalog: Catalog, template_id: str) -> TargetIndex:
    key = (_catalog_key(catalog), template_id)
    if key in _INDEX_CACHE:
        return _INDEX_CACHE[key]
    exp = catalog_expander(catalog)
    tpl = catalog.template(template_id)
    targets = []
    for r in tpl.rows:
        ind = catalog.indicators.get(r.indicator_id)
        forms = [(label_forms(r.label, exp), False)]
        if ind is not None:
            if nfc(ind.label) != nfc(r.label):
                forms.append((label_forms(ind.label, exp), False))
            forms.extend((label_forms(a, exp), True) for a in ind.aliases)
        targets.append(
            _Target(
                indicator_id=r.indicator_id,
                code=r.code,
                printed_code=_own_code(r.printed_code),
                label=r.label,
                unit_key=_unit_key(r.unit, r.codes),
                value_kind=r.value_kind,
                codes=dict(r.codes or {}),
                kind=r.kind,
                parent=r.parent,
                forms=_dedupe(forms),
            )
        )
    idx = TargetIndex(targets, template_id)
    _INDEX_CACHE[key] = idx
    return idx


def _global_index(catalog: Catalog) -> TargetIndex:
    """All indicators, each with its label, aliases and every template label it is printed with."""
    key = (_catalog_key(catalog), None)
    if key in _INDEX_CACHE:
        return _INDEX_CACHE[key]
    exp = catalog_expander(catalog)
    rows_by_ind: dict[str, list[TemplateRow]] = {}
    for tid in sorted(catalog.templates):
        for r in catalog.templates[tid].rows:
            rows_by_ind.setdefault(r.indicator_id, []).append(r)
    targets = []
    for iid in sorted(catalog.indicators):
        ind = catalog.indicators[iid]
        rows = rows_by_ind.get(iid, [])
        forms = [(label_forms(ind.label, exp), False)]
        forms.extend((label_forms(r.label, exp), False) for r in rows)
        forms.extend((label_forms(a, exp), True) for a in ind.aliases)
        targets.append(
            _Target(
                indicator_id=iid,
                code=None,
                printed_code=None,
                label=ind.label,
                unit_key=_unit_key(ind.unit, ind.codes),
                value_kind=ind.value_kind,
                codes=dict(ind.codes or {}),
                kind="any",  # row kinds belong to templates; an indicator may be a sub-row in one, data in another
                parent=None,
                forms=_dedupe(forms),
            )
        )
    idx = TargetIndex(targets, None)
    _INDEX_CACHE[key] = idx
    return idx


def _dedupe(forms: list[tuple[LabelForms, bool]]) -> list[tuple[LabelForms, bool]]:
    seen: dict[str, int] = {}
    out: list[tuple[LabelForms, bool]] = []
    for f, is_alias in forms:
        if f.empty:
            continue
        if f.full in seen:
            k = seen[f.full]
            if out[k][1] and not is_alias:  # a label beats an alias with the same words
                out[k] = (f, False)
            continue
        seen[f.full] = len(out)
        out.append((f, is_alias))
    return out


# ----------------------------------------------------------------------------- document rows


@dataclass
class DocRow:
    index: int
    forms: LabelForms
    code: str | None
    raw_code: str
    unit_key: str
    kind: str  # data | section | subrow | header | empty
    value_text: str
    value_num: float | None
    numbers: frozenset[str] = frozenset()
    parent_idx: int | None = None  # document row this one sits under


def _own_code(raw: str | None) -> str | None:
    """A row's own code; a lone sub-row letter ("a)") is not one: such rows are placed under their parent."""
    code = normalize_code(raw)
    return None if code is not None and code_depth(code) == 9 else code


def _value_number(text: str) -> float | None:
    """The figure in a value cell ("12,5", "1.245", "03", "100%"), parsed the Vietnamese way."""
    t = text.strip().rstrip("%").strip()
    return parse_number(t) if t else None


def doc_rows(rows: Sequence[Row], exp: AbbreviationExpander) -> list[DocRow]:
    out: list[DocRow] = []
    stack: list[tuple[int, int]] = []  # (depth, index) of coded rows
    last_coded: int | None = None
    for i, row in enumerate(rows):
        raw_code = nfc(row.code.text if row.code else "")
        label = nfc(row.label.text if row.label else "")
        forms = label_forms(label, exp)
        code = _own_code(raw_code)
        value_text = ""
        for cell in (row.values or {}).values():
            if cell is not None and nfc(cell.text).strip():
                value_text = nfc(cell.text).strip()
                break
        unit_text = nfc(row.unit.text if row.unit else "")
        kind = row.kind or "data"
        plain_label = simplify(strip_accents(drop_parentheticals(clean_label(label))))
        if kind == "header" or plain_label in _HEADER_LABELS:
            kind = "header"
        elif forms.empty and not code:
            # OCR lost label and code: a figure can still be placed by position alone
            kind = "blank" if value_text else "empty"
        elif code:
            kind = "section" if kind == "section" else "data"
        else:
            declared = (
                kind == "subrow"
                or is_subrow_marker(raw_code)
                or bool(re.match(r"^\s*trong\s+đó", label, re.IGNORECASE))
            )
            if declared:
                kind = "subrow"
            elif last_coded is not None and kind == "data":
                kind = "subrow?"  # no code after coded rows: probably a sub-row, not certainly
        d = DocRow(
            index=i,
            forms=forms,
            code=code,
            raw_code=raw_code,
            unit_key=normalize_unit(unit_text),
            kind=kind,
            value_text=value_text,
            value_num=_value_number(value_text),
            numbers=_label_numbers(forms),
        )
        if kind in {"header", "empty"}:
            out.append(d)
            continue
        if code:
            depth = code_depth(code)
            while stack and stack[-1][0] >= depth:
                stack.pop()
            d.parent_idx = stack[-1][1] if stack else None
            stack.append((depth, i))
            last_coded = i
        else:
            d.parent_idx = last_coded
        out.append(d)
    return out


# ----------------------------------------------------------------------------- similarity


def _combined(queries: Sequence[str], choices: Sequence[str]) -> np.ndarray:
    """0.35·ratio + 0.35·token_sort + 0.30·token_set, all pairs (rapidfuzz `cdist`).

    `ratio` and `token_sort` see word-level differences, `token_set` forgives a
    label cut short or run on (a subset of the words); the blend keeps both.
    """
    if not queries or not choices:
        return np.zeros((len(queries), len(choices)), dtype=np.float32)
    kw: dict[str, Any] = {"dtype": np.float32, "workers": 1}
    r = cdist(queries, choices, scorer=fuzz.ratio, **kw)
    s = cdist(queries, choices, scorer=fuzz.token_sort_ratio, **kw)
    t = cdist(queries, choices, scorer=fuzz.token_set_ratio, **kw)
    return 0.35 * r + 0.35 * s + 0.30 * t


def _combined_one(q: str, c: str) -> float:
    return 0.35 * fuzz.ratio(q, c) + 0.35 * fuzz.token_sort_ratio(q, c) + 0.30 * fuzz.token_set_ratio(q, c)


class _Universe:
    """Every distinct de-accented label string of the catalog, for one `cdist` per document.

    Template detection scores a document against every template and matching
    then looks at one template and at all indicators: computing the similarity
    of the document's labels to all catalog strings once, and slicing it for
    each index, is what keeps a document under a second.
    """

    def __init__(self, indexes: list[TargetIndex]) -> None:
        cols: dict[str, int] = {}
        for idx in indexes:
            for p in idx.plain:
                cols.setdefault(p, len(cols))
        self.strings = list(cols)
        self.cols = cols
        self._cache: dict[tuple[str, ...], np.ndarray] = {}

    def sims(self, queries: tuple[str, ...]) -> np.ndarray:
        hit = self._cache.get(queries)
        if hit is None:
            hit = _combined(queries, self.strings)
            if len(self._cache) >= 8:
                self._cache.pop(next(iter(self._cache)))
            self._cache[queries] = hit
        return hit


_UNIVERSES: dict[object, _Universe] = {}


def _universe(catalog: Catalog) -> _Universe:
    key = _catalog_key(catalog)
    u = _UNIVERSES.get(key)
    if u is None:
        indexes = [template_index(catalog, tid) for tid in sorted(catalog.templates)]
        indexes.append(_global_index(catalog))
        u = _Universe(indexes)
        _UNIVERSES[key] = u
    return u


def label_matrix(
    docs: list[DocRow], idx: TargetIndex, catalog: Catalog, cfg: MatchSettings = DEFAULT
) -> tuple[np.ndarray, np.ndarray]:
    """(label similarity [n_docs × n_targets], best-came-from-an-alias flag).

    De-accented forms are compared against everything (one cached `cdist` per
    document); accented forms then refine the closest candidates, where the
    marks tell "sở" from "số".  Label = max(accented, de-accented − penalty).
    """
    n, m = len(docs), len(idx.targets)
    label = np.zeros((n, m), dtype=np.float32)
    from_alias = np.zeros((n, m), dtype=bool)
    q_acc: list[str] = []
    q_plain: list[str] = []
    q_owner: list[int] = []
    for i, d in enumerate(docs):
        if d.kind in {"header", "empty"} or d.forms.empty:
            continue
        for a, p in zip(d.forms.accented, d.forms.plain, strict=False):
            q_acc.append(a)
            q_plain.append(p)
            q_owner.append(i)
    if not q_acc or not idx.acc:
        return label, from_alias
    uni = _universe(catalog)
    uq = tuple(dict.fromkeys(q_plain))
    qpos = {q: k for k, q in enumerate(uq)}
    full = uni.sims(uq)
    cols = np.fromiter((uni.cols[p] for p in idx.plain), dtype=np.int64, count=len(idx.plain))
    sim = full[np.fromiter((qpos[q] for q in q_plain), dtype=np.int64, count=len(q_plain))][:, cols]
    sim = sim - cfg.deaccent_penalty
    # accented refinement of the closest strings
    k = min(cfg.accent_top_k, sim.shape[1])
    top = (
        np.argpartition(-sim, k - 1, axis=1)[:, :k]
        if k < sim.shape[1]
        else np.tile(np.arange(sim.shape[1]), (len(q_acc), 1))
    )
    for qi, row in enumerate(top):
        qa = q_acc[qi]
        for c in row:
            acc_score = _combined_one(qa, idx.acc[int(c)])
            if acc_score > sim[qi, c]:
                sim[qi, c] = acc_score
    q_owner_arr = np.asarray(q_owner)
    # reduce queries -> doc rows (max), then strings -> targets (max), tracking alias origin
    per_doc = np.full((n, sim.shape[1]), -1.0, dtype=np.float32)
    np.maximum.at(per_doc, q_owner_arr, sim)
    best = np.full((n, m), -1.0, dtype=np.float32)
    best_nonalias = np.full((n, m), -1.0, dtype=np.float32)
    np.maximum.at(best.T, idx.owner_arr, per_doc.T)
    non_alias_cols = ~idx.alias_arr
    if non_alias_cols.any():
        np.maximum.at(best_nonalias.T, idx.owner_arr[non_alias_cols], per_doc.T[non_alias_cols])
    label = np.clip(best, 0.0, 100.0)
    from_alias = best > best_nonalias + 1e-3
    return label, from_alias


# ----------------------------------------------------------------------------- features


def code_feature(code: str | None, t: _Target) -> float:
    if not code:
        return 0.5
    if t.code is None and t.printed_code is None:
        return 0.5
    if code == t.code or (t.printed_code and code == t.printed_code):
        return 1.0
    tc = t.code or ""
    if tc.startswith("PL") and "." in tc and code == tc.split(".", 1)[1]:
        return 1.0  # appendix-prefixed template code, document prints the bare number
    if t.printed_code and code.replace(".", "") == t.printed_code.replace(".", ""):
        return 0.8  # OCR dropped the inner dots ("21." for "2.1.")
    if tc and code.replace(".", "") == tc.replace(".", ""):
        return 0.8
    if code_parent(code) is not None and code_parent(code) == code_parent(tc):
        return 0.3  # a sibling: right block, wrong position
    return 0.0


def _section_feature(section: str | None, t: _Target) -> float:
    if section is None or t.code is None:
        return 0.5
    if t.parent == section:
        return 1.0
    if t.code.startswith(section + "."):
        return 0.75
    if t.parent is None:
        return 0.3
    return 0.0


def unit_feature(unit: str, t: _Target) -> float:
    if not unit or not t.unit_key:
        return 0.5
    if unit == t.unit_key:
        return 1.0
    if unit == "coded" or t.unit_key == "coded":
        return 0.0
    return 1.0 if fuzz.ratio(unit, t.unit_key) >= 85 else 0.0


def _kind_feature(d: DocRow, t: _Target) -> float:
    if t.kind == "any" or d.kind == "blank":
        return 1.0
    if d.kind == "subrow":
        return 1.0 if t.kind == "subrow" else 0.4
    if d.kind == "subrow?":
        return 1.0 if t.kind == "subrow" else 0.7
    if t.kind == "subrow":
        return 0.2  # the document printed a code: it is not an unnumbered sub-row
    return 1.0


def _value_feature(d: DocRow, t: _Target) -> float:
    """1 compatible, 0.5 nothing to judge, lower when the value cannot belong to this row."""
    v = d.value_num
    if not d.value_text or d.value_text in {"-", "–", "x", "X"}:
        return 0.5
    vk = t.value_kind
    if vk == "percent":
        if v is None:
            return 0.5
        return 1.0 if 0 <= v <= 100 else 0.0
    if vk == "coded":
        if v is None or not t.codes:
            return 0.5
        return 1.0 if v in set(t.codes.values()) else 0.2
    if vk == "section":
        return 0.8 if v is None else 0.2  # a heading row holds no figure (a plan number at most)
    if vk in {"count", "money"}:
        if v is None:
            return 0.5
        if v < 0:
            return 0.0
        return 1.0 if (vk == "money" or float(v).is_integer()) else 0.6
    return 1.0


_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)?")
# function words whose presence or absence says nothing about which indicator a row is
_STOPWORDS = frozenset("cac va cua da duoc trong tai theo voi cho nhung la cua ve tu den o bi hoac".split())


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(w for w in text.split() if w not in _STOPWORDS)


def _thresholds(words: tuple[str, ...]) -> np.ndarray:
    # a partner is the same word, or (3+ letters) one OCR slip away from it
    return np.array(
        [100.0 if len(w) <= 2 else 66.0 if len(w) == 3 else 60.0 for w in words], dtype=np.float32
    )


@lru_cache(maxsize=262144)
def _word_diff_one(doc: tuple[str, ...], tf: tuple[str, ...]) -> tuple[int, int, int]:
    if not doc or not tf:
        return (0, len(doc), len(tf)) if doc else (0, 0, len(tf))
    sim = cdist(doc, tf, scorer=fuzz.ratio, dtype=np.float32, workers=1)
    ud = int((sim.max(axis=1) < _thresholds(doc)).sum())
    ut = int((sim.max(axis=0) < _thresholds(tf)).sum())
    sub = min(ud, ut)
    return (sub, ud - sub, ut - sub)


def _word_diff(doc: tuple[str, ...], target_forms: list[tuple[str, ...]]) -> tuple[int, int, int]:
    """(substituted, extra, missing) content words between a row label and a target's best form.

    Similar strings that differ by whole words ("cấp bộ" / "cấp tỉnh", "Tỷ lệ hoàn
    thành kế hoạch" / "Kế hoạch") are different indicators; OCR slips inside
    words are not.  This is what a character-level ratio cannot tell apart.
    """
    best: tuple[int, int, int] | None = None
    for tf in target_forms:
        cand = _word_diff_one(doc, tf)
        if best is None or (3 * cand[0] + cand[1] + 0.5 * cand[2]) < (3 * best[0] + best[1] + 0.5 * best[2]):
            best = cand
    return best or (0, 0, 0)


def _label_numbers(forms: LabelForms) -> frozenset[str]:
    """Numbers written in a label ("mức độ 3", "năm 2015", "70%"): labels differing only there differ."""
    return frozenset(_NUMBER_RE.findall(forms.core))


def _numbers_feature(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 0.5
    if a == b:
        return 1.0
    if not a or not b:
        return 0.5  # one side omits the detail (or OCR lost it): no evidence either way
    return 0.0 if not (a & b) else 0.3


def _pair(
    d: DocRow,
    doc_tokens: tuple[str, ...],
    idx: TargetIndex,
    j: int,
    section: str | None,
    lab: float,
    cfg: MatchSettings,
) -> tuple[float, tuple[float, ...]]:
    """Score of row `d` against target `j` and the features behind it."""
    t = idx.targets[j]
    c = code_feature(d.code, t)
    s = _section_feature(section, t)
    u = unit_feature(d.unit_key, t)
    k = _kind_feature(d, t)
    v = _value_feature(d, t)
    nb = _numbers_feature(d.numbers, idx.numbers[j])
    sub, extra, miss = (0, 0, 0) if d.forms.empty else _word_diff(doc_tokens, idx.tokens[j])
    score = (
        lab
        + cfg.w_code * (c - 0.5)
        + cfg.w_section * (s - 0.5)
        + cfg.w_unit * (u - 0.5)
        + cfg.w_kind * (k - 1.0)
        + cfg.w_value * 2 * (min(v, 0.5) - 0.5)
        + cfg.w_numbers * 2 * (min(nb, 0.5) - 0.5)
        - cfg.w_subst * min(sub, 3)
        - cfg.w_extra * min(extra, 5)
        - cfg.w_missing * min(miss, 6)
    )
    return score, (lab, c, s, u, k, v, nb, sub, extra, miss)


def _pair_scores(
    docs: list[DocRow], idx: TargetIndex, label: np.ndarray, sections: list[str | None], cfg: MatchSettings
) -> tuple[np.ndarray, np.ndarray]:
    """Score (row, target) pairs without order: returns (score, features[n, m, F]).

    Only plausible pairs are scored in full — the closest labels and the
    targets whose code the row prints; the rest keep their label similarity
    minus `MatchSettings.far_penalty`, which keeps them out of the alignment and the top-5.
    """
    n, m = label.shape
    feats = np.zeros((n, m, len(_FEATURE_NAMES)), dtype=np.float32)
    feats[:, :, 0] = label
    feats[:, :, 1:7] = 0.5
    feats[:, :, 7] = 3.0
    score = (label - cfg.far_penalty).astype(np.float32)
    for i, d in enumerate(docs):
        if d.kind in {"header", "empty"}:
            score[i] = -cfg.far_penalty
            continue
        lab = label[i] if not d.forms.empty else np.full(m, cfg.blank_label, dtype=np.float32)
        near: set[int] = set()
        if d.forms.empty:
            near.update(range(m))  # nothing to rank by: code, unit and position decide
        elif m:
            k = min(cfg.pair_top_k, m)
            near.update(np.argpartition(-lab, k - 1)[:k].tolist() if k < m else range(m))
        near.update(idx.code_targets(d.code))
        doc_tokens = _tokens(d.forms.core_plain)
        for j in near:
            score[i, j], feats[i, j] = _pair(d, doc_tokens, idx, j, sections[i], float(lab[j]), cfg)
    return score, feats


def _align(score: np.ndarray, active: list[int], cfg: MatchSettings) -> dict[int, int]:
    """Monotone alignment of document rows to template rows maximising Σ(score − gain).

    Both sequences keep their printed order (a misnumbered block still sits
    where it belongs), so the best order-preserving assignment is evidence
    that string similarity alone does not give.
    """
    if not active or score.shape[1] == 0:
        return {}
    sub = score[active]
    n, m = sub.shape
    gain = np.where(sub >= cfg.align_floor, sub - cfg.align_gain, -math.inf)
    dp = np.zeros((n + 1, m + 1), dtype=np.float64)
    back = np.zeros((n + 1, m + 1), dtype=np.int8)  # 0 diag, 1 skip row, 2 skip target
    for i in range(1, n + 1):
        g = gain[i - 1]
        prev = dp[i - 1]
        row = dp[i]
        brow = back[i]
        row[0] = prev[0]
        brow[0] = 1
        for j in range(1, m + 1):
            diag = prev[j - 1] + g[j - 1]
            up = prev[j]
            left = row[j - 1]
            if diag >= up and diag >= left:
                row[j] = diag
                brow[j] = 0
            elif up >= left:
                row[j] = up
                brow[j] = 1
            else:
                row[j] = left
                brow[j] = 2
    out: dict[int, int] = {}
    i, j = n, m
    while i > 0 and j > 0:
        b = back[i, j]
        if b == 0:
            if gain[i - 1, j - 1] > -math.inf:
                out[active[i - 1]] = j - 1
            i, j = i - 1, j - 1
        elif b == 1:
            i -= 1
        else:
            j -= 1
    return out


def _order_features(n_docs: int, m: int, align: dict[int, int], active: list[int]) -> np.ndarray:
    """order[i, j]: 1 where the alignment put row i on target j, 0.5 where j lies between
    the targets of row i's nearest aligned neighbours (order-consistent), 0 elsewhere."""
    order = np.zeros((n_docs, m), dtype=np.float32)
    aligned_rows = sorted(align)
    for i in active:
        lo = max((align[r] for r in aligned_rows if r < i), default=-1)
        hi = min((align[r] for r in aligned_rows if r > i), default=m)
        if hi > lo + 1:
            order[i, lo + 1 : hi] = 0.5
        if i in align:
            order[i, align[i]] = 1.0
    return order


_JUNK_CHARS = set("`|_^~{}<>[]\\")


def _odd_value(d: DocRow, t: _Target) -> str | None:
    """A value cell that cannot be this row's figure whatever the row is: the reader's doing.

    Worth a person's look even when the row itself is matched with certainty.
    """
    v = d.value_text
    if t.value_kind == "coded" and t.codes:
        num = d.value_num
        if num is None and v and v.strip() not in {"-", "–"}:
            parsed = parse_value(v, codes=t.codes)  # an answer in words ("Có", "Đang làm") is its code
            if parsed.kind == "coded":
                return None
            if parsed.value_num is None:
                return "a coded answer outside the row's legend"
            num = parsed.value_num
        if num is not None and num not in set(t.codes.values()):
            return "a coded answer outside the row's legend"
        return None
    if not v or d.value_num is not None or v in {"-", "–", "x", "X"}:
        return None
    if t.value_kind in {"count", "percent", "money"} and (
        v == "%" or (t.unit_key and normalize_unit(v) == t.unit_key)
    ):
        return "the value cell holds the unit (columns shifted?)"
    if not any(ch.isdigit() for ch in v) and (len(v.strip()) <= 2 or any(ch in _JUNK_CHARS for ch in v)):
        return "unreadable value"
    return None


def _fill_gaps(align: dict[int, int], active: list[int], m: int) -> dict[int, int]:
    """Pair unaligned rows with the template rows between their aligned neighbours, in order,
    where the counts agree (a block whose words OCR destroyed keeps its place)."""
    fill: dict[int, int] = {}
    run: list[int] = []
    prev_t = -1
    for i in [*active, None]:
        if i is not None and i not in align:
            run.append(i)
            continue
        next_t = align[i] if i is not None else m
        if run and (prev_t >= 0 or next_t < m) and next_t - prev_t - 1 == len(run):
            fill.update({r: prev_t + 1 + k for k, r in enumerate(run)})
        run = []
        if i is not None:
            prev_t = align[i]
    return fill


# ----------------------------------------------------------------------------- decisions

_FEATURE_NAMES = ("label", "code", "section", "unit", "kind", "value", "numbers", "subst", "extra", "missing")


def _decide(
    d: DocRow,
    idx: TargetIndex,
    final: np.ndarray,
    feats: np.ndarray,
    order: np.ndarray | None,
    from_alias: np.ndarray,
    label_only_best: int | None,
    cfg: MatchSettings,
) -> MatchResult:
    res = MatchResult(row_index=d.index, template_id=idx.template_id)
    if d.kind in {"header", "empty"}:
        res.review_reason = "header row" if d.kind == "header" else "empty row"
        return res
    if d.kind == "blank" and order is None:
        res.match_method = MatchMethod.NONE
        res.needs_review = True
        res.review_reason = "no label and no code: nothing to match on"
        return res
    ranked = np.argsort(-final, kind="stable")[:12]
    cands: list[Candidate] = []
    cand_j: list[int] = []
    seen_codes: set[tuple[str, str | None]] = set()
    for j in ranked:
        t = idx.targets[int(j)]
        key = (t.indicator_id, t.code)
        if key in seen_codes:
            continue
        seen_codes.add(key)
        f = {name: round(float(feats[int(j), k]), 3) for k, name in enumerate(_FEATURE_NAMES)}
        if order is not None:
            f["order"] = float(order[int(j)])
        f["alias"] = float(bool(from_alias[int(j)]))
        f["raw"] = round(float(final[int(j)]), 2)
        cands.append(
            Candidate(
                indicator_id=t.indicator_id,
                code=t.code,
                label=t.label,
                score=round(float(np.clip(final[int(j)], 0, 100)), 2),
                features=f,
            )
        )
        cand_j.append(int(j))
        if len(cands) == 5:
            break
    res.candidates = cands
    if not cands:
        res.match_method = MatchMethod.NONE
        res.review_reason = "no candidate"
        return res
    top = cands[0]
    top_j = cand_j[0]
    runner = cands[1].features["raw"] if len(cands) > 1 else 0.0
    margin = top.features["raw"] - runner
    res.features = {**top.features, "margin": round(margin, 2)}
    res.match_score = top.score
    order_f = top.features.get("order", 0.0)
    code_sits = top.features["code"] >= 0.99 and order_f >= 0.5
    fragment = order_f >= 1.0 and (top.features["code"] >= 0.8 or len(_tokens(d.forms.core_plain)) <= 2)
    if top.score < cfg.none_score and (code_sits or fragment):
        # the words are unreadable (or a fragment), but the row sits exactly where the
        # template has this row: suggest it, for a person to confirm
        res.indicator_id, res.indicator_code, res.indicator_label = top.indicator_id, top.code, top.label
        res.match_method = MatchMethod.REVIEW
        res.needs_review = True
        how = "printed code and position" if code_sits else "position"
        res.review_reason = f"label unreadable (best {top.features['label']:.0f}); placed by {how}"
        return res
    if top.score < cfg.none_score:
        res.match_method = MatchMethod.NONE
        res.needs_review = bool(d.value_text)
        res.review_reason = f"no indicator resembles this row (best {top.score:.0f})"
        return res
    res.indicator_id = top.indicator_id
    res.indicator_code = top.code
    res.indicator_label = top.label
    lab = top.features["label"]
    reasons: list[str] = []
    if top.score < cfg.accept_score:
        reasons.append(f"weak evidence (score {top.score:.0f} < {cfg.accept_score:.0f})")
    if margin < cfg.min_margin:
        other = cands[1]
        reasons.append(f"close runner-up {other.code or other.indicator_id} ({other.score:.0f})")
    if d.forms.empty:
        reasons.append(
            "no label: placed by " + ("printed code and position" if d.code else "position") + " only"
        )
    code_f = top.features["code"]
    printed_agrees = code_f >= 0.99
    target_kind = idx.targets[top_j].value_kind
    odd_value = _odd_value(d, idx.targets[top_j])
    if odd_value:
        reasons.append(odd_value)
    if target_kind == "section" and d.value_num is not None:
        # a number on a heading row: usually a figure the table reader put one row too high
        reasons.append("a figure on a heading row")
    elif top.features.get("value", 0.5) < 0.3 and not (printed_agrees and lab >= cfg.same_label):
        # with words and code in agreement an odd value (a 100,8 %) is a data error for the
        # validation rules, not a doubt about the match
        reasons.append("value does not fit the indicator's kind")
    if reasons and top.score < cfg.accept_score:
        res.match_method = MatchMethod.REVIEW
    elif d.forms.empty:
        res.match_method = MatchMethod.CONTEXT  # no words: placed by code and position
    elif printed_agrees and lab >= cfg.same_label:
        res.match_method = MatchMethod.ALIAS if top.features["alias"] else MatchMethod.EXACT
    elif label_only_best is not None and label_only_best != top_j:
        res.match_method = MatchMethod.CONTEXT
    elif d.code and not printed_agrees and lab >= cfg.same_label:
        res.match_method = MatchMethod.CONTEXT  # words agree, printed code was wrong: corrected from position
    elif lab >= cfg.same_label:  # no printed code (a sub-row): the words and the position agree
        res.match_method = MatchMethod.ALIAS if top.features["alias"] else MatchMethod.EXACT
    else:
        res.match_method = MatchMethod.FUZZY
    if reasons:
        res.needs_review = True
        res.review_reason = "; ".join(reasons)
    return res


def _match(
    rows: Sequence[Row], catalog: Catalog, idx: TargetIndex, use_order: bool, cfg: MatchSettings
) -> list[MatchResult]:
    exp = catalog_expander(catalog)
    docs = doc_rows(rows, exp)
    label, from_alias = label_matrix(docs, idx, catalog, cfg)
    active = [d.index for d in docs if d.kind not in {"header", "empty"}]
    sections: list[str | None] = [
        (docs[d.parent_idx].code if d.parent_idx is not None else None) for d in docs
    ]
    score, feats = _pair_scores(docs, idx, label, sections, cfg)
    order = None
    if use_order and idx.targets:
        align = _align(score, active, cfg)
        # second pass: a row's section is its parent's *corrected* code where the parent was aligned
        sections = [
            (
                idx.targets[align[d.parent_idx]].code
                if d.parent_idx is not None and d.parent_idx in align
                else sections[d.index]
            )
            for d in docs
        ]
        score, feats = _pair_scores(docs, idx, label, sections, cfg)
        align = _align(score, active, cfg)
        order = _order_features(len(docs), len(idx.targets), align, active)
        for i, j in _fill_gaps(align, active, len(idx.targets)).items():
            # rows the alignment skipped, exactly as many as the template rows left between
            # their aligned neighbours: position is evidence (and all there is for a blank label)
            d = docs[i]
            lab = float(label[i, j]) if not d.forms.empty else cfg.blank_label
            score[i, j], feats[i, j] = _pair(d, _tokens(d.forms.core_plain), idx, j, sections[i], lab, cfg)
            order[i, j] = 1.0
        final = score + cfg.w_order * (order - 0.5)
    else:
        final = score
    results: list[MatchResult] = []
    for d in docs:
        if d.kind in {"header", "empty"} or not idx.targets:
            results.append(
                _decide(d, idx, np.zeros(len(idx.targets)), feats[d.index], None, from_alias[d.index], None, cfg)
            )
            continue
        label_best = int(np.argmax(label[d.index])) if not d.forms.empty else None
        if label_best is not None:
            # a tie on words is not a disagreement: only count a strictly better label elsewhere
            chosen = int(np.argmax(final[d.index]))
            if label[d.index, chosen] >= label[d.index, label_best] - 1e-3:
                label_best = chosen
        results.append(
            _decide(
                d,
                idx,
                final[d.index],
                feats[d.index],
                order[d.index] if order is not None else None,
                from_alias[d.index],
                label_best,
                cfg,
            )
        )
    _flag_duplicates(results)
    return results


def _flag_duplicates(results: list[MatchResult]) -> None:
    """Two rows of one document claiming the same template row: keep the stronger, flag the other."""
    by_code: dict[tuple[str | None, str | None], MatchResult] = {}
    for r in results:
        if r.indicator_id is None or r.indicator_code is None:
            continue
        key = (r.indicator_id, r.indicator_code)
        prev = by_code.get(key)
        if prev is None:
            by_code[key] = r
            continue
        weaker = r if r.match_score <= prev.match_score else prev
        if weaker is prev:
            by_code[key] = r
        weaker.needs_review = True
        reason = "another row of this document maps to the same template row"
        weaker.review_reason = f"{weaker.review_reason}; {reason}" if weaker.review_reason else reason


# ----------------------------------------------------------------------------- public API


def match_rows(
    rows: list[Row], catalog: Catalog, template_id: str | None, settings: MatchSettings = DEFAULT
) -> list[MatchResult]:
    """Match every row of one document (in printed order) to the catalog.

    With a `template_id` the rows are aligned to that template's rows; rows it
    cannot place well are also looked up among all indicators, and a clearly
    better indicator elsewhere is proposed for review.  Without one, every row
    is matched on its own against all indicators (labels and aliases).
    One result per input row, same order.
    """
    cfg = settings
    if template_id is None:
        return _match(rows, catalog, _global_index(catalog), use_order=False, cfg=cfg)
    results = _match(rows, catalog, template_index(catalog, template_id), use_order=True, cfg=cfg)
    # the same rows against every indicator: a row the template does not print
    # (or a wrong template) shows up as a closer label elsewhere in the catalog
    glob = _match(rows, catalog, _global_index(catalog), use_order=False, cfg=cfg)
    for k, (r, g) in enumerate(zip(results, glob, strict=True)):
        if not g.candidates or g.indicator_id is None:
            continue
        if r.match_method in {MatchMethod.REVIEW, MatchMethod.NONE} or r.indicator_id is None:
            # a better label elsewhere replaces a weak template guess, but a fragment ("Tổng",
            # "Số") resembles everything: its position in the template is worth more
            if g.match_score >= r.match_score + cfg.min_margin and _lexical(g.candidates[0].features, cfg) >= 80:
                g.row_index = k
                g.needs_review = True
                g.match_method = MatchMethod.REVIEW
                g.template_id = template_id
                g.indicator_code = None
                g.review_reason = f"not in template {template_id}; nearest indicator elsewhere in the catalog"
                g.candidates = _merge_candidates(g.candidates, r.candidates)
                results[k] = g
            continue
        if g.indicator_id == r.indicator_id or r.match_method == MatchMethod.NOT_ATTEMPTED:
            continue
        r_lex = _lexical(r.features, cfg)
        g_lex = _lexical(g.candidates[0].features, cfg)
        if g_lex >= r_lex + cfg.outside_margin:
            r.needs_review = True
            why = (
                f"closer indicator outside template {template_id}: {g.indicator_id} "
                f"(words {g_lex:.0f} vs {r_lex:.0f})"
            )
            r.review_reason = f"{r.review_reason}; {why}" if r.review_reason else why
            r.features["outside"] = round(g_lex - r_lex, 2)
            r.candidates = _merge_candidates(r.candidates[:1], [g.candidates[0]], r.candidates[1:])
    return results


def _lexical(f: dict[str, float], cfg: MatchSettings) -> float:
    """The words-only part of a candidate's score (label similarity minus word differences)."""
    return (
        f.get("label", 0.0)
        - cfg.w_subst * min(f.get("subst", 0.0), 3)
        - cfg.w_extra * min(f.get("extra", 0.0), 5)
        - cfg.w_missing * min(f.get("missing", 0.0), 6)
    )


def _merge_candidates(*lists: list[Candidate]) -> list[Candidate]:
    out: list[Candidate] = []
    seen: set[tuple[str, str | None]] = set()
    for lst in lists:
        for c in lst:
            key = (c.indicator_id, c.code)
            if key not in seen:
                seen.add(key)
                out.append(c)
    return out[:5]


def match_label(
    label: str, catalog: Catalog, unit: str | None = None, settings: MatchSettings = DEFAULT
) -> MatchResult:
    """Match one free-standing label or narrative phrase against all indicators."""
    from cchc.model import Cell

    row = Row(code=Cell(""), label=Cell(nfc(label)), unit=Cell(nfc(unit or "")), values={}, kind="data")
    res = _match([row], catalog, _global_index(catalog), use_order=False, cfg=settings)[0]
    res.row_index = None
    return res


def apply_match(value: Value, result: MatchResult) -> None:
    """Put a decision on a `Value` (what the pipeline writes out): its match and the matcher's doubt."""
    value.match = result.as_match()
    value.needs_review = result.needs_review
    value.review_reason = result.review_reason
