"""The pipeline: stages listed once, in order, and the one `run()` the CLI and notebooks call.

    ingest → load → pages (text layer / repair / OCR) → metadata → tables
           → match → narrative → validate → write

Each stage is a module with `run(doc, ws)`; it enriches the `Document` and
raises typed errors.  This module is the one place that turns errors into
document status: an `InputError` fails the document, anything else in a later
stage degrades it to `partial` — one bad file never stops the batch.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cchc.core.errors import CchcError, ForeignOutputFolder, InputError
from cchc.core.model import Document, Status, ValueSource
from cchc.core.options import ExtractOptions
from cchc.core.units import RegisterError, Unit, read_register
from cchc.core.version import __version__
from pipeline.cache import CACHE_DIRNAME, ResultCache
from pipeline.catalog import DECISIONS_DIRNAME, catalog_for
from pipeline.decisions import apply_decisions
from pipeline.document import STAGES, process_document, warm_up  # noqa: F401  (re-exported)
from pipeline.executors import Task, execute
from pipeline.ingest import ingest, safe_text
from pipeline.lock import OutputLock
from pipeline.writer import (
    REGISTER_FILE,
    previous_documents,
    recover_interrupted_swap,
    write_outputs,
)

log = logging.getLogger("cchc")

@dataclass
class RunResult:
    documents: list[Document]
    run_info: dict[str, Any]


def run(options: ExtractOptions, progress: Callable[[Document], None] | None = None,
        on_start: Callable[[int, int], None] | None = None, append: bool = False,
        units_register: Path | None = None) -> RunResult:
    """Extract every input into `options.out`; returns the processed documents and run.json content.

    Finished documents are cached under the output folder as they complete,
    so a run that is killed and started again re-does only what was not done.
    `append` keeps the documents already in `options.out` (a new season added
    to a dataset); without it, documents of the previous output that this run
    does not have are dropped, and the run says so (run.json `replaced`).
    `units_register` is an analyst's unit CSV (see cchc/core/units.py); once given
    it is kept in the output and used by later runs into it.
    """
    _check_output_folder(options.out)
    options = dataclasses.replace(options, inputs=distinct_inputs(options.inputs))
    with OutputLock(options.out):  # a second run on this --out is refused; stale temporaries removed
        return _run_locked(options, progress, on_start, append, units_register)


def _run_locked(options: ExtractOptions, progress: Callable[[Document], None] | None,
                on_start: Callable[[int, int], None] | None, append: bool = False,
                units_register: Path | None = None) -> RunResult:
    register, register_csv = _unit_register(options.out, units_register)
    started = dt.datetime.now(dt.UTC)
    t0 = time.perf_counter()
    cat_version = catalog_for(options).version
    out = options.out.resolve()
    ingested = ingest(options.inputs, exclude=(out, out.with_name(out.name + ".previous")))
    if not ingested.documents:
        raise NoInput(
            f"no input files found in {', '.join(safe_text(str(p)) for p in options.inputs)} (folders are walked "
            "recursively; hidden files, files listed in .cchcignore and earlier cchc outputs are skipped)"
        )
    log.info("found %d distinct file(s) in %s", len(ingested.documents), ", ".join(map(str, options.inputs)))
    recover_interrupted_swap(options.out.resolve())
    cache = ResultCache(options.out, __version__, cat_version, options.result_key())
    done: list[Document] = []
    tasks: list[Task] = []
    reused: set[str] = set()
    for doc in ingested.documents:
        cached = cache.get(doc.doc_id) if options.resume else None
        if doc.status is Status.FAILED:
            done.append(doc)
        elif cached is not None:
            # Same bytes, same pipeline and catalog: reuse, but report where the bytes are found today.
            cached.source_path, cached.other_paths, cached.file_name = doc.source_path, doc.other_paths, doc.file_name
            cached.source_path_bytes, cached.warnings = doc.source_path_bytes, _today_name_warnings(doc, cached)
            done.append(cached)
            reused.add(doc.doc_id)
        else:
            tasks.append(Task(doc, ingested.refs[doc.doc_id]))
    if reused:
        log.info("resuming: %d document(s) already done, %d to do", len(reused), len(tasks))
    if on_start:
        on_start(len(ingested.documents), len(reused))
    for doc in done:
        if progress:
            progress(doc)
    for doc in execute(tasks, options):
        cache.put(doc)
        done.append(doc)
        if progress:
            progress(doc)
    apply_decisions(done, options.out)
    run_info = _run_info(options, done, started, time.perf_counter() - t0, cat_version, reused)
    run_info["append"] = append
    run_info["units_register"] = str(units_register) if units_register else (
        REGISTER_FILE if register_csv else None)
    run_info["replaced"] = _replaced(options.out, done, append)
    write_outputs(options.out, done, run_info, __version__, cat_version,
                  keep=(CACHE_DIRNAME, DECISIONS_DIRNAME) + (() if units_register else (REGISTER_FILE,)),
                  append=append, register=register, register_csv=units_register)
    return RunResult(done, run_info)


def distinct_inputs(inputs: tuple[Path, ...]) -> tuple[Path, ...]:
    """Inputs without those already inside another input folder (a ZIP given with its folder is read once)."""
    def real(p: Path) -> Path:
        try:
            return Path(p).resolve()
        except (OSError, RuntimeError):  # a symlink loop: ingest reports it as a row
            return Path(os.path.abspath(p))

    resolved = [(p, real(p)) for p in inputs]
    kept: list[Path] = []
    seen: set[Path] = set()
    for p, r in resolved:
        inside = any(o != r and _is_dir(o) and r.is_relative_to(o) for _, o in resolved)
        if not inside and r not in seen:
            kept.append(p)
            seen.add(r)
    return tuple(kept)


def _is_dir(p: Path) -> bool:
    try:
        return p.is_dir()
    except OSError:
        return False


def _unit_register(out: Path, given: Path | None) -> tuple[list[Unit] | None, Path | None]:
    """Units from the CSV given, else from the copy an earlier run kept in `out`."""
    path = given or (out / REGISTER_FILE if (out / REGISTER_FILE).exists() else None)
    if path is None:
        return None, None
    try:
        return read_register(path), path
    except RegisterError as exc:
        raise InputError(str(exc)) from exc


def _replaced(out: Path, docs: list[Document], append: bool) -> dict[str, Any]:
    """What of the previous output this run drops (nothing with --append); logged as a warning."""
    if append:
        return {"documents": 0, "periods": []}
    new_ids = {d.doc_id for d in docs}
    gone = [r for r in previous_documents(out) if r["doc_id"] not in new_ids]
    periods = sorted({f"{r.get('report_year')}-{r.get('period_type')}" for r in gone
                      if r.get("report_year") and r.get("period_type")})
    if gone:
        log.warning("replacing the previous output in %s: %d document(s) not in this run are dropped%s "
                    "(e.g. %s); run with --append to add to it instead", out, len(gone),
                    f" (periods {', '.join(periods)})" if periods else "", gone[0]["source_path"])
    return {"documents": len(gone), "periods": periods,
            "source_paths": [r["source_path"] for r in gone][:50]}


def _today_name_warnings(today: Document, cached: Document) -> list[str]:
    """Warnings about where the bytes were found (names, duplicates) come from today's walk, not the cached run."""
    def about_names(w: str) -> bool:
        return w.startswith(("file name is not valid UTF-8", "the archive holds "))

    return [w for w in today.warnings if about_names(w)] + [w for w in cached.warnings if not about_names(w)]


