"""Write the dataset: Parquet files per the output contract, swapped in atomically.

Everything is first written to a sibling temporary folder and only then moved
into place, so a run killed half-way leaves the previous output readable
(`DIR.previous` is restored on the next start if the kill fell between the
two renames).  Column types are fixed by explicit Arrow schemas so that
pandas, pyarrow, DuckDB and Polars all read the same thing whatever the data.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from cchc.core.model import Document, Value
from cchc.core.units import Unit
from indicator_catalog import Catalog

DOCUMENTS_SCHEMA = pa.schema(
    [
        ("doc_id", pa.string()),
        ("source_path", pa.string()),
        ("other_paths", pa.list_(pa.string())),
        ("file_name", pa.string()),
        ("status", pa.string()),
        ("error", pa.string()),
        ("warnings", pa.list_(pa.string())),
        ("n_pages", pa.int32()),
        ("text_source", pa.string()),
        ("doc_number", pa.string()),
        ("issuer", pa.string()),
        ("issue_date", pa.date32()),
        ("period_label", pa.string()),
        ("period_type", pa.string()),
        ("report_year", pa.int32()),
        ("signed", pa.bool_()),
        ("signer", pa.string()),
        # additions beyond the contract
        ("file_kind", pa.string()),
        ("template_id", pa.string()),
        ("template_score", pa.float64()),
        ("title", pa.string()),
        ("n_values", pa.int32()),
        ("pages_text", pa.int32()),
        ("pages_ocr", pa.int32()),
        ("pages_repaired", pa.int32()),
        ("seconds", pa.float64()),
        ("ocr_engine_seconds", pa.float64()),
        ("pipeline_version", pa.string()),
        ("catalog_version", pa.string()),
        ("source_path_bytes", pa.binary()),  # raw bytes of a source_path that is not valid UTF-8 (shown escaped)
        # dataset-wide columns (pipeline/enrich.py, cchc/core/units.py)
        ("unit_id", pa.string()),
        ("unit_name", pa.string()),
        ("unit_level", pa.string()),
        ("unit_parent", pa.string()),
        ("unit_method", pa.string()),
        ("unit_score", pa.float64()),
        ("duplicate_of", pa.string()),
    ]
)

VALUES_SCHEMA = pa.schema(
    [
        ("doc_id", pa.string()),
        ("file_name", pa.string()),
        ("source", pa.string()),
        ("indicator_id", pa.string()),
        ("indicator_code", pa.string()),
        ("indicator_label", pa.string()),
        ("raw_code", pa.string()),
        ("raw_label", pa.string()),
        ("raw_value", pa.string()),
        ("value_num", pa.float64()),
        ("value_text", pa.string()),
        ("unit", pa.string()),
        ("column_label", pa.string()),
        ("page", pa.int32()),
        ("bbox", pa.list_(pa.float64(), 4)),
        ("text_source", pa.string()),
        ("column_role", pa.string()),
        ("match_score", pa.float64()),
        ("match_method", pa.string()),
        ("needs_review", pa.bool_()),
        ("evidence", pa.string()),
        # additions beyond the contract
        ("template_id", pa.string()),
        ("review_reason", pa.string()),
        ("extractor", pa.string()),
        ("ocr_confidence", pa.float64()),
        ("match_features", pa.string()),  # JSON object: the features behind match_score
        ("catalog_version", pa.string()),
        # dataset-wide columns (pipeline/enrich.py)
        ("unit_id", pa.string()),
        ("report_year", pa.int32()),
        ("period_type", pa.string()),
        ("year", pa.int32()),
        ("year_source", pa.string()),
        ("unit_norm", pa.string()),
        ("value_decoded", pa.string()),
        ("concept", pa.string()),
        ("concept_level", pa.string()),
        ("duplicate_of", pa.string()),
        ("preferred", pa.bool_()),
    ]
)

REVIEW_SCHEMA = pa.schema(
    [
        ("doc_id", pa.string()),
        ("file_name", pa.string()),
        ("source_path", pa.string()),
        ("page", pa.int32()),
        ("bbox", pa.list_(pa.float64(), 4)),
        ("source", pa.string()),
        ("raw_code", pa.string()),
        ("raw_label", pa.string()),
        ("raw_value", pa.string()),
        ("column_label", pa.string()),
        ("indicator_id", pa.string()),
        ("indicator_code", pa.string()),
        ("indicator_label", pa.string()),
        ("match_score", pa.float64()),
        ("match_method", pa.string()),
        ("review_reason", pa.string()),
        (
            "candidates",
            pa.list_(
                pa.struct(
                    [
                        ("indicator_id", pa.string()),
                        ("code", pa.string()),
                        ("label", pa.string()),
                        ("score", pa.float64()),
                        ("features", pa.string()),
                    ]
                )
            ),
        ),
        ("row_key", pa.string()),  # stable key of the value row, used by `cchc review apply`
        ("duplicate_of", pa.string()),
    ]
)

ISSUES_SCHEMA = pa.schema(
    [
        ("doc_id", pa.string()),
        ("file_name", pa.string()),
        ("rule", pa.string()),
        ("severity", pa.string()),
        ("message", pa.string()),
        ("indicator_ids", pa.list_(pa.string())),
        ("figures", pa.string()),  # JSON object indicator_id -> value
        ("page", pa.int32()),
        ("duplicate_of", pa.string()),
    ]
)

UNITS_SCHEMA = pa.schema(
    [
        ("unit_id", pa.string()),
        ("name", pa.string()),
        ("level", pa.string()),
        ("parent", pa.string()),
        ("aliases", pa.list_(pa.string())),
        ("source", pa.string()),
        ("n_documents", pa.int32()),
        ("periods", pa.list_(pa.string())),
    ]
)


def _described(schema: pa.Schema, table: str) -> pa.Schema:
    """Each field carries its data-dictionary text as `description` metadata."""
    from cchc.core.dictionary import describe

    return pa.schema([f.with_metadata({"description": describe(table, f.name)}) for f in schema],
                     metadata={"table": table})


DOCUMENTS_SCHEMA = _described(DOCUMENTS_SCHEMA, "documents")
VALUES_SCHEMA = _described(VALUES_SCHEMA, "values")
REVIEW_SCHEMA = _described(REVIEW_SCHEMA, "review_queue")
ISSUES_SCHEMA = _described(ISSUES_SCHEMA, "validation_issues")
UNITS_SCHEMA = _described(UNITS_SCHEMA, "units")
SCHEMAS = {"documents": DOCUMENTS_SCHEMA, "values": VALUES_SCHEMA, "review_queue": REVIEW_SCHEMA,
           "validation_issues": ISSUES_SCHEMA, "units": UNITS_SCHEMA}

VALUES_PART_ROWS = 250_000
REGISTER_FILE = "units_register.csv"


def value_row_key(doc: Document, v: Value) -> str:
    """Stable identity of a figure across runs: document, where it sits, what it is."""
    return "|".join(
        [doc.doc_id, v.source, str(v.page), v.raw_code or "", v.raw_label, v.column_label or "", v.extractor or ""]
    )


def document_record(doc: Document, pipeline_version: str, catalog_version: str) -> dict[str, Any]:
    m = doc.metadata
    origins = [p.origin.value for p in doc.pages]
    return {
        "doc_id": doc.doc_id,
        "source_path": doc.source_path,
        "other_paths": list(doc.other_paths),
        "file_name": doc.file_name,
        "status": doc.status.value,
        "error": doc.error,
        "warnings": list(doc.warnings),
        "n_pages": doc.n_pages,
        "text_source": doc.text_source,
        "doc_number": m.doc_number,
        "issuer": m.issuer,
        "issue_date": m.issue_date,
        "period_label": m.period_label,
        "period_type": m.period_type,
        "report_year": m.report_year,
        "signed": bool(m.signed),
        "signer": m.signer,
        "file_kind": str(doc.kind),
        "template_id": doc.template_id,
        "template_score": doc.template_score,
        "title": m.title,
        "n_values": len(doc.values),
        "pages_text": origins.count("text"),
        "pages_ocr": origins.count("ocr"),
        "pages_repaired": origins.count("repaired"),
        "seconds": round(sum(doc.stage_seconds.values()), 4),
        "ocr_engine_seconds": doc.ocr_engine_seconds,
        "pipeline_version": pipeline_version,
        "catalog_version": catalog_version,
        "source_path_bytes": getattr(doc, "source_path_bytes", None),
    }


def value_record(doc: Document, v: Value, catalog_version: str) -> dict[str, Any]:
    m = v.match  # one object, spread over the columns of the same names
    return {
        "doc_id": doc.doc_id,
        "file_name": doc.file_name,
        "source": v.source,
        "indicator_id": m.indicator_id,
        "indicator_code": m.indicator_code,
        "indicator_label": m.indicator_label,
        "raw_code": v.raw_code,
        "raw_label": v.raw_label,
        "raw_value": v.raw_value,
        "value_num": v.value_num,
        "value_text": v.value_text,
        "unit": v.unit,
        "column_label": v.column_label,
        "page": v.page,
        "bbox": [float(x) for x in v.bbox] if v.bbox else None,
        "text_source": v.text_source.value,
        "column_role": v.column_role,
        "match_score": float(m.match_score),
        "match_method": m.match_method,
        "needs_review": bool(v.needs_review),
        "evidence": v.evidence,
        "template_id": m.template_id,
        "review_reason": v.review_reason,
        "extractor": v.extractor,
        "ocr_confidence": v.ocr_confidence,
        "match_features": json.dumps(m.features, ensure_ascii=False, sort_keys=True) if m.features else None,
        "catalog_version": catalog_version,
    }


def review_record(doc: Document, v: Value) -> dict[str, Any]:
    m = v.match  # one object, spread over the columns of the same names
    return {
        "doc_id": doc.doc_id,
        "file_name": doc.file_name,
        "source_path": doc.source_path,
        "page": v.page,
        "bbox": [float(x) for x in v.bbox] if v.bbox else None,
        "source": v.source,
        "raw_code": v.raw_code,
        "raw_label": v.raw_label,
        "raw_value": v.raw_value,
        "column_label": v.column_label,
        "indicator_id": m.indicator_id,
        "indicator_code": m.indicator_code,
        "indicator_label": m.indicator_label,
        "match_score": float(m.match_score),
        "match_method": m.match_method,
        "review_reason": v.review_reason,
        "candidates": [
            {
                "indicator_id": c.indicator_id,
                "code": c.code,
                "label": c.label,
                "score": float(c.score),
                "features": json.dumps(c.features, ensure_ascii=False, sort_keys=True),
            }
            for c in m.candidates[:5]
        ],
        "row_key": value_row_key(doc, v),
    }


def issue_records(doc: Document) -> list[dict[str, Any]]:
    return [
        {
            "doc_id": doc.doc_id,
            "file_name": doc.file_name,
            "rule": i.rule,
            "severity": i.severity,
            "message": i.message,
            "indicator_ids": list(i.indicator_ids),
            "figures": json.dumps(i.figures, ensure_ascii=False, sort_keys=True),
            "page": i.page,
        }
        for i in doc.issues
    ]


def write_outputs(
    out: Path,
    documents: Sequence[Document],
    run_info: dict[str, Any],
    pipeline_version: str,
    catalog_version: str,
    keep: Sequence[str] = (),
    append: bool = False,
    register: Sequence[Unit] | None = None,
    catalog: Catalog | None = None,
    register_csv: Path | None = None,
) -> None:
    """Write every output file into a temp folder, then swap it in for `out`.

    `keep` names entries of an existing `out` (e.g. a steward decisions store
    or the resume cache) that are moved over into the new output.  With
    `append`, the documents of the existing output stay and these are added
    (a document already there, by doc_id, is replaced by its new reading).
    Files and folders get the permissions the user's umask gives (0644/0755
    under 0022), not mkdtemp's private 0700.
    """
    from indicator_catalog import load_catalog
    from pipeline.enrich import enrich_documents, enrich_values

    out = out.resolve()
    recover_interrupted_swap(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    moved: list[str] = []
    try:
        docs = sorted(documents, key=lambda d: d.source_path)
        doc_rows = [document_record(d, pipeline_version, catalog_version) for d in docs]
        value_rows = [value_record(d, v, catalog_version) for d in docs for v in d.values]
        review_rows = [review_record(d, v) for d in docs for v in d.values if v.needs_review]
        issue_rows = [r for d in docs for r in issue_records(d)]
        if append:
            doc_rows, value_rows, review_rows, issue_rows = _with_previous(out, doc_rows, value_rows, review_rows,
                                                                           issue_rows)
            run_info = {**run_info, "history": _history(out) + [_run_entry(run_info, documents)]}
        else:
            run_info = {**run_info, "history": [_run_entry(run_info, documents)]}
        doc_cols, unit_rows = enrich_documents(doc_rows, register)
        _set_columns(doc_rows, doc_cols)
        _set_columns(value_rows, enrich_values(value_rows, doc_rows, doc_cols, catalog or load_catalog()))
        duplicates = dict(zip([r["doc_id"] for r in doc_rows], doc_cols["duplicate_of"], strict=True))
        for r in (*review_rows, *issue_rows):  # a report read twice: its warnings are not new ones
            r["duplicate_of"] = duplicates.get(r["doc_id"])
        _write_table(tmp / "documents.parquet", doc_rows, DOCUMENTS_SCHEMA)
        (tmp / "values").mkdir()
        for i in range(0, max(len(value_rows), 1), VALUES_PART_ROWS):
            _write_table(tmp / "values" / f"part-{i // VALUES_PART_ROWS:05d}.parquet",
                         value_rows[i : i + VALUES_PART_ROWS], VALUES_SCHEMA)
        _write_table(tmp / "review_queue.parquet", review_rows, REVIEW_SCHEMA)
        _write_table(tmp / "validation_issues.parquet", issue_rows, ISSUES_SCHEMA)
        _write_table(tmp / "units.parquet", unit_rows, UNITS_SCHEMA)
        if register_csv is not None:  # kept with the output so later (--append) runs match the same units
            shutil.copyfile(register_csv, tmp / REGISTER_FILE)
        (tmp / "run.json").write_text(json.dumps(run_info, ensure_ascii=False, indent=2, default=str) + "\n",
                                      encoding="utf-8")
        _fsync_tree(tmp)
        moved = [name for name in keep if (out / name).exists()]
        for name in moved:  # a rename, not a copy: caches can be large
            (out / name).rename(tmp / name)
        _apply_umask(tmp)  # kept entries too: files other tools wrote with mkstemp's private 0600
        _swap_in(tmp, out)
    except BaseException:
        for name in moved:
            if (tmp / name).exists() and out.exists():
                (tmp / name).rename(out / name)
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def previous_documents(out: Path) -> list[dict[str, Any]]:
    """doc_id, source_path, report_year, period_type of the documents an existing output holds."""
    path = Path(out) / "documents.parquet"
    if not path.exists():
        return []
    names = set(pq.read_schema(path).names)
    cols = [c for c in ("doc_id", "source_path", "report_year", "period_type") if c in names]
    return pq.read_table(path, columns=cols).to_pylist()


def _run_entry(run_info: dict[str, Any], documents: Sequence[Document]) -> dict[str, Any]:
    return {"started_at": run_info.get("started_at"), "inputs": (run_info.get("options") or {}).get("inputs"),
            "documents": sorted(d.doc_id for d in documents)}


def _history(out: Path) -> list[dict[str, Any]]:
    """The runs that built the dataset in `out` (run.json `history`), oldest first."""
    try:
        return list(json.loads((out / "run.json").read_text(encoding="utf-8")).get("history") or [])
    except (OSError, ValueError):
        return []


def _with_previous(out: Path, doc_rows: list[dict[str, Any]], value_rows: list[dict[str, Any]],
                   review_rows: list[dict[str, Any]], issue_rows: list[dict[str, Any]]
                   ) -> tuple[list[dict[str, Any]], ...]:
    """Rows of the existing output for documents not in this run, followed by this run's rows."""
    if not (out / "documents.parquet").exists():
        return doc_rows, value_rows, review_rows, issue_rows
    new_ids = {r["doc_id"] for r in doc_rows}

    def old(path: Path, schema: pa.Schema) -> list[dict[str, Any]]:
        if not path.exists():
            return []
        table = pq.read_table(path) if path.is_file() else pq.read_table(sorted(path.glob("*.parquet")))
        rows = table.to_pylist()
        return [{f.name: r.get(f.name) for f in schema} for r in rows]

    old_docs = old(out / "documents.parquet", DOCUMENTS_SCHEMA)
    keep_docs = [r for r in old_docs if r["doc_id"] not in new_ids]
    docs = sorted(keep_docs + doc_rows, key=lambda r: r["source_path"])

    def merged(path: Path, schema: pa.Schema, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [r for r in old(path, schema) if r["doc_id"] not in new_ids] + rows

    return (docs, merged(out / "values", VALUES_SCHEMA, value_rows),
            merged(out / "review_queue.parquet", REVIEW_SCHEMA, review_rows),
            merged(out / "validation_issues.parquet", ISSUES_SCHEMA, issue_rows))


def _set_columns(rows: list[dict[str, Any]], cols: dict[str, list[Any]]) -> None:
    for name, values in cols.items():
        for r, v in zip(rows, values, strict=True):
            r[name] = v


def _apply_umask(root: Path) -> None:
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(root, 0o777 & ~mask)
    for path in root.rglob("*"):
        os.chmod(path, (0o777 if path.is_dir() else 0o666) & ~mask)


def recover_interrupted_swap(out: Path) -> None:
    """If a previous run died between its two renames, put the old output back."""
    previous = out.with_name(out.name + ".previous")
    if previous.exists() and not out.exists():
        previous.rename(out)
    elif previous.exists():
        shutil.rmtree(previous, ignore_errors=True)


def _swap_in(tmp: Path, out: Path) -> None:
    previous = out.with_name(out.name + ".previous")
    if out.exists():
        out.rename(previous)
    tmp.rename(out)
    _fsync_dir(out.parent)
    shutil.rmtree(previous, ignore_errors=True)


def _write_table(path: Path, rows: list[dict[str, Any]], schema: pa.Schema) -> None:
    table = pa.Table.from_pylist(rows, schema=schema)
    pq.write_table(table, path, compression="zstd")


def _fsync_tree(root: Path) -> None:
    for path in root.rglob("*"):
        if path.is_file():
            with open(path, "rb") as fh:
                os.fsync(fh.fileno())
    _fsync_dir(root)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
