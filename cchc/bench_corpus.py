"""The held-out scan corpus section of `make bench`: scores broken down by the corpus manifest.

`cchc eval` scores documents by their truth `kind`; the corpus manifest
(`corpus.json`, written by samples/build/scan_corpus.py) knows more: the
template, the degradations applied, and which sandwich PDF has a plain twin.
So the extraction is scored once with the shared evaluation code and its
per-document counts are re-grouped here by manifest fields.
"""

from __future__ import annotations

import json
import shutil
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from cchc.core.options import ExtractOptions
from cchc.evaluation import PRF, evaluate_dirs
from pipeline.run import run

CORPUS_KINDS = ("scan", "mixed", "photo", "sandwich", "text")


def load_manifest(corpus: Path) -> list[dict[str, Any]]:
    p = Path(corpus) / "corpus.json"
    if not p.is_file():
        raise FileNotFoundError(f"{p} not found: generate the corpus first (make corpus)")
    return list(json.loads(p.read_text(encoding="utf-8"))["documents"])


def _prf(rows: Iterable[Mapping[str, Any]]) -> PRF:
    total = PRF()
    for r in rows:
        t = r.get("table") or {}
        total += PRF(int(t.get("tp", 0)), int(t.get("fp", 0)), int(t.get("fn", 0)))
    return total


