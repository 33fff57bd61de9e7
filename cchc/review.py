"""The data stewards' review loop: export the queue to a workbook, apply what they decided.

No matcher is right every time; the people who own the data — stewards in
the provincial Home Affairs departments — confirm or correct the doubtful
figures, usually in Excel, and must never have to correct the same thing
twice.  So:

- `export_review` turns `OUT/review_queue.parquet` into a workbook (or a CSV
  Excel opens correctly) with drop-downs for the decision and the indicator ID;
- `apply_review` checks a filled file row by row and, only when every row is
  valid, records the decisions (`pipeline.decisions`), updates the dataset in
  place (each Parquet file replaced atomically) and turns confirmed
  label → indicator mappings into steward aliases, so other documents printing
  the same label are matched on the next run without review.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import difflib
import fcntl
import io
import json
import math
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import yaml

from cchc.core.vntext import clean, nfc
from extractors.numbers import parse_value
from indicator_catalog import Catalog, load_catalog
from pipeline.catalog import steward_aliases_path
from pipeline.decisions import (
    DECISION_WORDS,
    Decision,
    append_decisions,
    decided_fields,
    decisions_path,
    latest_decisions,
    now_iso,
)

QUEUE_FILE = "review_queue.parquet"
VALUES_DIR = "values"
REVIEW_SHEET = "review"
CATALOG_SHEET = "catalog"

#: what the steward reads (filled by export), then what the steward fills, then the hidden key
READ_COLUMNS = [
    "file_name",
    "page",
    "raw_code",
    "raw_label",
    "raw_value",
    "column_label",
    "proposed_indicator",
    "proposed_label",
    "score",
    "review_reason",
    "candidates",
    "source",
    "source_path",
]
FILL_COLUMNS = ["decision", "indicator_id", "corrected_value", "reviewer", "comment"]
EXPORT_COLUMNS = [*READ_COLUMNS, *FILL_COLUMNS, "row_key"]

_WIDTHS = {
    "file_name": 22, "page": 6, "raw_code": 9, "raw_label": 48, "raw_value": 12, "column_label": 12,
    "proposed_indicator": 26, "proposed_label": 36, "score": 7, "review_reason": 30, "candidates": 60,
    "source": 9, "source_path": 30, "decision": 14, "indicator_id": 28, "corrected_value": 14,
    "reviewer": 16, "comment": 30, "row_key": 20,
}
_WRAP = {"raw_label", "proposed_label", "review_reason", "candidates", "comment", "source_path"}


class ReviewError(Exception):
    """The review command cannot proceed (no output here, unreadable file); the message says what to do."""


@dataclass
class Problem:
    """One invalid row of a decisions file, phrased for the steward who filled it."""

    row: int  # row number in the file as the steward sees it (Excel row / CSV line; header = 1)
    column: str
    problem: str
    fix: str


@dataclass
class ApplyResult:
    decisions: list[Decision] = field(default_factory=list)  # new decisions (recorded unless dry run)
    problems: list[Problem] = field(default_factory=list)
    unchanged: int = 0  # rows repeating the decision already in force
    blank: int = 0  # rows left undecided
    values_changed: int = 0
    aliases_added: list[tuple[str, str]] = field(default_factory=list)  # (label, indicator_id)
    alias_notes: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


# ----------------------------------------------------------------------------- helpers


def _require_output(out: Path) -> None:
    if not (out / VALUES_DIR).is_dir() or not (out / QUEUE_FILE).exists():
        raise ReviewError(
            f"{out} is not a cchc output (no {VALUES_DIR}/ or {QUEUE_FILE}); "
            "give the folder passed to `cchc extract --out`"
        )


def catalog_for_out(out: Path) -> Catalog:
    """The catalog plus the steward aliases already confirmed for this output."""
    aliases = steward_aliases_path(out)
    return load_catalog(extra_alias_files=(aliases,)) if aliases.exists() else load_catalog()


def _value_parts(out: Path) -> list[Path]:
    return sorted((out / VALUES_DIR).glob("*.parquet"))


def _keys(table: pa.Table) -> pa.ChunkedArray:
    """`pipeline.writer.value_row_key` for every row of a values table at once (Arrow kernels, ~50x faster).

    Must build the same string as `value_row_key`; `tests/test_review.py` holds them equal.
    """

    def col(name: str) -> Any:
        return pc.fill_null(pc.cast(table[name], pa.string()), "")

    return pc.binary_join_element_wise(*(col(c) for c in _KEY_COLUMNS), "|")


_KEY_COLUMNS = ("doc_id", "source", "page", "raw_code", "raw_label", "column_label", "extractor")


def _values_index(out: Path, wanted: Iterable[str]) -> dict[str, dict[str, Any]]:
    """row_key -> the values record (first occurrence), for the wanted keys that exist."""
    want = pa.array(sorted(set(wanted)), type=pa.string())
    index: dict[str, dict[str, Any]] = {}
    if not len(want):
        return index
    for part in _value_parts(out):
        table = pq.read_table(part)
        keys = _keys(table)
        hit = table.filter(pc.is_in(keys, value_set=want))
        for key, rec in zip(_keys(hit).to_pylist(), hit.to_pylist(), strict=True):
            index.setdefault(key, rec)
    return index


def _cell(value: Any) -> str:
    """A cell as the text the steward typed: NFC, trimmed; numbers without a spurious '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        # a number cell: decimal comma, as parse_value reads "1.245" as a thousand and more
        return str(int(value)) if value.is_integer() else f"{value:.12g}".replace(".", ",")
    return nfc(str(value)).strip()


