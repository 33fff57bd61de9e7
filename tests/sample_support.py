"""Shared by the tests that run on the bundled text samples: finding them and reading their appendix."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pdfplumber

from cchc.core.model import Table
from extractors.rows import extract_tables
from extractors.text_layer import fast_page_texts, looks_like_appendix, read_page

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def text_samples(with_table_values: bool = False) -> list[tuple[Path, dict]]:
    """(pdf, truth) of every text-layer sample (optionally only those whose truth lists table values)."""
    out = []
    for tj in sorted(SAMPLES.rglob("*.truth.json")):
        truth = json.loads(tj.read_text(encoding="utf-8"))
        pdf = tj.with_name(truth.get("file", ""))
        if truth.get("kind") != "text" or pdf.suffix.lower() != ".pdf" or not pdf.exists():
            continue
        if with_table_values and not truth.get("table_values"):
            continue
        out.append((pdf, truth))
    return out


def norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text or "")).strip().casefold()


def appendix_tables(pdf_path: Path) -> tuple[list[Table], int]:
    """Triage with the fast text pass, read the appendix pages (and the page after each), rebuild the tables."""
    texts = fast_page_texts(pdf_path.read_bytes())
    chosen = [i for i, t in enumerate(texts) if looks_like_appendix(t)]
    chosen = sorted(set(chosen) | {i + 1 for i in chosen if i + 1 < len(texts)})
    with pdfplumber.open(pdf_path) as pdf:
        pages = [read_page(pdf.pages[i], i + 1) for i in chosen]
    return extract_tables(pages, only_appendix=True), len(texts)
