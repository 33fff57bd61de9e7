"""Counting: true/false positives and negatives, and ratios that are None when undefined."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class PRF:
    """True positives, false positives, false negatives; the ratios are None when undefined."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __iadd__(self, o: PRF) -> PRF:
        self.tp += o.tp
        self.fp += o.fp
        self.fn += o.fn
        return self

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        if self.tp + self.fp + self.fn == 0:
            return None
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn)

    def as_dict(self) -> dict[str, Any]:
        return {
            "truth": self.tp + self.fn,
            "predicted": self.tp + self.fp,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


def ratio(num: int, den: int) -> float | None:
    return num / den if den else None
