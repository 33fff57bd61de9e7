"""The data stewards' decisions store, and re-applying it to every later run.

Stewards confirm or correct doubtful figures with `cchc review apply`; each
decision is one JSON line in `OUT/decisions/decisions.jsonl` (append-only,
so the history of who decided what, when, from which file, is never lost).
The latest line per `row_key` wins.  `write_outputs` carries `OUT/decisions/`
into every new output, and `apply_decisions` lays the decisions over freshly
extracted documents before they are written — so a steward never has to
correct the same figure twice, whatever is re-run.

Identity is `pipeline.writer.value_row_key`: document content hash, source,
page, printed code, printed label, value column and narrative pattern.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from cchc.core.model import Document, Match, MatchMethod, Value
from indicator_catalog import Catalog, load_catalog
from pipeline.catalog import DECISIONS_DIRNAME, steward_aliases_path
from pipeline.writer import value_row_key

log = logging.getLogger("cchc")

DECISIONS_FILE = "decisions.jsonl"
DECISION_WORDS = ("accept", "choose", "not_indicator")
#: a stored line withdrawing the decision in force for its figure (the web review page's undo); the one
#: before it, if any, is in force again, else the figure is undecided
UNDO = "undo"
REVIEW_METHOD = MatchMethod.REVIEW


@dataclass(frozen=True)
class Decision:
    """One steward's verdict on one figure, as stored (one JSON line)."""

    row_key: str
    doc_id: str
    decision: str  # accept | choose | not_indicator
    indicator_id: str | None  # the indicator decided on (the proposal, for accept); None for not_indicator
    corrected_value: str | None  # as the steward typed it; None keeps the extracted value
    value_num: float | None  # corrected_value parsed (only meaningful when corrected_value is set)
    value_text: str | None
    reviewer: str
    decided_at: str  # ISO 8601, UTC
    source_file: str  # the workbook / CSV the decision came from
    comment: str | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Decision:
        known: dict[str, Any] = {f: data.get(f) for f in cls.__dataclass_fields__}
        return cls(**known)

    def same_verdict(self, other: Decision) -> bool:
        """Same outcome for the data (who and when aside): re-applying it changes nothing."""
        return (self.decision, self.indicator_id, self.corrected_value) == (
            other.decision,
            other.indicator_id,
            other.corrected_value,
        )


def decisions_path(out: Path) -> Path:
    return Path(out) / DECISIONS_DIRNAME / DECISIONS_FILE


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def read_decisions(out: Path) -> list[Decision]:
    """Every stored decision in file order; a damaged line is skipped with a warning, never fatal."""
    path = decisions_path(out)
    if not path.exists():
        return []
    found: list[Decision] = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                d = Decision.from_json(json.loads(line))
            except (ValueError, TypeError, AttributeError) as exc:
                log.warning("%s line %d is not a decision (%s); skipped", path, n, exc)
                continue
            if (d.decision not in DECISION_WORDS and d.decision != UNDO) or not d.row_key:
                log.warning("%s line %d: unknown decision %r; skipped", path, n, d.decision)
                continue
            found.append(d)
    return found


def decision_histories(out: Path) -> dict[str, list[Decision]]:
    """Per figure, the decisions still standing (undo lines applied), oldest first; the last is in force."""
    history: dict[str, list[Decision]] = {}
    for d in read_decisions(out):
        stack = history.setdefault(d.row_key, [])
        if d.decision == UNDO:
            if stack:
                stack.pop()
        else:
            stack.append(d)
    return history


def latest_decisions(out: Path) -> dict[str, Decision]:
    """The decision in force per row_key: the last one recorded that no later `undo` line withdrew."""
    return {key: stack[-1] for key, stack in decision_histories(out).items() if stack}


def append_decisions(out: Path, decisions: Iterable[Decision]) -> int:
    """Append decisions to the store (created on first use), flushed to disk before returning."""
    lines = [d.to_json() + "\n" for d in decisions]
    if not lines:
        return 0
    path = decisions_path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write("".join(lines))
        fh.flush()
        os.fsync(fh.fileno())
    return len(lines)


def indicator_fields(catalog: Catalog, indicator_id: str, template_id: str | None) -> tuple[str | None, str]:
    """(code, label) for an indicator as the matcher would report it.

    The code and label of the row that prints it in the document's template,
    else no code and the indicator's canonical label.
    """
    if template_id and template_id in catalog.templates:
        for row in catalog.template(template_id).rows:
            if row.indicator_id == indicator_id:
                return row.code, row.label
    return None, catalog.indicator(indicator_id).label


def decided_fields(d: Decision, catalog: Catalog, template_id: str | None,
                   original: tuple[float | None, str | None]) -> dict[str, Any]:
    """The column values a decision sets on a figure (shared by re-runs and `cchc review apply`).

    `original` is the extracted (value_num, value_text): a later decision
    without a corrected value puts it back.
    """
    fields: dict[str, Any] = {
        "needs_review": False,
        "match_method": REVIEW_METHOD,
        "match_score": 100.0,
        "review_reason": f"steward: {d.decision} ({d.reviewer}, {d.decided_at[:10]})",
    }
    if d.decision == "not_indicator" or not d.indicator_id:
        fields.update(indicator_id=None, indicator_code=None, indicator_label=None)
    else:
        code, label = indicator_fields(catalog, d.indicator_id, template_id)
        fields.update(indicator_id=d.indicator_id, indicator_code=code, indicator_label=label)
    if d.corrected_value is not None:
        fields.update(value_num=d.value_num, value_text=d.value_text)
    else:
        fields.update(value_num=original[0], value_text=original[1])
    return fields


def _catalog(out: Path) -> Catalog:
    aliases = steward_aliases_path(Path(out))
    return load_catalog(extra_alias_files=(aliases,)) if aliases.exists() else load_catalog()


def apply_decisions(docs: list[Document], out: Path) -> int:
    """Lay the stewards' latest decisions over freshly extracted documents; returns how many figures changed.

    Called by `pipeline.run.run` before writing, for fresh and resumed
    documents alike (idempotent: a decided figure is simply decided again).
    A decision about an indicator the catalog no longer has is skipped with
    a warning rather than failing the run.
    """
    latest = latest_decisions(Path(out))
    if not latest:
        return 0
    catalog = _catalog(Path(out))
    applied = 0
    for doc in docs:
        for v in doc.values:
            d = latest.get(value_row_key(doc, v))
            if d is None:
                continue
            if d.indicator_id and d.indicator_id not in catalog.indicators:
                log.warning("decision on %s names unknown indicator %s; not applied", v.raw_label, d.indicator_id)
                continue
            _apply_to_value(v, d, catalog)
            applied += 1
    if applied:
        log.info("re-applied %d steward decision(s) from %s", applied, decisions_path(Path(out)))
    return applied


def _apply_to_value(v: Value, d: Decision, catalog: Catalog) -> None:
    """The decision's match columns replace those of the figure's `Match` (candidates and features stay)."""
    fields = decided_fields(d, catalog, v.template_id, (v.value_num, v.value_text))
    v.match = dataclasses.replace(v.match, **{k: fields.pop(k) for k in _MATCH_COLUMNS & fields.keys()})
    v.needs_review, v.review_reason = fields.pop("needs_review"), fields.pop("review_reason")
    v.value_num, v.value_text = fields.pop("value_num"), fields.pop("value_text")
    assert not fields, f"decided_fields sets {sorted(fields)}: carry them onto the Value"


_MATCH_COLUMNS = {f.name for f in dataclasses.fields(Match)}
