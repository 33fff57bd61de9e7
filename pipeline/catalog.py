"""The catalog a run matches against: the shipped catalog plus the stewards' confirmed aliases.

Stewards' decisions (see `cchc review`) live beside the output in
`OUT/decisions/`; a confirmed label → indicator mapping there becomes an alias
for every later run into that output, and changes the catalog version (so
cached documents are matched again).
"""

from __future__ import annotations

from pathlib import Path

from cchc.core.options import ExtractOptions
from indicator_catalog import Catalog, load_catalog

DECISIONS_DIRNAME = "decisions"
STEWARD_ALIASES = "aliases_steward.yaml"


def steward_aliases_path(out: Path) -> Path:
    return out / DECISIONS_DIRNAME / STEWARD_ALIASES


def catalog_for(options: ExtractOptions) -> Catalog:
    path = steward_aliases_path(options.out)
    if path.exists():
        return load_catalog(extra_alias_files=(path,))
    return load_catalog()
