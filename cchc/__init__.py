"""cchc: Vietnamese administrative-reform (CCHC) reports → one Parquet dataset.

The Python API (cchc/api.py) is importable from here — `cchc.extract`,
`cchc.read_values`, `cchc.read_documents`, `cchc.read_units`, `cchc.catalog`,
`cchc.wide`, `cchc.write_export`, `cchc.missing_units` — loaded on first use so the
command line starts fast.
"""

from typing import Any

from cchc.core.version import __version__

_API = ("extract", "read_values", "read_documents", "read_units", "catalog", "wide", "write_export", "missing_units")
__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    if name in _API:
        from cchc import api

        return getattr(api, name)
    raise AttributeError(f"module 'cchc' has no attribute {name!r}")
