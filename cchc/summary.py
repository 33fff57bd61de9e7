"""A short, human summary of an output folder (what `make demo` prints)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

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
        lines += ["", f"Values: {len(values)} ({(values.source == 'table').sum()} table, "
                      f"{(values.source == 'narrative').sum()} narrative), "
                      f"{int(values.needs_review.sum())} flagged for review"]
        if len(values):
            sample = values[values.indicator_id.notna()].head(8)
            lines.append(sample[["file_name", "indicator_id", "raw_value", "value_num", "page",
                                 "match_method", "match_score"]].to_string(index=False))
    lines += ["", f"Read it:  pandas.read_parquet('{out}/values')  |  duckdb: SELECT * FROM '{out}/values/*.parquet'"]
    return "\n".join(lines)


if __name__ == "__main__":
    print(summarize(Path(sys.argv[1] if len(sys.argv) > 1 else "outputs/demo")))
