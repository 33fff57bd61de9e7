"""`cchc catalog …`: look up and export the indicator catalog.

Data stewards and analysts need to see which template row is which harmonised
indicator without reading YAML; notebook authors want the whole mapping as a
table.  The lead registers the group in `cchc/cli.py` with
`main.add_command(catalog)`.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from indicator_catalog import Catalog, CatalogError, TemplateRow, load_catalog

EXPORT_COLUMNS = [
    "template_id",
    "code",
    "printed_code",
    "label",
    "unit",
    "value_kind",
    "codes",
    "parent",
    "kind",
    "indicator_id",
    "indicator_label",
    "aliases",
    "catalog_version",
]


INDICATOR_COLUMNS = [
    "indicator_id",
    "label",
    "unit",
    "value_kind",
    "codes",
    "concept",
    "concept_level",
    "aliases",
    "description",
    "templates",
    "n_template_rows",
    "narrative_only",
    "source_file",
    "catalog_version",
]


def indicator_records(cat: Catalog) -> list[dict[str, object]]:
    """One record per indicator — safe to join on indicator_id (narrative-only indicators included)."""
    out: list[dict[str, object]] = []
    for ind in sorted(cat.indicators.values(), key=lambda i: i.id):
        rows = cat.rows_for_indicator(ind.id)
        out.append({
            "indicator_id": ind.id,
            "label": ind.label,
            "unit": ind.unit,
            "value_kind": ind.value_kind,
            "codes": json.dumps(ind.codes, ensure_ascii=False) if ind.codes else None,
            "concept": ind.concept or ind.id,
            "concept_level": ind.concept_level,
            "aliases": json.dumps(list(ind.aliases), ensure_ascii=False),
            "description": ind.description,
            "templates": json.dumps(sorted({r.template_id for r in rows})),
            "n_template_rows": len(rows),
            "narrative_only": not rows,
            "source_file": ind.source_file,
            "catalog_version": cat.version,
        })
    return out


def _load(ctx: click.Context) -> Catalog:
    data_dir = ctx.obj.get("catalog_dir") if ctx.obj else None
    try:
        return load_catalog(data_dir)
    except CatalogError as exc:
        raise click.ClickException(f"catalog data are invalid: {exc}") from exc


@click.group(name="catalog")
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Catalog data folder (default: the packaged indicator_catalog/data).",
)
@click.pass_context
def catalog(ctx: click.Context, data_dir: Path | None) -> None:
    """Browse and export the indicator catalog (templates, rows, harmonised IDs).

    \b
    Example:
      cchc catalog list --template province_6459_app2
    """
    ctx.ensure_object(dict)
    ctx.obj["catalog_dir"] = data_dir


@catalog.command(name="list")
@click.option("--template", "template_id", default=None, help="Show the rows of this template.")
@click.pass_context
def list_cmd(ctx: click.Context, template_id: str | None) -> None:
    """List templates, or the rows of one template with their indicator IDs.

    \b
    Examples:
      cchc catalog list
      cchc catalog list --template commune_2024
    """
    cat = _load(ctx)
    if template_id is None:
        click.echo(f"catalog {cat.version}: {len(cat.indicators)} indicators, {len(cat.templates)} templates")
        for t in sorted(cat.templates.values(), key=lambda t: t.id):
            click.echo(f"{t.id:<30} {t.level:<8} {t.year or '':<5} {len(t.rows):>4} rows  {t.title}")
        return
    try:
        t = cat.template(template_id)
    except KeyError as exc:
        raise click.ClickException(str(exc.args[0])) from exc
    click.echo(f"{t.id} ({t.level}, {t.year}): {t.title}")
    click.echo("code        printed     label (unit) -> indicator")
    for r in t.rows:
        printed = r.printed_code if r.printed_code.rstrip(".") != r.code else ""
        unit = f" ({r.unit})" if r.unit else ""
        click.echo(f"{r.code:<11} {printed:<11} {r.label}{unit} -> {r.indicator_id}")


@catalog.command(name="show")
@click.argument("item_id")
@click.pass_context
def show_cmd(ctx: click.Context, item_id: str) -> None:
    """Show an indicator (labels, aliases, where it occurs) or a template.

    \b
    Examples:
      cchc catalog show TTHC_CONG_BO_MOI
      cchc catalog show district_camxuyen_2021
    """
    cat = _load(ctx)
    if item_id in cat.indicators:
        ind = cat.indicator(item_id)
        click.echo(f"{ind.id}: {ind.label}")
        click.echo(f"  unit: {ind.unit or '-'}   value_kind: {ind.value_kind}")
        if ind.codes:
            click.echo("  codes: " + " / ".join(f"{k} = {v}" for k, v in ind.codes.items()))
        if ind.description:
            click.echo(f"  note: {ind.description}")
        for a in ind.aliases:
            click.echo(f"  alias: {a}")
        rows = cat.rows_for_indicator(ind.id)
        click.echo(f"  occurs in {len(rows)} template row(s):")
        for r in rows:
            printed = f" (printed {r.printed_code or 'unnumbered'})"
            click.echo(f"    {r.template_id} {r.code}{printed}: {r.label}")
        return
    if item_id in cat.templates:
        t = cat.template(item_id)
        click.echo(f"{t.id}: {t.title}")
        click.echo(f"  source: {t.source}")
        click.echo(f"  level: {t.level}   year: {t.year}   rows: {len(t.rows)}")
        if t.value_columns:
            click.echo("  value columns: " + ", ".join(t.value_columns))
        if t.description:
            click.echo(f"  {t.description}")
        fixed = [r for r in t.rows if r.printed_code and r.printed_code.rstrip(".") != r.code]
        for r in fixed:
            click.echo(f"  corrected: printed {r.printed_code} -> {r.code} ({r.label})")
        click.echo(f"  (cchc catalog list --template {t.id} for the rows)")
        return
    hits = cat.search(item_id)
    hint = ("; did you mean: " + ", ".join(i.id for i in hits[:8])) if hits else ""
    raise click.ClickException(f"no indicator or template named {item_id!r}{hint}")


def export_records(cat: Catalog) -> list[dict[str, object]]:
    """One record per template row joined to its indicator (the export's rows)."""

    def rec(r: TemplateRow) -> dict[str, object]:
        ind = cat.indicator(r.indicator_id)
        return {
            "template_id": r.template_id,
            "code": r.code,
            "printed_code": r.printed_code,
            "label": r.label,
            "unit": r.unit,
            "value_kind": r.value_kind,
            "codes": json.dumps(r.codes, ensure_ascii=False) if r.codes else None,
            "parent": r.parent,
            "kind": r.kind,
            "indicator_id": ind.id,
            "indicator_label": ind.label,
            "aliases": json.dumps(list(ind.aliases), ensure_ascii=False),
            "catalog_version": cat.version,
        }

    return [rec(r) for r in cat.all_rows()]


@catalog.command(name="export")
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet"]), required=True, help="Output format.")
@click.option(
    "--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Output file."
)
@click.option("--rows", "rows", is_flag=True,
              help="One row per template row (joined to its indicator) instead of one per indicator.")
@click.pass_context
def export_cmd(ctx: click.Context, fmt: str, out: Path, rows: bool) -> None:
    """Export the indicators, one row each (joins on indicator_id without multiplying rows).

    Columns: indicator_id, label, unit, value_kind, codes (JSON), concept,
    concept_level, aliases (JSON list), description, templates (JSON list),
    n_template_rows, narrative_only, source_file, catalog_version.

    With --rows: every template row joined to its indicator instead
    (template_id, code, printed_code, label, unit, value_kind, codes, parent,
    kind, indicator_id, indicator_label, aliases, catalog_version).

    \b
    Examples:
      cchc catalog export --format parquet --out indicators.parquet
      cchc catalog export --rows --format csv --out template_rows.csv
    """
    import pandas as pd

    cat = _load(ctx)
    if rows:
        df = pd.DataFrame(export_records(cat), columns=EXPORT_COLUMNS).astype("string")
    else:
        df = pd.DataFrame(indicator_records(cat), columns=INDICATOR_COLUMNS)
        df = df.astype({c: "string" for c in INDICATOR_COLUMNS if c not in ("n_template_rows", "narrative_only")})
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        df.to_csv(out, index=False, encoding="utf-8")
    else:
        df.to_parquet(out, index=False)
    what = f"{len(cat.templates)} templates" if rows else f"{len(cat.indicators)} indicators"
    click.echo(f"wrote {len(df)} rows ({what}, catalog {cat.version}) to {out}")
