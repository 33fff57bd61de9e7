"""The grid-PDF generator (tests/fixtures/grid/make_grid_pdfs.py), loaded once for the grid tests.

It is a script beside its fixtures, not a package module, so it is loaded by path.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_GEN = Path(__file__).parent / "fixtures" / "grid" / "make_grid_pdfs.py"
FIXTURES = _GEN.parent


def _load():  # type: ignore[no-untyped-def]
    if "make_grid_pdfs" in sys.modules:
        return sys.modules["make_grid_pdfs"]
    spec = importlib.util.spec_from_file_location("make_grid_pdfs", _GEN)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_grid_pdfs"] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


gen = _load()
