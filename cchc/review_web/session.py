"""What the web review page does to an output: list the queue, decide, undo.

Deciding goes through `cchc.review.apply_rows` — the very checks, decisions
store, dataset update and alias learning of `cchc review apply` — so a figure
decided in the browser and one decided in Excel are indistinguishable but for
`source_file`.  Undo appends an `undo` line to the store (it stays
append-only: two stewards never lose each other's decisions) and puts the
figure back as it was extracted, from a snapshot taken just before the first
decision on it (`OUT/decisions/review_originals.jsonl`), because
`update_dataset` overwrites the matcher's proposal in place.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from cchc.core.vntext import clean
from cchc.review import (
    _DECIDED_COLUMNS,
    QUEUE_FILE,
    ApplyResult,
    ReviewError,
    _alias_pairs,
    _apply_lock,
    _atomic_table,
    _keys,
    _require_output,
    _value_parts,
    _values_index,
    apply_rows,
    catalog_for_out,
    read_aliases,
    update_dataset,
    write_aliases,
)
from indicator_catalog import Catalog
from pipeline.decisions import (
    UNDO,
    Decision,
    append_decisions,
    decision_histories,
    decisions_path,
    latest_decisions,
    now_iso,
)

SOURCE = "cchc review serve"
ORIGINALS_FILE = "review_originals.jsonl"
_LOCK_WAIT_S = 10.0
_PERHAPS = re.compile(r"perhaps ([A-Z][A-Z0-9_]+)")


@dataclass
class Outcome:
    """What the page shows after an action: done (with the decisions now in force) or refused (and why)."""

    ok: bool
    message: str
    problems: list[dict[str, str]] = field(default_factory=list)  # row_key, column, problem, fix
    decisions: list[dict[str, Any]] = field(default_factory=list)  # in force after the action

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "message": self.message, "problems": self.problems, "decisions": self.decisions}


def decision_json(d: Decision) -> dict[str, Any]:
    return {"row_key": d.row_key, "decision": d.decision, "indicator_id": d.indicator_id,
            "corrected_value": d.corrected_value, "reviewer": d.reviewer, "decided_at": d.decided_at,
            "source_file": d.source_file}


def originals_path(out: Path) -> Path:
    return decisions_path(out).parent / ORIGINALS_FILE


class ReviewSession:
    """One output under review by one server; its lock serialises the browsers it serves."""

    def __init__(self, out: Path) -> None:
        self.out = Path(out)
        _require_output(self.out)
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ reading

    def catalog(self) -> Catalog:
        return catalog_for_out(self.out)

    def figures(self) -> list[dict[str, Any]]:
        """The open queue, in file / page / top-to-bottom order, each with its ranked choices."""
        catalog = self.catalog()
        recs = pq.read_table(self.out / QUEUE_FILE).to_pylist()
        recs.sort(key=lambda r: (r["source_path"] or "", r["page"] or 0, (r["bbox"] or [0, 0])[1]))
        rows = []
        for r in recs:
            choices: list[dict[str, Any]] = []
            if r.get("indicator_id"):
                choices.append({"indicator_id": r["indicator_id"], "code": r.get("indicator_code"),
                                "label": r.get("indicator_label"), "score": float(r["match_score"]),
                                "proposed": True})
            for c in r.get("candidates") or ():
                if c["indicator_id"] not in {x["indicator_id"] for x in choices} and \
                        c["indicator_id"] in catalog.indicators:
                    choices.append({"indicator_id": c["indicator_id"], "code": c.get("code"), "label": c["label"],
                                    "score": float(c["score"]), "proposed": False})
            for iid in _PERHAPS.findall(r.get("review_reason") or ""):  # a narrative pattern's hint
                if iid in catalog.indicators and iid not in {x["indicator_id"] for x in choices}:
                    choices.append({"indicator_id": iid, "code": None, "label": catalog.indicators[iid].label,
                                    "score": None, "proposed": False})
            rows.append({**{k: r.get(k) for k in ("row_key", "doc_id", "file_name", "source_path", "page", "bbox",
                                                   "source", "raw_code", "raw_label", "raw_value", "column_label",
                                                   "review_reason")},
                         "proposed": r.get("indicator_id"), "choices": choices[:6]})
        return rows

    def decided(self) -> list[dict[str, Any]]:
        """Decisions in force on figures of this output, newest first, with what they are about."""
        latest = latest_decisions(self.out)
        index = _values_index(self.out, latest)
        rows = []
        for key, d in latest.items():
            rec = index.get(key)
            if rec is None:
                continue
            rows.append({**decision_json(d), "file_name": rec["file_name"], "page": rec["page"],
                         "raw_code": rec.get("raw_code"), "raw_label": rec["raw_label"],
                         "raw_value": rec["raw_value"], "value_num": rec["value_num"]})
        rows.sort(key=lambda r: r["decided_at"], reverse=True)
        return rows

    # ------------------------------------------------------------------ deciding

    def decide(self, items: Sequence[dict[str, Any]], reviewer: str) -> Outcome:
        """Record decisions ({row_key, decision, indicator_id?, corrected_value?, comment?}); all or none."""
        reviewer = clean(reviewer or "").strip()
        if not reviewer:
            return Outcome(False, "Type your name in the reviewer box first: every decision records who made it.")
        if not items:
            return Outcome(False, "Nothing to decide.")
        rows = []
        for n, item in enumerate(items, 1):
            rows.append((n, {"row_key": str(item.get("row_key") or ""),
                             "decision": str(item.get("decision") or ""),
                             "indicator_id": str(item.get("indicator_id") or ""),
                             # what the page showed as proposed: a stale page accepts what it showed
                             "proposed_indicator": str(item.get("proposed_indicator") or ""),
                             "corrected_value": clean(str(item.get("corrected_value") or "")).strip(),
                             "reviewer": reviewer,
                             "comment": clean(str(item.get("comment") or "")).strip()}))
        with self._exclusive():
            result = _apply_waiting(rows, self.out, dry_run=True)  # refused input leaves no trace at all
            if result.ok:
                self._snapshot([rec["row_key"] for _, rec in rows])
                result = _apply_waiting(rows, self.out, dry_run=False)
        if not result.ok:
            keys = {n: rec["row_key"] for n, rec in rows}
            problems = [{"row_key": keys.get(p.row, ""), "column": p.column, "problem": p.problem, "fix": p.fix}
                        for p in result.problems]
            return Outcome(False, "Refused, nothing was changed: " + "; ".join(
                f"{p['problem']} — {p['fix']}" for p in problems), problems)
        latest = latest_decisions(self.out)
        done = [decision_json(latest[rec["row_key"]]) for _, rec in rows if rec["row_key"] in latest]
        note = "".join(f" Learned alias {iid} ← “{label}”." for label, iid in result.aliases_added)
        return Outcome(True, f"Recorded {len(result.decisions)} decision(s)"
                             f"{f', {result.unchanged} already in force' if result.unchanged else ''}.{note}",
                       decisions=done)

    def undo(self, items: Sequence[dict[str, Any]], reviewer: str) -> Outcome:
        """Withdraw decisions ({row_key, decided_at}) still in force; refused if someone decided since."""
        reviewer = clean(reviewer or "").strip() or "?"
        with self._exclusive(), _lock_output(self.out):
            history = decision_histories(self.out)
            before = {key: stack[-1] for key, stack in history.items() if stack}
            originals = self._originals()
            problems = []
            withdrawn: list[Decision] = []
            for item in items:
                key = str(item.get("row_key") or "")
                cur = before.get(key)
                if cur is None:
                    problems.append({"row_key": key, "column": "decision",
                                     "problem": "this figure has no decision in force to undo",
                                     "fix": "reload the page to see where it stands"})
                    continue
                if cur.decided_at != item.get("decided_at") or cur.reviewer != item.get("reviewer"):
                    problems.append({"row_key": key, "column": "decision",
                                     "problem": f"this figure has been decided again since ({cur.decision} by "
                                                f"{cur.reviewer} at {cur.decided_at})",
                                     "fix": "reload the page and decide it again if needed"})
                    continue
                if len(history[key]) < 2 and key not in originals:
                    problems.append({"row_key": key, "column": "decision",
                                     "problem": "decided outside this page: its extracted state was not kept",
                                     "fix": "decide it again instead of undoing"})
                    continue
                withdrawn.append(cur)
            if problems:
                return Outcome(False, "Undo refused, nothing was changed: " + "; ".join(
                    p["problem"] for p in problems), problems)
            append_decisions(self.out, [Decision(
                row_key=d.row_key, doc_id=d.doc_id, decision=UNDO, indicator_id=None, corrected_value=None,
                value_num=None, value_text=None, reviewer=reviewer, decided_at=now_iso(), source_file=SOURCE,
                comment=f"withdraws {d.decision} {d.indicator_id or ''} by {d.reviewer} of {d.decided_at}".replace(
                    "  ", " ")) for d in withdrawn])
            after = latest_decisions(self.out)
            reopened = {d.row_key: originals[d.row_key] for d in withdrawn if d.row_key not in after}
            _restore(self.out, reopened)
            catalog = self.catalog()
            update_dataset(self.out, after, catalog, previous=before)
            _drop_unbacked_aliases(self.out, withdrawn, after)
        return Outcome(True, f"Undid {len(withdrawn)} decision(s).",
                       decisions=[decision_json(after[d.row_key]) for d in withdrawn if d.row_key in after])

    # ------------------------------------------------------------------ internals

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        with self._lock:
            yield

    def _originals(self) -> dict[str, dict[str, Any]]:
        path = originals_path(self.out)
        found: dict[str, dict[str, Any]] = {}
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    rec = json.loads(line)
                    found[rec["row_key"]] = rec
        return found

    def _snapshot(self, keys: Sequence[str]) -> None:
        """Keep the extracted state of open figures about to be decided, so that undo can restore it."""
        want = set(keys)
        queue = {r["row_key"]: r for r in pq.read_table(self.out / QUEUE_FILE).to_pylist() if r["row_key"] in want}
        if not queue:
            return
        known = self._originals()
        values = _values_index(self.out, queue)
        lines = []
        for key, q in queue.items():
            rec = values.get(key)
            if rec is None:
                continue
            snap = {"row_key": key, "values": {c: rec[c] for c in _DECIDED_COLUMNS}, "queue": q}
            if known.get(key) != snap:
                lines.append(json.dumps(snap, ensure_ascii=False, sort_keys=True) + "\n")
        if lines:
            path = originals_path(self.out)
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as fh:
                fh.write("".join(lines))


def _apply_waiting(rows: list[tuple[int, dict[str, str]]], out: Path, dry_run: bool) -> ApplyResult:
    """`apply_rows`, waiting (a little) while another server or an Excel apply holds the output."""
    deadline = time.monotonic() + _LOCK_WAIT_S
    while True:
        try:
            return apply_rows(rows, out, SOURCE, dry_run=dry_run)
        except ReviewError as exc:
            if not str(exc).startswith("another") or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@contextmanager
def _lock_output(out: Path) -> Iterator[None]:
    """`cchc review apply`'s lock on the output, waited for (another server or an Excel apply may hold it)."""
    deadline = time.monotonic() + _LOCK_WAIT_S
    while True:
        try:
            with _apply_lock(out):
                yield
            return
        except ReviewError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _restore(out: Path, snaps: dict[str, dict[str, Any]]) -> None:
    """Put reopened figures back as extracted: their values columns, and their row in the review queue."""
    if not snaps:
        return
    want = pa.array(sorted(snaps), type=pa.string())
    for part in _value_parts(out):
        table = pq.read_table(part)
        keys = _keys(table)
        positions = pc.indices_nonzero(pc.is_in(keys, value_set=want)).to_pylist()
        if not positions:
            continue
        columns = {name: table[name].to_pylist() for name in _DECIDED_COLUMNS}
        for pos, key in zip(positions, _keys(table.take(positions)).to_pylist(), strict=True):
            for name in _DECIDED_COLUMNS:
                columns[name][pos] = snaps[key]["values"][name]
        for name, vals in columns.items():
            i = table.schema.get_field_index(name)
            table = table.set_column(i, table.schema.field(i), pa.array(vals, type=table.schema.field(i).type))
        _atomic_table(part, table)
    queue = pq.read_table(out / QUEUE_FILE)
    present = set(queue["row_key"].to_pylist())
    back = [s["queue"] for k, s in snaps.items() if k not in present]
    if back:
        _atomic_table(out / QUEUE_FILE, pa.concat_tables([queue, pa.Table.from_pylist(back, schema=queue.schema)]))


def _drop_unbacked_aliases(out: Path, withdrawn: Sequence[Decision], latest: dict[str, Decision]) -> None:
    """Remove the steward alias a withdrawn decision taught, unless a decision still in force confirms it."""
    index = _values_index(out, [*(d.row_key for d in withdrawn), *latest])
    backed = {(label.casefold(), iid) for label, iid in _alias_pairs(latest.values(), index)}
    taught = {(label.casefold(), iid) for label, iid in _alias_pairs(withdrawn, index)} - backed
    if not taught:
        return
    current = read_aliases(out)
    kept = {iid: [a for a in labels if (a.casefold(), iid) not in taught] for iid, labels in current.items()}
    if kept != current:
        write_aliases(out, kept)


__all__ = ["SOURCE", "Outcome", "ReviewSession", "originals_path"]
