"""Matching measured on the text-layer samples: real PDFs, real rebuilt rows, truth from the generator.

For each `samples/**/<x>.pdf` whose truth says `kind: text`: the appendix rows
rebuilt by `extractors.rows` go through template detection and row matching
exactly as the pipeline does it; every truth table value is then looked up
(page, value cell, column, label) and its row's corrected code compared with
the truth's.  Unflagged rows must be right ≥ 99.5% of the time, and the
template must be the truth's.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pdfplumber
import pytest
from rapidfuzz import fuzz

from extractors.rows import extract_tables
from extractors.text_layer import fast_page_texts, looks_like_appendix, read_page
from indicator_catalog import load_catalog
from matchers import detect_template, match_rows

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def _text_samples() -> list[tuple[Path, dict]]:
    out = []
    for tj in sorted(SAMPLES.rglob("*.truth.json")):
        truth = json.loads(tj.read_text(encoding="utf-8"))
        pdf = tj.with_name(truth.get("file", ""))
        if (
            truth.get("kind") == "text"
            and truth.get("table_values")
            and pdf.suffix.lower() == ".pdf"
            and pdf.exists()
        ):
            out.append((pdf, truth))
    return out


SAMPLES_FOUND = _text_samples()


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text or "")).strip().casefold()


@pytest.mark.skipif(
    not SAMPLES_FOUND, reason="no text samples with truth files under samples/ (make samples)"
)
@pytest.mark.parametrize(("pdf_path", "truth"), SAMPLES_FOUND, ids=[p.name for p, _ in SAMPLES_FOUND])
def test_unflagged_matches_are_right_on_text_samples(pdf_path: Path, truth: dict) -> None:
    texts = fast_page_texts(pdf_path.read_bytes())
    chosen = [i for i, t in enumerate(texts) if looks_like_appendix(t)]
    chosen = sorted(set(chosen) | {i + 1 for i in chosen if i + 1 < len(texts)})
    with pdfplumber.open(pdf_path) as pdf:
        pages = [read_page(pdf.pages[i], i + 1) for i in chosen]
    tables = extract_tables(pages, only_appendix=True)
    catalog = load_catalog()
    rows = [r for t in tables for r in t.rows]
    guess = detect_template(rows, catalog, title=" ".join(t.title or "" for t in tables) or None)
    assert guess.template_id == truth["template_id"], guess.reason

    by_cell: dict[tuple[int, str, str | None], list[dict]] = {}
    for v in truth["table_values"]:
        by_cell.setdefault((v["page"], _norm(v["raw_value"]), v.get("column_label")), []).append(v)
    seen = unflagged = right = flagged = 0
    wrong = []
    for table in tables:
        for row, res in zip(table.rows, match_rows(table.rows, catalog, guess.template_id), strict=True):
            for column, cell in row.values.items():
                options = by_cell.get((row.page, _norm(cell.text), column), [])
                if not cell.text.strip() or not options:
                    continue
                best = max(options, key=lambda v: fuzz.ratio(_norm(v["label"]), _norm(row.label.text)))
                if fuzz.ratio(_norm(best["label"]), _norm(row.label.text)) < 80:
                    continue
                seen += 1
                if res.needs_review:
                    flagged += 1
                    continue
                unflagged += 1
                if res.indicator_code == best["code"]:
                    right += 1
                else:
                    wrong.append((row.code.text, row.label.text, res.indicator_code, best["code"]))
    print(f"\n{pdf_path.name}: {seen} values, {unflagged} unflagged, {right} right, {flagged} flagged")
    assert seen >= 0.95 * len(truth["table_values"])
    assert right >= 0.995 * unflagged, wrong[:10]
    assert flagged <= 0.05 * seen
