"""Hostile ZIP archives: every member a row, identified by position and bytes, nothing escapes, nothing stops."""

from __future__ import annotations

import hashlib
import io
import unicodedata
import zipfile
from pathlib import Path

import pytest

from cchc.core.model import Status
from cchc.core.options import ExtractOptions
from pipeline.ingest import ingest
from pipeline.run import run
from tests import hostile_inputs as h


def _by_name(docs):  # type: ignore[no-untyped-def]
    out: dict[str, list] = {}
    for d in docs:
        out.setdefault(d.file_name, []).append(d)
    return out


def test_corrupt_deflate_member_is_a_failed_row_and_the_others_go_on(tmp_path: Path) -> None:
    good = h.good_pdf(tmp_path / "g.pdf", pages=1).read_bytes()
    archive = h.zip_bytes([("a_first.pdf", good), ("broken.pdf", good + b"% padding " * 200), ("z_last.txt", b"x")])
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "season.zip").write_bytes(h.corrupt_member_data(archive, "broken.pdf"))
    docs = _by_name(ingest([tmp_path / "in"]).documents)
    (broken,) = docs["broken.pdf"]
    assert broken.status is Status.FAILED
    assert "cannot read ZIP member" in broken.error and "re-download" in broken.error
    assert docs["a_first.pdf"][0].status is Status.OK and docs["z_last.txt"][0].status is Status.FAILED


def test_same_name_different_bytes_are_two_rows_with_their_own_values(tmp_path: Path) -> None:
    """The issue's case: a 1-page letter then a multi-page report, both `bao_cao.pdf`."""
    letter, report = h.LETTER.read_bytes(), h.REPORT.read_bytes()
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "dup.zip").write_bytes(h.zip_bytes([("bao_cao.pdf", letter), ("bao_cao.pdf", report)]))
    result = run(ExtractOptions(inputs=(tmp_path / "in",), out=tmp_path / "out", executor="inline", ocr=False))
    docs = {d.doc_id: d for d in result.documents}
    assert set(docs) == {hashlib.sha256(letter).hexdigest(), hashlib.sha256(report).hexdigest()}
    letter_doc, report_doc = docs[hashlib.sha256(letter).hexdigest()], docs[hashlib.sha256(report).hexdigest()]
    assert letter_doc.n_pages == 1 and report_doc.n_pages > 1
    assert len(report_doc.values) > 20 and len(letter_doc.values) < len(report_doc.values)
    assert "entry 1 of 2" in " ".join(letter_doc.warnings) and "entry 2 of 2" in " ".join(report_doc.warnings)
    import pandas as pd

    frame = pd.read_parquet(tmp_path / "out" / "documents.parquet")
    assert frame["doc_id"].is_unique and len(frame) == 2
    values = pd.read_parquet(tmp_path / "out" / "values")
    joined = values.merge(frame[["doc_id", "n_pages"]], on="doc_id")
    assert len(joined) == len(values)  # no fan-out on doc_id


def test_identical_members_are_one_row_with_every_path(tmp_path: Path) -> None:
    pdf = h.good_pdf(tmp_path / "g.pdf", pages=1).read_bytes()
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.zip").write_bytes(h.zip_bytes([("x/bao_cao.pdf", pdf), ("y/bao_cao.pdf", pdf),
                                                         ("x/bao_cao.pdf", pdf)]))
    (doc,) = ingest([tmp_path / "in"]).documents
    assert doc.doc_id == hashlib.sha256(pdf).hexdigest()
    assert sorted([doc.source_path, *doc.other_paths]) == sorted(
        f"{tmp_path / 'in' / 'a.zip'}!/{n}" for n in ["x/bao_cao.pdf", "x/bao_cao.pdf", "y/bao_cao.pdf"])


def test_nested_bomb_gives_unique_doc_ids_and_lists_every_path(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "nested.zip").write_bytes(h.nested_bomb(levels=2, fan=4))
    docs = ingest([tmp_path / "in"]).documents
    ids = [d.doc_id for d in docs]
    assert len(ids) == len(set(ids))
    assert sum(1 + len(d.other_paths) for d in docs) == 16  # 4 × 4 leaves, each path accounted for
    assert all(d.status is Status.FAILED and "decompression bomb" in d.error for d in docs)


