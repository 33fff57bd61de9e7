"""`cchc export`: the dataset as analysts open it — wide sheets and a DuckDB file.

The wide view has one row per reporting unit and period and one column per
indicator (labels in a second header row), built from the `preferred` figures
only, so a cell never silently picks one of two readings: where two
documents of the same unit and period still disagree, the better-read one
wins and the disagreement is counted in the result.
"""

from __future__ import annotations

import csv
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

log = logging.getLogger("cchc")

FORMATS = ("xlsx", "csv", "parquet", "duckdb")
ROW_KEYS = ["unit_id", "unit_name", "unit_level", "period_type", "period_year"]
_TEXT_RANK = {"text": 0, "mixed": 1, "ocr": 2}

#: DuckDB views written by `export_duckdb`, documented in docs/data-dictionary.md
DUCKDB_VIEWS = {
    "figures": "values joined to their document (unit, period, file), preferred figures only, duplicates left out",
    "unit_periods": "one row per unit and period with the number of reports and figures",
    "concept_values": "preferred figures by catalog concept (same measure across levels) per unit and year",
}


@dataclass
class Wide:
    frame: pd.DataFrame  # ROW_KEYS + one column per indicator key
    labels: dict[str, str]  # column key -> label
    conflicts: int  # cells where two documents of the same unit and period gave different values


