"""Decide which catalog template a document's appendix follows, before matching rows.

Why first: rows are matched far more reliably against one template's rows in
order (codes, sections, sub-rows, misprints of that very form) than against
every indicator at once; and templates differ mainly in a few rows (the
ministry form has "Số luật, pháp lệnh", the district form has ISO rows 7.2.x),
so the decision has to weigh the whole grid, not one label.

Per template the score (0-100) combines:
- ``doc_coverage``  share of the document's rows whose label matches a row of
  the template (with a compatible printed code);
- ``tpl_coverage``  share of the template's rows found in the document (a
  short department form is a subset of the provincial one: this separates them);
- ``order``         how much of the matched sequence is in template order
  (longest increasing subsequence);
- ``codes``         share of matched rows printed with the template's own code
  (misprints included, which fingerprints a variant);
- ``level``         words of the title ("xã", "huyện", "tỉnh", "bộ", "sở") that
  agree with the template's level;
- ``columns``       multi-year value columns against templates that have them.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from cchc.core.model import Row
from cchc.core.vntext import level_hints
from matchers.match_features import code_feature, label_matrix, unit_feature
from matchers.match_targets import DocRow, TargetIndex, catalog_expander, doc_rows, template_index
from matchers.settings import DEFAULT, MatchSettings

if TYPE_CHECKING:
    from indicator_catalog import Catalog

__all__ = ["TemplateGuess", "detect_template"]

@dataclass
class TemplateGuess:
    """The chosen template (None: no template fits) with every template's score and its parts."""

    template_id: str | None
    score: float
    scores: dict[str, float] = field(default_factory=dict)
    parts: dict[str, dict[str, float]] = field(default_factory=dict)
    reason: str = ""


def _lis_length(seq: list[int]) -> int:
    tails: list[int] = []
    for x in seq:
        k = bisect.bisect_left(tails, x)
        if k == len(tails):
            tails.append(x)
        else:
            tails[k] = x
    return len(tails)


def _by_code_and_unit(d: DocRow, idx: TargetIndex, after: int) -> int | None:
    """The template row a label-less row's printed code (dots lost or not) and unit point to."""
    if not d.code:
        return None
    hits = [
        j
        for j in idx.code_targets(d.code)
        if (d.unit_key and unit_feature(d.unit_key, idx.targets[j]) == 1.0)
        or (not d.unit_key and idx.targets[j].kind == "section")
    ]
    later = [j for j in hits if j > after]
    pick = later or hits
    return pick[0] if pick else None


def detect_template(
    rows: Sequence[Row],
    catalog: Catalog,
    title: str | None = None,
    candidates: Sequence[str] | None = None,
    settings: MatchSettings = DEFAULT,
) -> TemplateGuess:
    """Score each catalog template against a document's rebuilt rows; pick the best.

    `title` is the appendix heading or the document title (level hints);
    `candidates` restricts the templates considered.  Returns
    `TemplateGuess(None, best_score, …)` when no template reaches
    `settings.min_template_score` (then match rows against all indicators).
    """
    exp = catalog_expander(catalog)
    docs = [
        d
        for d in doc_rows(list(rows), exp)
        if d.kind not in {"header", "empty"} and (d.code or not d.forms.empty)
    ]
    tids = list(candidates) if candidates is not None else sorted(catalog.templates)
    if not docs or not tids:
        return TemplateGuess(None, 0.0, reason="no labelled rows" if not docs else "no templates")
    hints = level_hints(title)
    multi_col = any(any(k is not None for k in (rows[d.index].values or {})) for d in docs)
    scores: dict[str, float] = {}
    parts: dict[str, dict[str, float]] = {}
    for tid in tids:
        idx = template_index(catalog, tid)
        if not idx.targets:
            continue
        label, _ = label_matrix(docs, idx, catalog, settings)
        found: list[int] = []
        weight = 0.0
        coded = 0
        code_hits = 0
        for i, d in enumerate(docs):
            row = label[i]
            # among the best-labelled template rows prefer one whose code agrees
            best = float(row.max())
            if best < settings.template_row_match:
                # words unreadable (a phone photo): a printed code whose unit agrees is weaker evidence
                j_code = _by_code_and_unit(d, idx, found[-1] if found else -1)
                if j_code is not None:
                    found.append(j_code)
                    weight += settings.code_only_weight
                    coded += 1
                    code_hits += code_feature(d.code, idx.targets[j_code]) >= 0.99
                continue
            near = np.flatnonzero(row >= best - 2.0)
            cf = [(code_feature(d.code, idx.targets[int(j)]), int(j)) for j in near]
            cf.sort(key=lambda x: (-x[0], x[1]))
            code_f, j = cf[0]
            if d.code and code_f < 0.3 and best < 99.0:
                continue  # same words, incompatible code, imperfect label: not evidence
            found.append(j)
            weight += 1.0
            if d.code:
                coded += 1
                code_hits += code_f >= 0.99
        n_doc = len(docs)
        doc_cov = weight / n_doc
        tpl_cov = len(set(found)) / len(idx.targets)
        order = _lis_length(found) / len(found) if found else 0.0
        codes = code_hits / coded if coded else 0.5
        tpl = catalog.template(tid)
        level = 1.0 if tpl.level in hints else (0.5 if not hints else 0.0)
        has_cols = bool(tpl.value_columns) or any(r.value_columns for r in tpl.rows)
        columns = 1.0 if multi_col == has_cols else 0.0
        p = {
            "doc_coverage": round(doc_cov, 4),
            "tpl_coverage": round(tpl_cov, 4),
            "order": round(order, 4),
            "codes": round(codes, 4),
            "level": level,
            "columns": columns,
        }
        total = 100.0 * (
            0.40 * doc_cov + 0.22 * tpl_cov + 0.13 * order + 0.13 * codes + 0.07 * level + 0.05 * columns
        )
        # a grid that shares almost nothing with the template cannot be saved by level/columns
        total *= min(1.0, doc_cov / 0.3)
        scores[tid] = round(total, 2)
        parts[tid] = p
    if not scores:
        return TemplateGuess(None, 0.0, reason="no template has rows")
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    best_id, best = ranked[0]
    runner = ranked[1] if len(ranked) > 1 else None
    why = f"best {best_id} {best:.1f}" + (f", runner-up {runner[0]} {runner[1]:.1f}" if runner else "")
    if hints:
        why += f"; title names level(s) {', '.join(sorted(hints))}"
    if best < settings.min_template_score:
        return TemplateGuess(None, best, scores, parts, reason=f"no template fits ({why})")
    return TemplateGuess(best_id, best, scores, parts, reason=why)
