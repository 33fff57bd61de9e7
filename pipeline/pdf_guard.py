"""Refuse a PDF page whose content streams inflate without bound, before any reader parses them.

A few kilobytes of Flate data can inflate to gigabytes of drawing operators:
pdfium and poppler then spend minutes and hundreds of MB on one page.  The
compressed bytes are inflated here in chunks, counting, and given up past
the limit — far cheaper than parsing what they hold.
"""

from __future__ import annotations

import zlib
from typing import Any

MAX_CONTENT_BYTES = 64 * 1024 * 1024  # a dense scanned-table page's operators are a few MB at most
_CHUNK = 1 << 20


def oversized_content(reader: Any, number: int, limit: int = MAX_CONTENT_BYTES) -> str | None:
    """Why page `number` (1-based) must not be parsed, or None when its content streams are of sane size."""
    try:
        contents = reader.pages[number - 1].get("/Contents")
        if contents is None:
            return None
        contents = contents.get_object()
        streams = [s.get_object() for s in contents] if isinstance(contents, list) else [contents]
        total = 0
        for stream in streams:
            total += _inflated_size(stream, limit - total)
            if total > limit:
                return (f"page content inflates past {limit >> 20} MB (a decompression bomb?); not read: "
                        "ask the sender for a normal copy")
    except Exception:  # noqa: BLE001 - a damaged page is the readers' business, not this guard's
        return None
    return None


def _inflated_size(stream: Any, budget: int) -> int:
    filters = stream.get("/Filter")
    names = [str(f) for f in filters] if isinstance(filters, list) else ([str(filters)] if filters else [])
    raw = getattr(stream, "_data", b"") or b""
    if names[:1] != ["/FlateDecode"]:
        return len(raw)
    inflater = zlib.decompressobj()
    size = 0
    view = memoryview(raw)
    for start in range(0, len(raw), _CHUNK):
        size += len(inflater.decompress(view[start:start + _CHUNK], min(_CHUNK * 8, budget + 1 - size)))
        while inflater.unconsumed_tail and size <= budget:
            size += len(inflater.decompress(inflater.unconsumed_tail, min(_CHUNK * 8, budget + 1 - size)))
        if size > budget:
            return size
    return size
