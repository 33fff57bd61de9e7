"""The OCR engine behind one small interface, Tesseract its implementation.

Why an interface: every place that reads pixels (full pages, cell re-reads,
orientation) goes through the same three calls, so the language given on the
command line (`--ocr-lang`) reaches all of them, the time spent inside the
engine is counted in one place, and another engine (as OCRmyPDF's plugins do)
would replace one class, not calls spread over the code base.

Tesseract is called single-threaded (`OMP_THREAD_LIMIT=1`: its own threads
made a page 5× slower on 2 cores; the pipeline parallelises across pages) and
is handed an uncompressed BMP (pytesseract would PNG-encode the page first,
~0.5 s per 300-dpi page, a third of the OCR itself).
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from typing import Any, Protocol

import numpy as np
import pytesseract
from PIL import Image

from cchc.core.errors import MissingDependency

DEFAULT_LANG = "vie"
ENGINE_SECONDS = [0.0]  # wall time spent inside engine calls in this process (for the benchmark)


class OcrEngine(Protocol):
    """What the scan path needs from an OCR engine.

    An engine may also offer `read_each(images, **read options)` (several images in one call, as
    `TesseractEngine` does); callers fall back to one `read` per image when it does not.
    """

    name: str  # as registered in ENGINES and shown in each page's origin_reason
    lang: str

    def version(self) -> str:
        """Engine name and version (recorded in run.json); raises MissingDependency when unusable."""
        ...

    def read(self, image: np.ndarray | Image.Image, *, psm: int = 3, dpi: int | None = 300,
             lang: str | None = None, extra: str = "") -> dict[str, list[Any]]:
        """Words with boxes and confidences, as Tesseract's TSV columns (text, conf, left, top, …)."""
        ...

    def orientation(self, gray: np.ndarray) -> tuple[int, float]:
        """(degrees to rotate clockwise, confidence); (0, 0.0) when the engine cannot tell."""
        ...


def read_each(engine: OcrEngine, images: list[np.ndarray], **opts: Any) -> list[dict[str, list[Any]]]:
    """`engine.read` of each image: in one engine call when the engine offers `read_each`."""
    batch = getattr(engine, "read_each", None)
    return batch(images, **opts) if batch is not None else [engine.read(im, **opts) for im in images]


@functools.lru_cache(maxsize=8)
def check_tesseract(lang: str = DEFAULT_LANG) -> str:
    """Fail early, with the remedy, when `tesseract` or a language's data is missing; return the version.

    `lang` may combine models ("vie+eng"): each must be installed.
    """
    exe = shutil.which(pytesseract.pytesseract.tesseract_cmd) or shutil.which("tesseract")
    if not exe:
        raise MissingDependency("tesseract-ocr-vie is not installed: run make setup")
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise MissingDependency(f"tesseract-ocr-vie is not installed: run make setup ({exc})") from exc
    langs = {ln.strip() for ln in (out.stdout + out.stderr).splitlines()}
    missing = [part for part in lang.split("+") if part not in langs]
    if missing:
        if missing == ["vie"]:
            raise MissingDependency("tesseract-ocr-vie is not installed: run make setup")
        raise MissingDependency(f"Tesseract has no {'+'.join(missing)!r} model: install "
                                f"tesseract-ocr-{missing[0]} (apt) or choose another --ocr-lang")
    return str(pytesseract.get_tesseract_version())


@contextlib.contextmanager
def tesseract_env() -> Iterator[None]:
    """Run the enclosed Tesseract calls single-threaded, then restore; count the time in ENGINE_SECONDS."""
    old = os.environ.get("OMP_THREAD_LIMIT")
    os.environ["OMP_THREAD_LIMIT"] = "1"
    t0 = time.perf_counter()
    try:
        yield
    finally:
        ENGINE_SECONDS[0] += time.perf_counter() - t0
        if old is None:
            os.environ.pop("OMP_THREAD_LIMIT", None)
        else:
            os.environ["OMP_THREAD_LIMIT"] = old


