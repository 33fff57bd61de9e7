"""The Python API: what a notebook calls instead of the command line.

    import cchc
    cchc.extract(["samples/text"], "outputs/demo")
    values = cchc.read_values("outputs/demo")            # preferred figures with unit and period
    cchc.catalog()                                       # one row per indicator

The same functions the CLI runs; nothing here prints or exits.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["extract", "read_values", "read_documents", "read_units", "catalog", "wide", "write_export",
           "missing_units"]

_DOC_COLUMNS = ["doc_id", "unit_name", "unit_level", "period_label", "issuer", "source_path", "text_source"]


def extract(inputs: str | Path | Iterable[str | Path], out: str | Path, *, append: bool = False,
            units: str | Path | None = None, **options: Any) -> Any:
    """Extract INPUTS (files, folders, ZIPs) into OUT; returns the run (documents, run_info).

    `options` are those of ExtractOptions (ocr, dpi, workers, executor, …);
    `append=True` adds to the dataset in OUT instead of replacing it; `units`
    is a unit register CSV.
    """
    from cchc.core.options import ExtractOptions
    from pipeline.run import run

    paths = (Path(inputs),) if isinstance(inputs, str | Path) else tuple(Path(p) for p in inputs)
    options.setdefault("workers", max(1, min(4, os.cpu_count() or 1)))
    opts = ExtractOptions(inputs=paths, out=Path(out), **options)
    return run(opts, append=append, units_register=Path(units) if units else None)


def read_documents(out: str | Path) -> pd.DataFrame:
    """documents.parquet: one row per distinct input file."""
    return pd.read_parquet(Path(out) / "documents.parquet")


def read_values(out: str | Path, *, preferred: bool = True, with_documents: bool = True) -> pd.DataFrame:
    """values/, by default only the one figure to count per document × indicator × column
    (no duplicate reports), joined to its document's unit and period columns."""
    values = pd.read_parquet(Path(out) / "values")
    if preferred:
        values = values[values["preferred"].fillna(False).astype(bool)]
    if with_documents:
        docs = read_documents(out)[_DOC_COLUMNS]
        values = values.merge(docs, on="doc_id", how="left")
    return values.reset_index(drop=True)


def read_units(out: str | Path) -> pd.DataFrame:
    """units.parquet: the reporting units (unit register) with their periods."""
    return pd.read_parquet(Path(out) / "units.parquet")


def missing_units(out: str | Path, expected_csv: str | Path, period: str | None = None) -> pd.DataFrame:
    """The units of `expected_csv` with no report in OUT (in `period`, e.g. "2021-H1")."""
    import pyarrow.parquet as pq

    from cchc.core.units import missing_units as missing
    from cchc.core.units import read_register

    units = pq.read_table(Path(out) / "units.parquet").to_pylist()
    rows = [{"unit_id": u.unit_id, "name": u.name, "level": u.level, "parent": u.parent}
            for u in missing(units, read_register(Path(expected_csv)), period)]
    return pd.DataFrame(rows, columns=["unit_id", "name", "level", "parent"])


def catalog(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The indicator catalog, one row per indicator (narrative-only ones included)."""
    from cchc.export import catalog_frame

    return catalog_frame(data_dir)


def wide(out: str | Path, by: str = "indicator") -> pd.DataFrame:
    """One row per unit × period, one column per indicator (by="concept": per concept)."""
    from cchc.export import wide_frame

    return wide_frame(Path(out), by=by).frame


def write_export(out: str | Path, fmt: str = "xlsx", to: str | Path | None = None, wide: bool = True) -> Path:
    """Write the wide (or long) export as xlsx, csv, parquet, or a DuckDB file; returns its path."""
    from cchc.export import export as do_export

    return do_export(Path(out), fmt, Path(to) if to else None, wide=wide)[0]
