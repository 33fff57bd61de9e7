"""`cchc report OUT`: the run report an analyst reads first, as one static HTML file.

Files by status with their reasons, values by template and page kind, the
review rate, the validation issues, and a few bar charts (inline SVG, so the
file opens anywhere, offline, with no script).  Built from the output's own
files only; `cchc review serve` shows the same page at /report.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape

from cchc.review import _atomic_write_bytes

REPORT_FILE = "report.html"


class ReportError(Exception):
    """The folder is not a cchc output; the message says what to give instead."""


def _env() -> Environment:
    return Environment(loader=PackageLoader("cchc.review_web", "templates"), autoescape=select_autoescape())


def report_data(out: Path) -> dict[str, Any]:
    """Everything the report shows, as plain lists and numbers (tests read this too)."""
    out = Path(out)
    if not (out / "documents.parquet").exists() or not (out / "values").is_dir():
        raise ReportError(f"{out} is not a cchc output (no documents.parquet or values/); "
                          "give the folder passed to `cchc extract --out`")
    docs = pd.read_parquet(out / "documents.parquet")
    values = pd.read_parquet(out / "values")
    issues_path = out / "validation_issues.parquet"
    issues = pd.read_parquet(issues_path) if issues_path.exists() else pd.DataFrame(
        columns=["file_name", "rule", "severity", "message", "page"])
    run = json.loads((out / "run.json").read_text(encoding="utf-8")) if (out / "run.json").exists() else {}

    by_status = docs["status"].value_counts().reindex(["ok", "partial", "failed"], fill_value=0)
    troubled = docs[(docs["status"] != "ok") | docs["warnings"].map(lambda w: len(w) > 0 if w is not None else False)]
    files = [{"file_name": r.file_name, "status": r.status, "error": r.error or "",
              "warnings": list(r.warnings) if r.warnings is not None else [], "source_path": r.source_path}
             for r in troubled.sort_values(["status", "file_name"]).itertuples()]

    n = len(values)
    flagged = int(values["needs_review"].sum()) if n else 0
    # decided by a steward (the matcher's own suggestions also carry match_method "review")
    reviewed = int((~values["needs_review"] & values["review_reason"].fillna("").str.startswith("steward:")).sum()
                   ) if n else 0
    reasons = (values.loc[values["needs_review"], "review_reason"].fillna("").map(_reason_kind)
               .value_counts().head(8)) if flagged else pd.Series(dtype=int)

    tmpl = values.assign(template_id=values["template_id"].fillna("(none)"))
    pivot = (tmpl.pivot_table(index="template_id", columns="text_source", values="doc_id", aggfunc="size",
                              fill_value=0) if n else pd.DataFrame())
    kinds = list(pivot.columns)
    by_template = [{"template_id": t, "counts": [int(pivot.loc[t, k]) for k in kinds], "total": int(pivot.loc[t].sum())}
                   for t in pivot.index]
    by_source = values["source"].value_counts().to_dict() if n else {}

    per_doc = []
    if n:
        g = values.groupby("file_name").agg(n=("doc_id", "size"), flagged=("needs_review", "sum"))
        per_doc = [{"label": f, "value": 100.0 * int(r["flagged"]) / int(r["n"]),
                    "text": f"{int(r['flagged'])}/{int(r['n'])}"}
                   for f, r in g.sort_values("flagged", ascending=False, kind="stable").iterrows()]

    return {
        "out": str(out),
        "run": run,
        "n_docs": len(docs),
        "by_status": [{"label": s, "value": int(c), "text": str(int(c))} for s, c in by_status.items()],
        "files": files,
        "n_values": n,
        "by_source": by_source,
        "flagged": flagged,
        "reviewed": reviewed,
        "review_rate": (100.0 * flagged / n) if n else 0.0,
        "reasons": [{"label": k or "(no reason)", "value": int(v), "text": str(int(v))} for k, v in reasons.items()],
        "kinds": kinds,
        "by_template": by_template,
        "template_bars": [{"label": t["template_id"], "value": t["total"], "text": str(t["total"])} for t in by_template],
        "per_doc": per_doc,
        "issues_by_rule": [{"label": k, "value": int(v), "text": str(int(v))}
                           for k, v in issues["rule"].value_counts().items()],
        "issues": issues.sort_values(["file_name", "page"]).to_dict("records"),
        "indicator": _indicator_across_units(values, docs),
    }


def _reason_kind(reason: str) -> str:
    """`tap_huan_buoi: a figure whose indicator is uncertain (perhaps X)` → `a figure whose indicator is uncertain`."""
    first = reason.split(";")[0]
    first = re.sub(r"^[a-z0-9_]+: ", "", first)
    return re.sub(r"\s*\(.*\)$", "", first).strip()


def _indicator_across_units(values: pd.DataFrame, docs: pd.DataFrame) -> dict[str, Any] | None:
    """The numeric indicator reported by the most documents, one bar per reporting unit."""
    if values.empty:
        return None
    v = values[values["indicator_id"].notna() & values["value_num"].notna() & ~values["needs_review"]]
    if "column_role" in v:
        v = v[v["column_role"].isna() | (v["column_role"] == "actual")]
    v = v[v["source"] == "table"] if (v["source"] == "table").any() else v
    if v.empty:
        return None
    spread = v.groupby("indicator_id")["doc_id"].nunique().sort_values(ascending=False, kind="stable")
    iid = spread.index[0]
    rows = v[v["indicator_id"] == iid].drop_duplicates("doc_id").merge(
        docs[["doc_id", "issuer", "period_label"]], on="doc_id", how="left")
    bars: list[dict[str, Any]] = []
    for r in rows.itertuples():
        who = r.issuer if isinstance(r.issuer, str) and r.issuer else r.file_name
        when = f" ({r.period_label})" if isinstance(r.period_label, str) and r.period_label else ""
        bars.append({"label": f"{who}{when}", "value": float(r.value_num), "text": f"{r.value_num:g}"})
    bars.sort(key=lambda b: -b["value"])
    return {"indicator_id": iid, "label": rows["indicator_label"].iloc[0], "bars": bars}


def bar_chart(items: list[dict[str, Any]], width: int = 560, unit: str = "") -> str:
    """A horizontal bar chart as inline SVG (labels left, bars scaled to the largest value)."""
    from markupsafe import Markup, escape

    if not items:
        return Markup("<p class='none'>nothing to chart</p>")
    row, label_w = 22, 240
    top = max((abs(i["value"]) for i in items), default=0) or 1
    bar_w = width - label_w - 70
    parts = [f'<svg class="chart" role="img" width="{width}" height="{row * len(items) + 6}" '
             f'viewBox="0 0 {width} {row * len(items) + 6}" xmlns="http://www.w3.org/2000/svg">']
    for n, item in enumerate(items):
        y = n * row + 3
        w = max(1.0, bar_w * abs(item["value"]) / top) if item["value"] else 0.0
        label = str(item["label"])
        short = label if len(label) <= 32 else label[:31] + "…"
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end"><title>{escape(label)}</title>'
                     f'{escape(short)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{row - 6}" class="bar"/>')
        parts.append(f'<text x="{label_w + w + 5:.1f}" y="{y + 14}">{escape(item["text"])}{escape(unit)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def build_report(out: Path, served: bool = False) -> str:
    """The report as one HTML string (CSS and charts inline)."""
    data = report_data(Path(out))
    env = _env()
    env.globals["bar_chart"] = bar_chart
    env.filters["pct"] = lambda x: "" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.1f} %"
    return env.get_template("report.html").render(served=served, **data)


def write_report(out: Path, to: Path | None = None) -> Path:
    """Write the report (default `OUT/report.html`) atomically; returns its path."""
    html = build_report(Path(out))
    target = Path(to) if to else Path(out) / REPORT_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    _atomic_write_bytes(target, html.encode("utf-8"))
    return target
