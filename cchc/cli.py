"""The `cchc` command line: a thin click layer over the same functions a notebook calls.

Exit codes (see README): 0 — the dataset was written, even if some input
files failed (they are rows with status=failed); 1 — nothing could be written
(output folder not writable, internal error); 2 — usage error (bad option,
missing input); 3 — the dataset was written but every input failed (with
--strict: any input failed).

`-v/-q/--log-file` are accepted before and after the subcommand, as users
of OCRmyPDF and Docling expect.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

import click

from cchc.core.version import __version__

EXAMPLES_EXTRACT = """
\b
Examples:
  cchc extract samples/ --out outputs/demo
  cchc extract archive_q1_2024.zip reports/ --out outputs/q1 -j 2
  cchc extract season_q2/ --out outputs/2024 --append      # add a season, keep the others
  cchc extract reports/ --out outputs/q1 --units units.csv --strict
  cchc extract scan.pdf --out outputs/one --no-ocr
"""

EXIT_INPUTS_FAILED = 3

_LOG: dict[str, Any] = {"verbose": 0, "quiet": False, "log_file": None}


def _configure_logging() -> None:
    """stderr at the level -v/-q ask for; the --log-file always gets INFO (DEBUG with -vv)."""
    verbose, quiet = _LOG["verbose"], _LOG["quiet"]
    level = logging.WARNING if quiet else (logging.DEBUG if verbose > 1 else logging.INFO)
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(level)
    console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handlers: list[logging.Handler] = [console]
    file_level = logging.DEBUG if verbose > 1 else logging.INFO
    if _LOG["log_file"]:
        fh = logging.FileHandler(_LOG["log_file"], encoding="utf-8")
        fh.setLevel(file_level)
        fh.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handlers.append(fh)
    root_level = min(level, file_level) if _LOG["log_file"] else level
    logging.basicConfig(level=root_level, handlers=handlers, force=True)


def _log_option(name: str):  # type: ignore[no-untyped-def]
    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> None:
        if value in (None, False, 0) or ctx.resilient_parsing:
            return
        if name == "verbose":
            _LOG["verbose"] = max(_LOG["verbose"], value)
        else:
            _LOG[name] = value
        _configure_logging()

    return callback


def _common_options() -> list[click.Option]:
    return [
        click.Option(["-v", "--verbose"], count=True, expose_value=False, callback=_log_option("verbose"),
                     help="More log detail on stderr (-vv for debug)."),
        click.Option(["-q", "--quiet"], is_flag=True, expose_value=False, callback=_log_option("quiet"),
                     help="Only warnings and errors on stderr."),
        click.Option(["--log-file"], type=click.Path(dir_okay=False, path_type=Path), expose_value=False,
                     callback=_log_option("log_file"), help="Also write the log to this file."),
    ]


def _add_common_options(command: click.Command) -> None:
    """-v/-q/--log-file on every subcommand too, so `cchc extract … -q` works like `cchc -q extract …`."""
    names = {n for p in command.params for n in getattr(p, "opts", [])}
    command.params.extend(o for o in _common_options() if not set(o.opts) & names)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _add_common_options(sub)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="cchc")
@click.option("-v", "--verbose", count=True, help="More log detail on stderr (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors on stderr.")
@click.option("--log-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the log to this file.")
def main(verbose: int, quiet: bool, log_file: Path | None) -> None:
    """cchc — turn archives of CCHC reports (PDF, scans, ZIP) into one Parquet dataset.

    \b
    Typical session:
      cchc extract samples/ --out outputs/demo     # build the dataset
      cchc eval outputs/demo --truth samples/      # score it against ground truth
      cchc catalog list                            # the indicators values map to
    """
    _LOG.update(verbose=verbose, quiet=quiet, log_file=log_file)
    _configure_logging()


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
@click.option("--ocr-engine", default="tesseract", show_default=True, metavar="NAME",
              help="OCR engine, as registered in extractors/ocr_engine.py (ENGINES).")
@click.option("--dpi", default=300, show_default=True, type=click.IntRange(72, 600),
              help="Resolution pages are rendered at for OCR.")
@click.option("-j", "--jobs", "--workers", "workers", default=None, type=click.IntRange(1, 256),
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
@click.option("--append", is_flag=True,
              help="Add these documents to the dataset already in OUT (a new season) instead of replacing it.")
@click.option("--units", "units_csv", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Unit register CSV (unit_id,name,level,parent,aliases) issuers are matched against; kept in OUT.")
@click.option("--expected", "expected_csv", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="CSV of the units expected to report (same columns); the run lists the missing.")
@click.option("--progress/--no-progress", default=True, show_default=True,
              help="Progress bar on a terminal (--no-progress: plain log lines).")
@click.option("--strict", is_flag=True, help=f"Exit {EXIT_INPUTS_FAILED} when any input file failed.")
def extract(inputs: tuple[Path, ...], out: Path, ocr_mode: str, no_ocr: bool, ocr_lang: str, ocr_engine: str, dpi: int,
            workers: int | None,
            password: str | None, max_pages: int, timeout_s: float, memory_mb: int, executor: str,
            scheduler: str | None, resume: bool, append: bool, units_csv: Path | None,
            expected_csv: Path | None, progress: bool, strict: bool, max_pixels: int = 60_000_000) -> None:
    """Extract every figure from INPUTS (files, folders, ZIP archives) into OUT.

    \b
    OUT receives:
      documents.parquet          one row per distinct input file (status, error, metadata)
      values/                    one row per figure (indicator, value, page, bbox, score)
      review_queue.parquet       figures a data steward should check, with candidates
      validation_issues.parquet  broken consistency rules (e.g. completed > planned)
      units.parquet              the reporting units (unit register)
      run.json                   versions, options, timings, counts

    Without --append, documents of an earlier output in OUT that are not among
    INPUTS are dropped (the run warns and lists them in run.json "replaced").
    """
    from cchc.core.options import ExtractOptions
    from cchc.core.units import RegisterError, read_register
    from pipeline.run import run

    try:
        expected = read_register(expected_csv) if expected_csv else None
        if units_csv:
            read_register(units_csv)
    except RegisterError as exc:
        raise click.UsageError(str(exc)) from exc

    try:
        options = ExtractOptions(inputs=tuple(inputs), out=out, ocr=not no_ocr and ocr_mode != "never",
                                 ocr_mode="never" if no_ocr else ocr_mode, ocr_lang=ocr_lang, ocr_engine=ocr_engine, dpi=dpi,
                                 password=password,
                                 max_pages=max_pages, doc_timeout_s=timeout_s, memory_mb=memory_mb or None,
                                 executor=executor, scheduler=scheduler, resume=resume, progress=progress,
                                 max_pixels=max_pixels,
                                 workers=workers or max(1, os.cpu_count() or 1))
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    if options.ocr and (options.ocr_lang != "vie" or options.ocr_engine != "tesseract"):
        from cchc.core.errors import MissingDependency
        from extractors.ocr_engine import engine_for

        try:  # a mistyped model or engine fails the command now, not every scanned document later
            engine_for(options.ocr_lang, options.ocr_engine).version()
        except MissingDependency as exc:
            raise click.UsageError(str(exc)) from exc

    from cchc.core.errors import ForeignOutputFolder
    from pipeline.ingest import BadInput, MissingInput
    from pipeline.lock import OutputBusy
    from pipeline.run import NoInput

    bar = Progress(enabled=progress)
    try:
        result = run(options, progress=bar.update, on_start=bar.start, append=append, units_register=units_csv)
    except (ForeignOutputFolder, BadInput, NoInput, MissingInput) as exc:
        raise click.UsageError(str(exc)) from exc
    except OutputBusy as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except OSError as exc:
        click.echo(f"error: could not write the output to {out}: {exc}", err=True)
        sys.exit(1)
    finally:
        bar.close()
    from cchc.summary import run_summary

    text, failed_all, failed_any = run_summary(result.documents, result.run_info, out, expected)
    click.echo(text, err=True)
    if failed_all or (strict and failed_any):
        sys.exit(EXIT_INPUTS_FAILED)


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
    from cchc.core.options import ExtractOptions
    from cchc.debug import describe, draw_debug, process_one

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

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
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
        if self.enabled and sys.stderr.isatty() and self.log.isEnabledFor(logging.INFO):
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
    from cchc.cli_data import export_command, units_command
    from cchc.cli_eval import eval_command
    from cchc.cli_review import report_command, review

    main.add_command(catalog)
    main.add_command(eval_command)
    main.add_command(review)
    main.add_command(report_command)
    main.add_command(units_command)
    main.add_command(export_command)
    for command in main.commands.values():
        _add_common_options(command)


_register_subcommands()


if __name__ == "__main__":
    main()
