"""A short, human summary of an output folder (what `make demo` prints)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd


def summarize(out: Path) -> str:
    docs = pd.read_parquet(out / "documents.parquet")
    values = pd.read_parquet(out / "values")
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    lines = [f"Output: {out}  (pipeline {run['pipeline_version']}, catalog {run['catalog_version']},"
             f" {run['seconds']:.1f}s)", ""]
    lines.append("Documents")
    cols = ["file_name", "status", "text_source", "n_pages", "doc_number", "period_type", "report_year", "n_values"]
    with pd.option_context("display.width", 160, "display.max_colwidth", 40, "display.max_rows", 100):
        lines.append(docs[cols].to_string(index=False))
        failed = docs[docs.status != "ok"]
        if len(failed):
            lines += ["", "Not ok (why)"]
            lines += [f"  {r.file_name}: {r.status} — {r.error}" for r in failed.itertuples()]
        if (out / "units.parquet").exists():
            units = pd.read_parquet(out / "units.parquet")
            lines += ["", f"Units ({len(units)}): `cchc units {out}`"]
            lines += [f"  {u.unit_id:<28} {u.level or '-':<9} {u.n_documents} report(s)  {u.name}"
                      for u in units.itertuples()]
        lines += ["", f"Values: {len(values)} ({(values.source == 'table').sum()} table, "
                      f"{(values.source == 'narrative').sum()} narrative), "
                      f"{int(values.needs_review.sum())} flagged for review"]
        if len(values):
            sample = values[values.indicator_id.notna()].head(8)
            lines.append(sample[["file_name", "indicator_id", "raw_value", "value_num", "page",
                                 "match_method", "match_score"]].to_string(index=False))
    lines += ["", f"Read it:  pandas.read_parquet('{out}/values')  |  duckdb: SELECT * FROM '{out}/values/*.parquet'"]
    return "\n".join(lines)


def run_summary(documents: Sequence[Any], run_info: dict[str, Any], out: Path,
                expected: Sequence[Any] | None = None) -> tuple[str, bool, bool]:
    """What `cchc extract` tells the terminal: counts, the failed files by name and what to do next.

    Returns (text, every input failed, some input failed).
    """
    info = run_info
    by_status = ", ".join(f"{n} {s}" for s, n in info["files"]["by_status"].items()) or "no files"
    lines = [f"{info['files']['distinct']} file(s): {by_status}; "
             f"{info['values']['table']} table + {info['values']['narrative']} narrative values "
             f"({info['values']['needs_review']} to review), {info['validation_issues']} validation issue(s) "
             f"in {info['seconds']:.1f}s → {out}"]
    failed = [d for d in documents if d.status.value == "failed"]
    if failed:
        lines.append(f"failed ({len(failed)}):")
        lines += [f"  {d.source_path}: {d.error}" for d in failed[:20]]
        if len(failed) > 20:
            lines.append(f"  … and {len(failed) - 20} more (documents.parquet, status = 'failed')")
        lines.append(f"next: fix or replace these files, then `cchc extract FIXED_FILES --out {out} --append`")
    replaced = info.get("replaced") or {}
    if replaced.get("documents"):
        lines.append(f"replaced: {replaced['documents']} document(s) of the previous output are not in this run "
                     "(run.json \"replaced\"); use --append to add to a dataset instead")
    if info["values"]["needs_review"]:
        lines.append(f"next: `cchc review export {out} --format xlsx` for the figures to check")
    unmatched = [d for d in documents if d.metadata.issuer and info.get("units_register")
                 and d.status.value != "failed"]
    if unmatched:
        import pyarrow.parquet as pq

        rows = pq.read_table(Path(out) / "documents.parquet", columns=["source_path", "issuer", "unit_method"])
        lost = [r for r in rows.to_pylist() if r["unit_method"] == "unmatched"]
        if lost:
            lines.append(f"units: {len(lost)} issuer(s) match no unit of the register (add them to it): "
                         + "; ".join(f"{r['issuer']} ({r['source_path']})" for r in lost[:10]))
    if expected is not None:
        import pyarrow.parquet as pq

        from cchc.core.units import missing_units

        units = pq.read_table(Path(out) / "units.parquet").to_pylist()
        missing = missing_units(units, expected)
        lines.append(f"units: {len(expected) - len(missing)} of {len(expected)} expected have reported"
                     + ("; missing: " + ", ".join(f"{u.name} ({u.unit_id})" for u in missing) if missing else ""))
    return "\n".join(lines), bool(documents) and len(failed) == len(documents), bool(failed)


if __name__ == "__main__":
    print(summarize(Path(sys.argv[1] if len(sys.argv) > 1 else "outputs/demo")))
