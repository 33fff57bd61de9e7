"""Dataset-wide columns analysts need, computed over all documents at write time.

Extraction works one document at a time; these columns need the whole
dataset (units, duplicate reports) or only tidy what was read (units of
measure, years, coded answers).  They are recomputed from the extracted
columns on every write, so an `--append` run keeps them consistent.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from cchc.core.units import Unit, unit_columns
from cchc.core.vntext import clean, fold_key, parse_codes
from indicator_catalog import Catalog

_TEXT_RANK = {"text": 0, "mixed": 1, "ocr": 2, "none": 3}
_STATUS_RANK = {"ok": 0, "partial": 1, "failed": 2}
_YEAR = re.compile(r"\b((?:19|20)\d{2})\b")
_LEGEND = re.compile(r"\w\s*[-–=]\s*\d+\b")  # "Không - 0 Có - 1": a coded-answer legend
_UNIT_SYNONYMS = {"tthc": "thủ tục", "thu tuc hanh chinh": "thủ tục", "ho so tthc": "hồ sơ"}


def enrich_documents(docs: list[dict[str, Any]], register: Sequence[Unit] | None
                     ) -> tuple[dict[str, list[Any]], list[dict[str, Any]]]:
    """Unit columns and `duplicate_of` for documents; and the unit register rows."""
    cols, units = unit_columns(docs, register)
    for d, uid in zip(docs, cols["unit_id"], strict=True):
        d["unit_id"] = uid
    cols["duplicate_of"] = duplicate_links(docs)
    return cols, units


def duplicate_links(docs: Sequence[dict[str, Any]]) -> list[str | None]:
    """doc_id of the copy to keep for a report that arrived twice (text PDF and its scan), else None.

    Same report = same unit and document number, and the same issue date (or,
    where a copy lacks the date, the same period) — numbers restart every
    year, dates do not; a scan of the appendix pages alone has the number and
    date but not the title that gives the period.  The copy kept is the one
    read best: status ok, then text layer over OCR, then more values.
    """
    groups: dict[tuple[Any, ...], list[int]] = {}
    for i, d in enumerate(docs):
        key = (d.get("unit_id"), _number_key(d.get("doc_number")))
        if d.get("status") != "failed" and all(key):
            groups.setdefault(key, []).append(i)
    out: list[str | None] = [None] * len(docs)
    for members in groups.values():
        kept: list[int] = []
        for i in sorted(members, key=lambda i: _copy_rank(docs[i])):
            first = next((k for k in kept if _same_report(docs[i], docs[k])), None)
            if first is None:
                kept.append(i)
            else:
                out[i] = docs[first]["doc_id"]
    return out


def _copy_rank(d: dict[str, Any]) -> tuple[Any, ...]:
    return (_STATUS_RANK.get(d.get("status") or "", 3), _TEXT_RANK.get(d.get("text_source") or "", 3),
            -(d.get("n_values") or 0), d.get("source_path") or "")


def _same_report(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a.get("issue_date") and b.get("issue_date"):
        return bool(a["issue_date"] == b["issue_date"])
    period_a, period_b = (a.get("period_type"), a.get("report_year")), (b.get("period_type"), b.get("report_year"))
    return all(period_a) and period_a == period_b


def _number_key(number: str | None) -> str | None:
    return re.sub(r"[^0-9A-Z/]", "", number.upper()) if number else None


def norm_unit(unit: str | None) -> str | None:
    """One spelling per unit of measure: "Hồ sơ"/"hồ sơ" → "hồ sơ", "_ Cơ quan, đơn vị" → "cơ quan, đơn vị".

    A coded-answer legend ("Không = 0 Có = 1") is not a unit: None.
    """
    if not unit or "=" in unit or len(_LEGEND.findall(unit)) >= 2:
        return None
    text = clean(unit).strip(" _-–—•*:;'\"“”‘’.")
    if not text or not any(c.isalpha() or c == "%" for c in text):
        return None
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        text = text[0].lower() + text[1:]
    return _UNIT_SYNONYMS.get(fold_key(text), text)


def year_of(column_label: str | None, column_role: str | None) -> int | None:
    """The year a multi-year grid column holds ("Năm 2016" → 2016; "Năm 2020 (tính đến 31/3)" → 2020)."""
    if not column_label or column_role not in ("year", None):
        return None
    m = _YEAR.search(column_label)
    return int(m.group(1)) if m else None


def enrich_values(values: list[dict[str, Any]], docs: Sequence[dict[str, Any]], doc_cols: dict[str, list[Any]],
                  catalog: Catalog) -> dict[str, list[Any]]:
    """Columns added to every value row (same order as `values`)."""
    by_doc = {d["doc_id"]: i for i, d in enumerate(docs)}
    cols: dict[str, list[Any]] = {k: [] for k in (
        "unit_id", "report_year", "period_type", "year", "year_source", "unit_norm", "value_decoded",
        "concept", "concept_level", "duplicate_of", "preferred")}
    for v in values:
        i = by_doc.get(v["doc_id"])
        d = docs[i] if i is not None else {}
        cols["unit_id"].append(doc_cols["unit_id"][i] if i is not None else None)
        cols["report_year"].append(d.get("report_year"))
        cols["period_type"].append(d.get("period_type"))
        col_year = year_of(v.get("column_label"), v.get("column_role"))
        cols["year"].append(col_year if col_year is not None else d.get("report_year"))
        cols["year_source"].append("column" if col_year is not None else ("report" if d.get("report_year") else None))
        cols["unit_norm"].append(norm_unit(v.get("unit")))
        cols["value_decoded"].append(decode(v, catalog))
        ind = catalog.indicators.get(v.get("indicator_id") or "")
        cols["concept"].append((ind.concept or ind.id) if ind else None)
        cols["concept_level"].append(ind.concept_level if ind else None)
        cols["duplicate_of"].append(doc_cols["duplicate_of"][i] if i is not None else None)
    cols["preferred"] = preferred_flags(values, cols["duplicate_of"])
    return cols


def decode(v: dict[str, Any], catalog: Catalog) -> str | None:
    """The answer a coded figure stands for ("Có" for 1 where the legend says Không = 0, Có = 1)."""
    if v.get("value_num") is None:
        return None
    codes: dict[str, int] = {}
    tid, code = v.get("template_id"), v.get("indicator_code")
    if tid in catalog.templates and code:
        row = catalog.template(tid).row(code)
        if row is not None and row.codes:
            codes = dict(row.codes)
    if not codes and v.get("indicator_id") in catalog.indicators:
        codes = dict(catalog.indicators[v["indicator_id"]].codes or {})
    if not codes:
        codes = parse_codes(v.get("unit"))
    if not codes:
        return None
    labels = [label for label, n in codes.items() if float(n) == float(v["value_num"])]
    return labels[0] if labels else None


def preferred_flags(values: Sequence[dict[str, Any]], duplicate_of: Sequence[str | None]) -> list[bool]:
    """True for the one figure to count per (document, indicator, column).

    When the appendix table and the running text both give a figure, the
    table's wins; then the one not flagged for review, then the surer match,
    then the earlier page.  Figures of a duplicate report and unmatched
    figures are never preferred.
    """
    best: dict[tuple[Any, ...], int] = {}
    for i, v in enumerate(values):
        if not v.get("indicator_id") or duplicate_of[i]:
            continue
        key = (v["doc_id"], v["indicator_id"], v.get("column_label") or "", v.get("column_role") or "actual")
        j = best.get(key)
        if j is None or _rank(v) < _rank(values[j]):
            best[key] = i
    chosen = set(best.values())
    return [i in chosen for i in range(len(values))]


def _rank(v: dict[str, Any]) -> tuple[Any, ...]:
    return (v.get("source") != "table", bool(v.get("needs_review")), v.get("value_num") is None
            and v.get("value_text") is None, -(v.get("match_score") or 0.0), v.get("page") or 0)
