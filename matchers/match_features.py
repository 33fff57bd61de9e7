"""The evidence for one (document row, target row) pair: label similarity over all label forms, code, section,
unit, row kind, value and the numbers written in a label; each feature scored 0-1 so the decision can weigh
them (weights in `matchers.settings.MatchSettings`)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from cchc.core.vntext import (
    code_parent,
)
from extractors.numbers import parse_value
from matchers.match_targets import (
    DocRow,
    Target,
    TargetIndex,
    catalog_key,
    global_index,
    template_index,
    tokens,
)
from matchers.normalize import (
    normalize_unit,
)
from matchers.settings import DEFAULT, MatchSettings

if TYPE_CHECKING:  # the catalog is duck-typed: see docs/catalog-api.md
    from indicator_catalog import Catalog


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
    key = catalog_key(catalog)
    u = _UNIVERSES.get(key)
    if u is None:
        indexes = [template_index(catalog, tid) for tid in sorted(catalog.templates)]
        indexes.append(global_index(catalog))
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


def code_feature(code: str | None, t: Target) -> float:
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


def _section_feature(section: str | None, t: Target) -> float:
    if section is None or t.code is None:
        return 0.5
    if t.parent == section:
        return 1.0
    if t.code.startswith(section + "."):
        return 0.75
    if t.parent is None:
        return 0.3
    return 0.0


def unit_feature(unit: str, t: Target) -> float:
    if not unit or not t.unit_key:
        return 0.5
    if unit == t.unit_key:
        return 1.0
    if unit == "coded" or t.unit_key == "coded":
        return 0.0
    return 1.0 if fuzz.ratio(unit, t.unit_key) >= 85 else 0.0


def _kind_feature(d: DocRow, t: Target) -> float:
    if t.kind == "any" or d.kind == "blank":
        return 1.0
    if d.kind == "subrow":
        return 1.0 if t.kind == "subrow" else 0.4
    if d.kind == "subrow?":
        return 1.0 if t.kind == "subrow" else 0.7
    if t.kind == "subrow":
        return 0.2  # the document printed a code: it is not an unnumbered sub-row
    return 1.0


def _value_feature(d: DocRow, t: Target) -> float:
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


def _numbers_feature(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 0.5
    if a == b:
        return 1.0
    if not a or not b:
        return 0.5  # one side omits the detail (or OCR lost it): no evidence either way
    return 0.0 if not (a & b) else 0.3


def pair(
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


def pair_scores(
    docs: list[DocRow], idx: TargetIndex, label: np.ndarray, sections: list[str | None], cfg: MatchSettings
) -> tuple[np.ndarray, np.ndarray]:
    """Score (row, target) pairs without order: returns (score, features[n, m, F]).

    Only plausible pairs are scored in full — the closest labels and the
    targets whose code the row prints; the rest keep their label similarity
    minus `MatchSettings.far_penalty`, which keeps them out of the alignment and the top-5.
    """
    n, m = label.shape
    feats = np.zeros((n, m, len(FEATURE_NAMES)), dtype=np.float32)
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
        doc_tokens = tokens(d.forms.core_plain)
        for j in near:
            score[i, j], feats[i, j] = pair(d, doc_tokens, idx, j, sections[i], float(lab[j]), cfg)
    return score, feats


_JUNK_CHARS = set("`|_^~{}<>[]\\")


def odd_value_reason(d: DocRow, t: Target) -> str | None:
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


FEATURE_NAMES = ("label", "code", "section", "unit", "kind", "value", "numbers", "subst", "extra", "missing")