def test_slip_paths_symlinks_and_encrypted_members_are_rows_and_nothing_is_written(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "slip.zip").write_bytes(h.zip_bytes(
        [("../../evil.pdf", b"%PDF-1.4 x"), ("/abs/evil2.pdf", b"%PDF-1.4 y"), ("C:\\win\\evil3.pdf", b"%PDF-1.4 z")]))
    (tmp_path / "in" / "link.zip").write_bytes(h.zip_with_symlink("link.pdf", "/etc/passwd"))
    h.zip_encrypted(tmp_path / "in" / "locked.zip", {"secret.pdf": h.REPORT.read_bytes()})
    before = sorted(p.name for p in tmp_path.iterdir())
    result = run(ExtractOptions(inputs=(tmp_path / "in",), out=tmp_path / "out", executor="inline", ocr=False))
    docs = _by_name(result.documents)
    assert all("path traversal" in docs[n][0].error for n in ["evil.pdf", "evil2.pdf", "evil3.pdf"])
    assert "symbolic link" in docs["link.pdf"][0].error
    assert "encrypted ZIP member" in docs["secret.pdf"][0].error
    after = sorted(p.name for p in tmp_path.iterdir() if p.name != "out" and not p.name.startswith(".out"))
    assert after == before
    assert not (tmp_path.parent / "evil.pdf").exists()


def test_corrupt_central_directory_is_one_failed_row(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    archive = h.zip_bytes([("a.pdf", h.REPORT.read_bytes())])
    (tmp_path / "in" / "cd.zip").write_bytes(h.corrupt_central_directory(archive))
    (doc,) = ingest([tmp_path / "in"]).documents
    assert doc.status is Status.FAILED and "damaged ZIP archive" in doc.error


def test_legacy_encoded_and_nfd_names(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    raw = "báo_cáo.pdf".encode("cp1258")  # b'b\xe1o_c\xe1o.pdf', not UTF-8
    (tmp_path / "in" / "legacy.zip").write_bytes(h.zip_with_raw_name(raw, h.LETTER.read_bytes()))
    nfc, nfd = "báo_cáo.pdf", unicodedata.normalize("NFD", "báo_cáo.pdf")
    (tmp_path / "in" / "nfd.zip").write_bytes(h.zip_bytes([(nfc, b"one"), (nfd, b"two")]))
    docs = ingest([tmp_path / "in"]).documents
    legacy = next(d for d in docs if "legacy.zip" in d.source_path)
    assert legacy.source_path.endswith("!/b\\xe1o_c\\xe1o.pdf")
    assert legacy.source_path_bytes.endswith(b"!/" + raw)
    assert any("'báo_cáo.pdf'" in w for w in legacy.warnings)  # shown readably
    names = sorted(d.file_name for d in docs if "nfd.zip" in d.source_path)
    assert names == sorted([nfc, nfd]) and len({d.doc_id for d in docs}) == len(docs)


def test_five_thousand_tiny_entries_are_fast(tmp_path: Path) -> None:
    """Before: 233 s (every member re-read the archive in a worker). Now: classified while ingesting."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "many.zip").write_bytes(h.many_tiny_entries(5000))
    result = run(ExtractOptions(inputs=(tmp_path / "in",), out=tmp_path / "out", workers=2, ocr=False))
    assert len(result.documents) == 5000
    assert all(d.status is Status.FAILED and "plain-text" in d.error for d in result.documents)
    # classified while ingesting: no document reached a stage (the time it takes is for make bench)
    assert not result.run_info["stage_seconds"], result.run_info["stage_seconds"]


def test_member_read_back_by_position_not_name(tmp_path: Path) -> None:
    archive = tmp_path / "dup.zip"
    archive.write_bytes(h.zip_bytes([("a.pdf", b"%PDF-1.4 first"), ("a.pdf", b"%PDF-1.4 second")]))
    got = ingest([archive])
    contents = sorted(got.refs[d.doc_id].read_bytes() for d in got.documents)
    assert contents == [b"%PDF-1.4 first", b"%PDF-1.4 second"]


@pytest.mark.parametrize("depth", [4])
def test_zip_nested_too_deep_is_a_row(tmp_path: Path, depth: int) -> None:
    inner = h.zip_bytes([("a.txt", b"x")])
    for i in range(depth):
        inner = h.zip_bytes([(f"l{i}.zip", inner)])
    archive = tmp_path / "deep.zip"
    archive.write_bytes(inner)
    (doc,) = ingest([archive]).documents
    assert doc.status is Status.FAILED and "nested deeper" in doc.error


def test_zip_read_from_disk_is_not_loaded_twice(tmp_path: Path) -> None:
    """Reading members reuses one parsed directory per process (the 5,000-entry speed-up)."""
    from pipeline import ingest as ingest_mod

    archive = tmp_path / "a.zip"
    archive.write_bytes(h.zip_bytes([(f"{i}.pdf", b"%%PDF-1.4 %d" % i) for i in range(50)]))
    got = ingest([archive])
    for d in got.documents:
        got.refs[d.doc_id].read_bytes()
    assert len(ingest_mod._OPEN) == 1
    assert isinstance(next(iter(ingest_mod._OPEN.values())), zipfile.ZipFile)
    _ = io  # keep import for readers extending these tests
