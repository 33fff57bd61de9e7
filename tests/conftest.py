"""Fixtures shared by several test modules, and the order `make test` hands modules to workers.

Session fixtures are built once per session (once per xdist worker; `analyst_output`,
an extraction, once for all workers).  Helpers that are plain functions live in
tests/*_support.py and are imported; no test module imports another test module.

`make test` runs pytest-xdist with `--dist loadfile --no-loadscope-reorder`: each module
goes whole to one worker, in collection order, and a worker takes the next module when it
runs dry.  So the collection is sorted longest module first (what each test took when it
last ran, kept in pytest's cache; for a test never run here, an estimate from its `slow`
mark): the long modules start at once, the short ones fill the gaps, and no worker is left
alone with a long module at the end.  (xdist's own reorder, by number of tests, sent the
long single-test modules last.)
"""

from __future__ import annotations

import fcntl
import os
from collections import defaultdict
from pathlib import Path

import pytest

from indicator_catalog import Catalog, load_catalog

#: pytest cache key for the seconds each test took (setup and teardown included) when it last ran
TEST_SECONDS_KEY = "cchc/test_seconds"
#: estimate when a module never ran here: a `slow` test (OCR, a browser, an extraction) vs any other
SLOW_TEST_SECONDS, TEST_SECONDS = 8.0, 0.05
#: extra seconds for a module never measured that builds a costly session fixture
FIXTURE_SECONDS = {"analyst_output": 10.0, "grid_pdfs": 4.0}


@pytest.fixture(scope="session")
def cat() -> Catalog:
    """The bundled indicator catalog (pure and cached: sharing it is safe)."""
    return load_catalog()


@pytest.fixture(scope="session")
def analyst_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """OUT of one real `cchc extract` on a few text samples (tests/analyst_support.py), for units, export, API.

    Read-only for the tests, so xdist workers share one extraction: the first builds it
    under the run's common temporary root, the others wait for it and read it.
    """
    from tests.analyst_support import sample_output

    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return sample_output(tmp_path_factory)
    root = tmp_path_factory.getbasetemp().parent  # the same for every worker of this run
    done = root / "analyst_output.path"
    with (root / "analyst_output.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.exists():
            done.write_text(str(sample_output(tmp_path_factory)), encoding="utf-8")
        return Path(done.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def grid_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The generated grid PDFs of tests/fixtures/grid/make_grid_pdfs.py."""
    from tests.grid_support import gen

    return gen.make_all(tmp_path_factory.mktemp("grid"))


# ----------------------------------------------------------------------------- module order


def _estimate(item: pytest.Item) -> float:
    return SLOW_TEST_SECONDS if item.get_closest_marker("slow") else TEST_SECONDS


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Longest module first (stable: the tests of a module keep their order)."""
    cache = getattr(config, "cache", None)
    measured: dict[str, float] = cache.get(TEST_SECONDS_KEY, {}) if cache is not None else {}
    by_module: dict[str, list[pytest.Item]] = defaultdict(list)
    for item in items:
        by_module[item.nodeid.split("::", 1)[0]].append(item)
    seconds = {}
    for module, group in by_module.items():
        fixtures = {name for item in group for name in getattr(item, "fixturenames", ())}
        unmeasured = [item for item in group if item.nodeid not in measured]
        seconds[module] = sum(measured.get(item.nodeid, 0.0) for item in group) + sum(map(_estimate, unmeasured))
        if len(unmeasured) == len(group):
            seconds[module] += sum(FIXTURE_SECONDS.get(name, 0.0) for name in fixtures)
    items[:] = [item for m in sorted(by_module, key=lambda m: (-seconds[m], m)) for item in by_module[m]]


_took: dict[str, float] = defaultdict(float)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Seconds per test, setup and teardown included (on the xdist controller: every worker's reports)."""
    _took[report.nodeid] += report.duration


def pytest_sessionfinish(session: pytest.Session) -> None:
    cache = getattr(session.config, "cache", None)
    if cache is None or hasattr(session.config, "workerinput") or not _took:
        return  # a worker's share is reported to the controller, which writes the whole
    measured = cache.get(TEST_SECONDS_KEY, {})
    measured.update({nodeid: round(s, 3) for nodeid, s in _took.items()})
    cache.set(TEST_SECONDS_KEY, measured)
