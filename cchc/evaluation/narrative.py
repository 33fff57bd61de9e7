"""Scoring narrative values: (indicator, value) multisets per document."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cchc.evaluation.common import NUM_TOLERANCE
from cchc.evaluation.normalise import as_number, as_text
from cchc.evaluation.prf import PRF
from cchc.evaluation.tables import pred_brief


@dataclass
class NarrativeMatch:
    prf: PRF
    unmatched: int
    right: list[bool]
    misses: list[dict[str, Any]]
    false_positives: list[dict[str, Any]]


def match_narrative(
    truth_rows: Sequence[Mapping[str, Any]], preds: Sequence[Mapping[str, Any]]
) -> NarrativeMatch:
    """(indicator_id, value_num) multiset matching for figures read from running text."""
    right = [False] * len(preds)
    pool: dict[str, list[int]] = defaultdict(list)
    unmatched = []
    for j, p in enumerate(preds):
        ind = as_text(p.get("indicator_id"))
        if ind:
            pool[ind].append(j)
        else:
            unmatched.append(j)
    prf = PRF()
    misses = []
    for t in truth_rows:
        ind, tv = t.get("indicator_id"), as_number(t.get("value_num"))
        cands = pool.get(str(ind), [])
        hit = next(
            (
                j
                for j in cands
                if tv is not None
                and (pv := as_number(preds[j].get("value_num"))) is not None
                and abs(pv - tv) <= NUM_TOLERANCE
            ),
            None,
        )
        if hit is None:
            prf.fn += 1
            misses.append(
                {
                    "source": "narrative",
                    "reason": "not_found",
                    "indicator_id": ind,
                    "expected": t.get("raw_value") if t.get("raw_value") is not None else tv,
                    "sentence": t.get("sentence"),
                }
            )
            continue
        cands.remove(hit)
        right[hit] = True
        prf.tp += 1
    fps = []
    for ind in sorted(pool):
        for j in pool[ind]:
            prf.fp += 1
            fps.append(
                {
                    "source": "narrative",
                    "reason": "no_such_figure",
                    **pred_brief(preds[j]),
                    "evidence": as_text(preds[j].get("evidence")),
                }
            )
    for j in unmatched:
        fps.append(
            {
                "source": "narrative",
                "reason": "unmatched",
                **pred_brief(preds[j]),
                "evidence": as_text(preds[j].get("evidence")),
            }
        )
    return NarrativeMatch(prf, len(unmatched), right, misses, fps)
