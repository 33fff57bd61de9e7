"""The printed report of `cchc eval` and its JSON form."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from cchc.evaluation.normalise import jsonable


def _fmt(v: Any) -> str:
    if v is None:
        return "n/a"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def format_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Plain aligned columns: first column left-aligned, the rest right-aligned."""
    cells = [[str(h) for h in headers]] + [[_fmt(v) for v in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for n, r in enumerate(cells):
        parts = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True)]
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


#: (heading, report key, columns as (printed name, row key)) of the two precision/recall tables
_VALUE_TABLES = (
    ("TABLE VALUES by document kind", "tables",
     (("truth", "truth"), ("pred", "predicted"), ("tp", "tp"), ("fp", "fp"), ("fn", "fn"),
      ("precision", "precision"), ("recall", "recall"), ("f1", "f1"), ("row_located", "row_located_recall"),
      ("unmatched", "unmatched"), ("unresolved", "unresolved_codes"))),
    ("NARRATIVE VALUES by document kind", "narrative",
     (("truth", "truth"), ("pred", "predicted"), ("tp", "tp"), ("fp", "fp"), ("fn", "fn"),
      ("precision", "precision"), ("recall", "recall"), ("f1", "f1"), ("unmatched", "unmatched"))),
)


def _header(report: Mapping[str, Any]) -> list[str]:
    title = f"cchc eval: {report['n_truth_files']} truth files"
    if report.get("kind_filter"):
        title += f" (kind={report['kind_filter']})"
    out = [title]
    if report.get("catalog"):
        out.append(f"catalog: {report['catalog']}")
    out += [f"note: {n}" for n in report.get("notes", [])]
    return out


def _value_table(heading: str, by_kind: Mapping[str, Any], columns: Sequence[tuple[str, str]]) -> list[str]:
    headers = ["kind", "docs", *(name for name, _ in columns)]
    rows = [[k, r["documents"], *(r[key] for _, key in columns)] for k, r in by_kind.items()]
    return [f"\n{heading}", format_table(headers, rows)]


def _metadata_section(md: Mapping[str, Any]) -> list[str]:
    rows = [[f, r["n"], r["correct"], r["accuracy"]] for f, r in md["fields"].items()]
    rows.append(["overall", md["overall"]["n"], md["overall"]["correct"], md["overall"]["accuracy"]])
    return ["\nMETADATA by field (documents whose truth states the field)",
            format_table(["field", "n", "correct", "accuracy"], rows)]


def _accounting_section(b: Mapping[str, Any], a: Mapping[str, Any]) -> list[str]:
    return ["\nBAD INPUTS and accounting", format_table(["measure", "value"], [
        ["bad-input files", b["n"]],
        ["  status as expected", b["status_ok"]],
        ["  error text as expected", b["error_ok"]],
        ["  warning as expected", b["warning_ok"]],
        ["  share passed", b["share_passed"]],
        ["truth files in documents", f"{a['found']}/{a['n_truth_files']}"],
        ["every input accounted for", a["all_accounted"]],
        ["status accuracy (all files)", a["status_accuracy"]],
        ["documents without truth", len(a["documents_without_truth"])],
    ])]


def _calibration_section(c: Mapping[str, Any]) -> list[str]:
    return ["\nREVIEW CALIBRATION (table + narrative predictions)", format_table(["measure", "value"], [
        ["predicted rows", c["rows"]],
        ["flagged needs_review", c["flagged"]],
        ["flag rate", c["flag_rate"]],
        ["wrong rows", c["wrong"]],
        ["wrong rows flagged", c["wrong_flagged"]],
        ["flag recall on errors", c["flag_recall_on_errors"]],
        ["unflagged rows", c["unflagged"]],
        ["unflagged rows right", c["unflagged_right"]],
        ["unflagged precision", c["unflagged_precision"]],
    ])]


