"""One document through every stage: what a worker process runs.

Kept apart from `pipeline.run` (which plans the batch, runs the executor and
writes the output) so that the executors can import the per-document work
without importing the batch driver that imports them.
"""

from __future__ import annotations

import logging
import os
import time
import traceback
from collections.abc import Callable

from cchc.core.errors import CchcError, DeadlineExceeded, InputError, time_limit_message
from cchc.core.model import Document, Page
from cchc.core.options import ExtractOptions
from extractors import ocr_engine
from pipeline import load, match, metadata, narrative, ocr_pages, read_pages, tables, validate
from pipeline.ingest import InputRef
from pipeline.writer import value_row_key

log = logging.getLogger("cchc")

Stage = Callable[[Document, load.Workspace], None]

STAGES: list[tuple[str, Stage]] = [
    ("load", load.run),
    ("pages", read_pages.run),
    ("metadata", metadata.run),
    ("tables", tables.run),
    ("match", match.run),
    ("narrative", narrative.run),
    ("locate", ocr_pages.boxes_to_original),
    ("validate", validate.run),
]


def warm_up() -> None:
    """Load the catalog and build the matchers' indexes once, before worker processes fork from us.

    Otherwise every forked child pays ~1.5 s to rebuild them for a document that takes 0.2 s.
    """
    from extractors.narrative import extract_figures
    from indicator_catalog import load_catalog
    from matchers import match_label

    catalog = load_catalog()
    extract_figures("Tổng số 351 hồ sơ; đã giải quyết 348 hồ sơ.")
    match_label("Số TTHC công bố mới", catalog)


def process_document(doc: Document, ref: InputRef, options: ExtractOptions, keep_pages: bool = False) -> Document:
    """Run every stage on one document; never raises.

    Pages are slimmed (words and lines dropped) before returning unless
    `keep_pages` — `cchc debug` keeps them to draw what each stage saw.
    """
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        data = ref.read_bytes()
    except OSError as exc:
        doc.fail(f"cannot read file: {exc}")
        return doc
    except Exception as exc:  # a ZIP member that changed or broke since it was listed
        doc.fail(f"cannot read file ({type(exc).__name__}: {exc}); it changed during the run: run again")
        return doc
    ws = load.Workspace(data=data, options=options, deadline=time.monotonic() + options.doc_timeout_s)
    engine_before = ocr_engine.ENGINE_SECONDS[0]
    try:
        for name, stage in STAGES:
            t = time.perf_counter()
            if time.monotonic() > ws.deadline:
                doc.fail(time_limit_message(options))
                break
            try:
                stage(doc, ws)
            except (InputError, DeadlineExceeded) as exc:
                doc.fail(str(exc))
                break
            except CchcError as exc:
                _stage_failed(doc, name, str(exc))
                if name in ("load", "pages"):
                    break
            except MemoryError:
                doc.fail(f"memory limit exceeded in the {name} stage ({options.memory_mb} MB per worker, --memory-mb); "
                         "the file may be a huge scan: split it, lower --max-pixels or raise --memory-mb")
                break
            except Exception as exc:
                log.debug("stage %s failed on %s\n%s", name, doc.source_path, traceback.format_exc())
                _stage_failed(doc, name, f"{type(exc).__name__}: {exc}")
                if name in ("load", "pages"):
                    break
            finally:
                doc.stage_seconds[name] = round(time.perf_counter() - t, 4)
    finally:
        ws.close()
        doc.ocr_engine_seconds = round(ocr_engine.ENGINE_SECONDS[0] - engine_before, 4)
    _distinct_row_keys(doc)
    if not keep_pages:
        doc.pages = [_slim(p) for p in doc.pages]
    return doc


def _distinct_row_keys(doc: Document) -> None:
    """Every figure gets its own row key (decisions, review and joins rely on it).

    Two figures can share page, code, label and column: "18 người/19 người" gives two from one
    phrase; "- Tổng số được giao" appears under two parents of one page.  The second and later get
    "#2", "#3" on `extractor`, so the first keeps the key earlier runs and decisions used.
    """
    seen: dict[str, int] = {}
    for v in doc.values:
        key = value_row_key(doc, v)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            v.extractor = f"{v.extractor or ''}#{seen[key]}"


def _stage_failed(doc: Document, stage: str, why: str) -> None:
    if stage == "load":
        doc.fail(f"internal error while opening the file ({why}); please report this file")
    else:
        doc.degrade(f"{stage} stage failed: {why}")


def _slim(page: Page) -> Page:
    """Drop words/lines before results cross process boundaries; origins and reasons stay."""
    return Page(page.number, page.width, page.height, page.origin, page.origin_reason,
                is_appendix=page.is_appendix, warnings=page.warnings)