def _row(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    p = _prf(rows)
    return {"docs": len(rows), "truth": p.tp + p.fn, "tp": p.tp, "fp": p.fp, "fn": p.fn,
            "precision": _r(p.precision), "recall": _r(p.recall), "f1": _r(p.f1)}


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def _doc_f1(row: Mapping[str, Any]) -> float:
    """A document's table F1; one with truth values and no right prediction scores 0."""
    t = row.get("table") or {}
    f1 = t.get("f1")
    return float(f1) if f1 is not None else (0.0 if t.get("truth") else 1.0)


def _n_values(row: Mapping[str, Any]) -> int:
    t = row.get("table") or {}
    return int(t.get("predicted", 0)) + int(t.get("unmatched", 0))


def score_corpus(report: Mapping[str, Any], manifest: list[dict[str, Any]],
                 documents: pd.DataFrame | None = None) -> dict[str, Any]:
    """Re-group the evaluation's per-document table counts by manifest kind, template and degradation."""
    by_file = {d["file"]: d for d in report["documents"]}
    status = {}
    if documents is not None and len(documents):
        for r in documents.itertuples():
            warns = getattr(r, "warnings", None)
            err = None if pd.isna(r.error) else str(r.error)
            status[str(r.file_name)] = (str(r.status), [str(w) for w in (warns if warns is not None else [])], err)
    rows: list[dict[str, Any]] = []
    for e in manifest:
        d = by_file.get(e["file"])
        if d is None:
            continue
        rows.append({**d, "manifest": e})
    groups: dict[str, dict[str, list[dict[str, Any]]]] = {"kind": defaultdict(list), "template": defaultdict(list),
                                                          "degradation": defaultdict(list)}
    for r in rows:
        e = r["manifest"]
        groups["kind"][e["kind"]].append(r)
        groups["template"][e["template"]].append(r)
        for tag in e.get("degradations", []):
            groups["degradation"][tag].append(r)
    scored = [r for r in rows if (r.get("table") or {}).get("truth")]
    empty = [r for r in scored if _n_values(r) == 0]
    # sandwich PDFs against the same scans without the hidden layer
    pairs = []
    for r in rows:
        e = r["manifest"]
        if e["kind"] == "sandwich" and e.get("pair") in by_file:
            pairs.append((r, {**by_file[e["pair"]], "manifest": {}}))
    sand, plain = _prf(p[0] for p in pairs), _prf(p[1] for p in pairs)
    narr = PRF()
    for r in rows:
        if r["manifest"].get("kind") and _narrative_complete(r):
            n = r.get("narrative") or {}
            narr += PRF(int(n.get("tp", 0)), int(n.get("fp", 0)), int(n.get("fn", 0)))
    calib = report.get("review_calibration", {})
    failures = []
    for r in sorted(scored, key=_doc_f1):
        f1 = _doc_f1(r)
        if f1 >= 0.9:
            continue
        st = status.get(r["file"], ("?", [], None))
        failures.append({"file": r["file"], "kind": r["manifest"]["kind"], "template": r["manifest"]["template"],
                         "f1": round(f1, 3), "values": _n_values(r), "truth": r["table"]["truth"],
                         "status": st[0], "error": st[2], "warnings": st[1][:3],
                         "degradations": r["manifest"].get("degradations", [])})
    overall = _row(rows)
    return {
        "documents": len(rows),
        "ocr_pages": sum(int(r["manifest"].get("ocr_pages", 0)) for r in rows),
        "overall": overall,
        "by_kind": {k: _row(v) for k, v in sorted(groups["kind"].items())},
        "by_template": {k: _row(v) for k, v in sorted(groups["template"].items())},
        "by_degradation": {k: _row(v) for k, v in sorted(groups["degradation"].items())},
        "macro_f1": _r(sum(_doc_f1(r) for r in scored) / len(scored)) if scored else None,
        "docs_with_zero_values": len(empty),
        "zero_value_files": [r["file"] for r in empty],
        "sandwich_vs_plain": {"pairs": len(pairs), "sandwich_f1": _r(sand.f1), "plain_f1": _r(plain.f1),
                              "gap": _r((sand.f1 or 0) - (plain.f1 or 0)) if pairs else None},
        "narrative_on_complete_truth": {"tp": narr.tp, "fp": narr.fp, "fn": narr.fn, "f1": _r(narr.f1)},
        "unflagged_rows": calib.get("unflagged"),
        "unflagged_right": calib.get("unflagged_right"),
        "unflagged_precision": _r(calib.get("unflagged_precision")),
        "failures": failures,
    }


def _narrative_complete(row: Mapping[str, Any]) -> bool:
    truth = Path(str(row.get("truth", "")))
    try:
        d = json.loads(truth.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool((d.get("corpus") or {}).get("narrative_complete"))


def run_corpus(corpus: Path, out: Path, workers: int, extract: bool = True) -> dict[str, Any]:
    """Extract the corpus folder into out (unless extract=False: re-score an earlier run), score it,
    and break the score down by the manifest."""
    manifest = load_manifest(corpus)
    wall = None
    if extract:
        if out.exists():
            shutil.rmtree(out)
        t0 = time.perf_counter()
        run(ExtractOptions(inputs=(corpus,), out=out, workers=workers, resume=False, progress=False))
        wall = time.perf_counter() - t0
    else:  # re-scoring: the wall time of that run, as run.json recorded it
        wall = json.loads((out / "run.json").read_text(encoding="utf-8")).get("seconds")
    report = evaluate_dirs(out, corpus)
    docs = pd.read_parquet(out / "documents.parquet")
    result = score_corpus(report, manifest, docs)
    result.update(corpus=str(corpus), workers=workers, wall_seconds=None if wall is None else round(wall, 1),
                  seconds_per_ocr_page=None if wall is None else round(wall * workers / max(1, result["ocr_pages"]), 2))
    return result


def _table(title: str, groups: Mapping[str, Mapping[str, Any]]) -> list[str]:
    lines = [f"| {title} | docs | truth | tp | fp | fn | precision | recall | F1 |", "|---|---|---|---|---|---|---|---|---|"]
    for k, r in groups.items():
        lines.append(f"| {k} | {r['docs']} | {r['truth']} | {r['tp']} | {r['fp']} | {r['fn']} | "
                     f"{_f(r['precision'])} | {_f(r['recall'])} | {_f(r['f1'])} |")
    return lines


def _f(x: Any) -> str:
    return "-" if x is None else f"{x:.3f}"


def markdown(r: Mapping[str, Any], title: str = "Held-out scan corpus") -> str:
    sp = r["sandwich_vs_plain"]
    lines = [f"## {title}", "",
             f"`{r['corpus']}`: {r['documents']} documents, {r['ocr_pages']} OCR pages, "
             f"{r['workers']} workers, {r['wall_seconds']} s wall ({r['seconds_per_ocr_page']} CPU-s per OCR page). "
             "Generated by `samples/build/scan_corpus.py` (seeds and layout/degradation values of each split: "
             "`samples/build/corpus_splits.py`).", "",
             f"- table F1 overall: {_f(r['overall']['f1'])}; per-document macro F1: {_f(r['macro_f1'])}",
             f"- documents with 0 table values whose truth has values: {r['docs_with_zero_values']}",
             f"- sandwich PDFs vs the same scans without the text layer ({sp['pairs']} pairs): "
             f"{_f(sp['sandwich_f1'])} vs {_f(sp['plain_f1'])} (gap {_f(sp['gap'])})",
             f"- right among rows not flagged for review: {_f(r['unflagged_precision'])} "
             f"({r['unflagged_right']}/{r['unflagged_rows']})",
             f"- narrative F1 (documents whose narrative truth is complete): "
             f"{_f(r['narrative_on_complete_truth']['f1'])}", ""]
    lines += _table("kind", r["by_kind"]) + [""] + _table("template", r["by_template"]) + [""]
    lines += _table("degradation", r["by_degradation"]) + [""]
    if r["failures"]:
        lines += ["Documents under 0.9 table F1:", ""]
        for f in r["failures"]:
            warn = "; ".join(f["warnings"])[:160]
            lines.append(f"- `{f['file']}` F1 {f['f1']} ({f['values']} values / {f['truth']} truth), "
                         f"{f['status']}{': ' + str(f['error']) if f['error'] else ''}{' — ' + warn if warn else ''}")
        lines.append("")
    return "\n".join(lines)