def _validation_section(v: Mapping[str, Any]) -> list[str]:
    rows: list[list[Any]] = [[r, x["planted"], x["found"], x["recall"]] for r, x in v["by_rule"].items()]
    rows.append(["overall", v["planted"], v["found"], v["recall"]])
    return ["\nVALIDATION ISSUES", format_table(["rule", "planted", "found", "recall"], rows),
            f"false alarms: {v['false_alarms']} issue(s) on {v['clean_documents_with_false_alarms']}"
            f"/{v['clean_documents']} documents whose truth lists none; "
            f"{v['extra_issues_on_planted_documents']} extra on documents with planted issues"]


def format_report(report: Mapping[str, Any], details: bool = False, max_details: int = 30) -> str:
    """The human-readable summary printed by `cchc eval`: one section per part of the report."""
    out = _header(report)
    for heading, key, columns in _VALUE_TABLES:
        out += _value_table(heading, report[key], columns)
    out += _metadata_section(report["metadata"])
    out += _accounting_section(report["bad_inputs"], report["accounted"])
    out += _calibration_section(report["review_calibration"])
    out += _validation_section(report["validation"])
    if report["accounted"]["missing"]:
        out.append("\nNOT ACCOUNTED FOR: " + ", ".join(report["accounted"]["missing"]))
    if details:
        out.append(_format_details(report, max_details))
    return "\n".join(out) + "\n"


def _format_details(report: Mapping[str, Any], cap: int) -> str:
    out = []
    sections = [
        ("MISSES (truth values not extracted right)", report["misses"]),
        ("FALSE POSITIVES (predicted values that are wrong)", report["false_positives"]),
        ("METADATA MISMATCHES", report["metadata_mismatches"]),
        ("VALIDATION MISSES AND FALSE ALARMS", report["validation_misses"]),
    ]
    for title, sec in sections:
        shown = sec["shown"][:cap]
        out.append(f"\n{title}: {sec['total']} (showing {len(shown)})")
        for it in shown:
            out.append("  " + _detail_line(it))
    bad = [r for r in report["bad_inputs"]["files"] if not r["passed"]]
    if bad:
        out.append(f"\nBAD-INPUT FAILURES: {len(bad)}")
        for r in bad[:cap]:
            out.append(
                f"  {r['file']}: status {r.get('status')!s} (expected {r.get('expected_status', '?')}), "
                f"error={r.get('error')!r}, warnings={r.get('warnings')}"
            )
    return "\n".join(out)


def _detail_line(it: Mapping[str, Any]) -> str:
    f = it.get("file", "?")
    src = it.get("source")
    reason = it.get("reason")
    if src == "table" and "code" in it:
        col = f" [{it['column_label']}]" if it.get("column_label") else ""
        got = it.get("got")
        g = f" got {got.get('raw_value')!r} (p{got.get('page')})" if got else ""
        return f"{f} p{it.get('page')}: {reason}: {it['code']}{col} -> {it.get('indicator_id')} expected {it.get('expected')!r}{g}"
    if src == "narrative" and "sentence" in it:
        return f"{f}: {reason}: {it.get('indicator_id')} expected {it.get('expected')!r} in {str(it.get('sentence'))[:80]!r}"
    if src in ("table", "narrative"):
        col = f" [{it['column_label']}]" if it.get("column_label") else ""
        flag = " (flagged)" if it.get("needs_review") else ""
        return (
            f"{f} p{it.get('page')}: {src} {reason}: {it.get('indicator_id')}{col} = {it.get('raw_value')!r}"
            f" label {str(it.get('raw_label'))[:50]!r}{flag}"
        )
    if "field" in it:
        return f"{f}: {it['field']}: expected {it.get('expected')!r}, got {it.get('got')!r}"
    return f"{f}: {reason}: {it.get('rule')} {it.get('indicator_ids')}"


def report_to_json(report: Mapping[str, Any]) -> str:
    """Stable, UTF-8-readable JSON (Vietnamese stays legible in the file)."""
    return json.dumps(report, ensure_ascii=False, indent=2, default=jsonable, sort_keys=False)