def _candidates_text(cands: Sequence[dict[str, Any]] | None) -> str:
    lines = []
    for c in cands or ():
        code = f" [{c['code']}]" if c.get("code") else ""
        lines.append(f"{c['indicator_id']}{code} — {c['label']} ({c['score']:.0f})")
    return "\n".join(lines)


# ----------------------------------------------------------------------------- export


def queue_rows(out: Path) -> list[dict[str, Any]]:
    """The review queue as export rows (READ_COLUMNS + empty FILL_COLUMNS + row_key), in file/page order."""
    out = Path(out)
    _require_output(out)
    recs = pq.read_table(out / QUEUE_FILE).to_pylist()
    recs.sort(key=lambda r: (r["source_path"] or "", r["page"] or 0, r["bbox"][1] if r["bbox"] else 0.0))
    rows = []
    for r in recs:
        top = (r.get("candidates") or [{}])[0]
        proposed = r.get("indicator_id")
        rows.append({
            "file_name": r["file_name"],
            "page": r["page"],
            "raw_code": r.get("raw_code"),
            "raw_label": r["raw_label"],
            "raw_value": r["raw_value"],
            "column_label": r.get("column_label"),
            "proposed_indicator": proposed,
            "proposed_label": r.get("indicator_label") if proposed else None,
            "score": round(float(r["match_score"]), 1) if proposed else (
                round(float(top["score"]), 1) if top else None),
            "review_reason": r.get("review_reason"),
            "candidates": _candidates_text(r.get("candidates")),
            "source": r["source"],
            "source_path": r["source_path"],
            **{c: None for c in FILL_COLUMNS},
            "row_key": r["row_key"],
        })
    return rows


