"""`cchc eval`: score an extraction output folder against the samples' ground truth.

Registered by the main CLI (`main.add_command(eval_command)`); kept in its own
module so the scorer can be run and tested without the extraction pipeline.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cchc.evaluation import (
    ALL_KINDS,
    DEFAULT_DETAIL_CAP,
    EvalInputError,
    evaluate_dirs,
    format_report,
    report_to_json,
)


@click.command("eval")
@click.argument("out_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--truth",
    "truth_dir",
    type=click.Path(path_type=Path),
    default=Path("samples"),
    show_default=True,
    help="Folder walked for **/*.truth.json (or one truth file).",
)
@click.option(
    "--json",
    "json_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the full report as JSON here.",
)
@click.option(
    "--kind", type=click.Choice(ALL_KINDS), default=None, help="Score only truth files of this kind."
)
@click.option("--details", is_flag=True, help="Print the misses, false positives and mismatches.")
@click.option(
    "--max-details", type=int, default=30, show_default=True, help="Lines per section with --details."
)
@click.option(
    "--catalog",
    "catalog_dir",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=None,
    help="Catalog data folder (default: the installed indicator_catalog data).",
)
def eval_command(
    out_dir: Path,
    truth_dir: Path,
    json_path: Path | None,
    kind: str | None,
    details: bool,
    max_details: int,
    catalog_dir: Path | None,
) -> None:
    """Score OUT_DIR (written by `cchc extract`) against ground truth.

    Prints precision/recall/F1 of table and narrative values by document kind,
    metadata accuracy, bad-input handling, review calibration and validation
    findings. Exits 2 when OUT_DIR or the truth files are missing.
    """
    try:
        report = evaluate_dirs(
            out_dir,
            truth_dir,
            kind=kind,
            catalog_dir=catalog_dir,
            detail_cap=max(DEFAULT_DETAIL_CAP, max_details),
        )
    except EvalInputError as e:
        click.echo(f"Error: {e}", err=True)
        sys.exit(2)
    if not report["catalog_ok"]:
        click.echo(f"warning: {report['catalog']}", err=True)
    click.echo(format_report(report, details=details, max_details=max_details), nl=False)
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(report_to_json(report), encoding="utf-8")
        click.echo(f"\nfull report: {json_path}")


__all__ = ["eval_command"]
