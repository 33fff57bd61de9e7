"""Scoring table values: truth codes resolved through the catalog, then one-to-one matching."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cchc.evaluation.common import CodeIndex
from cchc.evaluation.normalise import as_number, as_text, isna, norm_label, values_equal
from cchc.evaluation.prf import PRF
from cchc.evaluation.truth import TruthDoc


@dataclass
class TruthCell:
    """One truth table value with its code resolved to an indicator (None when unresolved)."""

    indicator_id: str | None
    code: str
    template_id: str | None
    column_label: str | None
    value_num: float | None
    value_text: str | None
    raw_value: str | None
    page: int | None


def resolve_table_truth(truth: TruthDoc, code_index: CodeIndex) -> list[TruthCell]:
    """Turn the truth's (template_id, code) keys into indicator IDs through the catalog."""
    cells = []
    for r in truth.table_values:
        tid = r.get("template_id") or truth.template_id
        code = str(r.get("code") or "").strip().rstrip(".")
        cells.append(
            TruthCell(
                indicator_id=code_index.get((tid, code)) if tid else None,
                code=code,
                template_id=tid,
                column_label=r.get("column_label"),
                value_num=as_number(r.get("value_num")),
                value_text=as_text(r.get("value_text"))
                if r.get("value_text") is not None or r.get("value_num") is not None
                else as_text(r.get("raw_value")),
                raw_value=as_text(r.get("raw_value")),
                page=r.get("page"),
            )
        )
    return cells


@dataclass
class TableMatch:
    """Per-document table scoring: counts plus which predictions were right."""

    prf: PRF
    located: int  # truth rows whose (indicator, column) was found, value right or not
    unmatched: int  # predicted rows with no indicator_id
    unresolved: int  # truth rows whose code the catalog does not know
    page_right: int  # true positives whose page agrees with the truth
    right: list[bool]  # per prediction (in input order)
    misses: list[dict[str, Any]]
    false_positives: list[dict[str, Any]]


def pred_brief(p: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "indicator_id": as_text(p.get("indicator_id")),
        "indicator_code": as_text(p.get("indicator_code")),
        "column_label": as_text(p.get("column_label")),
        "raw_label": as_text(p.get("raw_label")),
        "raw_value": as_text(p.get("raw_value")),
        "value_num": as_number(p.get("value_num")),
        "value_text": as_text(p.get("value_text")),
        "page": None if isna(p.get("page")) else p.get("page"),
        "needs_review": bool(p.get("needs_review") or False),
    }


def match_table(truth_cells: Sequence[TruthCell], preds: Sequence[Mapping[str, Any]]) -> TableMatch:
    """Match one document's predicted table values to its truth cells.

    Within each (indicator_id, column_label) group, predictions are paired
    with equal truth values first (true positives); leftover pairs in the
    group are "located" (row found, value misread); the rest are misses and
    false positives.
    """
    right = [False] * len(preds)
    tgroups: dict[tuple[str, str], list[int]] = defaultdict(list)
    unresolved_idx = []
    for i, c in enumerate(truth_cells):
        if c.indicator_id is None:
            unresolved_idx.append(i)
        else:
            tgroups[(c.indicator_id, norm_label(c.column_label))].append(i)
    pgroups: dict[tuple[str, str], list[int]] = defaultdict(list)
    unmatched_idx = []
    for j, p in enumerate(preds):
        ind = as_text(p.get("indicator_id"))
        if not ind:
            unmatched_idx.append(j)
        else:
            pgroups[(ind, norm_label(p.get("column_label")))].append(j)

    prf = PRF()
    located = page_right = 0
    misses: list[dict[str, Any]] = []
    fps: list[dict[str, Any]] = []
    for key in sorted(set(tgroups) | set(pgroups)):
        ti, pj = tgroups.get(key, []), list(pgroups.get(key, []))
        t_left = []
        for i in ti:
            c = truth_cells[i]
            hit = next(
                (
                    j
                    for j in pj
                    if values_equal(
                        c.value_num,
                        c.value_text,
                        preds[j].get("value_num"),
                        preds[j].get("value_text"),
                        preds[j].get("raw_value"),
                    )
                ),
                None,
            )
            if hit is None:
                t_left.append(i)
                continue
            pj.remove(hit)
            right[hit] = True
            prf.tp += 1
            located += 1
            p_page = preds[hit].get("page")
            if c.page is not None and as_number(p_page) is not None and as_number(p_page) == float(c.page):
                page_right += 1
        # leftover truth and predictions in the same group: row found, value wrong
        for k, i in enumerate(t_left):
            c = truth_cells[i]
            got = pred_brief(preds[pj[k]]) if k < len(pj) else None
            if got is not None:
                located += 1
            misses.append(
                {
                    "source": "table",
                    "reason": "wrong_value" if got is not None else "row_not_found",
                    "code": c.code,
                    "indicator_id": c.indicator_id,
                    "column_label": c.column_label,
                    "expected": c.raw_value
                    if c.raw_value is not None
                    else (c.value_num if c.value_num is not None else c.value_text),
                    "page": c.page,
                    "got": got,
                }
            )
        prf.fn += len(t_left)
        for k, j in enumerate(pj):
            prf.fp += 1
            fps.append(
                {
                    "source": "table",
                    "reason": "wrong_value" if k < len(t_left) else "no_such_row",
                    **pred_brief(preds[j]),
                }
            )
    for i in unresolved_idx:
        c = truth_cells[i]
        prf.fn += 1
        misses.append(
            {
                "source": "table",
                "reason": "unresolved_code",
                "code": c.code,
                "template_id": c.template_id,
                "column_label": c.column_label,
                "expected": c.raw_value,
                "page": c.page,
                "got": None,
            }
        )
    for j in unmatched_idx:
        fps.append({"source": "table", "reason": "unmatched", **pred_brief(preds[j])})
    return TableMatch(prf, located, len(unmatched_idx), len(unresolved_idx), page_right, right, misses, fps)
