"""Which catalog indicators are the two sides of an "x/y" (or "x trên tổng số y") and its rate.

The templates already say it: a "Tỷ lệ …" row's first count sub-row is the denominator, its second
the numerator (`validation_rules.rules_from_catalog`), and the hand-written rules add the dossier and
plan pairs.  The narrative reads "258/1.105 thủ tục, tỷ lệ 23,3%" with the same relations, so both
numbers get their indicators whenever the catalog has both.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from cchc.core.vntext import NUMBER_TEXT, parse_number


@dataclass(frozen=True)
class Ratio:
    """One "x/y" in a folded sentence (offsets local to it)."""

    x: tuple[int, int]
    y: tuple[int, int]
    x_num: float
    y_num: float


_NUM = rf"(?<![\w/.,:\-])(?:{NUMBER_TEXT})"
_RATIO = re.compile(rf"(?P<x>{_NUM})\s*/\s*(?P<y>{NUMBER_TEXT})(?![\w/:%]|[.,]\d)"
                    rf"|(?P<x2>{_NUM})(?![.,]\d)[^\d;.()%]{{0,40}}?\btren (?:tong so |tong )?(?P<y2>{NUMBER_TEXT})(?![\w/:%]|[.,]\d)"
                    # "27.615 hồ sơ/42.380 hồ sơ tiếp nhận": each side with its noun, the same one
                    rf"|(?P<x3>{_NUM})\s+(?P<noun>[^\W\d]+(?:\s+[^\W\d]+)?)\s*/\s*(?P<y3>{NUMBER_TEXT})\s+(?P=noun)(?!\w)")


def ratios(folded: str) -> list[Ratio]:
    out = []
    for m in _RATIO.finditer(folded):
        gx, gy = next((x, y) for x, y in (("x", "y"), ("x2", "y2"), ("x3", "y3")) if m.group(x))
        x, y = parse_number(m.group(gx)), parse_number(m.group(gy))
        if x is None or y is None or y == 0 or x > y:
            continue
        out.append(Ratio(m.span(gx), m.span(gy), x, y))
    return out


@functools.lru_cache(maxsize=1)
def triples() -> tuple[tuple[str, str, str], ...]:
    """(percent, numerator, denominator) for every rate the rules and the templates define."""
    from extractors import validation_rules as vr

    specs = list(vr.RULES)
    try:
        from indicator_catalog import load_catalog

        specs += vr.rules_from_catalog(load_catalog())
    except Exception:  # the catalog is optional here as in narrative._catalog
        pass
    seen = {(s.percent, s.parts[0], s.total) for s in specs
            if s.rule == vr.PERCENT_CONSISTENT and s.percent and len(s.parts) == 1}
    seen |= set(IMPLICIT_TRIPLES)
    return tuple(sorted((p, n, d) for p, n, d in seen if p))


# Rates whose template row has no count sub-rows, so no rule names their sides: the share of communes
# inspected is of all communes ("Có 12/19 xã đã được kiểm tra CCHC, đạt tỷ lệ 63,2%").
IMPLICIT_TRIPLES: tuple[tuple[str, str, str], ...] = (
    ("KT_TY_LE_UBND_XA", "KT_SO_UBND_XA", "DVHC_CAP_XA"),
)


@functools.lru_cache(maxsize=1)
def pairs() -> dict[str, str]:
    """numerator -> denominator, where a numerator has exactly one."""
    from extractors import validation_rules as vr

    dens: dict[str, set[str]] = {}
    for _p, n, d in triples():
        dens.setdefault(n, set()).add(d)
    for s in vr.RULES:
        if s.rule == vr.COMPLETED_LE_PLANNED and len(s.parts) == 1:
            dens.setdefault(s.parts[0], set()).add(s.total)
    return {n: next(iter(d)) for n, d in dens.items() if len(d) == 1}


def numerator_of(denominator: str) -> str | None:
    """The one numerator whose denominator is `denominator`, if only one is."""
    nums = {n for n, d in pairs().items() if d == denominator}
    return next(iter(nums)) if len(nums) == 1 else None


@functools.lru_cache(maxsize=256)
def numerators_of(denominator: str) -> frozenset[str]:
    """Every indicator the rules count as a part of `denominator` (all parts of a sum, every rate's numerator)."""
    from extractors import validation_rules as vr

    out = {n for _p, n, d in triples() if d == denominator}
    out |= {part for s in vr.RULES if s.rule == vr.COMPLETED_LE_PLANNED and s.total == denominator for part in s.parts}
    return frozenset(out)
