"""Extractors: turn pages into words, grids, rows, values and metadata.

Library code only: nothing here imports `pipeline` or the CLI, so each piece
can be used from a notebook or by the OCR path on its own.  Names are
exported lazily so importing one extractor does not load pdfplumber,
pypdfium2 or OpenCV for the others.

Table half of issue 5:
    text_layer.read_page(plumber_page, number) -> Page
    text_layer.fast_page_texts(pdf_bytes) -> list[str]
    text_layer.looks_like_appendix(text) -> bool
    grid.find_grids(page, previous=None) -> list[GridFragment]
    rows.extract_tables(pages, only_appendix=False) -> list[Table]
    rows.build_tables(fragments) -> list[Table]
    numbers.parse_value(raw, codes=None, unit=None) -> ParsedValue
    vntext.normalize_code(raw) -> str | None   (cchc/core/vntext.py: the Vietnamese text rules)
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "read_page": "extractors.text_layer",
    "fast_page_texts": "extractors.text_layer",
    "looks_like_appendix": "extractors.text_layer",
    "find_grids": "extractors.grid",
    "GridFragment": "extractors.grid",
    "extract_tables": "extractors.rows",
    "build_tables": "extractors.rows",
    "parse_value": "extractors.numbers",
    "ParsedValue": "extractors.numbers",
    "normalize_code": "cchc.core.vntext",
    "parse_codes": "cchc.core.vntext",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'extractors' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
