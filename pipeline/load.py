"""Stage 1 — load: read the bytes, decide what they are, open them, refuse what cannot be a report.

Produces the per-document `Workspace` (open PDF handles, image frames) that
later stages read, and fills `n_pages`, `signed`/`signer` and the warnings a
person should see (e.g. a PNG named `.pdf`).
"""

from __future__ import annotations

import contextlib
import io
import logging
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import pdfplumber
from PIL import Image
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from cchc.core.errors import (
    CchcError,
    CorruptPdf,
    DeadlineExceeded,
    EmptyFile,
    EncryptedPdf,
    NotAReport,
    ResourceLimit,
    UnsupportedType,
    time_limit_message,
)
from cchc.core.model import Document, FileKind
from cchc.core.options import ExtractOptions
from extractors.pdf_signatures import read_signatures
from pipeline import formats
from pipeline.sniff import sniff

if TYPE_CHECKING:  # heavy imports, for the annotations only
    import pypdfium2 as pdfium

    from extractors.image_prep import PreparedPage

_PDF_EXT = {".pdf"}
_IMAGE_EXT = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}


@dataclass
class OcrState:
    """What the OCR of one page leaves for the table stage, by page number."""

    geometry: dict[int, Any] = field(default_factory=dict)  # pipeline.ocr_pages.PageGeometry: boxes back to the page
    prepared: dict[int, PreparedPage] = field(default_factory=dict)  # the cleaned image, for cell re-reads
    disputes: dict[int, tuple[str, ...]] = field(default_factory=dict)  # id(value cell) -> readings that disagree


@dataclass
class Workspace:
    """Open handles and per-document state shared by the stages; lives only while the document is processed.

    Every field is typed: a stage that needs to leave something for a later one
    adds a field here (it was a free-form `extras` dict before).
    """

    data: bytes
    options: ExtractOptions
    pdf: Any = None  # pdfplumber.PDF
    reader: PdfReader | None = None
    image: Image.Image | None = None  # opened image file (frames via seek)
    pdfium: pdfium.PdfDocument | None = None  # the same PDF in pdfium: embedded page scans are taken from it
    pdf_path: Path | None = None  # a file copy of `data` for poppler (pdftoppm reads files)
    ocr: OcrState = field(default_factory=OcrState)
    cleanups: list[Callable[[], None]] = field(default_factory=list)
    deadline: float = float("inf")  # time.monotonic() after which the document is abandoned

    def check_deadline(self, where: str) -> None:
        if time.monotonic() > self.deadline:
            raise DeadlineExceeded(f"{time_limit_message(self.options)} (stopped at {where})")

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()
        if self.image is not None:
            self.image.close()
        for cleanup in self.cleanups:
            cleanup()


def run(doc: Document, ws: Workspace) -> None:
    kind, what = sniff(ws.data[:4096], ws.data)
    doc.kind = kind
    if not isinstance(kind, FileKind):  # a registered input format opens its own bytes
        formats.named(kind).open(doc, ws)
        return
    ext = PurePosixPath(doc.file_name.lower()).suffix
    if kind is FileKind.EMPTY:
        raise EmptyFile()
    if kind is FileKind.HTML:
        raise NotAReport(what, doc.file_name)
    if kind is FileKind.UNKNOWN or kind is FileKind.ZIP:
        raise UnsupportedType(what)
    if kind is FileKind.PDF:
        _open_pdf(doc, ws)
    else:
        if ext in _PDF_EXT:
            doc.warnings.append(f"named {ext} but is {what}; processed as an image")
        elif ext and ext not in _IMAGE_EXT:
            doc.warnings.append(f"named {ext} but is {what}; processed as an image")
        _open_image(doc, ws)


