"""`cchc units` and `cchc export`: reading a finished output the way analysts ask of it."""

from __future__ import annotations

from pathlib import Path

import click

OUT_ARG = click.argument("out", type=click.Path(exists=True, file_okay=False, path_type=Path))


@click.command(name="units", epilog="""
\b
Examples:
  cchc units outputs/demo
  cchc units outputs/demo --expected units.csv --period 2021-H1
""")
@OUT_ARG
@click.option("--expected", "expected_csv", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="CSV of the units expected to report (unit_id,name[,level,parent,aliases]).")
@click.option("--period", default=None, metavar="YEAR-TYPE",
              help="With --expected: only reports of this period count (e.g. 2021-H1, 2024-Q1).")
def units_command(out: Path, expected_csv: Path | None, period: str | None) -> None:
    """List the reporting units of OUT (unit register), or with --expected the units that have not reported.

    Exits 3 when --expected finds missing units.
    """
    import pyarrow.parquet as pq

    from cchc.core.units import RegisterError, missing_units, read_register

    path = out / "units.parquet"
    if not path.exists():
        raise click.ClickException(f"{out} has no units.parquet; run `cchc extract … --out {out}` again")
    units = pq.read_table(path).to_pylist()
    if expected_csv is None:
        click.echo(f"{'unit_id':<32} {'level':<9} {'reports':>7}  periods  name")
        for u in units:
            click.echo(f"{u['unit_id']:<32} {u['level'] or '-':<9} {u['n_documents']:>7}  "
                       f"{','.join(u['periods'] or []) or '-'}  {u['name']}")
        return
    try:
        expected = read_register(expected_csv)
    except RegisterError as exc:
        raise click.UsageError(str(exc)) from exc
    missing = missing_units(units, expected, period)
    when = f" for {period}" if period else ""
    click.echo(f"{len(expected) - len(missing)} of {len(expected)} expected unit(s) have reported{when}; "
               f"{len(missing)} missing:")
    for u in missing:
        click.echo(f"  {u.unit_id:<30} {u.level or '-':<9} {u.name}")
    if missing:
        raise SystemExit(3)


@click.command(name="export", epilog="""
\b
Examples:
  cchc export outputs/demo --wide --format xlsx            # outputs/demo/wide.xlsx
  cchc export outputs/demo --wide --format csv --to wide.csv
  cchc export outputs/demo --format duckdb                 # outputs/demo/cchc.duckdb
""")
@OUT_ARG
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv", "parquet", "duckdb"]), default="xlsx",
              show_default=True, help="File type; duckdb writes every table plus the views (data dictionary).")
@click.option("--wide/--long", default=True, show_default=True,
              help="wide: one row per unit × period, one column per indicator (labels in row 2); "
                   "long: one row per preferred figure.")
@click.option("--by", type=click.Choice(["indicator", "concept"]), default="indicator", show_default=True,
              help="Wide columns per indicator ID, or per catalog concept (same measure across levels).")
@click.option("--to", "to", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: OUT/wide.FORMAT, OUT/values.FORMAT or OUT/cchc.duckdb).")
def export_command(out: Path, fmt: str, wide: bool, by: str, to: Path | None) -> None:
    """Export the dataset in OUT for spreadsheets and SQL: a wide sheet or a DuckDB database."""
    from cchc.export import export

    try:
        target, n = export(out, fmt, to, wide=wide, by=by)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"wrote {target}" + (f" ({n} rows)" if fmt != "duckdb" else ""))
