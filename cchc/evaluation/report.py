"""The whole evaluation: each truth file scored by the small scorers, the results added up per section.

Each report section has a tally of its own (`_ValueTally`, `_Calibration`,
`_MetadataTally`, `_IssueTally`) with an `add` per document and a `summary`
that is the section of the JSON report, so a section can change without
reading the others; `evaluate` only walks the truth files and hands each
document to them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from cchc.evaluation.common import ALL_KINDS, DEFAULT_DETAIL_CAP, METADATA_FIELDS, CodeIndex
from cchc.evaluation.documents import IssueMatch, as_id_list, match_issues, score_metadata, score_status
from cchc.evaluation.narrative import match_narrative
from cchc.evaluation.normalise import isna
from cchc.evaluation.outputs import Outputs, archive_members, join_documents, load_outputs
from cchc.evaluation.prf import PRF, ratio
from cchc.evaluation.tables import match_table, resolve_table_truth
from cchc.evaluation.truth import TruthDoc, load_code_index, load_truth

VALUE_COLUMNS_USED = (
    "doc_id",
    "file_name",
    "source",
    "indicator_id",
    "indicator_code",
    "column_label",
    "raw_label",
    "raw_value",
    "value_num",
    "value_text",
    "page",
    "needs_review",
    "evidence",
)

Record = dict[str, Any]


def _records(df: pd.DataFrame | None, columns: Sequence[str] | None = None) -> list[Record]:
    """Rows as dicts (only the columns the scorer reads, which halves the time on big outputs)."""
    if df is None or df.empty:
        return []
    if columns is not None:
        df = df[[c for c in columns if c in df.columns]]
    return df.to_dict("records")


def _group_by_doc(records: Iterable[Record]) -> dict[str, list[Record]]:
    g: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        key = r.get("doc_id")
        if key is None or isna(key):
            key = "name:" + str(r.get("file_name") or "")
        g[str(key)].append(r)
    return g


class _Capped(list):
    """A list that keeps counting after it stops storing (so totals stay exact)."""

    def __init__(self, cap: int) -> None:
        super().__init__()
        self.cap = cap
        self.total = 0

    def add(self, items: Iterable[Record], **extra: Any) -> None:
        for it in items:
            self.total += 1
            if len(self) < self.cap:
                self.append({**extra, **it})

    def summary(self) -> dict[str, Any]:
        return {"total": self.total, "shown": list(self)}


def _kind_row(p: PRF, x: Counter[str], n_docs: int, located: bool) -> dict[str, Any]:
    row = {"documents": n_docs, **p.as_dict(), "unmatched": x.get("unmatched", 0)}
    if located:
        truth_n = p.tp + p.fn
        row["located"] = x.get("located", 0)
        row["row_located_recall"] = ratio(x.get("located", 0), truth_n)
        row["unresolved_codes"] = x.get("unresolved", 0)
        row["page_right"] = ratio(x.get("page_right", 0), p.tp)
    return row


@dataclass
class _ValueTally:
    """Precision/recall of table (located=True) or narrative values, per document kind and overall."""

    located: bool
    prfs: dict[str, PRF] = field(default_factory=lambda: defaultdict(PRF))
    extra: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, kind: str, prf: PRF, **counts: int) -> None:
        self.prfs[kind] += prf
        self.extra[kind].update(counts)

    def summary(self, docs_by_kind: Counter[str]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        total, total_x = PRF(), Counter[str]()
        prfs = self.prfs
        kinds = [k for k in ALL_KINDS if k in docs_by_kind or k in prfs] + sorted(set(prfs) - set(ALL_KINDS))
        for k in kinds:
            p = prfs.get(k, PRF())
            x = self.extra.get(k, Counter())
            if k == "bad" and p.tp + p.fp + p.fn == 0 and not x.get("unmatched"):
                continue  # bad inputs have no values; show the row only if something was predicted
            out[k] = _kind_row(p, x, docs_by_kind[k], self.located)
            total += p
            total_x.update(x)
        out["overall"] = _kind_row(total, total_x, sum(docs_by_kind.values()), self.located)
        return out


@dataclass
class _Calibration:
    """Is `needs_review` set on the wrong rows and only there?"""

    c: Counter[str] = field(default_factory=Counter)

    def add(self, preds: Sequence[Mapping[str, Any]], right: Sequence[bool]) -> None:
        c = self.c
        for p, ok in zip(preds, right, strict=True):
            flagged = bool(p.get("needs_review") or False)
            c["rows"] += 1
            c["flagged"] += flagged
            if ok:
                c["right"] += 1
                c["right_flagged"] += flagged
            else:
                c["wrong"] += 1
                c["wrong_flagged"] += flagged

    def summary(self) -> dict[str, Any]:
        c = self.c
        return {
            "rows": c["rows"],
            "flagged": c["flagged"],
            "flag_rate": ratio(c["flagged"], c["rows"]),
            "wrong": c["wrong"],
            "wrong_flagged": c["wrong_flagged"],
            "flag_recall_on_errors": ratio(c["wrong_flagged"], c["wrong"]),
            "unflagged": c["rows"] - c["flagged"],
            "unflagged_right": c["right"] - c["right_flagged"],
            "unflagged_precision": ratio(c["right"] - c["right_flagged"], c["rows"] - c["flagged"]),
            "flagged_right": c["right_flagged"],
        }


@dataclass
class _MetadataTally:
    """Accuracy of each metadata field the truth states, overall and per kind."""

    misses: _Capped
    n: Counter[str] = field(default_factory=Counter)
    ok: Counter[str] = field(default_factory=Counter)
    by_kind: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, t: TruthDoc, scored: Mapping[str, tuple[bool, Any, Any]]) -> None:
        for f, (ok, exp, got) in scored.items():
            self.n[f] += 1
            self.ok[f] += ok
            self.by_kind[t.kind][f + ":n"] += 1
            self.by_kind[t.kind][f + ":ok"] += ok
            if not ok:
                self.misses.add([{"field": f, "expected": exp, "got": got}], file=t.file, kind=t.kind)

    def summary(self) -> dict[str, Any]:
        n, ok = self.n, self.ok
        return {
            "fields": {f: {"n": n[f], "correct": ok[f], "accuracy": ratio(ok[f], n[f])} for f in METADATA_FIELDS},
            "overall": {
                "n": sum(n.values()),
                "correct": sum(ok.values()),
                "accuracy": ratio(sum(ok.values()), sum(n.values())),
            },
            "by_kind": {
                k: {f: {"n": c[f + ":n"], "accuracy": ratio(c[f + ":ok"], c[f + ":n"])} for f in METADATA_FIELDS
                    if c[f + ":n"]}
                for k, c in self.by_kind.items()
            },
        }


@dataclass
class _IssueTally:
    """Recall of planted validation issues per rule, and false alarms on documents that have none."""

    misses: _Capped
    planted: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    clean_docs: int = 0
    clean_docs_alarmed: int = 0
    false_alarms: int = 0
    extra_on_planted: int = 0

    def add(self, t: TruthDoc, predicted: Sequence[Mapping[str, Any]], im: IssueMatch) -> None:
        for pl, ok in zip(t.validation_issues, im.found, strict=True):
            self.planted[str(pl.get("rule"))] += 1
            self.found[str(pl.get("rule"))] += ok
            if not ok:
                self.misses.add([{"rule": pl.get("rule"), "indicator_ids": as_id_list(pl.get("indicator_ids")),
                                  "reason": "not_reported"}], file=t.file)
        if not t.validation_issues:
            self.clean_docs += 1
            self.clean_docs_alarmed += bool(predicted)
            self.false_alarms += len(predicted)
            self.misses.add([{**e, "reason": "false_alarm"} for e in im.extra], file=t.file)
        else:
            self.extra_on_planted += len(im.extra)

    def summary(self) -> dict[str, Any]:
        planted, found = self.planted, self.found
        return {
            "by_rule": {r: {"planted": planted[r], "found": found[r], "recall": ratio(found[r], planted[r])}
                        for r in sorted(planted)},
            "planted": sum(planted.values()),
            "found": sum(found.values()),
            "recall": ratio(sum(found.values()), sum(planted.values())),
            "clean_documents": self.clean_docs,
            "clean_documents_with_false_alarms": self.clean_docs_alarmed,
            "false_alarms": self.false_alarms,
            "extra_issues_on_planted_documents": self.extra_on_planted,
        }


def _bad_inputs_summary(bad_results: Sequence[Record]) -> dict[str, Any]:
    return {
        "n": len(bad_results),
        "passed": sum(r["passed"] for r in bad_results),
        "share_passed": ratio(sum(r["passed"] for r in bad_results), len(bad_results)),
        "status_ok": sum(r["status_ok"] for r in bad_results),
        "error_ok": sum(r["error_ok"] for r in bad_results),
        "warning_ok": sum(r["warning_ok"] for r in bad_results),
        "files": list(bad_results),
    }


@dataclass
class _Run:
    """Everything added up while walking the truth files."""

    detail_cap: int
    tables: _ValueTally = field(default_factory=lambda: _ValueTally(located=True))
    narrative: _ValueTally = field(default_factory=lambda: _ValueTally(located=False))
    calibration: _Calibration = field(default_factory=_Calibration)
    docs_by_kind: Counter[str] = field(default_factory=Counter)
    bad_results: list[Record] = field(default_factory=list)
    per_doc: list[Record] = field(default_factory=list)
    status_ok_all: int = 0

    def __post_init__(self) -> None:
        self.misses = _Capped(self.detail_cap)
        self.fps = _Capped(self.detail_cap)
        self.metadata = _MetadataTally(_Capped(self.detail_cap))
        self.issues = _IssueTally(_Capped(self.detail_cap))

    def add_archive(self, t: TruthDoc, n_members: int) -> None:
        """A ZIP read member by member: accounted for, nothing of its own to score."""
        ok = t.expected_status == "ok" and not t.expected_error_contains
        self.status_ok_all += ok
        if t.is_bad_input_case:
            self.bad_results.append(
                {"file": t.file, "truth": str(t.path), "found": True, "status": "ok (archive)",
                 "expected_status": t.expected_status, "error": None, "warnings": [],
                 "status_ok": ok, "error_ok": ok, "warning_ok": not t.expected_warning_contains,
                 "passed": ok and not t.expected_warning_contains}
            )  # fmt: skip
        self.per_doc.append({"file": t.file, "truth": str(t.path), "kind": t.kind, "found": True,
                             "archive_members": n_members})  # fmt: skip

    def add_status(self, t: TruthDoc, doc: Mapping[str, Any] | None) -> Record:
        """The status check every truth file gets; returns the document's row of the report."""
        st = score_status(t, doc)
        self.status_ok_all += bool(st["status_ok"])
        if t.is_bad_input_case:
            self.bad_results.append({"file": t.file, "truth": str(t.path), **st})
        row: Record = {"file": t.file, "truth": str(t.path), "kind": t.kind, "found": doc is not None,
                       "status": st.get("status"), "expected_status": t.expected_status}
        self.per_doc.append(row)
        return row

    def add_document(self, t: TruthDoc, doc: Mapping[str, Any] | None, values: Sequence[Record],
                     issues: Sequence[Record], code_index: CodeIndex, row: Record) -> None:
        """Values, calibration, metadata and issues of one scored document."""
        self.docs_by_kind[t.kind] += 1
        tpreds = [v for v in values if v.get("source") == "table"]
        npreds = [v for v in values if v.get("source") == "narrative"]
        tm = match_table(resolve_table_truth(t, code_index), tpreds)
        nm = match_narrative(t.narrative_values, npreds)
        self.tables.add(t.kind, tm.prf, located=tm.located, unmatched=tm.unmatched, unresolved=tm.unresolved,
                        page_right=tm.page_right)
        self.narrative.add(t.kind, nm.prf, unmatched=nm.unmatched)
        self.misses.add(tm.misses + nm.misses, file=t.file, kind=t.kind)
        self.fps.add(tm.false_positives + nm.false_positives, file=t.file, kind=t.kind)
        self.calibration.add(tpreds, tm.right)
        self.calibration.add(npreds, nm.right)
        ms = score_metadata(t.metadata, doc)
        self.metadata.add(t, ms)
        im = match_issues(t.validation_issues, issues)
        self.issues.add(t, issues, im)
        row.update(
            table=tm.prf.as_dict() | {"located": tm.located, "unmatched": tm.unmatched, "unresolved": tm.unresolved},
            narrative=nm.prf.as_dict() | {"unmatched": nm.unmatched},
            metadata={f: ok for f, (ok, _, _) in ms.items()},
            issues={"planted": len(t.validation_issues), "found": sum(im.found), "extra": len(im.extra)},
        )