def read_tables(out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    out = Path(out)
    return pd.read_parquet(out / "documents.parquet"), pd.read_parquet(out / "values")


def wide_frame(out: Path, by: str = "indicator") -> Wide:
    """One row per unit × period, one column per indicator (or per concept with by="concept")."""
    docs, values = read_tables(out)
    v = values[values["preferred"].fillna(False).astype(bool) & values["indicator_id"].notna()].copy()
    v = v.merge(docs[["doc_id", "unit_name", "unit_level", "text_source", "file_name"]].rename(
        columns={"text_source": "doc_text_source", "file_name": "doc_file"}), on="doc_id", how="left")
    v["unit_id"] = v["unit_id"].fillna("?" + v["doc_file"].astype(str))
    v["unit_name"] = v["unit_name"].fillna("(unknown unit: " + v["doc_file"].astype(str) + ")")
    from_column = v["year_source"].eq("column")
    v["period_type"] = v["period_type"].where(~from_column, "Y").fillna("")
    v["period_year"] = v["year"].where(from_column, v["report_year"]).astype("Int64")
    if by == "concept":  # a province's report also gives its districts' rates: keep the unit's own level
        v = v[v["concept_level"].isna() | (v["concept_level"] == v["unit_level"])]
    key_col = "concept" if by == "concept" else "indicator_id"
    role = v["column_role"].where(v["column_role"].isin(["plan", "cumulative"]))
    v["key"] = v[key_col].where(role.isna(), v[key_col] + ":" + role.fillna(""))
    text = v["value_text"].where(~v["value_text"].fillna("").str.fullmatch(r"\s*[-–—.]+\s*"))  # "-": nothing to report
    v["cell"] = v["value_num"].astype(object).where(v["value_num"].notna(), text)
    v = v[v["cell"].notna()]
    v["_rank"] = list(zip(v["doc_text_source"].map(_TEXT_RANK).fillna(3), v["needs_review"].astype(bool),
                          -v["match_score"].fillna(0), v["doc_id"], strict=True))
    v = v.sort_values("_rank", kind="stable")
    keys = ROW_KEYS + ["key"]
    distinct = v.groupby(keys, dropna=False)["cell"].nunique()
    conflicts = int((distinct > 1).sum())
    if conflicts:
        log.warning("%d wide cell(s) were given different values (by two documents of the same unit and period, "
                    "or two indicators of one concept); the better-read, surer figure is kept", conflicts)
    first = v.drop_duplicates(keys, keep="first")
    frame = first.pivot(index=ROW_KEYS, columns="key", values="cell").reset_index()
    frame.columns.name = None
    ind_cols = sorted(c for c in frame.columns if c not in ROW_KEYS)
    frame = frame[ROW_KEYS + ind_cols].sort_values(["unit_id", "period_year", "period_type"]).reset_index(drop=True)
    for c in ind_cols:
        nums = pd.to_numeric(frame[c], errors="coerce")
        if nums.notna().sum() == frame[c].notna().sum():
            frame[c] = nums.astype("float64")
        else:
            frame[c] = frame[c].map(lambda x: None if x is None or (isinstance(x, float) and pd.isna(x)) else
                                    (f"{x:g}" if isinstance(x, float) else str(x))).astype("string")
    label_src = first.drop_duplicates("key").set_index("key")
    labels = {c: _label(c, label_src.loc[c], by) for c in ind_cols}
    labels.update({"unit_id": "Mã đơn vị", "unit_name": "Đơn vị", "unit_level": "Cấp",
                   "period_type": "Kỳ", "period_year": "Năm"})
    return Wide(frame, labels, conflicts)


def _label(key: str, row: pd.Series, by: str) -> str:
    label = str(row["indicator_label"]) if by != "concept" else str(row["concept"])
    return f"{label} ({key.split(':', 1)[1]})" if ":" in key else label


def export(out: Path, fmt: str, to: Path | None = None, wide: bool = True, by: str = "indicator") -> tuple[Path, int]:
    """Write the export; returns (file written, data rows)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    out = Path(out)
    if not (out / "documents.parquet").exists():
        raise FileNotFoundError(f"{out} is not a cchc output (no documents.parquet); run `cchc extract` first")
    if fmt == "duckdb":
        target = to or out / "cchc.duckdb"
        return export_duckdb(out, target), 0
    suffix = "wide" if wide else "values"
    target = to or out / f"{suffix}.{fmt}"
    if wide:
        w = wide_frame(out, by=by)
        frame, labels = w.frame, w.labels
    else:
        docs, values = read_tables(out)
        frame = long_frame(docs, values)
        labels = {}
    _atomic(target, lambda tmp: _WRITERS[fmt](frame, labels, tmp))
    return target, len(frame)


def long_frame(docs: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """The preferred figures joined to their document, one row each (the `figures` view as a table)."""
    v = values[values["preferred"].fillna(False).astype(bool)]
    cols = ["doc_id", "file_name", "unit_id", "report_year", "period_type", "year", "indicator_id",
            "indicator_code", "indicator_label", "concept", "concept_level", "column_label", "column_role",
            "value_num", "value_text", "value_decoded", "unit_norm", "source", "page", "needs_review",
            "match_score"]
    return v[cols].merge(docs[["doc_id", "unit_name", "unit_level", "period_label", "issuer"]], on="doc_id",
                         how="left").reset_index(drop=True)


def _write_xlsx(frame: pd.DataFrame, labels: dict[str, str], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "wide" if labels else "values"
    cols = list(frame.columns)
    ws.append(cols)
    if labels:
        ws.append([labels.get(c, c) for c in cols])
    for row in frame.itertuples(index=False):
        ws.append([_cell(x) for x in row])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = ws.cell(row=3 if labels else 2, column=len(ROW_KEYS) + 1 if labels else 1)
    wb.save(path)


def _write_csv(frame: pd.DataFrame, labels: dict[str, str], path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        cols = list(frame.columns)
        w.writerow(cols)
        if labels:
            w.writerow([labels.get(c, c) for c in cols])
        for row in frame.itertuples(index=False):
            w.writerow(["" if _cell(x) is None else _cell(x) for x in row])


def _write_parquet(frame: pd.DataFrame, labels: dict[str, str], path: Path) -> None:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    fields = [f.with_metadata({"label": labels.get(f.name, f.name)}) for f in table.schema]
    table = table.cast(pa.schema(fields, metadata=table.schema.metadata))
    pq.write_table(table, path, compression="zstd")


_WRITERS = {"xlsx": _write_xlsx, "csv": _write_csv, "parquet": _write_parquet}


def _cell(x: Any) -> Any:
    if x is None or (isinstance(x, float) and pd.isna(x)) or x is pd.NA:
        return None
    if isinstance(x, float) and x.is_integer():
        return int(x)
    return x.item() if hasattr(x, "item") else x


def catalog_frame(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The indicator catalog, one row per indicator (narrative-only ones included)."""
    from cchc.cli_catalog import INDICATOR_COLUMNS, indicator_records
    from indicator_catalog import load_catalog

    return pd.DataFrame(indicator_records(load_catalog(data_dir)), columns=INDICATOR_COLUMNS)


def export_duckdb(out: Path, target: Path) -> Path:
    """A DuckDB file with the output tables, the catalog, the wide table and the views in DUCKDB_VIEWS."""
    import duckdb


    out = Path(out).resolve()

    def build(tmp: Path) -> None:
        tmp.unlink(missing_ok=True)
        con = duckdb.connect(str(tmp))
        try:
            for name, path in (("documents", out / "documents.parquet"), ("values", out / "values" / "*.parquet"),
                               ("review_queue", out / "review_queue.parquet"),
                               ("validation_issues", out / "validation_issues.parquet"),
                               ("units", out / "units.parquet")):
                con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM read_parquet(?)', [str(path)])
            cat = catalog_frame()  # noqa: F841  (read by DuckDB's replacement scan)
            con.execute("CREATE TABLE indicators AS SELECT * FROM cat")
            wide = wide_frame(out).frame  # noqa: F841
            con.execute("CREATE TABLE wide AS SELECT * FROM wide")
            con.execute("""
                CREATE VIEW figures AS
                SELECT d.unit_id, d.unit_name, d.unit_level, v.report_year, v.period_type, v.year,
                       v.indicator_id, v.indicator_label, v.concept, v.concept_level, v.column_label,
                       v.column_role, v.value_num, v.value_text, v.value_decoded, v.unit_norm, v.source,
                       v.needs_review, d.file_name, v.page, v.doc_id
                FROM "values" v JOIN documents d USING (doc_id)
                WHERE v.preferred AND d.duplicate_of IS NULL""")
            con.execute("""
                CREATE VIEW unit_periods AS
                SELECT d.unit_id, any_value(d.unit_name) AS unit_name, d.report_year, d.period_type,
                       count(DISTINCT d.doc_id) AS n_reports,
                       count(v.doc_id) FILTER (WHERE v.preferred) AS n_figures
                FROM documents d LEFT JOIN "values" v USING (doc_id)
                WHERE d.duplicate_of IS NULL AND d.status <> 'failed'
                GROUP BY ALL""")
            con.execute("""
                CREATE VIEW concept_values AS
                SELECT unit_id, unit_name, unit_level, year, concept, concept_level, column_role,
                       value_num, indicator_id, file_name
                FROM figures""")
            for name, text in DUCKDB_VIEWS.items():
                con.execute(f"COMMENT ON VIEW {name} IS '{text}'")
        finally:
            con.close()

    _atomic(target, build)
    return target


def _atomic(target: Path, write: Any) -> None:
    """Write beside the target and rename over it; the file gets the umask's permissions."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
