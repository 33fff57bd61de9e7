"""The `cchc` command line: a thin click layer over the same functions a notebook calls.

Exit codes (see README): 0 — the dataset was written, even if some input
files failed (they are rows with status=failed); 1 — nothing could be written
(output folder not writable, internal error); 2 — usage error (bad option,
missing input).
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

import click

from cchc import __version__

EXAMPLES_EXTRACT = """
\b
Examples:
  cchc extract samples/ --out outputs/demo
  cchc extract archive_q1_2024.zip reports/ --out outputs/q1 --workers 2
  cchc extract scan.pdf --out outputs/one --no-ocr
"""


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="cchc")
@click.option("-v", "--verbose", count=True, help="More log detail on stderr (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors on stderr.")
def main(verbose: int, quiet: bool) -> None:
    """cchc — turn archives of CCHC reports (PDF, scans, ZIP) into one Parquet dataset.

    \b
    Typical session:
      cchc extract samples/ --out outputs/demo     # build the dataset
      cchc eval outputs/demo --truth samples/      # score it against ground truth
      cchc catalog list                            # the indicators values map to
    """
    level = logging.WARNING if quiet else (logging.DEBUG if verbose > 1 else logging.INFO)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr, force=True)


@main.command(epilog=EXAMPLES_EXTRACT)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (replaced atomically: a crash leaves the previous output intact).")
@click.option("--ocr", "ocr_mode", type=click.Choice(["auto", "force", "never"]), default="auto", show_default=True,
              help="auto: OCR pages whose text layer is missing or broken (e.g. a scanner's hidden layer without "
                   "diacritics); force: OCR every page, ignoring text layers; never: text layers only.")
@click.option("--no-ocr", "no_ocr", is_flag=True, help="Same as --ocr never.")
@click.option("--ocr-lang", default="vie", show_default=True, metavar="LANG",
              help="Tesseract model(s) for page text, e.g. vie or vie+eng (digit cells always use eng).")
@click.option("--dpi", default=300, show_default=True, type=click.IntRange(72, 600),
              help="Resolution pages are rendered at for OCR.")
@click.option("--workers", default=None, type=click.IntRange(1, 256),
              help="Worker processes (default: number of CPU cores).")
@click.option("--password", default=None, help="Password tried on encrypted PDFs.")
@click.option("--max-pages", default=400, show_default=True, type=click.IntRange(1),
              help="Pages read per document; longer ones are marked partial.")
@click.option("--timeout", "timeout_s", default=900.0, show_default=True, type=click.FloatRange(min=1),
              help="Seconds one document may take before it is stopped and marked failed.")
@click.option("--memory-mb", default=4096, show_default=True, type=click.IntRange(min=0),
              help="Memory ceiling per worker in MB (0: none).")
@click.option("--max-pixels", default=60_000_000, show_default=True, type=click.IntRange(min=1),
              help="Pixels allowed per page image (checked from the image header, before decoding).")
@click.option("--executor", type=click.Choice(["local", "inline", "dask"]), default="local", show_default=True,
              help="local: worker processes here; inline: this process (debugging); dask: Dask distributed.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Dask scheduler address (tcp://host:8786); without it --executor dask starts a local cluster.")
@click.option("--resume/--no-resume", default=True, show_default=True,
              help="Reuse documents already finished by an earlier run into the same --out.")
def extract(inputs: tuple[Path, ...], out: Path, ocr_mode: str, no_ocr: bool, ocr_lang: str, dpi: int, workers: int | None,
            password: str | None, max_pages: int, timeout_s: float, memory_mb: int, executor: str,
            scheduler: str | None, resume: bool, max_pixels: int = 60_000_000) -> None:
    """Extract every figure from INPUTS (files, folders, ZIP archives) into OUT.

    \b
    OUT receives:
      documents.parquet          one row per distinct input file (status, error, metadata)
      values/                    one row per figure (indicator, value, page, bbox, score)
      review_queue.parquet       figures a data steward should check, with candidates
      validation_issues.parquet  broken consistency rules (e.g. completed > planned)
      run.json                   versions, options, timings, counts
    """
    from cchc.options import ExtractOptions
    from pipeline.run import run

    try:
        options = ExtractOptions(inputs=tuple(inputs), out=out, ocr=not no_ocr and ocr_mode != "never",
                                 ocr_mode="never" if no_ocr else ocr_mode, ocr_lang=ocr_lang, dpi=dpi,
                                 password=password,
                                 max_pages=max_pages, doc_timeout_s=timeout_s, memory_mb=memory_mb or None,
                                 executor=executor, scheduler=scheduler, resume=resume, max_pixels=max_pixels,
                                 workers=workers or max(1, os.cpu_count() or 1))
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    if options.ocr and options.ocr_lang != "vie":
        from cchc.errors import MissingDependency
        from extractors.ocr_engine import check_tesseract

        try:  # a mistyped model fails the command now, not every scanned document later
            check_tesseract(options.ocr_lang)
        except MissingDependency as exc:
            raise click.UsageError(str(exc)) from exc

    from cchc.errors import ForeignOutputFolder
    from pipeline.ingest import BadInput, MissingInput
    from pipeline.lock import OutputBusy
    from pipeline.run import NoInput

    progress = Progress()
    try:
        result = run(options, progress=progress.update, on_start=progress.start)
    except (ForeignOutputFolder, BadInput, NoInput, MissingInput) as exc:
        raise click.UsageError(str(exc)) from exc
    except OutputBusy as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except OSError as exc:
        click.echo(f"error: could not write the output to {out}: {exc}", err=True)
        sys.exit(1)
    finally:
        progress.close()
    info = result.run_info
    by_status = ", ".join(f"{n} {s}" for s, n in info["files"]["by_status"].items()) or "no files"
    click.echo(
        f"{info['files']['distinct']} file(s): {by_status}; "
        f"{info['values']['table']} table + {info['values']['narrative']} narrative values "
        f"({info['values']['needs_review']} to review), {info['validation_issues']} validation issue(s) "
        f"in {info['seconds']:.1f}s → {out}",
        err=True,
    )


@main.command(epilog="""
\b
Examples:
  cchc debug samples/text/commune_binhyen_q1_2024.pdf --page 6
  cchc debug scan.pdf --page 2 --out /tmp/p2.png
