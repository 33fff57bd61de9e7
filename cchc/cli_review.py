"""`cchc review …`: the data stewards' loop — export the queue, apply what they decided, manage aliases.

Registered in `cchc/cli.py` with `main.add_command(review)`.  The logic lives
in `cchc.review` (and `pipeline.decisions`), so notebooks can call it too.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cchc.review import (
    ReviewError,
    apply_review,
    export_review,
    format_problems,
    queue_summary,
    read_aliases,
    remove_alias,
)
from indicator_catalog import CatalogError

_OUT = click.Path(exists=True, file_okay=False, path_type=Path)


def _fail(exc: Exception) -> None:
    raise click.ClickException(str(exc)) from exc


@click.group(name="review")
def review() -> None:
    """Confirm or correct the figures the matcher was unsure of (data stewards).

    \b
    Workflow:
      cchc review list   outputs/q1                      # what is waiting
      cchc review export outputs/q1 --format xlsx --to q1.xlsx
      (fill decision / indicator_id / corrected_value / reviewer in Excel)
      cchc review apply  q1.xlsx outputs/q1
      cchc extract … --out outputs/q1                     # decisions are kept on every re-run
    """


@review.command(name="export")
@click.argument("out_dir", type=_OUT)
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv"]), default="xlsx", show_default=True,
              help="xlsx: workbook with drop-down lists; csv: UTF-8 with BOM (opens correctly in Excel).")
@click.option("--to", "to", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: OUT_DIR/decisions/review_queue_<time>.xlsx|csv, kept by re-runs).")
def export_cmd(out_dir: Path, fmt: str, to: Path | None) -> None:
    """Write the review queue of OUT_DIR as a file to fill in.

    \b
    One row per flagged figure: file, page, printed code/label/value, the
    proposed indicator and score, the next candidates, and the columns to fill:
      decision         accept | choose | not_indicator
      indicator_id     for choose (drop-down; list with labels on sheet "catalog")
      corrected_value  when the figure was misread (e.g. 120 for "12O")
      reviewer, comment
    Keep the hidden row_key column: it says which figure a row is.

    \b
    Examples:
      cchc review export outputs/q1 --format xlsx
      cchc review export outputs/q1 --format csv --to /tmp/q1_review.csv
    """
    try:
        path, n = export_review(out_dir, fmt, to)
    except (ReviewError, CatalogError) as exc:
        _fail(exc)
    click.echo(f"wrote {n} figure(s) to review to {path}")


@review.command(name="apply")
@click.argument("decisions_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("out_dir", type=_OUT)
@click.option("--reviewer", default=None, help="Reviewer name for rows whose reviewer column is empty.")
@click.option("--dry-run", is_flag=True, help="Check the file and say what would change; change nothing.")
def apply_cmd(decisions_file: Path, out_dir: Path, reviewer: str | None, dry_run: bool) -> None:
    """Check a filled review file and apply its decisions to OUT_DIR.

    If any row is invalid (unknown decision or indicator ID, a corrected value
    that is not a number, a figure no longer in the output, two rows deciding
    the same figure differently) nothing is changed: the problems are listed
    with what to do, and the exit code is 1.

    \b
    Otherwise the decisions are recorded in OUT_DIR/decisions/decisions.jsonl,
    the dataset (values/, review_queue.parquet) is updated in place, and every
    label confirmed for an indicator becomes a steward alias
    (OUT_DIR/decisions/aliases_steward.yaml) used by later runs.

    \b
    Examples:
      cchc review apply q1.xlsx outputs/q1 --dry-run
      cchc review apply q1_review.csv outputs/q1 --reviewer "Nguyễn Thị Hoa"
    """
    try:
        result = apply_review(decisions_file, out_dir, reviewer=reviewer, dry_run=dry_run)
    except (ReviewError, CatalogError) as exc:
        _fail(exc)
    if not result.ok:
        click.echo(f"{decisions_file.name}: {len(result.problems)} problem(s); nothing was changed.\n", err=True)
        click.echo(format_problems(result.problems), err=True)
        sys.exit(1)
    verb = "would record" if dry_run else "recorded"
    click.echo(f"{verb} {len(result.decisions)} decision(s) ({result.unchanged} already in force, "
               f"{result.blank} row(s) left undecided); {result.values_changed} figure(s) "
               f"{'would change' if dry_run else 'changed'}")
    for label, iid in result.aliases_added:
        click.echo(f"{'would add' if dry_run else 'added'} steward alias {iid} ← {label!r}")
    for note in result.alias_notes:
        click.echo(f"note: {note}")


@review.command(name="list")
@click.argument("out_dir", type=_OUT)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(0), help="Rows to show (0: all).")
def list_cmd(out_dir: Path, limit: int) -> None:
    """Show the figures waiting for review, and how many are decided.

    \b
    Example:
      cchc review list outputs/q1 --limit 50
    """
    try:
        s = queue_summary(out_dir)
    except ReviewError as exc:
        _fail(exc)
    rows = s.rows if limit == 0 else s.rows[:limit]
    if rows:
        head = f"{'file':<24} {'page':>4}  {'printed label':<46} {'value':>10}  {'proposed':<28} {'score':>5}  reason"
        click.echo(head)
        click.echo("-" * len(head))
    for r in rows:
        label = " ".join(filter(None, [r["raw_code"], r["raw_label"]]))
        score = "" if r["score"] is None else f"{r['score']:.0f}"
        click.echo(f"{_cut(r['file_name'], 24):<24} {r['page']:>4}  {_cut(label, 46):<46} "
                   f"{_cut(r['raw_value'] or '', 10):>10}  {_cut(r['proposed_indicator'] or '-', 28):<28} "
                   f"{score:>5}  {r['review_reason'] or ''}")
    if len(rows) < len(s.rows):
        click.echo(f"… {len(s.rows) - len(rows)} more (--limit 0 for all)")
    by = ", ".join(f"{n} {k}" for k, n in s.by_decision.items())
    click.echo(f"{s.flagged} flagged, {s.decided} decided" + (f" ({by})" if by else ""))


@review.command(name="aliases")
@click.argument("out_dir", type=_OUT)
@click.option("--remove", "remove", default=None, metavar="LABEL", help="Remove this steward alias.")
def aliases_cmd(out_dir: Path, remove: str | None) -> None:
    """List the steward aliases of OUT_DIR, or remove one (--remove LABEL).

    \b
    Examples:
      cchc review aliases outputs/q1
      cchc review aliases outputs/q1 --remove "Thủ tục mới được công bố, sửa đổi trong kỳ báo cáo"
    """
    try:
        if remove is not None:
            removed = remove_alias(out_dir, remove)
            if not removed:
                raise click.ClickException(f"no steward alias {remove!r} in {out_dir}")
            click.echo(f"removed {remove!r} from {', '.join(removed)}; the next `cchc extract` matches it again")
            return
        aliases = read_aliases(out_dir)
    except ReviewError as exc:
        _fail(exc)
    if not any(aliases.values()):
        click.echo("no steward aliases yet")
        return
    for iid, labels in sorted(aliases.items()):
        for label in labels:
            click.echo(f"{iid:<32} {label}")


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@review.command(name="serve")
@click.argument("out_dir", type=_OUT)
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. The default answers only this computer; give 0.0.0.0 (or this "
                   "computer's address) to let colleagues on the network in.")
def serve_cmd(out_dir: Path, port: int, host: str) -> None:
    """Review flagged figures of OUT_DIR in the browser, each beside its page crop.

    \b
    Opens a local web page (print its address, then Ctrl+C to stop): figures
    grouped by document, the page strip around each figure's box, the printed
    code / label / value, the proposed indicator and the ranked candidates.
    Keys: j/k move, a or Enter accept, n next candidate, x not an indicator,
    c correct the value, i type another indicator ID, u undo. The run report
    is at /report.
    Decisions are checked and stored exactly as by `cchc review apply`
    (OUT_DIR/decisions/decisions.jsonl, append-only; the latest per figure
    wins) and the dataset is updated at once.

    \b
    Examples:
      cchc review serve outputs/q1
      cchc review serve outputs/q1 --port 9000 --host 0.0.0.0
    """
    from cchc.review_web.app import make_server

    try:
        server = make_server(out_dir, host=host, port=port)
    except (ReviewError, CatalogError) as exc:
        _fail(exc)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port} ({exc.strerror}); try another --port") from exc
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    click.echo(f"reviewing {out_dir}: open http://{shown}:{server.effective_port}/  (Ctrl+C to stop)")
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


@click.command(name="report")
@click.argument("out_dir", type=_OUT)
@click.option("--to", "to", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="HTML file to write (default: OUT_DIR/report.html).")
def report_command(out_dir: Path, to: Path | None) -> None:
    """Write the run report of OUT_DIR as one static HTML page.

    \b
    Files by status with their reasons, values by template and page kind, the
    review rate, validation issues and a few charts; opens offline in any
    browser (also served by `cchc review serve` at /report).

    \b
    Examples:
      cchc report outputs/q1
      cchc report outputs/q1 --to /tmp/q1_report.html
    """
    from cchc.report import ReportError, write_report

    try:
        path = write_report(out_dir, to)
    except ReportError as exc:
        _fail(exc)
    click.echo(f"wrote {path}")
