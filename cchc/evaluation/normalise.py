"""Comparable forms of truth and predicted values: the equality every scorer uses."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd

from cchc.core.vntext import clean, nfc
from cchc.evaluation.common import NUM_TOLERANCE


def norm_text(s: Any) -> str | None:
    """NFC + casefold + collapsed whitespace, so OCR/export spacing never decides a score."""
    if s is None or isna(s):
        return None
    return clean(s).casefold()


def norm_label(s: Any) -> str:
    """Column labels: None and "" both mean the single "Số liệu" column."""
    return norm_text(s) or ""


def isna(x: Any) -> bool:
    try:
        return bool(pd.isna(x)) if not isinstance(x, list | tuple | dict) else False
    except (TypeError, ValueError):
        return False


def as_number(x: Any) -> float | None:
    if x is None or isna(x):
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def as_text(x: Any) -> str | None:
    if x is None or isna(x):
        return None
    return nfc(str(x))


def values_equal(
    truth_num: Any, truth_text: Any, pred_num: Any, pred_text: Any, pred_raw: Any = None
) -> bool:
    """The truth-format's equality: numbers within 1e-6, otherwise normalised text.

    A prediction with neither a number nor a value_text falls back to its raw
    value (so a `-` cell kept only as raw_value still counts as `-`).
    """
    tn, pn = as_number(truth_num), as_number(pred_num)
    if tn is not None and pn is not None:
        return abs(tn - pn) <= NUM_TOLERANCE
    tt = norm_text(truth_text)
    pt = norm_text(pred_text)
    if pt is None and pn is None:
        pt = norm_text(pred_raw)
    if tn is None and tt is not None and pt is not None:
        return tt == pt
    return False


def norm_metadata(field_name: str, v: Any) -> Any:
    """Comparable form of one metadata field (dates as ISO, years as int, strings normalised)."""
    if v is None or isna(v):
        return None
    if field_name == "issue_date":
        if isinstance(v, dt.datetime):
            return v.date().isoformat()
        if isinstance(v, dt.date):
            return v.isoformat()
        try:
            return pd.Timestamp(v).date().isoformat()
        except (ValueError, TypeError):
            return norm_text(v)
    if field_name == "report_year":
        try:
            return int(v)
        except (TypeError, ValueError):
            return norm_text(v)
    if field_name == "signed":
        if isinstance(v, str):
            return v.strip().lower() in {"true", "1", "yes"}
        return bool(v)
    if field_name == "period_type":
        return str(v).strip().upper()
    t = norm_text(v)
    if t is None:
        return None
    t = t.strip(" .,;:")
    if field_name == "doc_number":
        t = t.replace(" ", "")
    return t



def jsonable(v: Any) -> Any:
    if v is None or (not isinstance(v, list | tuple | dict | str) and isna(v)):
        return None
    if isinstance(v, dt.date | pd.Timestamp):
        return v.isoformat()
    if hasattr(v, "item") and not isinstance(v, list | tuple | dict | str):
        try:
            return v.item()
        except (ValueError, AttributeError):
            pass
    if hasattr(v, "tolist"):
        return v.tolist()
    return v
