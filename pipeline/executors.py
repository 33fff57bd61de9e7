"""Where per-document work runs: worker processes on this machine, or a Dask cluster.

Both executors take the same tasks (a document skeleton, where to read its
bytes, the options) and yield finished `Document`s as they complete; the
caller caches and writes them, so output is the same whichever ran it.
Guards live here because only the process that runs a document can bound it:
a wall-clock limit (the worker is killed and replaced) and an address-space
limit (allocation fails inside the worker and the document is marked).
Inputs travel as paths, not bytes.  Each document gets its own temporary
folder and each worker leads its own process group, so a document stopped by
the time limit, or a main process killed outright, leaves neither files nor
Tesseract/poppler processes behind.
"""

from __future__ import annotations

import ctypes
import logging
import os
import resource
import shutil
import signal
import tempfile
from collections.abc import Iterator, Sequence
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cchc.core.errors import time_limit_message
from cchc.core.model import Document
from cchc.core.options import ExtractOptions
from pipeline.ingest import InputRef

log = logging.getLogger("cchc.executor")

# Recycle worker processes after this many documents: caps memory creep from C libraries.
TASKS_PER_WORKER = 25


@dataclass(frozen=True)
class Task:
    doc: Document
    ref: InputRef


TMP_PREFIX = "cchc-run-"
_PR_SET_PDEATHSIG = 1


def _kill_own_group(signum: int, frame: object) -> None:
    """SIGTERM (time limit, or the main process died): take Tesseract/pdftoppm children down too."""
    os.killpg(os.getpgrp(), signal.SIGKILL)


def _own_process_group() -> None:
    """Lead a process group (children inherit it) and get SIGTERM when the main process dies."""
    try:
        os.setpgid(0, 0)
        signal.signal(signal.SIGTERM, _kill_own_group)
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: pebble's own SIGTERM handling stays
        pass


def worker_memory_mb(requested: int | None, workers: int, physical_mb: int | None = None) -> int | None:
    """The per-worker ceiling actually applied: all workers together stay within 80% of the machine's memory.

    Otherwise the default (4 GB each) lets a few workers on huge scans push the machine into swap or the OOM
    killer, which then picks any process, the main one included.
    """
    if physical_mb is None:
        try:
            physical_mb = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // (1 << 20)
        except (ValueError, OSError):
            return requested
    share = int(physical_mb * 0.8 / max(workers, 1))
    if requested is None or share >= requested:
        return requested
    log.warning("--memory-mb %d × %d workers exceeds 80%% of this machine's %d MB; each worker gets %d MB",
                requested, workers, physical_mb, share)
    return share


