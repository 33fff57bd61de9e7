"""Adding an input format is one object plus one registration line (pipeline/formats.py: REGISTERED).

`LinesFormat` below is a real, small format: a report delivered as UTF-8 text
lines behind a magic first line (as a portal export might be).  Registered
with one line, files of that format go through ingest, load, pages and every
later stage; its bad files fail with the format's own message without
stopping the batch; unregistered, the same bytes are refused as before.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cchc.core.errors import InputError
from cchc.core.model import Document, Line, Page, TextOrigin, Word
from cchc.core.options import ExtractOptions
from pipeline import formats
from pipeline.load import Workspace
from pipeline.run import run

MAGIC = b"%CCHC-LINES\n"
REPORT = """UỶ BAN NHÂN DÂN XÃ BÌNH YÊN
BÁO CÁO Kết quả công tác cải cách hành chính quý I năm 2024
Trong kỳ, Bộ phận Một cửa xã đã tiếp nhận 351 hồ sơ; đã giải quyết 340 hồ sơ.
Tỷ lệ hồ sơ giải quyết đúng hạn đạt 98,5%.
"""


class NotUtf8(InputError):
    def __init__(self) -> None:
        super().__init__("lines file is not UTF-8 text; re-export it as UTF-8")


class LinesFormat:
    """UTF-8 lines after a magic first line: one page, words on a 12 pt grid (6 pt a character)."""

    name = "lines"

    def recognise(self, head: bytes) -> str | None:
        return "a CCHC lines export" if head.startswith(MAGIC) else None

    def open(self, doc: Document, ws: Workspace) -> None:
        try:
            ws.data[len(MAGIC):].decode("utf-8")
        except UnicodeDecodeError:
            raise NotUtf8() from None
        doc.n_pages = 1

    def read_pages(self, doc: Document, ws: Workspace) -> None:
        page = Page(1, 595.0, 842.0, TextOrigin.TEXT, "lines export: text as delivered")
        for n, text in enumerate(ws.data[len(MAGIC):].decode("utf-8").splitlines()):
            top, x, words = 40.0 + 14.0 * n, 40.0, []
            for token in text.split():
                words.append(Word(token, (x, top, x + 6.0 * len(token), top + 12.0)))
                x += 6.0 * (len(token) + 1)
            if words:
                page.words += words
                page.lines.append(Line(words, (words[0].bbox[0], top, words[-1].bbox[2], top + 12.0)))
        doc.pages.append(page)


@pytest.fixture()
def inputs(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    (d / "report.lines").write_bytes(MAGIC + REPORT.encode("utf-8"))
    (d / "broken.lines").write_bytes(MAGIC + "Tổng số 12 hồ sơ".encode("cp1258", errors="replace") + b"\xff\xfe")
    return d


def test_a_registered_format_runs_the_whole_pipeline(inputs: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(formats.REGISTERED, "lines", LinesFormat())  # the one registration line
    out = tmp_path / "out"
    result = run(ExtractOptions(inputs=(inputs,), out=out, executor="inline"))
    by_name = {d.file_name: d for d in result.documents}

    good = by_name["report.lines"]
    assert good.status == "ok" and good.kind == "lines", (good.status, good.error, good.warnings)
    figures = {v.value_num for v in good.values if v.source == "narrative"}
    assert {351.0, 340.0, 98.5} <= figures, figures

    bad = by_name["broken.lines"]  # the format's own error, and the batch went on
    assert bad.status == "failed" and "not UTF-8" in (bad.error or "")

    docs = pd.read_parquet(out / "documents.parquet").set_index("file_name")
    assert docs.loc["report.lines", "file_kind"] == "lines"
    assert docs.loc["broken.lines", "status"] == "failed"


def test_unregistered_the_same_bytes_are_refused_as_before(inputs: Path, tmp_path: Path) -> None:
    assert "lines" not in formats.REGISTERED
    result = run(ExtractOptions(inputs=(inputs / "report.lines",), out=tmp_path / "out", executor="inline"))
    doc = result.documents[0]
    assert doc.status == "failed" and "unsupported file type" in (doc.error or ""), doc.error


def test_an_unknown_format_name_is_a_clear_error() -> None:
    with pytest.raises(LookupError, match="no input format 'nope'"):
        formats.named("nope")