def default_export_path(out: Path, fmt: str) -> Path:
    """`OUT/decisions/review_queue_<UTC time>.<fmt>`: kept by every re-run, never overwriting a filled file."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    path = decisions_path(out).parent / f"review_queue_{stamp}.{fmt}"
    n = 2
    while path.exists():
        path = path.with_name(f"review_queue_{stamp}-{n}.{fmt}")
        n += 1
    return path


def export_review(out: Path, fmt: str, to: Path | None = None, catalog: Catalog | None = None) -> tuple[Path, int]:
    """Write the review queue as an Excel workbook (`xlsx`) or a CSV; returns (path, rows)."""
    out = Path(out)
    rows = queue_rows(out)
    if fmt not in ("xlsx", "csv"):
        raise ReviewError(f"unknown format {fmt!r}: use xlsx or csv")
    target = Path(to) if to else default_export_path(out, fmt)
    target.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        _write_csv(target, rows)
    else:
        _write_xlsx(target, rows, catalog or catalog_for_out(out))
    return target, len(rows)


def _write_csv(target: Path, rows: list[dict[str, Any]]) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=EXPORT_COLUMNS, lineterminator="\r\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: "" if r[k] is None else r[k] for k in EXPORT_COLUMNS})
    _atomic_write_bytes(target, buf.getvalue().encode("utf-8-sig"))  # the BOM makes Excel read UTF-8


def _write_xlsx(target: Path, rows: list[dict[str, Any]], catalog: Catalog) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = REVIEW_SHEET
    ws.append(EXPORT_COLUMNS)
    for r in rows:
        ws.append([r[c] for c in EXPORT_COLUMNS])
    n = len(rows) + 1
    col = {name: get_column_letter(i + 1) for i, name in enumerate(EXPORT_COLUMNS)}

    bold = Font(bold=True)
    fill_header = PatternFill("solid", fgColor="FFF2CC")  # the columns to fill, in yellow
    for i, name in enumerate(EXPORT_COLUMNS, 1):
        c = ws.cell(row=1, column=i)
        c.font = bold
        c.alignment = Alignment(wrap_text=True, vertical="top")
        if name in FILL_COLUMNS:
            c.fill = fill_header
        ws.column_dimensions[get_column_letter(i)].width = _WIDTHS.get(name, 14)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    unlocked = Protection(locked=False)
    for row in ws.iter_rows(min_row=2, max_row=n):
        for name, c in zip(EXPORT_COLUMNS, row, strict=True):
            c.alignment = wrap if name in _WRAP else top
            if name in FILL_COLUMNS:
                c.protection = unlocked
    # room to fill rows a steward adds below (e.g. pasted from a colleague) stays editable too
    ws.column_dimensions[col["row_key"]].hidden = True
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{col['row_key']}{n}"
    # the printed data and the key are locked; sorting, filtering and resizing stay allowed
    ws.protection.sheet = True
    ws.protection.autoFilter = False
    ws.protection.sort = False
    ws.protection.formatColumns = False
    ws.protection.formatRows = False

    cat = wb.create_sheet(CATALOG_SHEET)
    cat.append(["indicator_id", "label", "unit", "value_kind", "printed in"])
    for iid in sorted(catalog.indicators):
        ind = catalog.indicators[iid]
        where = ", ".join(sorted({f"{r.template_id} {r.code}" for r in catalog.rows_for_indicator(iid)}))
        cat.append([iid, ind.label, ind.unit, ind.value_kind, where])
    for i, w in enumerate([34, 70, 14, 11, 60], 1):
        cat.column_dimensions[get_column_letter(i)].width = w
    for c in cat[1]:
        c.font = bold
    cat.freeze_panes = "A2"
    last = len(catalog.indicators) + 1

    if n >= 2:
        dv_decision = DataValidation(type="list", formula1='"' + ",".join(DECISION_WORDS) + '"', allow_blank=True,
                                     showErrorMessage=True, errorTitle="decision",
                                     error="accept, choose or not_indicator",
                                     promptTitle="decision",
                                     prompt="accept: the proposed indicator is right; choose: write the right "
                                            "indicator_id; not_indicator: this is not a figure of any indicator")
        dv_decision.add(f"{col['decision']}2:{col['decision']}{n}")
        dv_id = DataValidation(type="list", formula1=f"{CATALOG_SHEET}!$A$2:$A${last}", allow_blank=True,
                               showErrorMessage=True, errorTitle="indicator_id",
                               error="pick an ID from the catalog sheet",
                               promptTitle="indicator_id", prompt="for choose: the right indicator (sheet catalog)")
        dv_id.add(f"{col['indicator_id']}2:{col['indicator_id']}{n}")
        ws.add_data_validation(dv_decision)
        ws.add_data_validation(dv_id)

    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        _umask_mode(tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# ----------------------------------------------------------------------------- reading a filled file


def read_decision_file(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(row number as the steward sees it, {column: text}) for every non-empty row below the header.

    Columns are found by their header, so reordered or extra columns are fine.
    Reads `.xlsx` (sheet "review", else the first) and CSV (UTF-8 with or
    without BOM, else Windows-1258 as Excel saves it; `,` `;` or tab).
    """
    path = Path(path)
    if not path.exists():
        raise ReviewError(f"{path} not found")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix in (".csv", ".txt", ".tsv"):
        return _read_csv(path)
    raise ReviewError(f"{path.name}: expected a .xlsx workbook or a .csv file")


def _rows_from(header: Sequence[Any], body: Iterable[tuple[int, Sequence[Any]]], name: str
               ) -> list[tuple[int, dict[str, str]]]:
    cols = [_cell(h).lower() for h in header]
    missing = [c for c in ("row_key", "decision") if c not in cols]
    if missing:
        raise ReviewError(
            f"{name}: no column {', '.join(missing)} in the header row; "
            "fill the file made by `cchc review export` without renaming its columns"
        )
    out = []
    for n, values in body:
        rec = {c: _cell(v) for c, v in zip(cols, values, strict=False) if c}
        if any(rec.values()):  # skip only wholly empty rows (Excel keeps some below the data)
            out.append((n, rec))
    return out


