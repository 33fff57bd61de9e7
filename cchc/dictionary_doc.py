"""docs/data-dictionary.md from the data dictionary, the Parquet schemas and the export views.

An app-layer module: it reads the writer's schemas and the export's views, so it
cannot live in cchc/core/dictionary.py, which the writer itself imports.
"""

from __future__ import annotations

from cchc.core.dictionary import TABLES
from cchc.export import DUCKDB_VIEWS, ROW_KEYS
from pipeline.writer import SCHEMAS


def render_markdown() -> str:
    """docs/data-dictionary.md (regenerate with `python -m cchc.dictionary_doc > docs/data-dictionary.md`)."""
    lines = ["# Data dictionary", "",
             "Every column of every table `cchc extract` writes. The same text is stored as each Parquet",
             "field's `description` metadata (`pyarrow.parquet.read_schema(path).field(name).metadata`).",
             "Generated from `cchc/core/dictionary.py` by `python -m cchc.dictionary_doc`; a test keeps it in step.", ""]
    for name, (title, cols) in TABLES.items():
        schema = SCHEMAS[name]
        lines += [f"## {title}", "", "| column | type | meaning |", "|---|---|---|"]
        for f in schema:
            lines.append(f"| {f.name} | {f.type} | {cols[f.name]} |")
        lines.append("")
    lines += ["## Exports (`cchc export OUT`)", "",
              "- `--wide --format xlsx|csv|parquet`: one row per unit and period; the first columns are "
              f"{', '.join(f'`{k}`' for k in ROW_KEYS)} (period_type `Y` and period_year = the column's year for "
              "multi-year grids), then one column per indicator ID (`ID:plan` / `ID:cumulative` for plan and "
              "cumulative columns; `--by concept`: one per concept). xlsx and csv carry the labels in a second "
              "header row (`pandas.read_csv(f, skiprows=[1])`); Parquet in each field's `label` metadata. "
              "Only `preferred` figures; dashes are empty cells.",
              "- `--long`: one row per preferred figure, joined to its document's unit and period.",
              "- `--format duckdb`: a database file with the tables documents, values, units, review_queue, "
              "validation_issues, indicators (the catalog, one row per indicator) and wide, and these views:", ""]
    lines += [f"  - `{name}`: {text}" for name, text in DUCKDB_VIEWS.items()]
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(render_markdown(), end="")
