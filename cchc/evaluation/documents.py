"""Scoring per document: metadata fields, the expected status/error/warning, planted validation issues."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cchc.evaluation.common import METADATA_FIELDS
from cchc.evaluation.normalise import as_text, isna, jsonable, norm_metadata
from cchc.evaluation.truth import TruthDoc


def score_metadata(
    truth_meta: Mapping[str, Any], doc: Mapping[str, Any] | None
) -> dict[str, tuple[bool, Any, Any]]:
    """Per stated field: (correct, expected, got). Fields the truth leaves null are not scored."""
    out: dict[str, tuple[bool, Any, Any]] = {}
    for f in METADATA_FIELDS:
        exp = norm_metadata(f, truth_meta.get(f))
        if exp is None:
            continue
        got = norm_metadata(f, doc.get(f)) if doc is not None else None
        if f == "signed" and got is None and doc is not None:
            got = False
        out[f] = (got == exp, truth_meta.get(f), None if doc is None else jsonable(doc.get(f)))
    return out


def score_status(truth: TruthDoc, doc: Mapping[str, Any] | None) -> dict[str, Any]:
    """Did the file end with the expected status, error and warning?"""
    if doc is None:
        return {"found": False, "status_ok": False, "error_ok": False, "warning_ok": False, "passed": False}
    status = str(doc.get("status") or "")
    error = str(doc.get("error") or "") if not isna(doc.get("error")) else ""
    warnings = doc.get("warnings")
    warns = [] if warnings is None or isinstance(warnings, float) else [str(w) for w in list(warnings)]
    status_ok = status == truth.expected_status
    error_ok = not truth.expected_error_contains or truth.expected_error_contains.lower() in error.lower()
    warning_ok = not truth.expected_warning_contains or any(
        truth.expected_warning_contains.lower() in w.lower() for w in warns
    )
    return {
        "found": True,
        "status": status,
        "expected_status": truth.expected_status,
        "error": error or None,
        "warnings": warns,
        "status_ok": status_ok,
        "error_ok": error_ok,
        "warning_ok": warning_ok,
        "passed": status_ok and error_ok and warning_ok,
    }


def as_id_list(v: Any) -> list[str]:
    if v is None or (not isinstance(v, list | tuple | str) and isna(v)):
        return []
    if isinstance(v, str):
        s = v.strip()
        if s.startswith("["):
            try:
                return [str(x) for x in json.loads(s)]
            except json.JSONDecodeError:
                pass
        return [x.strip() for x in s.split(",") if x.strip()]
    return [str(x) for x in list(v)]


@dataclass
class IssueMatch:
    found: list[bool]  # per planted issue
    extra: list[dict[str, Any]]  # predicted issues matching no planted one


def match_issues(planted: Sequence[Mapping[str, Any]], predicted: Sequence[Mapping[str, Any]]) -> IssueMatch:
    """A planted issue is found by a predicted issue with the same rule and overlapping indicators."""
    used = [False] * len(predicted)
    found = []
    for pl in planted:
        rule, ids = pl.get("rule"), set(as_id_list(pl.get("indicator_ids")))
        hit = None
        for j, pr in enumerate(predicted):
            if used[j] or pr.get("rule") != rule:
                continue
            pids = set(as_id_list(pr.get("indicator_ids")))
            if not ids or ids & pids:
                hit = j
                break
        if hit is not None:
            used[hit] = True
        found.append(hit is not None)
    extra = [
        {
            "rule": pr.get("rule"),
            "indicator_ids": as_id_list(pr.get("indicator_ids")),
            "message": as_text(pr.get("message")),
        }
        for j, pr in enumerate(predicted)
        if not used[j]
    ]
    return IssueMatch(found, extra)
