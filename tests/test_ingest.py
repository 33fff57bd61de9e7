"""Ingest: every file accounted for, content decides the type, ZIPs read safely, duplicates grouped."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from cchc.core.model import FileKind, Status
from pipeline import ingest as ingest_mod
from pipeline.ingest import ingest
from pipeline.sniff import sniff
from tests.pdfmaker import text_pdf


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    text_pdf(root / "a.pdf", [["BÁO CÁO", "Quý I năm 2024"]])
    (root / "sub" / "copy_of_a.pdf").write_bytes((root / "a.pdf").read_bytes())
    (root / "empty.pdf").write_bytes(b"")
    (root / ".hidden").write_bytes(b"x")
    return root


def test_folder_walk_dedupes_identical_bytes(folder: Path) -> None:
    got = ingest([folder])
    paths = [d.source_path for d in got.documents]
    assert paths == sorted(paths)
    a = next(d for d in got.documents if d.file_name == "a.pdf")
    assert a.doc_id == hashlib.sha256((folder / "a.pdf").read_bytes()).hexdigest()
    assert a.other_paths == [str(folder / "sub" / "copy_of_a.pdf")]
    assert {d.file_name for d in got.documents} == {"a.pdf", "empty.pdf"}  # hidden files skipped


def test_zip_members_are_read_in_memory_and_named_with_bang(folder: Path, tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("q1/a.pdf", (folder / "a.pdf").read_bytes())
        zf.writestr("q1/note.html", b"<html><body>download</body></html>")
    archive = tmp_path / "season.zip"
    archive.write_bytes(buf.getvalue())
    got = ingest([folder, archive])
    a = next(d for d in got.documents if d.file_name == "a.pdf")
    assert f"{archive}!/q1/a.pdf" in a.other_paths
    html = next(d for d in got.documents if d.file_name == "note.html")
    assert html.kind is FileKind.HTML
    assert got.refs[html.doc_id].read_bytes().startswith(b"<html>")
    assert not any(p.name.endswith(".pdf") for p in tmp_path.iterdir() if p.is_file() and p != archive)


def test_zip_path_traversal_is_a_failed_row_not_a_write(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("../../etc/evil.pdf", b"%PDF-1.4 evil")
        zf.writestr("ok.txt", b"hello")
    archive = tmp_path / "bad.zip"
    archive.write_bytes(buf.getvalue())
    got = ingest([archive])
    evil = next(d for d in got.documents if "evil" in d.source_path)
    assert evil.status is Status.FAILED
    assert "path traversal" in (evil.error or "")


def test_zip_bomb_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest_mod, "MAX_MEMBER_BYTES", 1_000_000)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("bomb.pdf", b"%PDF-" + b"\0" * 5_000_000)
    archive = tmp_path / "bomb.zip"
    archive.write_bytes(buf.getvalue())
    got = ingest([archive])
    (doc,) = got.documents
    assert doc.status is Status.FAILED
    assert "unsafe ZIP member" in (doc.error or "")


def test_oversized_stored_member_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Uncompressed (stored) members are bounded too, not only deflated ones."""
    monkeypatch.setattr(ingest_mod, "MAX_MEMBER_BYTES", 1000)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("big.pdf", b"%PDF-" + b"x" * 5000)
    archive = tmp_path / "lie.zip"
    archive.write_bytes(buf.getvalue())
    (doc,) = ingest([archive]).documents
    assert doc.status is Status.FAILED


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"", FileKind.EMPTY),
        (b"%PDF-1.7\n", FileKind.PDF),
        (b"\x89PNG\r\n\x1a\n....", FileKind.IMAGE),
        (b"\xff\xd8\xff\xe0JFIF", FileKind.IMAGE),
        (b"II*\x00....", FileKind.IMAGE),
        (b"  <!DOCTYPE html><html>", FileKind.HTML),
        (b"\xef\xbb\xbf<html lang='vi'>", FileKind.HTML),
        (b"\xd0\xcf\x11\xe0\xa1\xb1", FileKind.UNKNOWN),
    ],
)
def test_sniff_by_content(head: bytes, kind: FileKind) -> None:
    assert sniff(head, head)[0] is kind


def test_docx_is_not_taken_for_an_archive() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    kind, what = sniff(buf.getvalue()[:4096], buf.getvalue())
    assert kind is FileKind.UNKNOWN and "Word" in what


def test_missing_input_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        ingest([tmp_path / "nope"])


def test_cchcignore_skips_sidecar_files(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "seeds").mkdir(parents=True)
    text_pdf(root / "a.pdf", [["BÁO CÁO"]])
    (root / "a.pdf.truth.json").write_text("{}")
    (root / "seeds" / "x.txt").write_text("seed")
    (root / "notes.txt").write_text("kept: not listed")
    (root / ".cchcignore").write_text("# sidecars\n*.truth.json\nseeds/\n")
    names = sorted(d.file_name for d in ingest([root]).documents)
    assert names == ["a.pdf", "notes.txt"]


def test_cchcignore_in_a_parent_folder_applies_to_subfolders(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "scan").mkdir(parents=True)
    text_pdf(root / "scan" / "a.pdf", [["BÁO CÁO"]])
    (root / "scan" / "a.pdf.truth.json").write_text("{}")
    (root / ".cchcignore").write_text("*.truth.json\n")
    assert [d.file_name for d in ingest([root / "scan"]).documents] == ["a.pdf"]


def test_output_folder_inside_the_input_is_not_read(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "out" / "values").mkdir(parents=True)
    text_pdf(root / "a.pdf", [["BÁO CÁO"]])
    (root / "out" / "documents.parquet").write_bytes(b"PAR1")
    names = [d.file_name for d in ingest([root], exclude=[root / "out"]).documents]
    assert names == ["a.pdf"]