""")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--page", "page_no", required=True, type=click.IntRange(1), help="1-based page number.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="PNG to write (default: FILE-pN.debug.png in the current folder).")
@click.option("--ocr/--no-ocr", default=True, show_default=True)
def debug(file: Path, page_no: int, out: Path | None, ocr: bool) -> None:
    """Draw one page as the pipeline saw it: rulings, words by origin, grid cells, matched codes and scores."""
    from cchc.debug import describe, draw_debug, process_one
    from cchc.options import ExtractOptions

    options = ExtractOptions(inputs=(file,), out=Path("."), ocr=ocr, executor="inline")
    doc = process_one(file, options)
    if doc.status.value == "failed":
        raise click.ClickException(f"{file.name} failed: {doc.error}")
    try:
        image = draw_debug(file, doc, page_no)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    target = out or Path(f"{file.stem}-p{page_no}.debug.png")
    image.save(target)
    page = next(p for p in doc.pages if p.number == page_no)
    click.echo(describe(doc, page), err=True)
    click.echo(str(target))


class Progress:
    """A bar (files, pages, rate, ETA) on a terminal; one log line per file otherwise."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.pages = 0
        self.total: int | None = None
        self.log = logging.getLogger("cchc")

    def start(self, total: int, reused: int) -> None:
        self.total = total
        if reused:
            self.log.info("%d of %d file(s) already done by an earlier run", reused, total)

    def update(self, doc) -> None:  # type: ignore[no-untyped-def]
        self.pages += doc.n_pages or 0
        if sys.stderr.isatty() and self.log.isEnabledFor(logging.INFO):
            if self.bar is None:
                from tqdm import tqdm

                self.bar = tqdm(total=self.total, unit="file", desc="extract", dynamic_ncols=True, file=sys.stderr)
            self.bar.update(1)
            self.bar.set_postfix(pages=self.pages, last=doc.status.value)
            return
        note = f" — {doc.error}" if doc.error else ""
        self.log.info("%-7s %s (%d pages, %d values)%s", doc.status.value, doc.source_path, doc.n_pages or 0,
                      len(doc.values), note)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _register_subcommands() -> None:
    from cchc.cli_catalog import catalog
    from cchc.cli_eval import eval_command
    from cchc.cli_review import report_command, review

    main.add_command(catalog)
    main.add_command(eval_command)
    main.add_command(review)
    main.add_command(report_command)


_register_subcommands()


if __name__ == "__main__":
    main()
