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
W3C reconciliation candidates (`cchc.core.model.Candidate`), the method that
decided, and `needs_review` when the evidence is weak or the runner-up is
close.  Thresholds and weights are one `matchers.settings.MatchSettings` (`settings=`),
calibrated in `tests/test_matching_calibration.py`.

The parts live by concern: `matchers.match_targets` (what is matched: target
rows per template or catalog, the document's rows), `matchers.match_features`
(the per-pair evidence), `matchers.match_order` (the alignment) and this
module (the decision per row and the public API).  Template detection
(`matchers.template_detect`) scores whole templates with the same targets and
features.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from cchc.core.model import Candidate, Match, MatchMethod, Row, Value
from cchc.core.vntext import (
    nfc,
)
from matchers.match_features import FEATURE_NAMES, label_matrix, odd_value_reason, pair, pair_scores
from matchers.match_order import align_rows, fill_gaps, order_features
from matchers.match_targets import (
    DocRow,
    TargetIndex,
    catalog_expander,
    doc_rows,
    global_index,
    template_index,
    tokens,
)
from matchers.settings import DEFAULT, MatchSettings

if TYPE_CHECKING:  # the catalog is duck-typed: see docs/catalog-api.md
    from indicator_catalog import Catalog

__all__ = [
    "MatchResult",
    "match_rows",
    "match_label",
    "apply_match",
]


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
        f = {name: round(float(feats[int(j), k]), 3) for k, name in enumerate(FEATURE_NAMES)}
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
    fragment = order_f >= 1.0 and (top.features["code"] >= 0.8 or len(tokens(d.forms.core_plain)) <= 2)
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
    odd_value = odd_value_reason(d, idx.targets[top_j])
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
    score, feats = pair_scores(docs, idx, label, sections, cfg)
    order = None
    if use_order and idx.targets:
        align = align_rows(score, active, cfg)
        # second pass: a row's section is its parent's *corrected* code where the parent was aligned
        sections = [
            (
                idx.targets[align[d.parent_idx]].code
                if d.parent_idx is not None and d.parent_idx in align
                else sections[d.index]
            )
            for d in docs
        ]
        score, feats = pair_scores(docs, idx, label, sections, cfg)
        align = align_rows(score, active, cfg)
        order = order_features(len(docs), len(idx.targets), align, active)
        for i, j in fill_gaps(align, active, len(idx.targets)).items():
            # rows the alignment skipped, exactly as many as the template rows left between
            # their aligned neighbours: position is evidence (and all there is for a blank label)
            d = docs[i]
            lab = float(label[i, j]) if not d.forms.empty else cfg.blank_label
            score[i, j], feats[i, j] = pair(d, tokens(d.forms.core_plain), idx, j, sections[i], lab, cfg)
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
        return _match(rows, catalog, global_index(catalog), use_order=False, cfg=cfg)
    results = _match(rows, catalog, template_index(catalog, template_id), use_order=True, cfg=cfg)
    # the same rows against every indicator: a row the template does not print
    # (or a wrong template) shows up as a closer label elsewhere in the catalog
    glob = _match(rows, catalog, global_index(catalog), use_order=False, cfg=cfg)
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
    from cchc.core.model import Cell

    row = Row(code=Cell(""), label=Cell(nfc(label)), unit=Cell(nfc(unit or "")), values={}, kind="data")
    res = _match([row], catalog, global_index(catalog), use_order=False, cfg=settings)[0]
    res.row_index = None
    return res


def apply_match(value: Value, result: MatchResult) -> None:
    """Put a decision on a `Value` (what the pipeline writes out): its match and the matcher's doubt."""
    value.match = result.as_match()
    value.needs_review = result.needs_review
    value.review_reason = result.review_reason