def _read_xlsx(path: Path) -> list[tuple[int, dict[str, str]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ReviewError(f"{path.name}: cannot read the workbook ({exc}); save it again as .xlsx") from exc
    try:
        ws = wb[REVIEW_SHEET] if REVIEW_SHEET in wb.sheetnames else wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise ReviewError(f"{path.name}: the sheet is empty")
        return _rows_from(header, ((i, r) for i, r in enumerate(rows, 2)), path.name)
    finally:
        wb.close()


def _read_csv(path: Path) -> list[tuple[int, dict[str, str]]]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1258", errors="replace")
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample.splitlines()[0] if sample else "", delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    header = next(reader, None)
    if header is None:
        raise ReviewError(f"{path.name}: the file is empty")
    # the row number Excel shows when it opens the file (a cell may span several lines)
    body = [(i, row) for i, row in enumerate(reader, 2)]
    return _rows_from(header, body, path.name)


# ----------------------------------------------------------------------------- checking


def _suggest(catalog: Catalog, text: str) -> str:
    close = difflib.get_close_matches(text.upper(), list(catalog.indicators), n=3, cutoff=0.6)
    if not close:
        close = [i.id for i in catalog.search(text)[:3]]
    return f" (did you mean {', '.join(close)}?)" if close else ""


def check_decisions(path: Path, out: Path, reviewer: str | None = None, catalog: Catalog | None = None,
                    ) -> tuple[list[tuple[int, Decision]], list[Problem], int]:
    """Validate a filled file against the output; returns ([(row, decision)], problems, blank rows).

    Every row is checked (not only the first bad one), so the steward fixes
    the file in one pass.
    """
    out = Path(out)
    _require_output(out)
    return check_rows(read_decision_file(path), out, reviewer, catalog, Path(path).name)


def check_rows(rows: Sequence[tuple[int, dict[str, str]]], out: Path, reviewer: str | None = None,
               catalog: Catalog | None = None, source_file: str = "",
               ) -> tuple[list[tuple[int, Decision]], list[Problem], int]:
    """`check_decisions` for rows already read (`read_decision_file`'s shape), e.g. from the web review page."""
    out = Path(out)
    catalog = catalog or catalog_for_out(out)
    index = _values_index(out, (rec.get("row_key", "") for _, rec in rows))
    decided_at = now_iso()
    problems: list[Problem] = []
    found: list[tuple[int, Decision]] = []
    verdicts: list[tuple[int, str, tuple[str, str, str]]] = []
    blank = 0
    for n, rec in rows:
        word = rec.get("decision", "").lower().replace(" ", "_").replace("-", "_")
        key = rec.get("row_key", "")
        iid = rec.get("indicator_id", "").strip()
        if iid.upper() in catalog.indicators:
            iid = iid.upper()  # typed by hand in lower case
        corrected = rec.get("corrected_value", "")
        who = rec.get("reviewer") or (reviewer or "")
        before = len(problems)

        if not word:
            if iid or corrected:
                problems.append(Problem(n, "decision", "indicator_id or corrected_value filled but no decision",
                                        "write accept, choose or not_indicator in the decision column"))
            else:
                blank += 1
            continue
        verdicts.append((n, key, (word, iid, corrected)))
        if word not in DECISION_WORDS:
            problems.append(Problem(n, "decision", f"unknown decision {rec.get('decision')!r}",
                                    "use accept, choose or not_indicator"))
        if not key:
            problems.append(Problem(n, "row_key", "the hidden row_key is empty",
                                    "do not clear the row_key column; copy the row from a fresh `cchc review export`"))
            continue
        target = index.get(key)
        if target is None:
            problems.append(Problem(n, "row_key", "this figure is no longer in the output (the file was changed, "
                                    "removed or re-extracted differently)",
                                    "export the queue again (`cchc review export`) and decide on the new rows"))
            continue
        if not who:
            problems.append(Problem(n, "reviewer", "no reviewer", "fill the reviewer column or pass --reviewer NAME"))

        chosen: str | None = None
        if word == "choose":
            if not iid:
                problems.append(Problem(n, "indicator_id", "choose needs an indicator_id",
                                        "pick the right ID from the catalog sheet"))
            elif iid not in catalog.indicators:
                problems.append(Problem(n, "indicator_id", f"unknown indicator ID {iid!r}{_suggest(catalog, iid)}",
                                        "pick an ID from the catalog sheet (`cchc catalog show ID` to check)"))
            chosen = iid
        elif word == "accept":
            proposed = rec.get("proposed_indicator") or target.get("indicator_id")
            if not proposed:
                problems.append(Problem(n, "decision", "accept, but nothing was proposed for this row",
                                        "write choose and fill indicator_id, or not_indicator"))
            elif iid and iid != proposed:
                problems.append(Problem(n, "indicator_id", f"accept keeps {proposed}, but indicator_id says {iid}",
                                        "write choose to take another indicator, or clear indicator_id"))
            elif proposed not in catalog.indicators:
                problems.append(Problem(n, "decision", f"the proposed indicator {proposed!r} is not in the catalog",
                                        "write choose and pick an ID from the catalog sheet"))
            chosen = proposed
        elif word == "not_indicator" and iid:
            problems.append(Problem(n, "indicator_id", "not_indicator takes no indicator_id",
                                    "clear indicator_id, or write choose to map the row to it"))

        value_num: float | None = None
        value_text: str | None = None
        if corrected:
            value_num, value_text, why = _parse_corrected(corrected, chosen, target, catalog)
            if why:
                problems.append(Problem(n, "corrected_value", why,
                                        "write a number as printed (e.g. 1.245 or 12,5), a coded answer from the "
                                        "unit legend, or leave it empty"))
        if len(problems) > before:
            continue
        found.append((n, Decision(
            row_key=key,
            doc_id=target["doc_id"],
            decision=word,
            indicator_id=chosen if word != "not_indicator" else None,
            corrected_value=corrected or None,
            value_num=value_num,
            value_text=value_text,
            reviewer=who,
            decided_at=decided_at,
            source_file=source_file,
            comment=rec.get("comment") or None,
        )))
    problems.extend(_conflicts(verdicts))
    return found, problems, blank


_LOOKALIKE_NUMBER = re.compile(r"^[+\-\u2212]?[\d.,\s]*[lIoO|][\dlIoO|.,\s]*%?$")


def typed_number_problem(text: str) -> str | None:
    """A steward's typed value is taken as typed: "l2" or "1O" is refused, not repaired to 12 or 10.

    The OCR digit repair in parse_value is for scans; a person who typed a
    letter for a digit should be asked, not second-guessed.
    """
    t = text.strip()
    if any(c.isdigit() for c in t) and _LOOKALIKE_NUMBER.match(t):
        return f"{text!r} mixes letters into a number (l, I, O are not digits); type the digits, e.g. 12 or 10"
    return None


def _parse_corrected(text: str, indicator_id: str | None, target: dict[str, Any], catalog: Catalog
                     ) -> tuple[float | None, str | None, str | None]:
    """(value_num, value_text, problem) for a corrected value, judged by the indicator's kind."""
    ind = catalog.indicators.get(indicator_id) if indicator_id else None
    codes = dict(ind.codes) if ind is not None and ind.codes else None
    typo = typed_number_problem(text)
    if typo:
        return None, None, typo
    parsed = parse_value(text, codes=codes, unit=target.get("unit") or (ind.unit if ind else None))
    kind = ind.value_kind if ind is not None else None
    if parsed.kind in ("text", "fraction") and kind not in ("text", None):
        what = f"a coded answer ({' / '.join(f'{k} = {v}' for k, v in codes.items())})" if codes else "a number"
        return None, None, f"{text!r} is not {what}, as {indicator_id} ({kind}) needs"
    if parsed.kind == "blank":
        return None, None, "the corrected value is blank"
    if kind == "percent" and parsed.value_num is not None and not 0 <= parsed.value_num <= 100:
        return None, None, f"{text!r} is not a percentage between 0 and 100"
    return parsed.value_num, parsed.value_text, None


def _conflicts(verdicts: list[tuple[int, str, tuple[str, str, str]]]) -> list[Problem]:
    """Rows deciding the same figure differently; identical repeats are harmless."""
    by_key: dict[str, list[tuple[int, tuple[str, str, str]]]] = {}
    for n, key, verdict in verdicts:
        if key:
            by_key.setdefault(key, []).append((n, verdict))
    problems = []
    for group in by_key.values():
        if len({v for _, v in group}) > 1:
            rows = ", ".join(str(n) for n, _ in group)
            for n, _ in group:
                problems.append(Problem(n, "decision", f"rows {rows} decide the same figure differently",
                                        "keep one decision for this figure and clear the others"))
    return problems


def format_problems(problems: Sequence[Problem]) -> str:
    """A plain-text table: row, column, problem, what to do."""
    head = ("row", "column", "problem", "what to do")
    body = [(str(p.row), p.column, p.problem, p.fix) for p in sorted(problems, key=lambda p: (p.row, p.column))]
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(3)]
    lines = []
    for r in [head, *body]:
        lines.append("  ".join(r[i].ljust(widths[i]) for i in range(3)) + "  " + r[3])
    lines.insert(1, "  ".join("-" * w for w in widths) + "  " + "-" * 10)
    return "\n".join(lines)


# ----------------------------------------------------------------------------- applying


def apply_review(path: Path, out: Path, reviewer: str | None = None, dry_run: bool = False) -> ApplyResult:
    """Check a filled file; if every row is valid, record and apply its decisions (nothing otherwise)."""
    out = Path(out)
    _require_output(out)
    with _apply_lock(out):
        return _apply_locked(read_decision_file(path), Path(path).name, out, reviewer, dry_run)


def apply_rows(rows: Sequence[tuple[int, dict[str, str]]], out: Path, source_file: str,
               reviewer: str | None = None, dry_run: bool = False) -> ApplyResult:
    """`apply_review` for rows already in memory (the web review page): same checks, store and update."""
    out = Path(out)
    _require_output(out)
    with _apply_lock(out):
        return _apply_locked(list(rows), source_file, out, reviewer, dry_run)


@contextlib.contextmanager
def _apply_lock(out: Path) -> Iterator[None]:
    """One apply at a time per output: two stewards applying at once would each rewrite values/.

    The lock is taken on the output folder itself, so a check that fails or a
    dry run leaves no trace in it.
    """
    fd = os.open(out, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ReviewError(f"another `cchc review apply` is updating {out}; try again when it is done") from None
        yield
    finally:
        os.close(fd)  # releases the lock


def _apply_locked(rows: Sequence[tuple[int, dict[str, str]]], source_file: str, out: Path,
                  reviewer: str | None, dry_run: bool) -> ApplyResult:
    catalog = catalog_for_out(out)
    found, problems, blank = check_rows(rows, out, reviewer, catalog, source_file)
    result = ApplyResult(problems=problems, blank=blank, dry_run=dry_run)
    if problems:
        return result
    in_force = latest_decisions(out)
    seen: set[str] = set()
    new: list[Decision] = []
    for _, d in found:
        if d.row_key in seen:
            continue  # an identical repeat within the file
        seen.add(d.row_key)
        old = in_force.get(d.row_key)
        if old is not None and old.same_verdict(d):
            result.unchanged += 1
        else:
            new.append(d)
    result.decisions = new
    index = _values_index(out, (d.row_key for d in new))
    pairs = _alias_pairs(new, index)
    if dry_run:
        result.values_changed = len(new)
        result.aliases_added, result.alias_notes = plan_aliases(out, pairs, catalog)
        return result
    append_decisions(out, new)
    latest = latest_decisions(out)
    result.values_changed = update_dataset(out, latest, catalog, previous=in_force)
    result.aliases_added, result.alias_notes = add_aliases(out, pairs, catalog)
    return result


def update_dataset(out: Path, latest: dict[str, Decision], catalog: Catalog,
                   previous: dict[str, Decision] | None = None) -> int:
    """Lay every decision in force over `values/` and the review queue; returns figures changed.

    Idempotent: all decisions are applied each time and only files whose rows
    change are rewritten.  Each file is written beside itself and renamed over
    the old one (atomic per file); should a crash fall between two files, the
    next apply (or extract) makes them consistent again from the store.
    `previous` are the decisions in force before this apply: a figure whose
    earlier decision corrected its value gets its extracted value back when
    the new decision does not correct it.
    """
    out = Path(out)
    previous = previous or {}
    decided_keys = pa.array(sorted(latest), type=pa.string())
    changed_rows = needs_review = decided = 0
    for part in _value_parts(out):
        table = pq.read_table(part)
        keys = _keys(table)
        positions = pc.indices_nonzero(pc.is_in(keys, value_set=decided_keys)).to_pylist()
        if positions:
            sub = table.take(positions)
            columns = {name: table[name].to_pylist() for name in _DECIDED_COLUMNS}
            touched = False
            for pos, key, rec in zip(positions, _keys(sub).to_pylist(), sub.to_pylist(), strict=True):
                d = latest[key]
                if d.indicator_id and d.indicator_id not in catalog.indicators:
                    continue  # the catalog lost the indicator: leave the figure as extracted
                decided += 1
                original = (rec["value_num"], rec["value_text"])
                old = previous.get(key)
                if old is not None and old.corrected_value is not None and d.corrected_value is None:
                    original = _reparse(rec, catalog)
                fields = decided_fields(d, catalog, rec.get("template_id"), original)
                if any(rec.get(k) != v for k, v in fields.items() if k != "review_reason"):
                    changed_rows += 1
                if any(rec.get(k) != v for k, v in fields.items()):
                    for name, value in fields.items():
                        columns[name][pos] = value
                    touched = True
            if touched:
                for name, values in columns.items():
                    i = table.schema.get_field_index(name)
                    table = table.set_column(i, table.schema.field(i), pa.array(values, type=table.schema.field(i).type))
                _atomic_table(part, table)
        needs_review += pc.sum(table["needs_review"].cast(pa.int64())).as_py() or 0
    queue = pq.read_table(out / QUEUE_FILE)
    open_rows = pc.invert(pc.is_in(queue["row_key"], value_set=decided_keys))
    if pc.sum(open_rows.cast(pa.int64())).as_py() != queue.num_rows:
        _atomic_table(out / QUEUE_FILE, queue.filter(open_rows))
    _update_run_json(out, needs_review, decided)
    return changed_rows


_DECIDED_COLUMNS = ("indicator_id", "indicator_code", "indicator_label", "match_score", "match_method",
                    "needs_review", "review_reason", "value_num", "value_text")


def _reparse(rec: dict[str, Any], catalog: Catalog) -> tuple[float | None, str | None]:
    """The extracted value of a figure whose earlier decision had corrected it."""
    codes = None
    tid, code = rec.get("template_id"), rec.get("indicator_code")
    if tid in catalog.templates and code:
        row = catalog.template(tid).row(code)
        codes = dict(row.codes) if row is not None and row.codes else None
    p = parse_value(rec.get("raw_value") or "", codes=codes, unit=rec.get("unit"))
    return p.value_num, p.value_text


def _umask_mode(path: str | Path) -> None:
    """mkstemp makes private 0600 files; the dataset's files get what the user's umask gives (0644)."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(path, 0o666 & ~mask)


def _atomic_table(path: Path, table: pa.Table) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        pq.write_table(table, tmp, compression="zstd")
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        _umask_mode(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        _umask_mode(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _update_run_json(out: Path, needs_review: int, decided: int) -> None:
    path = out / "run.json"
    if not path.exists():
        return
    info = json.loads(path.read_text(encoding="utf-8"))
    info.setdefault("values", {})["needs_review"] = needs_review
    info["review"] = {"decided_values": decided, "decisions_file": str(decisions_path(out).relative_to(out)),
                      "last_applied_at": now_iso()}
    _atomic_write_bytes(path, (json.dumps(info, ensure_ascii=False, indent=2, default=str) + "\n").encode())


# ----------------------------------------------------------------------------- steward aliases

_ALIAS_HEADER = (
    "# Steward aliases: printed labels confirmed by data stewards (cchc review apply).\n"
    "# Format: INDICATOR_ID: [label, ...]. Merged into the catalog for every later run into this output.\n"
    "# To undo one: delete its line, or `cchc review aliases OUT --remove LABEL`.\n"
)


def read_aliases(out: Path) -> dict[str, list[str]]:
    path = steward_aliases_path(Path(out))
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ReviewError(f"{path}: expected a mapping INDICATOR_ID -> [labels]")
    return {str(k): [clean(a) for a in (v or [])] for k, v in data.items()}


def write_aliases(out: Path, aliases: dict[str, list[str]]) -> Path:
    path = steward_aliases_path(Path(out))
    path.parent.mkdir(parents=True, exist_ok=True)
    kept = {k: v for k, v in sorted(aliases.items()) if v}
    body = yaml.safe_dump(kept, allow_unicode=True, sort_keys=True, default_flow_style=False, width=1000)
    _atomic_write_bytes(path, (_ALIAS_HEADER + (body if kept else "{}\n")).encode("utf-8"))
    return path


def _alias_pairs(decisions: Iterable[Decision], index: dict[str, dict[str, Any]]) -> list[tuple[str, str]]:
    """(printed label, indicator) confirmed on table rows; a label confirmed for two indicators is ambiguous."""
    pairs = []
    for d in decisions:
        rec = index.get(d.row_key)
        if d.decision in ("accept", "choose") and d.indicator_id and rec and rec["source"] == "table":
            label = clean(rec["raw_label"])
            if label:
                pairs.append((label, d.indicator_id))
    return pairs


def plan_aliases(out: Path, pairs: Sequence[tuple[str, str]], catalog: Catalog
                 ) -> tuple[list[tuple[str, str]], list[str]]:
    """Which aliases `add_aliases` would add, and notes on those it would not (or would move)."""
    return _merge_aliases(read_aliases(out), pairs, catalog)[1:]


def add_aliases(out: Path, pairs: Sequence[tuple[str, str]], catalog: Catalog
                ) -> tuple[list[tuple[str, str]], list[str]]:
    """Add confirmed labels to `OUT/decisions/aliases_steward.yaml`; returns (added, notes)."""
    merged, added, notes = _merge_aliases(read_aliases(out), pairs, catalog)
    if added:
        write_aliases(out, merged)
    return added, notes


def _merge_aliases(current: dict[str, list[str]], pairs: Sequence[tuple[str, str]], catalog: Catalog
                   ) -> tuple[dict[str, list[str]], list[tuple[str, str]], list[str]]:
    merged = {k: list(v) for k, v in current.items()}
    notes: list[str] = []
    printed: dict[str, set[str]] = {}  # every catalog label (not steward aliases) -> indicators it names
    for ind in catalog.indicators.values():
        steward = {a.casefold() for a in current.get(ind.id, [])}
        for s in catalog.labels_for(ind.id):
            if s.casefold() not in steward:
                printed.setdefault(s.casefold(), set()).add(ind.id)
    targets: dict[str, set[str]] = {}
    for label, iid in pairs:
        targets.setdefault(label.casefold(), set()).add(iid)
    added: list[tuple[str, str]] = []
    done: set[str] = set()
    for label, iid in pairs:
        fold = label.casefold()
        if fold in done:
            continue
        done.add(fold)
        if len(targets[fold]) > 1:
            notes.append(f"{label!r} was confirmed as {', '.join(sorted(targets[fold]))}: "
                         "not added as an alias (the label alone cannot tell them apart)")
            continue
        if any(fold == a.casefold() for a in merged.get(iid, [])) or printed.get(fold) == {iid}:
            continue  # already known for this indicator
        others = printed.get(fold, set()) - {iid}
        if others:
            notes.append(f"{label!r} is printed for {', '.join(sorted(others))} in the catalog: not added as an "
                         f"alias of {iid} (the label alone cannot tell them apart; the decision itself is kept)")
            continue
        for other, labels in merged.items():
            kept = [a for a in labels if a.casefold() != fold]
            if len(kept) != len(labels):
                notes.append(f"{label!r} moved from {other} to {iid} (latest decision wins)")
                merged[other] = kept
        merged.setdefault(iid, []).append(label)
        added.append((label, iid))
    return merged, added, notes


def remove_alias(out: Path, label: str) -> list[str]:
    """Remove a steward alias (any indicator); returns the indicator IDs it was removed from."""
    fold = clean(label).casefold()
    current = read_aliases(out)
    removed = [iid for iid, labels in current.items() if any(a.casefold() == fold for a in labels)]
    if removed:
        write_aliases(out, {iid: [a for a in labels if a.casefold() != fold] for iid, labels in current.items()})
    return removed


# ----------------------------------------------------------------------------- listing


@dataclass
class QueueSummary:
    rows: list[dict[str, Any]]
    flagged: int  # figures still waiting for a steward
    decided: int  # figures of this output with a decision in force
    by_decision: dict[str, int]


def queue_summary(out: Path) -> QueueSummary:
    """What `cchc review list` prints: the open queue and the decisions already in force."""
    out = Path(out)
    rows = queue_rows(out)
    latest = latest_decisions(out)
    keys = set(_values_index(out, latest))
    live = [d for k, d in latest.items() if k in keys]
    return QueueSummary(rows=rows, flagged=len(rows), decided=len(live),
                        by_decision=dict(sorted(Counter(d.decision for d in live).items())))
