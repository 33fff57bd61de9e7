"""Scoring an extraction output against hand-written ground truth (`cchc eval`).

This is the team's yardstick: every change to OCR, table finding or matching
is judged by the figures computed here, so the scoring rules live in small
pure functions that are unit-tested on their own, and reading files happens
only at the edges (`load_truth`, `load_outputs`, `load_code_index`).

Rules (see `docs/truth-format.md`):
- a predicted table value is right when its (document, indicator_id,
  column_label) matches a truth row and the value is equal (`value_num` within
  1e-6, else the text after NFC + case-folding + whitespace collapse);
- narrative values match on (document, indicator_id, value_num) as multisets;
- predictions without an indicator_id are counted as "unmatched": they do not
  lower precision (they claim nothing) but they are never "right", so they
  count against recall and, when not flagged, against review calibration.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

KINDS: tuple[str, ...] = ("text", "scan", "mixed", "photo")
ALL_KINDS: tuple[str, ...] = (*KINDS, "bad")
METADATA_FIELDS: tuple[str, ...] = (
    "doc_number",
    "issuer",
    "issue_date",
    "period_label",
    "period_type",
    "report_year",
    "signed",
    "signer",
)
NUM_TOLERANCE = 1e-6
DEFAULT_DETAIL_CAP = 500

# (template_id, corrected code) -> indicator_id
CodeIndex = Mapping[tuple[str, str], str]


class EvalInputError(Exception):
    """An input the scorer needs is missing or unreadable; the CLI exits 2 with this message."""


# --------------------------------------------------------------------------- normalisation


_WS = re.compile(r"\s+")


def norm_text(s: Any) -> str | None:
    """NFC + casefold + collapsed whitespace, so OCR/export spacing never decides a score."""
    if s is None or _isna(s):
        return None
    t = unicodedata.normalize("NFC", str(s)).casefold()
    t = _WS.sub(" ", t).strip()
    return t


def norm_label(s: Any) -> str:
    """Column labels: None and "" both mean the single "Số liệu" column."""
    return norm_text(s) or ""


def _isna(x: Any) -> bool:
    try:
        return bool(pd.isna(x)) if not isinstance(x, list | tuple | dict) else False
    except (TypeError, ValueError):
        return False


def _num(x: Any) -> float | None:
    if x is None or _isna(x):
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _str(x: Any) -> str | None:
    if x is None or _isna(x):
        return None
    return unicodedata.normalize("NFC", str(x))


def values_equal(
    truth_num: Any, truth_text: Any, pred_num: Any, pred_text: Any, pred_raw: Any = None
) -> bool:
    """The truth-format's equality: numbers within 1e-6, otherwise normalised text.

    A prediction with neither a number nor a value_text falls back to its raw
    value (so a `-` cell kept only as raw_value still counts as `-`).
    """
    tn, pn = _num(truth_num), _num(pred_num)
    if tn is not None and pn is not None:
        return abs(tn - pn) <= NUM_TOLERANCE
    tt = norm_text(truth_text)
    pt = norm_text(pred_text)
    if pt is None and pn is None:
        pt = norm_text(pred_raw)
    if tn is None and tt is not None and pt is not None:
        return tt == pt
    return False


def norm_metadata(field_name: str, v: Any) -> Any:
    """Comparable form of one metadata field (dates as ISO, years as int, strings normalised)."""
    if v is None or _isna(v):
        return None
    if field_name == "issue_date":
        if isinstance(v, dt.datetime):
            return v.date().isoformat()
        if isinstance(v, dt.date):
            return v.isoformat()
        try:
            return pd.Timestamp(v).date().isoformat()
        except (ValueError, TypeError):
            return norm_text(v)
    if field_name == "report_year":
        try:
            return int(v)
        except (TypeError, ValueError):
            return norm_text(v)
    if field_name == "signed":
        if isinstance(v, str):
            return v.strip().lower() in {"true", "1", "yes"}
        return bool(v)
    if field_name == "period_type":
        return str(v).strip().upper()
    t = norm_text(v)
    if t is None:
        return None
    t = t.strip(" .,;:")
    if field_name == "doc_number":
        t = t.replace(" ", "")
    return t


# --------------------------------------------------------------------------- truth


@dataclass
class TruthDoc:
    """One `*.truth.json`, as written by hand from the source text."""

    path: Path  # the truth JSON
    file: str  # base name of the sample beside it
    kind: str
    expected_status: str = "ok"
    expected_error_contains: str | None = None
    expected_warning_contains: str | None = None
    template_id: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    table_values: list[dict[str, Any]] = field(default_factory=list)
    narrative_values: list[dict[str, Any]] = field(default_factory=list)
    validation_issues: list[dict[str, Any]] = field(default_factory=list)
    purpose: str = ""

    @property
    def sample_path(self) -> Path:
        return self.path.parent / self.file

    @property
    def is_bad_input_case(self) -> bool:
        """Files that test error handling: bad kind or an expected error/warning."""
        return (
            self.kind == "bad"
            or self.expected_status != "ok"
            or bool(self.expected_error_contains)
            or bool(self.expected_warning_contains)
        )


def truth_from_dict(d: Mapping[str, Any], path: Path) -> TruthDoc:
    """Build a TruthDoc, tolerating missing optional keys (null = not stated)."""
    name = path.name
    default_file = name[: -len(".truth.json")] if name.endswith(".truth.json") else name
    return TruthDoc(
        path=path,
        file=unicodedata.normalize("NFC", d.get("file") or default_file),
        kind=(d.get("kind") or "text").lower(),
        expected_status=(d.get("expected_status") or "ok").lower(),
        expected_error_contains=d.get("expected_error_contains") or None,
        expected_warning_contains=d.get("expected_warning_contains") or None,
        template_id=d.get("template_id"),
        metadata=dict(d.get("metadata") or {}),
        table_values=list(d.get("table_values") or []),
        narrative_values=list(d.get("narrative_values") or []),
        validation_issues=list(d.get("validation_issues") or []),
        purpose=d.get("purpose") or "",
    )


def load_truth(root: Path) -> list[TruthDoc]:
    """All `**/*.truth.json` under root (a single truth file is accepted too), sorted by path."""
    root = Path(root)
    if not root.exists():
        raise EvalInputError(f"truth folder not found: {root}")
    paths = [root] if root.is_file() else sorted(root.rglob("*.truth.json"))
    if not paths:
        raise EvalInputError(f"no *.truth.json files under {root}; point --truth at the samples folder")
    out: list[TruthDoc] = []
    for p in paths:
        try:
            d = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as e:
            raise EvalInputError(f"cannot read truth file {p}: {e}") from e
        out.append(truth_from_dict(d, p.resolve()))
    return out


# --------------------------------------------------------------------------- catalog


def code_index_from_catalog(cat: Any) -> dict[tuple[str, str], str]:
    """(template_id, code) -> indicator_id from a loaded catalog (`docs/catalog-api.md`)."""
    idx: dict[tuple[str, str], str] = {}
    for tid, tpl in cat.templates.items():
        for row in tpl.rows:
            ind = getattr(row, "indicator_id", None) or getattr(row, "indicator", None)
            if ind:
                idx[(tid, str(row.code))] = ind
    return idx


def code_index_from_yaml(data_dir: Path) -> dict[tuple[str, str], str]:
    """Read the template YAML files directly; used only when the catalog package cannot load."""
    import yaml

    idx: dict[tuple[str, str], str] = {}
    for p in sorted((Path(data_dir) / "templates").glob("*.y*ml")):
        doc = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        tid = doc.get("id") or p.stem
        for row in doc.get("rows") or []:
            ind = row.get("indicator") or row.get("indicator_id")
            if ind and row.get("code") is not None:
                idx[(tid, str(row["code"]))] = ind
    return idx


def load_code_index(data_dir: Path | None = None) -> tuple[dict[tuple[str, str], str], str]:
    """The code lookup and a note on where it came from (catalog API, YAML fallback or nothing)."""
    try:
        from indicator_catalog import load_catalog
    except ImportError:  # the catalog package is older than its documented API
        load_catalog = None  # type: ignore[assignment]
    if load_catalog is not None:
        cat = load_catalog(data_dir=data_dir) if data_dir is not None else load_catalog()
        return code_index_from_catalog(cat), f"catalog {getattr(cat, 'version', '?')}"
    if data_dir is None:
        import indicator_catalog

        data_dir = Path(next(iter(indicator_catalog.__path__))) / "data"
    if Path(data_dir).is_dir():
        return code_index_from_yaml(Path(data_dir)), f"templates YAML in {data_dir}"
    return {}, "no catalog available: table codes cannot be resolved"


# --------------------------------------------------------------------------- outputs


@dataclass
class Outputs:
    """What `cchc extract` wrote (see the output contract)."""

    documents: pd.DataFrame
    values: pd.DataFrame
    validation_issues: pd.DataFrame | None = None
    run: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _decategorise(df: pd.DataFrame) -> pd.DataFrame:
    """Hive partition columns come back as categoricals; the scorer wants plain values."""
    for c in df.columns:
        if isinstance(df[c].dtype, pd.CategoricalDtype):
            df[c] = df[c].astype(object)
    return df


def load_outputs(out_dir: Path) -> Outputs:
    """Read an extraction output folder; raise EvalInputError when the essentials are missing."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise EvalInputError(
            f"output folder not found: {out_dir}; run `cchc extract … --out {out_dir}` first"
        )
    docs_p = out_dir / "documents.parquet"
    if not docs_p.exists():
        raise EvalInputError(f"{docs_p} is missing; is {out_dir} the --out folder of `cchc extract`?")
    notes: list[str] = []
    documents = _decategorise(pd.read_parquet(docs_p))
    values_p = out_dir / "values"
    if not values_p.exists() and (out_dir / "values.parquet").exists():
        values_p = out_dir / "values.parquet"
    if not values_p.exists():
        raise EvalInputError(f"{out_dir / 'values'} is missing; the output folder is incomplete")
    if values_p.is_dir() and not any(values_p.rglob("*.parquet")):
        values = pd.DataFrame(columns=["doc_id", "source", "indicator_id"])
        notes.append("values/ holds no Parquet files: no values were extracted")
    else:
        values = _decategorise(pd.read_parquet(values_p))
    issues_p = out_dir / "validation_issues.parquet"
    issues = _decategorise(pd.read_parquet(issues_p)) if issues_p.exists() else None
    if issues is None:
        notes.append("validation_issues.parquet is missing: validation is scored as nothing found")
    run: dict[str, Any] = {}
    run_p = out_dir / "run.json"
    if run_p.exists():
        try:
            run = json.loads(run_p.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            notes.append("run.json is not valid JSON")
    return Outputs(documents=documents, values=values, validation_issues=issues, run=run, notes=notes)


# --------------------------------------------------------------------------- joining


def _path_parts(p: str) -> list[str]:
    return [x for x in re.split(r"[/\\!]+", unicodedata.normalize("NFC", p)) if x and x != "."]


def _suffix_len(a: Sequence[str], b: Sequence[str]) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


def _doc_paths(doc: Mapping[str, Any]) -> list[str]:
    paths = [str(doc.get("source_path") or "")]
    other = doc.get("other_paths")
    if other is not None and not isinstance(other, str):
        paths += [str(x) for x in list(other)]
    return [p for p in paths if p]


def join_documents(truths: Sequence[TruthDoc], documents: Sequence[Mapping[str, Any]]) -> list[int | None]:
    """For each truth, the index of its documents row (None when the input is not accounted for).

    Joined by file name (file_name, or the base name of source_path / other_paths);
    when several rows share the name, the one whose path shares the longest
    suffix with the truth's sample path wins.
    """
    by_name: dict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(documents):
        names = {unicodedata.normalize("NFC", str(d.get("file_name") or ""))}
        names |= {_path_parts(p)[-1] for p in _doc_paths(d) if _path_parts(p)}
        for n in names:
            if n:
                by_name[n].append(i)
    out: list[int | None] = []
    for t in truths:
        cands = by_name.get(t.file, [])
        if not cands:
            out.append(None)
            continue
        if len(cands) == 1:
            out.append(cands[0])
            continue
        tparts = _path_parts(str(t.sample_path))
        best = max(
            cands,
            key=lambda i: (
                max((_suffix_len(tparts, _path_parts(p)) for p in _doc_paths(documents[i])), default=0),
                -i,
            ),
        )
        out.append(best)
    return out


def archive_members(truth: TruthDoc, documents: Sequence[Mapping[str, Any]]) -> list[int]:
    """Rows read from inside the truth's file when it is an archive (`x.zip!/inner.pdf`).

    A readable ZIP has no row of its own, only its members; it is accounted for
    through them.
    """
    out = []
    for i, d in enumerate(documents):
        for p in _doc_paths(d):
            if "!" in p and _path_parts(p.split("!", 1)[0])[-1:] == [truth.file]:
                out.append(i)
                break
    return out


# --------------------------------------------------------------------------- counting


@dataclass
class PRF:
    """True positives, false positives, false negatives; the ratios are None when undefined."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __iadd__(self, o: PRF) -> PRF:
        self.tp += o.tp
        self.fp += o.fp
        self.fn += o.fn
        return self

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        if self.tp + self.fp + self.fn == 0:
            return None
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn)

    def as_dict(self) -> dict[str, Any]:
        return {
            "truth": self.tp + self.fn,
            "predicted": self.tp + self.fp,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


# --------------------------------------------------------------------------- table values


@dataclass
class TruthCell:
    """One truth table value with its code resolved to an indicator (None when unresolved)."""

    indicator_id: str | None
    code: str
    template_id: str | None
    column_label: str | None
    value_num: float | None
    value_text: str | None
    raw_value: str | None
    page: int | None


def resolve_table_truth(truth: TruthDoc, code_index: CodeIndex) -> list[TruthCell]:
    """Turn the truth's (template_id, code) keys into indicator IDs through the catalog."""
    cells = []
    for r in truth.table_values:
        tid = r.get("template_id") or truth.template_id
        code = str(r.get("code") or "").strip().rstrip(".")
        cells.append(
            TruthCell(
                indicator_id=code_index.get((tid, code)) if tid else None,
                code=code,
                template_id=tid,
                column_label=r.get("column_label"),
                value_num=_num(r.get("value_num")),
                value_text=_str(r.get("value_text"))
                if r.get("value_text") is not None or r.get("value_num") is not None
                else _str(r.get("raw_value")),
                raw_value=_str(r.get("raw_value")),
                page=r.get("page"),
            )
        )
    return cells


@dataclass
class TableMatch:
    """Per-document table scoring: counts plus which predictions were right."""

    prf: PRF
    located: int  # truth rows whose (indicator, column) was found, value right or not
    unmatched: int  # predicted rows with no indicator_id
    unresolved: int  # truth rows whose code the catalog does not know
    page_right: int  # true positives whose page agrees with the truth
    right: list[bool]  # per prediction (in input order)
    misses: list[dict[str, Any]]
    false_positives: list[dict[str, Any]]


def _pred_brief(p: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "indicator_id": _str(p.get("indicator_id")),
        "indicator_code": _str(p.get("indicator_code")),
        "column_label": _str(p.get("column_label")),
        "raw_label": _str(p.get("raw_label")),
        "raw_value": _str(p.get("raw_value")),
        "value_num": _num(p.get("value_num")),
        "value_text": _str(p.get("value_text")),
        "page": None if _isna(p.get("page")) else p.get("page"),
        "needs_review": bool(p.get("needs_review") or False),
    }


def match_table(truth_cells: Sequence[TruthCell], preds: Sequence[Mapping[str, Any]]) -> TableMatch:
    """Match one document's predicted table values to its truth cells.

    Within each (indicator_id, column_label) group, predictions are paired
    with equal truth values first (true positives); leftover pairs in the
    group are "located" (row found, value misread); the rest are misses and
    false positives.
    """
    right = [False] * len(preds)
    tgroups: dict[tuple[str, str], list[int]] = defaultdict(list)
    unresolved_idx = []
    for i, c in enumerate(truth_cells):
        if c.indicator_id is None:
            unresolved_idx.append(i)
        else:
            tgroups[(c.indicator_id, norm_label(c.column_label))].append(i)
    pgroups: dict[tuple[str, str], list[int]] = defaultdict(list)
    unmatched_idx = []
    for j, p in enumerate(preds):
        ind = _str(p.get("indicator_id"))
        if not ind:
            unmatched_idx.append(j)
        else:
            pgroups[(ind, norm_label(p.get("column_label")))].append(j)

    prf = PRF()
    located = page_right = 0
    misses: list[dict[str, Any]] = []
    fps: list[dict[str, Any]] = []
    for key in sorted(set(tgroups) | set(pgroups)):
        ti, pj = tgroups.get(key, []), list(pgroups.get(key, []))
        t_left = []
        for i in ti:
            c = truth_cells[i]
            hit = next(
                (
                    j
                    for j in pj
                    if values_equal(
                        c.value_num,
                        c.value_text,
                        preds[j].get("value_num"),
                        preds[j].get("value_text"),
                        preds[j].get("raw_value"),
                    )
                ),
                None,
            )
            if hit is None:
                t_left.append(i)
                continue
            pj.remove(hit)
            right[hit] = True
            prf.tp += 1
            located += 1
            p_page = preds[hit].get("page")
            if c.page is not None and _num(p_page) is not None and _num(p_page) == float(c.page):
                page_right += 1
        # leftover truth and predictions in the same group: row found, value wrong
        for k, i in enumerate(t_left):
            c = truth_cells[i]
            got = _pred_brief(preds[pj[k]]) if k < len(pj) else None
            if got is not None:
                located += 1
            misses.append(
                {
                    "source": "table",
                    "reason": "wrong_value" if got is not None else "row_not_found",
                    "code": c.code,
                    "indicator_id": c.indicator_id,
                    "column_label": c.column_label,
                    "expected": c.raw_value
                    if c.raw_value is not None
                    else (c.value_num if c.value_num is not None else c.value_text),
                    "page": c.page,
                    "got": got,
                }
            )
        prf.fn += len(t_left)
        for k, j in enumerate(pj):
            prf.fp += 1
            fps.append(
                {
                    "source": "table",
                    "reason": "wrong_value" if k < len(t_left) else "no_such_row",
                    **_pred_brief(preds[j]),
                }
            )
    for i in unresolved_idx:
        c = truth_cells[i]
        prf.fn += 1
        misses.append(
            {
                "source": "table",
                "reason": "unresolved_code",
                "code": c.code,
                "template_id": c.template_id,
                "column_label": c.column_label,
                "expected": c.raw_value,
                "page": c.page,
                "got": None,
            }
        )
    for j in unmatched_idx:
        fps.append({"source": "table", "reason": "unmatched", **_pred_brief(preds[j])})
    return TableMatch(prf, located, len(unmatched_idx), len(unresolved_idx), page_right, right, misses, fps)


# --------------------------------------------------------------------------- narrative values


@dataclass
class NarrativeMatch:
    prf: PRF
    unmatched: int
    right: list[bool]
    misses: list[dict[str, Any]]
    false_positives: list[dict[str, Any]]


def match_narrative(
    truth_rows: Sequence[Mapping[str, Any]], preds: Sequence[Mapping[str, Any]]
) -> NarrativeMatch:
    """(indicator_id, value_num) multiset matching for figures read from running text."""
    right = [False] * len(preds)
    pool: dict[str, list[int]] = defaultdict(list)
    unmatched = []
    for j, p in enumerate(preds):
        ind = _str(p.get("indicator_id"))
        if ind:
            pool[ind].append(j)
        else:
            unmatched.append(j)
    prf = PRF()
    misses = []
    for t in truth_rows:
        ind, tv = t.get("indicator_id"), _num(t.get("value_num"))
        cands = pool.get(str(ind), [])
        hit = next(
            (
                j
                for j in cands
                if tv is not None
                and (pv := _num(preds[j].get("value_num"))) is not None
                and abs(pv - tv) <= NUM_TOLERANCE
            ),
            None,
        )
        if hit is None:
            prf.fn += 1
            misses.append(
                {
                    "source": "narrative",
                    "reason": "not_found",
                    "indicator_id": ind,
                    "expected": t.get("raw_value") if t.get("raw_value") is not None else tv,
                    "sentence": t.get("sentence"),
                }
            )
            continue
        cands.remove(hit)
        right[hit] = True
        prf.tp += 1
    fps = []
    for ind in sorted(pool):
        for j in pool[ind]:
            prf.fp += 1
            fps.append(
                {
                    "source": "narrative",
                    "reason": "no_such_figure",
                    **_pred_brief(preds[j]),
                    "evidence": _str(preds[j].get("evidence")),
                }
            )
    for j in unmatched:
        fps.append(
            {
                "source": "narrative",
                "reason": "unmatched",
                **_pred_brief(preds[j]),
                "evidence": _str(preds[j].get("evidence")),
            }
        )
    return NarrativeMatch(prf, len(unmatched), right, misses, fps)


# --------------------------------------------------------------------------- metadata, status, issues


def score_metadata(
    truth_meta: Mapping[str, Any], doc: Mapping[str, Any] | None
) -> dict[str, tuple[bool, Any, Any]]:
    """Per stated field: (correct, expected, got). Fields the truth leaves null are not scored."""
    out: dict[str, tuple[bool, Any, Any]] = {}
    for f in METADATA_FIELDS:
        exp = norm_metadata(f, truth_meta.get(f))
        if exp is None:
            continue
        got = norm_metadata(f, doc.get(f)) if doc is not None else None
        if f == "signed" and got is None and doc is not None:
            got = False
        out[f] = (got == exp, truth_meta.get(f), None if doc is None else _jsonable(doc.get(f)))
    return out


def score_status(truth: TruthDoc, doc: Mapping[str, Any] | None) -> dict[str, Any]:
    """Did the file end with the expected status, error and warning?"""
    if doc is None:
        return {"found": False, "status_ok": False, "error_ok": False, "warning_ok": False, "passed": False}
    status = str(doc.get("status") or "")
    error = str(doc.get("error") or "") if not _isna(doc.get("error")) else ""
    warnings = doc.get("warnings")
    warns = [] if warnings is None or isinstance(warnings, float) else [str(w) for w in list(warnings)]
    status_ok = status == truth.expected_status
    error_ok = not truth.expected_error_contains or truth.expected_error_contains.lower() in error.lower()
    warning_ok = not truth.expected_warning_contains or any(
        truth.expected_warning_contains.lower() in w.lower() for w in warns
    )
    return {
        "found": True,
        "status": status,
        "expected_status": truth.expected_status,
        "error": error or None,
        "warnings": warns,
        "status_ok": status_ok,
        "error_ok": error_ok,
        "warning_ok": warning_ok,
        "passed": status_ok and error_ok and warning_ok,
    }


def _as_id_list(v: Any) -> list[str]:
    if v is None or (not isinstance(v, list | tuple | str) and _isna(v)):
        return []
    if isinstance(v, str):
        s = v.strip()
        if s.startswith("["):
            try:
                return [str(x) for x in json.loads(s)]
            except json.JSONDecodeError:
                pass
        return [x.strip() for x in s.split(",") if x.strip()]
    return [str(x) for x in list(v)]


@dataclass
class IssueMatch:
    found: list[bool]  # per planted issue
    extra: list[dict[str, Any]]  # predicted issues matching no planted one


def match_issues(planted: Sequence[Mapping[str, Any]], predicted: Sequence[Mapping[str, Any]]) -> IssueMatch:
    """A planted issue is found by a predicted issue with the same rule and overlapping indicators."""
    used = [False] * len(predicted)
    found = []
    for pl in planted:
        rule, ids = pl.get("rule"), set(_as_id_list(pl.get("indicator_ids")))
        hit = None
        for j, pr in enumerate(predicted):
            if used[j] or pr.get("rule") != rule:
                continue
            pids = set(_as_id_list(pr.get("indicator_ids")))
            if not ids or ids & pids:
                hit = j
                break
        if hit is not None:
            used[hit] = True
        found.append(hit is not None)
    extra = [
        {
            "rule": pr.get("rule"),
            "indicator_ids": _as_id_list(pr.get("indicator_ids")),
            "message": _str(pr.get("message")),
        }
        for j, pr in enumerate(predicted)
        if not used[j]
    ]
    return IssueMatch(found, extra)


# --------------------------------------------------------------------------- the whole evaluation


def _jsonable(v: Any) -> Any:
    if v is None or (not isinstance(v, list | tuple | dict | str) and _isna(v)):
        return None
    if isinstance(v, dt.date | pd.Timestamp):
        return v.isoformat()
    if hasattr(v, "item") and not isinstance(v, list | tuple | dict | str):
        try:
            return v.item()
        except (ValueError, AttributeError):
            pass
    if hasattr(v, "tolist"):
        return v.tolist()
    return v


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


def _records(df: pd.DataFrame | None, columns: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Rows as dicts (only the columns the scorer reads, which halves the time on big outputs)."""
    if df is None or df.empty:
        return []
    if columns is not None:
        df = df[[c for c in columns if c in df.columns]]
    return df.to_dict("records")


def _group_by_doc(records: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    g: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        key = r.get("doc_id")
        if key is None or _isna(key):
            key = "name:" + str(r.get("file_name") or "")
        g[str(key)].append(r)
    return g


class _Capped(list):
    """A list that keeps counting after it stops storing (so totals stay exact)."""

    def __init__(self, cap: int) -> None:
        super().__init__()
        self.cap = cap
        self.total = 0

    def add(self, items: Iterable[dict[str, Any]], **extra: Any) -> None:
        for it in items:
            self.total += 1
            if len(self) < self.cap:
                self.append({**extra, **it})


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

    table_by_kind: dict[str, PRF] = defaultdict(PRF)
    table_extra: dict[str, Counter[str]] = defaultdict(Counter)
    narr_by_kind: dict[str, PRF] = defaultdict(PRF)
    narr_extra: dict[str, Counter[str]] = defaultdict(Counter)
    docs_by_kind: Counter[str] = Counter()
    meta_n: Counter[str] = Counter()
    meta_ok: Counter[str] = Counter()
    meta_by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    calib: Counter[str] = Counter()
    rules_planted: Counter[str] = Counter()
    rules_found: Counter[str] = Counter()
    clean_docs = clean_docs_alarmed = false_alarms = extra_on_planted = 0
    bad_results: list[dict[str, Any]] = []
    status_ok_all = 0
    misses = _Capped(detail_cap)
    fps = _Capped(detail_cap)
    meta_misses = _Capped(detail_cap)
    issue_misses = _Capped(detail_cap)
    per_doc = []
    seen_docs: dict[int, str] = {}

    archives: dict[str, int] = {}
    for t, di in zip(truths, joined, strict=True):
        doc = docs[di] if di is not None else None
        members = archive_members(t, docs) if di is None else []
        if members:  # a ZIP read member by member: accounted for, nothing of its own to score
            archives[t.file] = len(members)
            ok = t.expected_status == "ok" and not t.expected_error_contains
            status_ok_all += ok
            if t.is_bad_input_case:
                bad_results.append(
                    {"file": t.file, "truth": str(t.path), "found": True, "status": "ok (archive)",
                     "expected_status": t.expected_status, "error": None, "warnings": [],
                     "status_ok": ok, "error_ok": ok, "warning_ok": not t.expected_warning_contains,
                     "passed": ok and not t.expected_warning_contains}
                )  # fmt: skip
            per_doc.append({"file": t.file, "truth": str(t.path), "kind": t.kind, "found": True,
                            "archive_members": len(members)})  # fmt: skip
            continue
        st = score_status(t, doc)
        status_ok_all += bool(st["status_ok"])
        if t.is_bad_input_case:
            bad_results.append({"file": t.file, "truth": str(t.path), **st})
        row: dict[str, Any] = {
            "file": t.file,
            "truth": str(t.path),
            "kind": t.kind,
            "found": doc is not None,
            "status": st.get("status"),
            "expected_status": t.expected_status,
        }
        per_doc.append(row)
        if di is None:
            row["note"] = "not in documents.parquet"  # nothing was produced: every truth value is a miss
        elif di in seen_docs:
            row["duplicate_of"] = seen_docs[di]
            continue  # identical bytes already scored under another name
        else:
            seen_docs[di] = t.file
        docs_by_kind[t.kind] += 1
        doc_key = (
            str(doc.get("doc_id")) if doc is not None and doc.get("doc_id") is not None else "name:" + t.file
        )
        vals = values_by_doc.get(doc_key, []) if doc is not None else []
        tpreds = [v for v in vals if v.get("source") == "table"]
        npreds = [v for v in vals if v.get("source") == "narrative"]

        tm = match_table(resolve_table_truth(t, code_index), tpreds)
        nm = match_narrative(t.narrative_values, npreds)
        table_by_kind[t.kind] += tm.prf
        table_extra[t.kind].update(
            located=tm.located, unmatched=tm.unmatched, unresolved=tm.unresolved, page_right=tm.page_right
        )
        narr_by_kind[t.kind] += nm.prf
        narr_extra[t.kind].update(unmatched=nm.unmatched)
        misses.add(tm.misses + nm.misses, file=t.file, kind=t.kind)
        fps.add(tm.false_positives + nm.false_positives, file=t.file, kind=t.kind)

        for preds, right in ((tpreds, tm.right), (npreds, nm.right)):
            for p, ok in zip(preds, right, strict=True):
                flagged = bool(p.get("needs_review") or False)
                calib["rows"] += 1
                calib["flagged"] += flagged
                if ok:
                    calib["right"] += 1
                    calib["right_flagged"] += flagged
                else:
                    calib["wrong"] += 1
                    calib["wrong_flagged"] += flagged

        ms = score_metadata(t.metadata, doc)
        for f, (ok, exp, got) in ms.items():
            meta_n[f] += 1
            meta_ok[f] += ok
            meta_by_kind[t.kind][f + ":n"] += 1
            meta_by_kind[t.kind][f + ":ok"] += ok
            if not ok:
                meta_misses.add([{"field": f, "expected": exp, "got": got}], file=t.file, kind=t.kind)

        predicted_issues = issues_by_doc.get(doc_key, []) if doc is not None else []
        im = match_issues(t.validation_issues, predicted_issues)
        for pl, ok in zip(t.validation_issues, im.found, strict=True):
            rules_planted[str(pl.get("rule"))] += 1
            rules_found[str(pl.get("rule"))] += ok
            if not ok:
                issue_misses.add(
                    [
                        {
                            "rule": pl.get("rule"),
                            "indicator_ids": _as_id_list(pl.get("indicator_ids")),
                            "reason": "not_reported",
                        }
                    ],
                    file=t.file,
                )
        if not t.validation_issues:
            clean_docs += 1
            clean_docs_alarmed += bool(predicted_issues)
            false_alarms += len(predicted_issues)
            issue_misses.add([{**e, "reason": "false_alarm"} for e in im.extra], file=t.file)
        else:
            extra_on_planted += len(im.extra)

        row.update(
            table=tm.prf.as_dict()
            | {"located": tm.located, "unmatched": tm.unmatched, "unresolved": tm.unresolved},
            narrative=nm.prf.as_dict() | {"unmatched": nm.unmatched},
            metadata={f: ok for f, (ok, _, _) in ms.items()},
            issues={"planted": len(t.validation_issues), "found": sum(im.found), "extra": len(im.extra)},
        )

    def by_kind(prfs: dict[str, PRF], extra: dict[str, Counter[str]], located: bool) -> dict[str, Any]:
        out: dict[str, Any] = {}
        total, total_x = PRF(), Counter[str]()
        kinds = [k for k in ALL_KINDS if k in docs_by_kind or k in prfs] + sorted(set(prfs) - set(ALL_KINDS))
        for k in kinds:
            p = prfs.get(k, PRF())
            x = extra.get(k, Counter())
            if k == "bad" and p.tp + p.fp + p.fn == 0 and not x.get("unmatched"):
                continue  # bad inputs have no values; show the row only if something was predicted
            out[k] = _kind_row(p, x, docs_by_kind[k], located)
            total += p
            total_x.update(x)
        out["overall"] = _kind_row(total, total_x, sum(docs_by_kind.values()), located)
        return out

    accounted_missing = [
        t.file for t, di in zip(truths, joined, strict=True) if di is None and t.file not in archives
    ]
    joined_set = {j for j in joined if j is not None}
    joined_set |= {i for t in truths if t.file in archives for i in archive_members(t, docs)}
    unknown_docs = sorted(str(d.get("file_name")) for i, d in enumerate(docs) if i not in joined_set)
    return {
        "n_truth_files": len(truths),
        "kind_filter": kind,
        "notes": list(outputs.notes),
        "tables": by_kind(table_by_kind, table_extra, located=True),
        "narrative": by_kind(narr_by_kind, narr_extra, located=False),
        "metadata": {
            "fields": {
                f: {"n": meta_n[f], "correct": meta_ok[f], "accuracy": _ratio(meta_ok[f], meta_n[f])}
                for f in METADATA_FIELDS
            },
            "overall": {
                "n": sum(meta_n.values()),
                "correct": sum(meta_ok.values()),
                "accuracy": _ratio(sum(meta_ok.values()), sum(meta_n.values())),
            },
            "by_kind": {
                k: {
                    f: {"n": c[f + ":n"], "accuracy": _ratio(c[f + ":ok"], c[f + ":n"])}
                    for f in METADATA_FIELDS
                    if c[f + ":n"]
                }
                for k, c in meta_by_kind.items()
            },
        },
        "bad_inputs": {
            "n": len(bad_results),
            "passed": sum(r["passed"] for r in bad_results),
            "share_passed": _ratio(sum(r["passed"] for r in bad_results), len(bad_results)),
            "status_ok": sum(r["status_ok"] for r in bad_results),
            "error_ok": sum(r["error_ok"] for r in bad_results),
            "warning_ok": sum(r["warning_ok"] for r in bad_results),
            "files": bad_results,
        },
        "accounted": {
            "n_truth_files": len(truths),
            "found": len(truths) - len(accounted_missing),
            "all_accounted": not accounted_missing,
            "missing": accounted_missing,
            "status_as_expected": status_ok_all,
            "status_accuracy": _ratio(status_ok_all, len(truths)),
            "documents_without_truth": unknown_docs if kind is None else [],
        },
        "review_calibration": {
            "rows": calib["rows"],
            "flagged": calib["flagged"],
            "flag_rate": _ratio(calib["flagged"], calib["rows"]),
            "wrong": calib["wrong"],
            "wrong_flagged": calib["wrong_flagged"],
            "flag_recall_on_errors": _ratio(calib["wrong_flagged"], calib["wrong"]),
            "unflagged": calib["rows"] - calib["flagged"],
            "unflagged_right": calib["right"] - calib["right_flagged"],
            "unflagged_precision": _ratio(
                calib["right"] - calib["right_flagged"], calib["rows"] - calib["flagged"]
            ),
            "flagged_right": calib["right_flagged"],
        },
        "validation": {
            "by_rule": {
                r: {
                    "planted": rules_planted[r],
                    "found": rules_found[r],
                    "recall": _ratio(rules_found[r], rules_planted[r]),
                }
                for r in sorted(rules_planted)
            },
            "planted": sum(rules_planted.values()),
            "found": sum(rules_found.values()),
            "recall": _ratio(sum(rules_found.values()), sum(rules_planted.values())),
            "clean_documents": clean_docs,
            "clean_documents_with_false_alarms": clean_docs_alarmed,
            "false_alarms": false_alarms,
            "extra_issues_on_planted_documents": extra_on_planted,
        },
        "documents": per_doc,
        "misses": {"total": misses.total, "shown": list(misses)},
        "false_positives": {"total": fps.total, "shown": list(fps)},
        "metadata_mismatches": {"total": meta_misses.total, "shown": list(meta_misses)},
        "validation_misses": {"total": issue_misses.total, "shown": list(issue_misses)},
    }


def _kind_row(p: PRF, x: Counter[str], n_docs: int, located: bool) -> dict[str, Any]:
    row = {"documents": n_docs, **p.as_dict(), "unmatched": x.get("unmatched", 0)}
    if located:
        truth_n = p.tp + p.fn
        row["located"] = x.get("located", 0)
        row["row_located_recall"] = _ratio(x.get("located", 0), truth_n)
        row["unresolved_codes"] = x.get("unresolved", 0)
        row["page_right"] = _ratio(x.get("page_right", 0), p.tp)
    return row


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


# --------------------------------------------------------------------------- printing


def _fmt(v: Any) -> str:
    if v is None:
        return "n/a"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def format_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Plain aligned columns: first column left-aligned, the rest right-aligned."""
    cells = [[str(h) for h in headers]] + [[_fmt(v) for v in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for n, r in enumerate(cells):
        parts = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True)]
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_report(report: Mapping[str, Any], details: bool = False, max_details: int = 30) -> str:
    """The human-readable summary printed by `cchc eval`."""
    out: list[str] = []
    title = f"cchc eval: {report['n_truth_files']} truth files"
    if report.get("kind_filter"):
        title += f" (kind={report['kind_filter']})"
    out.append(title)
    if report.get("catalog"):
        out.append(f"catalog: {report['catalog']}")
    for n in report.get("notes", []):
        out.append(f"note: {n}")

    out.append("\nTABLE VALUES by document kind")
    cols = [
        "kind",
        "docs",
        "truth",
        "pred",
        "tp",
        "fp",
        "fn",
        "precision",
        "recall",
        "f1",
        "row_located",
        "unmatched",
        "unresolved",
    ]
    out.append(
        format_table(
            cols,
            [
                [
                    k,
                    r["documents"],
                    r["truth"],
                    r["predicted"],
                    r["tp"],
                    r["fp"],
                    r["fn"],
                    r["precision"],
                    r["recall"],
                    r["f1"],
                    r["row_located_recall"],
                    r["unmatched"],
                    r["unresolved_codes"],
                ]
                for k, r in report["tables"].items()
            ],
        )
    )
    out.append("\nNARRATIVE VALUES by document kind")
    out.append(
        format_table(
            ["kind", "docs", "truth", "pred", "tp", "fp", "fn", "precision", "recall", "f1", "unmatched"],
            [
                [
                    k,
                    r["documents"],
                    r["truth"],
                    r["predicted"],
                    r["tp"],
                    r["fp"],
                    r["fn"],
                    r["precision"],
                    r["recall"],
                    r["f1"],
                    r["unmatched"],
                ]
                for k, r in report["narrative"].items()
            ],
        )
    )
    md = report["metadata"]
    out.append("\nMETADATA by field (documents whose truth states the field)")
    out.append(
        format_table(
            ["field", "n", "correct", "accuracy"],
            [[f, r["n"], r["correct"], r["accuracy"]] for f, r in md["fields"].items()]
            + [["overall", md["overall"]["n"], md["overall"]["correct"], md["overall"]["accuracy"]]],
        )
    )
    b, a = report["bad_inputs"], report["accounted"]
    out.append("\nBAD INPUTS and accounting")
    out.append(
        format_table(
            ["measure", "value"],
            [
                ["bad-input files", b["n"]],
                ["  status as expected", b["status_ok"]],
                ["  error text as expected", b["error_ok"]],
                ["  warning as expected", b["warning_ok"]],
                ["  share passed", b["share_passed"]],
                ["truth files in documents", f"{a['found']}/{a['n_truth_files']}"],
                ["every input accounted for", a["all_accounted"]],
                ["status accuracy (all files)", a["status_accuracy"]],
                ["documents without truth", len(a["documents_without_truth"])],
            ],
        )
    )
    c = report["review_calibration"]
    out.append("\nREVIEW CALIBRATION (table + narrative predictions)")
    out.append(
        format_table(
            ["measure", "value"],
            [
                ["predicted rows", c["rows"]],
                ["flagged needs_review", c["flagged"]],
                ["flag rate", c["flag_rate"]],
                ["wrong rows", c["wrong"]],
                ["wrong rows flagged", c["wrong_flagged"]],
                ["flag recall on errors", c["flag_recall_on_errors"]],
                ["unflagged rows", c["unflagged"]],
                ["unflagged rows right", c["unflagged_right"]],
                ["unflagged precision", c["unflagged_precision"]],
            ],
        )
    )
    v = report["validation"]
    out.append("\nVALIDATION ISSUES")
    rows: list[list[Any]] = [[r, x["planted"], x["found"], x["recall"]] for r, x in v["by_rule"].items()]
    rows.append(["overall", v["planted"], v["found"], v["recall"]])
    out.append(format_table(["rule", "planted", "found", "recall"], rows))
    out.append(
        f"false alarms: {v['false_alarms']} issue(s) on {v['clean_documents_with_false_alarms']}"
        f"/{v['clean_documents']} documents whose truth lists none; "
        f"{v['extra_issues_on_planted_documents']} extra on documents with planted issues"
    )
    if a["missing"]:
        out.append("\nNOT ACCOUNTED FOR: " + ", ".join(a["missing"]))
    if details:
        out.append(_format_details(report, max_details))
    return "\n".join(out) + "\n"


def _format_details(report: Mapping[str, Any], cap: int) -> str:
    out = []
    sections = [
        ("MISSES (truth values not extracted right)", report["misses"]),
        ("FALSE POSITIVES (predicted values that are wrong)", report["false_positives"]),
        ("METADATA MISMATCHES", report["metadata_mismatches"]),
        ("VALIDATION MISSES AND FALSE ALARMS", report["validation_misses"]),
    ]
    for title, sec in sections:
        shown = sec["shown"][:cap]
        out.append(f"\n{title}: {sec['total']} (showing {len(shown)})")
        for it in shown:
            out.append("  " + _detail_line(it))
    bad = [r for r in report["bad_inputs"]["files"] if not r["passed"]]
    if bad:
        out.append(f"\nBAD-INPUT FAILURES: {len(bad)}")
        for r in bad[:cap]:
            out.append(
                f"  {r['file']}: status {r.get('status')!s} (expected {r.get('expected_status', '?')}), "
                f"error={r.get('error')!r}, warnings={r.get('warnings')}"
            )
    return "\n".join(out)


def _detail_line(it: Mapping[str, Any]) -> str:
    f = it.get("file", "?")
    src = it.get("source")
    reason = it.get("reason")
    if src == "table" and "code" in it:
        col = f" [{it['column_label']}]" if it.get("column_label") else ""
        got = it.get("got")
        g = f" got {got.get('raw_value')!r} (p{got.get('page')})" if got else ""
        return f"{f} p{it.get('page')}: {reason}: {it['code']}{col} -> {it.get('indicator_id')} expected {it.get('expected')!r}{g}"
    if src == "narrative" and "sentence" in it:
        return f"{f}: {reason}: {it.get('indicator_id')} expected {it.get('expected')!r} in {str(it.get('sentence'))[:80]!r}"
    if src in ("table", "narrative"):
        col = f" [{it['column_label']}]" if it.get("column_label") else ""
        flag = " (flagged)" if it.get("needs_review") else ""
        return (
            f"{f} p{it.get('page')}: {src} {reason}: {it.get('indicator_id')}{col} = {it.get('raw_value')!r}"
            f" label {str(it.get('raw_label'))[:50]!r}{flag}"
        )
    if "field" in it:
        return f"{f}: {it['field']}: expected {it.get('expected')!r}, got {it.get('got')!r}"
    return f"{f}: {reason}: {it.get('rule')} {it.get('indicator_ids')}"


def report_to_json(report: Mapping[str, Any]) -> str:
    """Stable, UTF-8-readable JSON (Vietnamese stays legible in the file)."""
    return json.dumps(report, ensure_ascii=False, indent=2, default=_jsonable, sort_keys=False)


__all__ = [
    "EvalInputError",
    "Outputs",
    "PRF",
    "TruthDoc",
    "evaluate",
    "evaluate_dirs",
    "format_report",
    "join_documents",
    "load_code_index",
    "load_outputs",
    "load_truth",
    "match_issues",
    "match_narrative",
    "match_table",
    "norm_metadata",
    "norm_text",
    "report_to_json",
    "resolve_table_truth",
    "score_metadata",
    "score_status",
    "truth_from_dict",
    "values_equal",
]
