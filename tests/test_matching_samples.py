"""Matching measured on the text-layer samples: real PDFs, real rebuilt rows, truth from the generator.

For each `samples/**/<x>.pdf` whose truth says `kind: text`: the appendix rows
rebuilt by `extractors.rows` go through template detection and row matching
exactly as the pipeline does it; every truth table value is then looked up
(page, value cell, column, label) and its row's corrected code compared with
the truth's.  Unflagged rows must be right ≥ 99.5% of the time, and the
template must be the truth's.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rapidfuzz import fuzz

from indicator_catalog import load_catalog
from matchers import detect_template, match_rows
from tests.sample_support import appendix_tables, norm, text_samples

SAMPLES_FOUND = text_samples(with_table_values=True)


@pytest.mark.parametrize(("pdf_path", "truth"), SAMPLES_FOUND, ids=[p.name for p, _ in SAMPLES_FOUND])
def test_unflagged_matches_are_right_on_text_samples(pdf_path: Path, truth: dict) -> None:
    tables, _ = appendix_tables(pdf_path)
    catalog = load_catalog()
    rows = [r for t in tables for r in t.rows]
    guess = detect_template(rows, catalog, title=" ".join(t.title or "" for t in tables) or None)
    assert guess.template_id == truth["template_id"], guess.reason

    by_cell: dict[tuple[int, str, str | None], list[dict]] = {}
    for v in truth["table_values"]:
        by_cell.setdefault((v["page"], norm(v["raw_value"]), v.get("column_label")), []).append(v)
    seen = unflagged = right = flagged = 0
    wrong = []
    for table in tables:
        for row, res in zip(table.rows, match_rows(table.rows, catalog, guess.template_id), strict=True):
            for column, cell in row.values.items():
                options = by_cell.get((row.page, norm(cell.text), column), [])
                if not cell.text.strip() or not options:
                    continue
                best = max(options, key=lambda v: fuzz.ratio(norm(v["label"]), norm(row.label.text)))
                if fuzz.ratio(norm(best["label"]), norm(row.label.text)) < 80:
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