def limit_worker_resources(memory_mb: int | None, own_group: bool = False) -> None:
    """Per-worker set-up: one Tesseract thread, an address-space ceiling, its own process group."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    if own_group:
        _own_process_group()
    if memory_mb:
        limit = memory_mb * 1024 * 1024
        try:
            _, hard = resource.getrlimit(resource.RLIMIT_AS)
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        except (ValueError, OSError):
            log.warning("could not set a memory limit of %d MB for workers", memory_mb)


def run_temp_root() -> Path:
    """A temporary folder for this run's documents (named by pid); folders of dead runs are removed first."""
    base = Path(tempfile.gettempdir())
    for old in base.glob(f"{TMP_PREFIX}*"):
        try:
            pid = int(old.name[len(TMP_PREFIX):].split("-")[0])
        except ValueError:
            continue
        if pid != os.getpid() and not _alive(pid):
            shutil.rmtree(old, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{os.getpid()}-"))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def doc_temp_dir(root: Path | None, doc: Document) -> Path | None:
    return None if root is None else root / doc.doc_id[:24]


def guarded_process(doc: Document, ref: InputRef, options: ExtractOptions, tmp_root: Path | None = None) -> Document:
    """Run the pipeline on one document inside a worker, turning memory exhaustion into a row.

    Everything the document writes through `tempfile` (its input copy, page
    bitmaps, Tesseract's files) goes to its own folder, removed afterwards —
    and by the main process when the worker is killed at the time limit.
    """
    from pipeline.document import process_document

    folder = doc_temp_dir(tmp_root, doc)
    saved = tempfile.tempdir, os.environ.get("TMPDIR")
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        tempfile.tempdir = str(folder)
        os.environ["TMPDIR"] = str(folder)
    try:
        return process_document(doc, ref, options)
    except MemoryError:
        doc.fail(f"memory limit exceeded ({options.memory_mb} MB per worker, --memory-mb); "
                 "the file may be a huge scan: split it or raise the limit")
        return doc
    finally:
        if folder is not None:
            tempfile.tempdir = saved[0]
            if saved[1] is None:
                os.environ.pop("TMPDIR", None)
            else:
                os.environ["TMPDIR"] = saved[1]
            shutil.rmtree(folder, ignore_errors=True)


def _timed_out(doc: Document, options: ExtractOptions) -> Document:
    doc.fail(time_limit_message(options))
    return doc


def _crashed(doc: Document, exc: BaseException) -> Document:
    doc.fail(f"internal error: the worker processing this file died ({type(exc).__name__}: {exc}); "
             "please report this file")
    return doc


def run_inline(tasks: Sequence[Task], options: ExtractOptions) -> Iterator[Document]:
    """In this process, one after another (workers=1): simplest to debug, no time limit."""
    for t in tasks:
        yield guarded_process(t.doc, t.ref, options)


def run_local(tasks: Sequence[Task], options: ExtractOptions) -> Iterator[Document]:
    """A pool of worker processes on this machine (pebble: per-task timeouts that kill the worker)."""
    from pebble import ProcessPool

    from pipeline.document import warm_up

    warm_up()  # workers fork from here: build the indexes once, not once per worker
    root = run_temp_root()
    try:
        with ProcessPool(max_workers=options.workers, max_tasks=TASKS_PER_WORKER,
                         initializer=limit_worker_resources,
                         initargs=(worker_memory_mb(options.memory_mb, options.workers), True)) as pool:
            futures: dict[Any, Task] = {
                pool.schedule(guarded_process, args=(t.doc, t.ref, options, root), timeout=options.doc_timeout_s): t
                for t in tasks}
            from concurrent.futures import as_completed

            for fut in as_completed(futures):
                task = futures[fut]
                try:
                    yield fut.result()
                    continue
                except FutureTimeout:
                    doc = _timed_out(task.doc, options)
                except Exception as exc:  # the worker died (segfault, OOM kill)
                    doc = _crashed(task.doc, exc)
                shutil.rmtree(doc_temp_dir(root, doc), ignore_errors=True)  # type: ignore[arg-type]
                yield doc
    finally:
        shutil.rmtree(root, ignore_errors=True)


_WARM = False


def _dask_task(doc: Document, ref: InputRef, options: ExtractOptions) -> Document:
    """On a Dask worker: run the document in a child process so the time limit can kill it.

    Workers started with a nanny are daemonic and may not fork children; there
    the document runs in the worker itself under the pipeline's own deadline
    (checked between pages and stages; each Tesseract call has its own timeout).
    """
    import multiprocessing

    from pebble import ProcessPool

    if multiprocessing.current_process().daemon:
        return guarded_process(doc, ref, options)
    global _WARM
    if not _WARM:
        from pipeline.document import warm_up

        warm_up()
        _WARM = True
    # fork, not the worker's default spawn: a spawned child would re-import the whole stack per document
    pool = ProcessPool(max_workers=1, initializer=limit_worker_resources, initargs=(options.memory_mb,),
                       context=multiprocessing.get_context("fork"))
    try:
        future = pool.schedule(guarded_process, args=(doc, ref, options), timeout=options.doc_timeout_s)
        return future.result()
    except FutureTimeout:
        return _timed_out(doc, options)
    except Exception as exc:
        return _crashed(doc, exc)
    finally:
        pool.stop()  # not close(): joining an idle pool waits on its polling interval
        pool.join()


def run_dask(tasks: Sequence[Task], options: ExtractOptions) -> Iterator[Document]:
    """The same per-document work as Dask distributed tasks (a LocalCluster when no scheduler is given)."""
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if options.scheduler:
        client = Client(options.scheduler)
    else:
        import dask

        with dask.config.set({"distributed.worker.daemon": False}):  # lets tasks run children with hard limits
            cluster = LocalCluster(n_workers=options.workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
        client = Client(cluster)
    try:
        futures = [client.submit(_dask_task, t.doc, t.ref, options, key=f"cchc-{t.doc.doc_id}", pure=False)
                   for t in tasks]
        by_key = {f.key: t for f, t in zip(futures, tasks, strict=True)}
        for fut in as_completed(futures):
            try:
                yield fut.result()
            except Exception as exc:
                yield _crashed(by_key[fut.key].doc, exc)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def execute(tasks: Sequence[Task], options: ExtractOptions) -> Iterator[Document]:
    if options.executor == "dask":
        return run_dask(tasks, options)
    if options.executor == "inline" or not tasks:
        return run_inline(tasks, options)
    return run_local(tasks, options)