OUTPUT_MARKERS = ("run.json", "documents.parquet", CACHE_DIRNAME)


class NoInput(CchcError):
    """The inputs hold no file to read: a usage error, not an empty dataset."""


def _check_output_folder(out: Any) -> None:
    """The output folder is replaced as a whole: refuse one that holds anything but a previous output."""
    if out.is_file():
        raise ForeignOutputFolder(f"--out {out} is a file; give a folder")
    if out.is_dir() and any(out.iterdir()) and not any((out / m).exists() for m in OUTPUT_MARKERS):
        raise ForeignOutputFolder(
            f"--out {out} is not empty and is not a cchc output; it would be replaced as a whole. "
            "Choose a new folder (or empty this one)"
        )


def _run_info(options: ExtractOptions, docs: list[Document], started: dt.datetime, seconds: float,
              cat_version: str, reused: set[str]) -> dict[str, Any]:
    pages: Counter[str] = Counter()
    stage_seconds: Counter[str] = Counter()
    for d in docs:
        for p in d.pages:
            pages[p.origin.value] += 1
        if d.doc_id not in reused:  # time spent by this run, not by the run that cached it
            stage_seconds.update(d.stage_seconds)
    return {
        "tool": "cchc extract",
        "pipeline_version": __version__,
        "catalog_version": cat_version,
        "options": options.as_json(),
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "seconds": round(seconds, 3),
        "files": {
            "distinct": len(docs),
            "total_paths": sum(1 + len(d.other_paths) for d in docs),
            "by_status": dict(sorted(Counter(d.status.value for d in docs).items())),
            "reused_from_earlier_run": len(reused),
        },
        "pages_by_text_source": dict(sorted(pages.items())),
        "values": {
            "table": sum(1 for d in docs for v in d.values if v.source == ValueSource.TABLE),
            "narrative": sum(1 for d in docs for v in d.values if v.source == ValueSource.NARRATIVE),
            "needs_review": sum(1 for d in docs for v in d.values if v.needs_review),
        },
        "validation_issues": sum(len(d.issues) for d in docs),
        "stage_seconds": {k: round(v, 3) for k, v in sorted(stage_seconds.items())},
        "peak_memory_mb": peak_memory_mb(),
    }


def peak_memory_mb() -> dict[str, float]:
    """Peak resident memory of this process and of the largest finished worker (with its Tesseract children)."""
    import resource

    kb = 1024.0  # ru_maxrss is in KiB on Linux
    return {"main": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / kb, 1),
            "largest_worker": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / kb, 1)}
