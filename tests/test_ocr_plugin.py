"""Adding an OCR engine is one class plus one registration line (extractors/ocr_engine.py: ENGINES).

`ScriptEngine` below is a real, small second engine: it "reads" a page by
returning the text the test drew on it, laid out over the image it is given,
as Tesseract's TSV columns.  Registered with one line, it is then chosen with
`ocr_engine=` (`--ocr-engine` on the command line) and the whole scan path
(page OCR, orientation, narrative figures) runs on it, while every Tesseract
entry point is made to fail: nothing outside the engine calls Tesseract by name.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import numpy as np
import pytesseract
import pytest
from pdf2image import convert_from_path
from PIL import Image

from cchc.core.options import ExtractOptions
from extractors import ocr_engine
from pipeline.run import run
from tests import ocr_support as S

ROOT = Path(__file__).resolve().parent.parent


class ScriptEngine:
    """An OCR engine that knows the page's lines (the script the test drew) instead of reading pixels."""

    name = "script"
    script: list[tuple[str, float, float]] = []  # (line, x pt, baseline y pt from the top), from make_text_pdf

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def version(self) -> str:
        return "script 1.0"

    def read(self, image: np.ndarray | Image.Image, *, psm: int = 3, dpi: int | None = 300,
             lang: str | None = None, extra: str = "") -> dict[str, list[Any]]:
        h, w = np.asarray(image).shape[:2]
        sx, sy = w / S.PAGE_W, h / S.PAGE_H  # pixels per point of the image handed over
        cols: dict[str, list[Any]] = {k: [] for k in ("text", "conf", "left", "top", "width", "height",
                                                       "block_num", "par_num", "line_num")}
        for n, (line, x_pt, y_pt) in enumerate(self.script, start=1):
            x = x_pt
            for word in line.split():
                width = 6.5 * len(word)  # DejaVu Serif 12 pt: about 6.5 pt a character
                for key, val in (("text", word), ("conf", 96.0), ("left", int(x * sx)), ("top", int((y_pt - 10) * sy)),
                                 ("width", int(width * sx)), ("height", int(13 * sy)),
                                 ("block_num", 1), ("par_num", 1), ("line_num", n)):
                    cols[key].append(val)
                x += width + 3.5
        return cols

    def orientation(self, gray: np.ndarray) -> tuple[int, float]:
        return 0, 0.0


@pytest.fixture()
def scan_pdf(tmp_path: Path) -> Path:
    ScriptEngine.script = S.make_text_pdf(tmp_path / "clean.pdf")
    img = convert_from_path(str(tmp_path / "clean.pdf"), dpi=150, grayscale=True)[0]
    out = tmp_path / "scan.pdf"
    img.convert("RGB").save(out, resolution=150)
    return out


def _no_tesseract(*_: Any, **__: Any) -> Any:
    raise AssertionError("Tesseract was called by name outside the engine")


def test_a_registered_engine_runs_the_whole_scan_path(scan_pdf: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(ocr_engine.ENGINES, "script", ScriptEngine)  # the one registration line
    for entry in ("image_to_data", "image_to_osd", "image_to_string", "get_tesseract_version"):
        monkeypatch.setattr(pytesseract, entry, _no_tesseract)

    result = run(ExtractOptions(inputs=(scan_pdf,), out=tmp_path / "out", executor="inline", ocr_engine="script"))
    doc = result.documents[0]
    page = doc.pages[0]
    assert page.origin.value == "ocr" and "OCR (script vie, psm" in page.origin_reason, page.origin_reason
    narrative = [v for v in doc.values if v.source == "narrative"]
    assert any(v.evidence and "nhiệm vụ" in v.evidence for v in narrative), [v.evidence for v in narrative]
    assert result.run_info["options"]["ocr_engine"] == "script"


def test_an_unknown_engine_is_a_clear_error(scan_pdf: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from cchc.cli import main

    res = CliRunner().invoke(main, ["extract", str(scan_pdf), "--out", str(tmp_path / "o"), "--ocr-engine", "nope"])
    assert res.exit_code == 2 and "no OCR engine 'nope'" in res.output and "tesseract" in res.output


def test_only_the_engine_module_calls_tesseract() -> None:
    """pytesseract is imported in extractors/ocr_engine.py only; a `tesseract` command line appears only there
    and in cchc/bench.py, whose baseline times bare Tesseract on purpose."""
    importers, commands = [], []
    for pkg in ("cchc", "pipeline", "extractors", "matchers", "indicator_catalog"):
        for path in (ROOT / pkg).rglob("*.py"):
            rel = str(path.relative_to(ROOT))
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                    if any(n.split(".")[0] == "pytesseract" for n in names):
                        importers.append(rel)
                elif isinstance(node, ast.List) and node.elts and isinstance(node.elts[0], ast.Constant) \
                        and node.elts[0].value == "tesseract":
                    commands.append(rel)
    assert set(importers) == {"extractors/ocr_engine.py"}
    assert set(commands) <= {"extractors/ocr_engine.py", "cchc/bench.py"}
