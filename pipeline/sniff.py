"""Decide what a file is from its first bytes, never from its name.

Agencies' archives hold PNG scans named `.pdf`, portal download pages saved
as `.pdf`, Word files, and empty placeholders; the extension lies often
enough that only the content can be trusted.
"""

from __future__ import annotations

import io
import zipfile

from cchc.core.model import FileKind
from pipeline import formats

_IMAGE_MAGIC: dict[bytes, str] = {
    b"\x89PNG\r\n\x1a\n": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image",
}


def sniff(head: bytes, whole: bytes | None = None) -> tuple[FileKind | str, str]:
    """Return the file kind and a human description (used in warnings and errors).

    `head` is the first few KB; `whole` (optional) lets ZIP-based office
    files be told apart from real archives.  A registered input format
    (`pipeline.formats`) that claims the bytes wins; its kind is its name.
    """
    registered = formats.recognise(head) if head else None
    if registered:
        return registered
    if not head:
        return FileKind.EMPTY, "an empty file"
    if head.startswith(b"%PDF-"):
        return FileKind.PDF, "a PDF"
    for magic, what in _IMAGE_MAGIC.items():
        if head.startswith(magic):
            return FileKind.IMAGE, what
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        office = _office_kind(whole) if whole is not None else None
        if office:
            return FileKind.UNKNOWN, office
        return FileKind.ZIP, "a ZIP archive"
    if b"%PDF-" in head[:1024]:  # PDF readers accept junk before the header
        return FileKind.PDF, "a PDF"
    text = head[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html")) or (text.startswith(b"<") and b"<html" in text):
        return FileKind.HTML, "an HTML web page"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return FileKind.UNKNOWN, "a legacy Microsoft Office document (.doc/.xls)"
    if head.startswith(b"{\\rtf"):
        return FileKind.UNKNOWN, "an RTF document"
    if _looks_like_text(head):
        return FileKind.UNKNOWN, "a plain-text file"
    return FileKind.UNKNOWN, "an unrecognised binary file"


def _office_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except Exception:  # noqa: BLE001 - any damage: not an office file, the ZIP walk reports it
        return None
    return office_kind_from_names(names)


def office_kind_from_names(names: set[str]) -> str | None:
    """Word/Excel/OpenDocument files are ZIPs too: their member names tell them apart from archives."""
    if "word/document.xml" in names:
        return "a Word document (.docx)"
    if "xl/workbook.xml" in names:
        return "an Excel workbook (.xlsx)"
    if "content.xml" in names and "mimetype" in names:
        return "an OpenDocument file"
    return None


def _looks_like_text(head: bytes) -> bool:
    try:
        head[:1024].decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