class TesseractEngine:
    """Tesseract through pytesseract, with `lang` as the default model for page text."""

    name = "tesseract"

    def __init__(self, lang: str = DEFAULT_LANG) -> None:
        self.lang = lang

    def __repr__(self) -> str:
        return f"TesseractEngine(lang={self.lang!r})"

    def version(self) -> str:
        return f"tesseract {check_tesseract(self.lang)}"

    def read(self, image: np.ndarray | Image.Image, *, psm: int = 3, dpi: int | None = 300,
             lang: str | None = None, extra: str = "") -> dict[str, list[Any]]:
        lang = lang or self.lang
        check_tesseract(lang)
        img = image if isinstance(image, Image.Image) else Image.fromarray(image)
        config = f"--psm {psm} --oem 1" + (f" --dpi {int(dpi)}" if dpi else "") + (f" {extra}" if extra else "")
        with tempfile.TemporaryDirectory(prefix="cchc-ocr-") as tmp:
            path = os.path.join(tmp, "page.bmp")
            img.save(path, format="BMP")
            with tesseract_env():
                return pytesseract.image_to_data(path, lang=lang, config=config,
                                                 output_type=pytesseract.Output.DICT)

    def read_each(self, images: list[np.ndarray], *, psm: int = 7, dpi: int | None = 300,
                  lang: str | None = None, extra: str = "") -> list[dict[str, list[Any]]]:
        """`read` of each image, in ONE Tesseract process: the images go as the pages of one TIFF.

        Why: the cell retries read a few dozen small crops per page one line each
        (`--psm 7`); a process per crop spent ~0.17 CPU-s starting up and loading
        the model, more than reading the crop.  Tesseract reads a TIFF's pages one
        by one with the same settings, so each result is that of its own call.
        """
        if not images:
            return []
        lang = lang or self.lang
        check_tesseract(lang)
        config = f"--psm {psm} --oem 1" + (f" --dpi {int(dpi)}" if dpi else "") + (f" {extra}" if extra else "")
        pages = [Image.fromarray(im) for im in images]
        with tempfile.TemporaryDirectory(prefix="cchc-ocr-") as tmp:
            path = os.path.join(tmp, "cells.tif")
            pages[0].save(path, format="TIFF", save_all=True, append_images=pages[1:], compression="raw")
            with tesseract_env():
                data = pytesseract.image_to_data(path, lang=lang, config=config, output_type=pytesseract.Output.DICT)
        out: list[dict[str, list[Any]]] = [{k: [] for k in data} for _ in images]
        for i, page in enumerate(data["page_num"]):
            k = int(page) - 1
            if 0 <= k < len(images):
                for key in data:
                    out[k][key].append(data[key][i])
        return out

    def orientation(self, gray: np.ndarray) -> tuple[int, float]:
        """Tesseract OSD (`--psm 0`, the `osd` model shipped with tesseract-ocr) on a half-size page."""
        import cv2

        small = cv2.resize(gray, (gray.shape[1] // 2, gray.shape[0] // 2), interpolation=cv2.INTER_AREA)
        try:
            with tesseract_env():
                osd = pytesseract.image_to_osd(Image.fromarray(small), config="--psm 0 --dpi 150",
                                               output_type=pytesseract.Output.DICT)
        except pytesseract.TesseractError:
            return 0, 0.0
        return int(osd.get("rotate", 0)) % 360, float(osd.get("orientation_conf", 0.0))


#: engine name -> its class (called with the language); an engine is one class plus one line here
ENGINES: dict[str, Callable[[str], OcrEngine]] = {"tesseract": TesseractEngine}
DEFAULT_ENGINE = "tesseract"


@functools.lru_cache(maxsize=8)
def engine_for(lang: str = DEFAULT_LANG, name: str = DEFAULT_ENGINE) -> OcrEngine:
    """The engine for a language setting (one instance per process, engine and language)."""
    if name not in ENGINES:
        raise MissingDependency(f"no OCR engine {name!r}: --ocr-engine must be one of {', '.join(sorted(ENGINES))}")
    return ENGINES[name](lang)
