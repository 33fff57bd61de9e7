"""The OCR engine interface: Tesseract behind it, the language option wired through, no import cycles."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pdf2image import convert_from_path

from cchc.core.errors import MissingDependency
from cchc.core.options import ExtractOptions
from extractors import ocr_engine
from pipeline.run import run
from tests import ocr_support as S

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("cchc", "pipeline", "extractors", "matchers", "indicator_catalog")


@pytest.fixture(scope="module")
def scan_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("engine")
    S.make_text_pdf(d / "clean.pdf")
    img = convert_from_path(str(d / "clean.pdf"), dpi=200, grayscale=True)[0]
    out = d / "scan.pdf"
    img.convert("RGB").save(out, resolution=200)
    return out


@pytest.mark.slow
def test_tesseract_engine_reads_words_with_boxes(scan_pdf: Path) -> None:
    engine = ocr_engine.engine_for("vie")
    assert isinstance(engine, ocr_engine.TesseractEngine)
    assert engine.version().startswith("tesseract ")
    img = np.asarray(convert_from_path(str(scan_pdf), dpi=200)[0].convert("L"))
    data = engine.read(img, dpi=200)
    words = [w for w in data["text"] if str(w).strip()]
    assert "Bình" in words and "Yên" in words
    assert len(data["left"]) == len(data["text"]) == len(data["conf"])
    rot, conf = engine.orientation(np.ascontiguousarray(np.rot90(img)))
    assert rot in (90, 270) and conf > 1.0


@pytest.mark.slow
def test_ocr_lang_reaches_tesseract(scan_pdf: Path, tmp_path: Path) -> None:
    """`--ocr-lang eng` is used for the page text: the Vietnamese marks are lost, as expected of eng."""
    by_lang = {}
    for lang in ("vie", "eng"):
        result = run(ExtractOptions(inputs=(scan_pdf,), out=tmp_path / lang, executor="inline", ocr_lang=lang))
        page = result.documents[0].pages[0]
        assert f"tesseract {lang}," in page.origin_reason
        values = pd.read_parquet(tmp_path / lang / "values")
        by_lang[lang] = " ".join(values.evidence.dropna())
    assert "nhiệm vụ" in by_lang["vie"] and "nhiệm vụ" not in by_lang["eng"]


def test_missing_model_is_a_clear_failure(scan_pdf: Path, tmp_path: Path) -> None:
    with pytest.raises(MissingDependency, match="xyz"):
        ocr_engine.check_tesseract("vie+xyz")
    result = run(ExtractOptions(inputs=(scan_pdf,), out=tmp_path / "o", executor="inline", ocr_lang="xyz"))
    doc = result.documents[0]
    assert doc.status.value != "ok" and "'xyz' model" in (doc.error or "") and "--ocr-lang" in (doc.error or "")
    # on the command line the mistake is a usage error before any file is read
    from click.testing import CliRunner

    from cchc.cli import main

    res = CliRunner().invoke(main, ["extract", str(scan_pdf), "--out", str(tmp_path / "cli"), "--ocr-lang", "xyz"])
    assert res.exit_code == 2 and "xyz" in res.output
    assert not (tmp_path / "cli").exists()
    with pytest.raises(ValueError, match="--ocr-lang"):
        ExtractOptions(inputs=(scan_pdf,), out=tmp_path / "x", ocr_lang="vie eng; rm")


def _imports(path: Path) -> set[str]:
    """Project modules `path` imports, at any depth (lazy imports inside functions count too)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in PACKAGES:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.split(".")[0] in PACKAGES)
    return out


def _graph() -> dict[str, set[str]]:
    graph = {}
    for pkg in PACKAGES:
        for f in (ROOT / pkg).rglob("*.py"):
            mod = ".".join(f.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            graph[mod] = _imports(f)
    return {m: {d for d in deps if d in graph} for m, deps in graph.items()}


def test_readers_do_not_import_each_other_in_a_circle() -> None:
    graph = _graph()
    readers = [m for m in graph if m.startswith("extractors.")]
    pairs = [(a, b) for a in readers for b in graph[a] if a in graph.get(b, set())]
    assert pairs == [], f"import cycles among extractors: {pairs}"
    # the engine and the ruling finder sit below the page reader and the cell re-reader
    assert not graph["extractors.ocr_engine"] & {"extractors.ocr", "extractors.image_prep", "extractors.image_grid"}
    assert "extractors.ocr" not in graph["extractors.rulings"]
    # workers run one document; they do not import the batch driver that starts them
    assert "pipeline.run" not in graph["pipeline.executors"] and "pipeline.run" not in graph["pipeline.document"]


def test_lower_layers_do_not_import_upper_ones() -> None:
    graph = _graph()
    apps = {m for m in graph if m.startswith(("cchc.cli", "cchc.review", "cchc.bench", "cchc.evaluation",
                                              "cchc.debug", "cchc.summary", "cchc.report"))}
    for mod, deps in graph.items():
        if mod.startswith(("extractors.", "matchers.", "indicator_catalog")):
            assert not {d for d in deps if d.startswith("pipeline")}, f"{mod} imports the pipeline"
            assert not deps & apps, f"{mod} imports an app module: {deps & apps}"
