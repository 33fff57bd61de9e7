"""Hypothesis-driven hostile inputs: mutated PDFs, ZIPs, images and file names never stop the batch.

`make test` runs a fixed, derandomized handful of examples per property;
`make fuzz` (CCHC_FUZZ=1) runs many random ones, plus the expensive cases
marked `fuzz`.
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc.core.errors import CchcError
from cchc.core.model import Document, Status
from cchc.core.options import ExtractOptions
from extractors import image_prep
from pipeline import load
from pipeline.ingest import ingest
from pipeline.run import process_document
from pipeline.writer import write_outputs
from tests import hostile_inputs as h

FUZZ = os.environ.get("CCHC_FUZZ") == "1"
settings.register_profile("ci", max_examples=12, derandomize=True, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=300, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
PROFILE = settings.get_profile("fuzz" if FUZZ else "ci")

_WORK = Path(__file__).parent / ".." / "outputs"  # never used: each example writes under a fresh tmp folder
STATUSES = {Status.OK, Status.PARTIAL, Status.FAILED}


@pytest.fixture(scope="module")
def base_pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return h.good_pdf(tmp_path_factory.mktemp("base") / "g.pdf", pages=2).read_bytes()


def _check_row(doc: Document) -> None:
    """What every row promises: a known status, and an error a person can read when not ok."""
    assert doc.status in STATUSES
    if doc.status is not Status.OK:
        assert doc.error and len(doc.error) > 10
        assert "Traceback" not in doc.error


def _process_bytes(tmp: Path, name: str, data: bytes) -> Document:
    path = tmp / name
    path.write_bytes(data)
    got = ingest([path])
    (doc,) = got.documents
    assert doc.doc_id == hashlib.sha256(data).hexdigest()
    if doc.status is not Status.FAILED:
        options = ExtractOptions(inputs=(path,), out=tmp / "out", executor="inline", ocr=False, doc_timeout_s=60)
        doc = process_document(doc, got.refs[doc.doc_id], options)
    _check_row(doc)
    return doc


@PROFILE
@given(positions=st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=8),
       values=st.lists(st.integers(min_value=1, max_value=255), min_size=8, max_size=8))
def test_byte_flipped_pdfs_are_rows(tmp_path_factory: pytest.TempPathFactory, base_pdf: bytes,
                                    positions: list[int], values: list[int]) -> None:
    doc = _process_bytes(tmp_path_factory.mktemp("flip"), "f.pdf", h.flip_bytes(base_pdf, positions, values))
    if doc.status is Status.OK:  # ok only when every page yielded text
        assert doc.pages and all(not p.warnings or "no text" not in " ".join(p.warnings) for p in doc.pages)


@PROFILE
@given(cut=st.floats(min_value=0.0, max_value=0.999))
def test_truncated_pdfs_are_rows(tmp_path_factory: pytest.TempPathFactory, base_pdf: bytes, cut: float) -> None:
    doc = _process_bytes(tmp_path_factory.mktemp("cut"), "c.pdf", base_pdf[: int(len(base_pdf) * cut)])
    assert doc.status is Status.FAILED


@PROFILE
@given(data=st.data())
def test_mutated_images_open_or_fail_with_a_typed_error(data: st.DataObject) -> None:
    img = h.text_image(["Tổng số 351 hồ sơ"], size=(300, 90))
    fmt = data.draw(st.sampled_from(["PNG", "JPEG", "TIFF"]))
    raw = h.image_bytes(img, fmt)
    positions = data.draw(st.lists(st.integers(0, len(raw) - 1), min_size=1, max_size=6))
    mutated = h.flip_bytes(raw, positions, [data.draw(st.integers(1, 255)) for _ in positions])
    mutated = mutated[: data.draw(st.integers(min_value=8, max_value=len(mutated)))]
    doc = Document("x", "m", f"m.{fmt.lower()}")
    ws = load.Workspace(data=mutated, options=ExtractOptions(inputs=(Path("."),), out=Path("/nonexistent")))
    try:
        load.run(doc, ws)
    except CchcError as exc:
        assert str(exc)
        return
    try:
        for frame in image_prep.iter_image_frames(mutated, max_pixels=ws.options.max_pixels):
            if isinstance(frame, image_prep.FrameError):
                assert frame.reason
            else:
                assert frame.image.ndim == 3
    except OSError:  # a header that lies about the frame count: Pillow cannot even locate a frame
        pass
    finally:
        ws.close()


@PROFILE
@given(data=st.data())
def test_mutated_zips_give_one_row_per_content_and_unique_ids(tmp_path_factory: pytest.TempPathFactory,
                                                              base_pdf: bytes, data: st.DataObject) -> None:
    archive = h.zip_bytes([("a.pdf", base_pdf), ("b/a.pdf", base_pdf), ("c.txt", b"ghi chu"), ("a.pdf", b"x")])
    positions = data.draw(st.lists(st.integers(0, len(archive) - 1), min_size=1, max_size=6))
    mutated = h.flip_bytes(archive, positions, [data.draw(st.integers(1, 255)) for _ in positions])
    tmp = tmp_path_factory.mktemp("zip")
    (tmp / "m.zip").write_bytes(mutated)
    docs = ingest([tmp / "m.zip"]).documents
    assert docs
    assert len({d.doc_id for d in docs}) == len(docs)
    for d in docs:
        _check_row(d)


@PROFILE
@given(names=st.lists(st.binary(min_size=1, max_size=30).filter(
    lambda b: b"/" not in b and b"\0" not in b and b not in (b".", b"..") and not b.startswith(b".")),
    min_size=1, max_size=5, unique=True))
def test_any_file_name_bytes_become_one_readable_row_each(tmp_path_factory: pytest.TempPathFactory,
                                                          names: list[bytes]) -> None:
    folder = tmp_path_factory.mktemp("names")
    for i, raw in enumerate(names):
        with open(os.path.join(bytes(folder), raw), "wb") as fh:
            fh.write(b"%%PDF-1.4 not really %d" % i)
    got = ingest([folder])
    paths = [p for d in got.documents for p in [d.source_path, *d.other_paths]]
    assert len(paths) == len(names)
    for d in got.documents:
        d.source_path.encode("utf-8")  # valid UTF-8, whatever the bytes were
        assert d.source_path_bytes is None or d.source_path_bytes.startswith(bytes(folder))
    out = folder.parent / (folder.name + "_out")
    write_outputs(out, got.documents, {}, "t", "t")
    frame = pd.read_parquet(out / "documents.parquet")
    assert len(frame) == len(got.documents) and frame["doc_id"].is_unique


def test_every_hypothesis_profile_is_bounded() -> None:
    """CI runs the fixed examples; the long run is `make fuzz`."""
    assert settings.get_profile("ci").derandomize and settings.get_profile("ci").max_examples <= 20
    assert settings.get_profile("fuzz").max_examples >= 300
    _ = (io, zipfile)
