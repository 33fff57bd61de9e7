"""Input formats beyond the built-in PDF and image readers: one object per format, one registration line.

Why: a new kind of input (an office document, a portal export, …) should not
mean editing the sniffer, the loader and the page reader.  A format says how
to recognise its first bytes, how to open the file into the `Workspace`, and
how to give the document its `Page`s; every later stage (tables, matching,
narrative, validation, output) works on pages and needs no change.

Register a format by adding it to `REGISTERED` (its name is what the output's
`documents.file_kind` column records).  Registered formats are tried before
the built-in classification, so a format may claim bytes that would otherwise
be refused (e.g. a ZIP-based office file).
"""

from __future__ import annotations

from typing import Any, Protocol

from cchc.core.model import Document

# `ws` below is the document's `pipeline.load.Workspace` (bytes in `ws.data`, `ws.cleanups` for
# handles to close); typed `Any` because the loader imports this registry, and the layer test
# forbids even annotation-only import cycles.


class InputFormat(Protocol):
    """What the pipeline needs from an input format."""

    name: str  # recorded as documents.file_kind; must not be a built-in kind ("pdf", "image", …)

    def recognise(self, head: bytes) -> str | None:
        """A human description ("a … file") when the first bytes are this format's, else None."""

    def open(self, doc: Document, ws: Any) -> None:
        """Check and open the bytes in `ws.data`; set `doc.n_pages`; raise a `CchcError` for bad input."""

    def read_pages(self, doc: Document, ws: Any) -> None:
        """Append the document's `Page`s (words with boxes, lines) to `doc.pages`."""


REGISTERED: dict[str, InputFormat] = {}


def recognise(head: bytes) -> tuple[str, str] | None:
    """(format name, description) of the first registered format claiming these bytes."""
    for name, fmt in REGISTERED.items():
        what = fmt.recognise(head)
        if what:
            return name, what
    return None


def named(name: str) -> InputFormat:
    try:
        return REGISTERED[name]
    except KeyError:
        raise LookupError(f"no input format {name!r} is registered (known: {', '.join(REGISTERED) or 'none'})") from None
