"""The order feature: a monotone alignment of the document's rows to the template's (a misnumbered block keeps
its order, so agreeing with the alignment is evidence), and gaps between two aligned rows filled in order."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from matchers.settings import MatchSettings

if TYPE_CHECKING:  # the catalog is duck-typed: see docs/catalog-api.md
    pass



def align_rows(score: np.ndarray, active: list[int], cfg: MatchSettings) -> dict[int, int]:
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


def order_features(n_docs: int, m: int, align: dict[int, int], active: list[int]) -> np.ndarray:
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


def fill_gaps(align: dict[int, int], active: list[int], m: int) -> dict[int, int]:
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

