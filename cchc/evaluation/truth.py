"""Reading the hand-written truth files and the catalog's (template, code) -> indicator index."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cchc.core.vntext import nfc
from cchc.evaluation.common import EvalInputError


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
        file=nfc(d.get("file") or default_file),
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