def _accounting(truths: Sequence[TruthDoc], joined: Sequence[int | None], docs: Sequence[Record],
                archives: Mapping[str, int], status_ok_all: int, kind: str | None) -> dict[str, Any]:
    """Is every truth file in the output, and every output document in the truth?"""
    missing = [t.file for t, di in zip(truths, joined, strict=True) if di is None and t.file not in archives]
    joined_set = {j for j in joined if j is not None}
    joined_set |= {i for t in truths if t.file in archives for i in archive_members(t, docs)}
    unknown_docs = sorted(str(d.get("file_name")) for i, d in enumerate(docs) if i not in joined_set)
    return {
        "n_truth_files": len(truths),
        "found": len(truths) - len(missing),
        "all_accounted": not missing,
        "missing": missing,
        "status_as_expected": status_ok_all,
        "status_accuracy": ratio(status_ok_all, len(truths)),
        "documents_without_truth": unknown_docs if kind is None else [],
    }


def evaluate(
    truths: Sequence[TruthDoc],
    outputs: Outputs,
    code_index: CodeIndex,
    kind: str | None = None,
    detail_cap: int = DEFAULT_DETAIL_CAP,
) -> dict[str, Any]:
    """Score everything; returns a JSON-ready report (see `format_report` for the printed form)."""
    if kind is not None:
        truths = [t for t in truths if t.kind == kind]
    docs = _records(outputs.documents)
    joined = join_documents(truths, docs)
    values_by_doc = _group_by_doc(_records(outputs.values, VALUE_COLUMNS_USED))
    issues_by_doc = _group_by_doc(_records(outputs.validation_issues))
    run = _Run(detail_cap)
    seen_docs: dict[int, str] = {}
    archives: dict[str, int] = {}
    for t, di in zip(truths, joined, strict=True):
        doc = docs[di] if di is not None else None
        members = archive_members(t, docs) if di is None else []
        if members:
            archives[t.file] = len(members)
            run.add_archive(t, len(members))
            continue
        row = run.add_status(t, doc)
        if di is None:
            row["note"] = "not in documents.parquet"  # nothing was produced: every truth value is a miss
        elif di in seen_docs:
            row["duplicate_of"] = seen_docs[di]
            continue  # identical bytes already scored under another name
        else:
            seen_docs[di] = t.file
        doc_key = str(doc.get("doc_id")) if doc is not None and doc.get("doc_id") is not None else "name:" + t.file
        values = values_by_doc.get(doc_key, []) if doc is not None else []
        issues = issues_by_doc.get(doc_key, []) if doc is not None else []
        run.add_document(t, doc, values, issues, code_index, row)
    return {
        "n_truth_files": len(truths),
        "kind_filter": kind,
        "notes": list(outputs.notes),
        "tables": run.tables.summary(run.docs_by_kind),
        "narrative": run.narrative.summary(run.docs_by_kind),
        "metadata": run.metadata.summary(),
        "bad_inputs": _bad_inputs_summary(run.bad_results),
        "accounted": _accounting(truths, joined, docs, archives, run.status_ok_all, kind),
        "review_calibration": run.calibration.summary(),
        "validation": run.issues.summary(),
        "documents": run.per_doc,
        "misses": run.misses.summary(),
        "false_positives": run.fps.summary(),
        "metadata_mismatches": run.metadata.misses.summary(),
        "validation_misses": run.issues.misses.summary(),
    }


def evaluate_dirs(
    out_dir: Path,
    truth_dir: Path,
    kind: str | None = None,
    catalog_dir: Path | None = None,
    detail_cap: int = DEFAULT_DETAIL_CAP,
) -> dict[str, Any]:
    """Load an output folder, the truth files and the catalog, and score (for `cchc bench`, notebooks).

    Raises EvalInputError when the output or the truth files are missing; a
    catalog that cannot load is reported in `notes` (table truth then counts as missed).
    """
    truths = load_truth(Path(truth_dir))
    outputs = load_outputs(Path(out_dir))
    try:
        code_index, source = load_code_index(catalog_dir)
    except Exception as e:  # a broken catalog must not hide the other figures
        code_index, source = {}, f"catalog failed to load ({e})"
    if not code_index:
        outputs.notes.append(f"{source}: every table truth value counts as a miss")
    report = evaluate(truths, outputs, code_index, kind=kind, detail_cap=detail_cap)
    report.update(catalog=source, catalog_ok=bool(code_index), out_dir=str(out_dir), truth_dir=str(truth_dir))
    return report