def _open_pdf(doc: Document, ws: Workspace) -> None:
    data = ws.data
    if b"%%EOF" not in data[-8192:]:
        raise CorruptPdf("truncated: the file ends before its end-of-file marker, part of it is missing")
    try:
        reader, password, n_pages, ws.pdf = _open_readers(data, ws.options.password)
    except EncryptedPdf:
        raise
    except CorruptPdf as exc:
        repaired = _repair_with_pdfium(data, ws.options.password)
        if repaired is None:
            raise
        try:
            reader, password, n_pages, ws.pdf = _open_readers(repaired, ws.options.password)
        except CchcError:
            raise exc from None
        ws.data = repaired
        doc.warnings.append("the PDF's cross-reference table is damaged (" + str(exc.__cause__ or exc)[:80]
                            + "); read after rebuilding it with pdfium — check the figures, or ask for a clean copy")
    ws.reader = reader
    doc.n_pages = n_pages
    sigs = read_signatures(reader)
    doc.metadata.signed = bool(sigs)
    doc.metadata.signer = next((s.signer for s in sigs if s.signer), None)
    producer = reader.metadata.get("/Producer") if reader.metadata is not None else None
    doc.metadata.producer = str(producer) if producer else None


def _open_readers(data: bytes, password_option: str | None) -> tuple[PdfReader, str, int, Any]:
    """pypdf (signatures, metadata) and pdfplumber (grid fallback) over the same bytes."""
    try:
        with warnings.catch_warnings(), _quiet("pypdf"):
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            password = ""
            if reader.is_encrypted:
                password = _decrypt(reader, password_option)
            n_pages = len(reader.pages)
    except EncryptedPdf:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError,
            RecursionError) as exc:
        raise CorruptPdf(_short(exc)) from exc
    if n_pages == 0:
        raise CorruptPdf("no readable pages")
    try:
        plumber = _open_plumber(data, password)
    except Exception as exc:  # pdfminer raises a zoo of types on damaged files
        raise CorruptPdf(_short(exc)) from exc
    return reader, password, n_pages, plumber


def _repair_with_pdfium(data: bytes, password: str | None) -> bytes | None:
    """pdfium rebuilds a damaged cross-reference table on open; saving it gives a PDF the other readers accept."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data, password=password)
        try:
            if len(pdf) == 0:
                return None
            buf = io.BytesIO()
            pdf.save(buf)
            return buf.getvalue()
        finally:
            pdf.close()
    except Exception:  # noqa: BLE001 - pdfium cannot open it either: the original error stands
        return None


def _open_plumber(data: bytes, password: str) -> Any:
    """pdfminer encodes passwords as Latin-1 for RC4/AES-128 files: try the UTF-8 bytes that way too."""
    candidates = [password]
    if password and not password.isascii():
        candidates.append(password.encode("utf-8").decode("latin-1"))
    last: Exception | None = None
    for candidate in candidates:
        try:
            pdf = pdfplumber.open(io.BytesIO(data), password=candidate)
            _ = pdf.pages[0]
            return pdf
        except Exception as exc:
            last = exc
    assert last is not None
    raise last


def _decrypt(reader: PdfReader, password: str | None) -> str:
    """Owner-password-only PDFs open with the empty password; others need the user's."""
    for candidate in ("", password):
        if candidate is None:
            continue
        try:
            if reader.decrypt(candidate):
                return candidate
        except Exception:
            continue
    raise EncryptedPdf()


def _open_image(doc: Document, ws: Workspace) -> None:
    """Open the image and read its frames' sizes from the header only: nothing is decoded here."""
    limit = ws.options.max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(ws.data))
            n_frames = int(getattr(img, "n_frames", 1))
    except Image.DecompressionBombError as exc:
        raise ResourceLimit(f"image too large to open safely ({_short(exc)}); it was not decoded: "
                            "rescan at 300 dpi or split it") from exc
    except Exception as exc:
        raise UnsupportedType(f"an image that cannot be decoded ({_short(exc)})") from exc
    w, h = img.size
    if n_frames == 1 and w * h > limit:
        img.close()
        raise ResourceLimit(pixel_limit_message(w, h, limit, "image"))
    if n_frames == 1 and w * h == 0:
        img.close()
        raise UnsupportedType(f"an image with no pixels ({w}×{h})")
    ws.image = img
    doc.n_pages = n_frames


def pixel_limit_message(w: int, h: int, limit: int, what: str) -> str:
    return (f"{what} is {w}×{h} pixels ({w * h / 1e6:,.0f} MP), above the limit of {limit / 1e6:,.0f} MP per page; "
            "not decoded: rescan at 300 dpi, or raise --max-pixels (each MP needs ~3 MB of memory)")


@contextlib.contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    """pypdf logs every damaged object it skips; the document's warnings say it once."""
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]
