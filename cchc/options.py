"""One validated options object, built by the CLI and the Python API alike."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class ExtractOptions:
    """What `cchc extract` was asked to do.  Recorded in run.json."""

    inputs: tuple[Path, ...]
    out: Path
    ocr: bool = True  # OCR pages without a usable text layer (and image files)
    dpi: int = 300  # render resolution for OCR
    ocr_lang: str = "vie"
    password: str | None = None  # tried on encrypted PDFs (besides the empty password)
    workers: int = field(default_factory=lambda: max(1, os.cpu_count() or 1))
    max_pages: int = 400  # per document; longer documents are processed up to this page and marked partial
    max_pixels: int = 60_000_000  # per page image; larger images are downscaled
    doc_timeout_s: float = 900.0  # per document wall-clock limit (enforced by the worker pool)
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

    def as_json(self) -> dict[str, object]:
        return {
            "inputs": [str(p) for p in self.inputs],
            "out": str(self.out),
            "ocr": self.ocr,
            "dpi": self.dpi,
            "ocr_lang": self.ocr_lang,
            "password_given": self.password is not None,
            "workers": self.workers,
            "max_pages": self.max_pages,
            "max_pixels": self.max_pixels,
            "doc_timeout_s": self.doc_timeout_s,
            "narrative": self.narrative,
            "tables": self.tables,
        }
