"""Typed failures, each carrying the remedy a person can act on.

Stages raise these; one place (`pipeline.run`) turns them into a
`documents` row with `status=failed` (or `partial` for page-level errors) and
the batch goes on.
"""

from __future__ import annotations


class CchcError(Exception):
    """Base class: `str(err)` is the message written to `documents.error`."""


class InputError(CchcError):
    """The file itself cannot be processed (empty, corrupt, wrong type, …)."""


class EmptyFile(InputError):
    def __init__(self) -> None:
        super().__init__("empty file (0 bytes); re-export or re-send the report")


class CorruptPdf(InputError):
    def __init__(self, detail: str) -> None:
        super().__init__(
            f"corrupt or truncated PDF ({detail}); ask the sender for a complete copy "
            "or repair it (qpdf in.pdf out.pdf)"
        )


class EncryptedPdf(InputError):
    def __init__(self) -> None:
        super().__init__(
            "encrypted; needs a password: decrypt it (qpdf --password=… --decrypt in.pdf out.pdf) "
            "and run again"
        )


class NotAReport(InputError):
    def __init__(self, what: str, name: str) -> None:
        super().__init__(
            f"not a report: {name} is {what}, not a PDF or scanned image; "
            "check that the right file was saved (a download page is often saved instead of the PDF)"
        )


class UnsupportedType(InputError):
    def __init__(self, what: str) -> None:
        super().__init__(
            f"unsupported file type ({what}); cchc reads PDF, PNG, JPEG, TIFF and ZIP archives of those"
        )


class UnsafeArchive(InputError):
    """A ZIP member that would escape the archive or expand without bound."""


class ResourceLimit(InputError):
    """A per-document guard (pages, pixels, time, memory) was breached."""


class ForeignOutputFolder(CchcError):
    """--out names a folder that holds something other than a cchc output: it is never replaced."""


class MissingDependency(CchcError):
    """A system tool is missing; the message names the package and `make setup`."""


class DeadlineExceeded(CchcError):
    """The per-document time limit passed (checked between pages and stages)."""


def time_limit_message(options: object) -> str:
    seconds = getattr(options, "doc_timeout_s", 0)
    return (f"time limit exceeded ({seconds:.0f}s per document, --timeout); "
            "the file was skipped: check it by hand or raise the limit")
