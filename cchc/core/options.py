"""One validated options object, built by the CLI and the Python API alike."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

OCR_MODES = ("auto", "force", "never")


@dataclass(frozen=True)
class ExtractOptions:
    """What `cchc extract` was asked to do.  Recorded in run.json."""

    inputs: tuple[Path, ...]
    out: Path
    ocr: bool = True  # OCR pages without a usable text layer (and image files)
    # auto: OCR only pages whose text layer is missing or broken; force: OCR every page (like
    # OCRmyPDF --force-ocr); never: text layers only (same as ocr=False)
    ocr_mode: str = "auto"
    dpi: int = 300  # render resolution for OCR
    ocr_lang: str = "vie"
    ocr_engine: str = "tesseract"  # a name in extractors.ocr_engine.ENGINES
    password: str | None = None  # tried on encrypted PDFs (besides the empty password)
    workers: int = field(default_factory=lambda: max(1, os.cpu_count() or 1))
    max_pages: int = 400  # per document; longer documents are processed up to this page and marked partial
    max_pixels: int = 60_000_000  # per page image; larger images are downscaled
    doc_timeout_s: float = 900.0  # per document wall-clock limit (the worker is killed past it)
    memory_mb: int | None = 4096  # per worker address-space limit (None: no limit)
    executor: str = "local"  # local (worker processes) | inline (this process) | dask
    scheduler: str | None = None  # Dask scheduler address; None starts a LocalCluster
    resume: bool = True  # reuse finished documents from an earlier (possibly killed) run into the same --out
    progress: bool = True  # progress bar on a terminal, log lines otherwise
    narrative: bool = True
    tables: bool = True

    def __post_init__(self) -> None:
        if not self.inputs:
            raise ValueError("at least one INPUT file or folder is required")
        if not 72 <= self.dpi <= 600:
            raise ValueError(f"--dpi must be between 72 and 600, got {self.dpi}")
        if self.workers < 1:
            raise ValueError("--workers must be at least 1")
        if self.max_pages < 1:
            raise ValueError("--max-pages must be at least 1")
        if self.executor not in ("local", "inline", "dask"):
            raise ValueError(f"--executor must be local, inline or dask, got {self.executor!r}")
        if self.scheduler and self.executor != "dask":
            raise ValueError("--scheduler needs --executor dask")
        if self.ocr_mode not in OCR_MODES:
            raise ValueError(f"--ocr must be one of {', '.join(OCR_MODES)}, got {self.ocr_mode!r}")
        if not self.ocr:
            object.__setattr__(self, "ocr_mode", "never")
        elif self.ocr_mode == "never":
            object.__setattr__(self, "ocr", False)
        if not self.ocr_lang or not all(part.isidentifier() for part in self.ocr_lang.split("+")):
            raise ValueError(f"--ocr-lang must name Tesseract models like vie or vie+eng, got {self.ocr_lang!r}")
        if not self.doc_timeout_s > 0 or self.doc_timeout_s == float("inf"):  # also refuses nan
            raise ValueError(f"--timeout must be a positive number of seconds, got {self.doc_timeout_s}")
        if self.max_pixels < 1:
            raise ValueError("--max-pixels must be at least 1")

    def result_key(self) -> str:
        """The options that change what a document yields (not where or how fast it runs)."""
        import hashlib

        parts = [self.ocr, *([self.ocr_mode] if self.ocr_mode != "auto" else []),
                 *([self.ocr_engine] if self.ocr_engine != "tesseract" else []), self.dpi, self.ocr_lang, self.password or "", self.max_pages, self.max_pixels,
                 self.narrative, self.tables]
        return hashlib.sha256(repr(parts).encode()).hexdigest()[:8]

    def as_json(self) -> dict[str, object]:
        return {
            "inputs": [str(p) for p in self.inputs],
            "out": str(self.out),
            "ocr": self.ocr,
            "ocr_mode": self.ocr_mode,
            "dpi": self.dpi,
            "ocr_lang": self.ocr_lang,
            "ocr_engine": self.ocr_engine,
            "password_given": self.password is not None,
            "workers": self.workers,
            "max_pages": self.max_pages,
            "max_pixels": self.max_pixels,
            "doc_timeout_s": self.doc_timeout_s,
            "memory_mb": self.memory_mb,
            "executor": self.executor,
            "scheduler": self.scheduler,
            "resume": self.resume,
            "narrative": self.narrative,
            "tables": self.tables,
        }
