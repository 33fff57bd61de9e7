"""Fixtures shared by several test modules, built once per session (once per xdist worker).

Helpers that are plain functions live in tests/*_support.py and are imported;
no test module imports another test module.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from indicator_catalog import Catalog, load_catalog


@pytest.fixture(scope="session")
def cat() -> Catalog:
    """The bundled indicator catalog (pure and cached: sharing it is safe)."""
    return load_catalog()


@pytest.fixture(scope="session")
def analyst_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """OUT of one real `cchc extract` on a few text samples (tests/analyst_support.py), for units, export, API."""
    from tests.analyst_support import sample_output

    return sample_output(tmp_path_factory)


@pytest.fixture(scope="session")
def grid_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The generated grid PDFs of tests/fixtures/grid/make_grid_pdfs.py."""
    from tests.grid_support import gen

    return gen.make_all(tmp_path_factory.mktemp("grid"))
