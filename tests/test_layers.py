"""The import layers of docs/architecture.md: no module imports a layer above its own, no import cycles.

Layers are folders: cchc/core/ (and the catalog data package), extractors/, matchers/,
pipeline/, and the apps in the rest of cchc/.  LAYERS maps every project module to one by
prefix, and this test reads every import (lazy ones inside functions and TYPE_CHECKING ones
included) from the source with `ast`.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("cchc", "pipeline", "extractors", "matchers", "indicator_catalog")

CORE, READERS, MATCHERS, PIPELINE, APPS = range(5)
NAMES = {CORE: "core", READERS: "readers/extractors", MATCHERS: "matchers", PIPELINE: "pipeline", APPS: "apps"}

#: module (or package prefix) -> layer; the longest matching prefix decides
LAYERS = {
    # core: the data model, errors, options, the Vietnamese text rules, units, catalog data access
    "cchc.core": CORE,  # model, errors, options, version, Vietnamese text rules, units, column descriptions
    "indicator_catalog": CORE,
    # readers and extractors: pages, OCR, grids, rows, values, narrative figures
    "extractors": READERS,
    "matchers": MATCHERS,
    # the pipeline: stages, orchestration, writer, steward decisions
    "pipeline": PIPELINE,
    # apps on top: CLI, Python API, exports, review, evaluation, benchmarks, reports
    "cchc": APPS,  # the package itself re-exports the API (cchc.extract, …)
}


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def _modules() -> dict[str, Path]:
    return {_module_name(f): f for pkg in PACKAGES for f in sorted((ROOT / pkg).rglob("*.py"))}


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The project module an import refers to (`from pkg import mod` names a module, `from mod import x` not)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for mod, path in modules.items():
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            for name in names:
                if name.split(".")[0] in PACKAGES and (target := _resolve(name, modules)) and target != mod:
                    deps.add(target)
        graph[mod] = deps
    return graph


def layer_of(module: str) -> int:
    best = max((p for p in LAYERS if module == p or module.startswith(p + ".")), key=len, default=None)
    assert best is not None, f"{module} has no layer: add it to LAYERS here and to docs/architecture.md"
    return LAYERS[best]


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_every_module_has_a_layer_and_imports_only_its_own_or_lower_ones() -> None:
    graph = _graph()
    upward = [f"{m} ({NAMES[layer_of(m)]}) imports {d} ({NAMES[layer_of(d)]})"
              for m, deps in sorted(graph.items()) for d in sorted(deps) if layer_of(d) > layer_of(m)]
    assert upward == [], "upward imports:\n" + "\n".join(upward)


def test_no_import_cycles() -> None:
    cycles = _cycles(_graph())
    assert cycles == [], f"import cycles: {cycles}"


def test_the_check_sees_lazy_imports_and_finds_cycles() -> None:
    """The checker itself: a function-level import is an edge, and a two-module loop is reported."""
    graph = _graph()
    assert "pipeline.document" in graph["pipeline.executors"]  # imported inside a function there
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert layer_of("cchc.review_web.app") == APPS and layer_of("cchc.core.units") == CORE


#: modules that share private helpers as one component (the steward review app and its web page)
COMPONENTS = {"cchc.report": "review", "cchc.review": "review", "cchc.review_web": "review"}
#: known leftovers, each with its reason; do not add to this list without one
PRIVATE_IMPORTS_ALLOWED = {
    # the review crop must size pages exactly as the OCR reader does; extractors/image_prep.py belongs to the
    # OCR work in progress, a public name there is the follow-up
    ("cchc.review_web.crops", "extractors.image_prep", "_image_dpi"),
}


def _component(module: str) -> str:
    return next((c for p, c in COMPONENTS.items() if module == p or module.startswith(p + ".")), module)


def test_private_names_stay_inside_their_component() -> None:
    """No module imports another component's _private names (template_detect used row_matcher's)."""
    bad = []
    for mod, path in _modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in PACKAGES:
                bad += [f"{mod}: from {node.module} import {a.name}" for a in node.names
                        if a.name.startswith("_") and not a.name.startswith("__")
                        and _component(node.module) != _component(mod)
                        and (mod, node.module, a.name) not in PRIVATE_IMPORTS_ALLOWED]
    assert bad == [], "\n".join(bad)
