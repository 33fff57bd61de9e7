"""Reading an extraction output folder and joining its documents to the truth files."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from cchc.core.vntext import nfc
from cchc.evaluation.common import EvalInputError
from cchc.evaluation.truth import TruthDoc


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
    return [x for x in re.split(r"[/\\!]+", nfc(p)) if x and x != "."]


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
        names = {nfc(str(d.get("file_name") or ""))}
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
