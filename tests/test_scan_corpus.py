"""The scan corpus generator (samples/build/scan_corpus.py): determinism, split hygiene, truth that scores.

Held-out figures are only worth something if the split shares nothing a tuner
could overfit to and the truth is exact, so both are checked here; one
generated page also goes through the real pipeline (one OCR page).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import corpus_degrade  # samples/build is on pytest's pythonpath (pyproject.toml)
import pytest
import scan_corpus
from corpus_splits import PARAMS, TEMPLATES, DocSpec, plan

from cchc.evaluation import evaluate_dirs, load_code_index, load_truth


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def _spec(split: str, family: str, template: str) -> DocSpec:
    return next(s for s in plan(split) if s.family == family and s.template == template)


@pytest.mark.slow
def test_same_seed_gives_same_bytes_and_truth(tmp_path: Path) -> None:
    spec = _spec("tune", "photo", "province_6459_app2")
    a, b = tmp_path / "a", tmp_path / "b"
    scan_corpus.build(spec, a, None)
    scan_corpus.build(spec, b, None)
    assert _digest(a) == _digest(b)
    assert len(_digest(a)) == 2  # the photo and its truth
    other = DocSpec(spec.split, spec.index, spec.seed + 1, spec.template, spec.kind, spec.family)
    scan_corpus.build(other, tmp_path / "c", None)
    assert _digest(tmp_path / "c") != _digest(a), "another seed must give another document"


def test_splits_share_no_seed_and_no_layout_or_degradation_value() -> None:
    tune, dev, dev2, dev3, dev4 = (plan(s) for s in ("tune", "dev", "dev2", "dev3", "dev4"))
    held = plan("heldout")
    assert not {s.seed for s in tune + dev + dev2 + dev3 + dev4} & {s.seed for s in held}
    assert not {s.seed for s in tune} & {s.seed for s in dev}
    t, h = PARAMS["tune"], PARAMS["heldout"]
    tuned = [PARAMS[s] for s in ("tune", "dev", "dev2", "dev3", "dev4")]  # every split anybody has looked at
    for key in ("fonts", "sizes", "label_frac", "line_w", "dpi", "photo_dpi", "threshold", "warp", "light"):
        assert not set().union(*(p[key] for p in tuned)) & set(h[key]), key
    for role in ("code", "label", "unit", "value", "group", "years_group"):
        assert not set().union(*(p["headers"][role] for p in tuned)) & set(h["headers"][role]), role
    for key in ("skew_bands", "jpeg_bands", "noise_bands", "blur_bands"):
        for lo, hi in t[key]:
            for lo2, hi2 in h[key]:
                assert hi <= lo2 or hi2 <= lo, f"{key}: tune {lo}-{hi} overlaps held-out {lo2}-{hi2}"
    # the values actually drawn stay inside their split's sets
    for spec in held[:6]:
        lay = scan_corpus.compose(spec).layout
        assert lay.font in h["fonts"] and lay.headers["label"] in h["headers"]["label"]


def test_every_template_and_every_kind_in_both_splits_and_heldout_has_150_ocr_pages() -> None:
    for split in ("tune", "dev", "dev2", "dev3", "dev4", "heldout"):
        specs = plan(split)
        assert {s.template for s in specs} == set(TEMPLATES)
        assert {s.kind for s in specs} == {"scan", "mixed", "photo", "sandwich"}
        assert {s.family for s in specs} >= {"grey", "colour", "bw", "tiff"}
        assert any(s.rotate for s in specs) and any(s.seal for s in specs)
    pages = sum(scan_corpus.ocr_pages(s, len(scan_corpus.compose(s).pages)) for s in plan("heldout"))
    assert pages >= 150


@pytest.mark.slow
def test_truth_parses_resolves_through_the_catalog_and_matches_the_layout(tmp_path: Path) -> None:
    index, _ = load_code_index()
    for tid in TEMPLATES:
        spec = _spec("heldout", "grey", tid)
        c = scan_corpus.compose(spec)
        assert c.table, tid
        unresolved = [t["code"] for t in c.table if (tid, t["code"]) not in index]
        assert not unresolved, f"{tid}: codes the catalog does not know: {unresolved[:5]}"
        n_app = len(c.pages) - 1
        assert all(2 <= t["page"] <= n_app + 1 for t in c.table)
        # every truth value is printed, on the page the truth names
        for t in c.table[:40]:
            texts = " ".join(op[5] for op in c.pages[t["page"] - 1].ops if op[0] == "text")
            assert t["raw_value"] in texts, (tid, t)
    # written truth files load with the evaluation code
    spec = _spec("tune", "photo", "commune_2024")
    scan_corpus.build(spec, tmp_path, None)
    truths = load_truth(tmp_path)
    assert len(truths) == 1 and truths[0].kind == "photo" and truths[0].table_values
    assert truths[0].template_id == "commune_2024"
    assert (tmp_path / truths[0].file).is_file()


def test_values_are_plausible_and_parts_do_not_exceed_totals() -> None:
    c = scan_corpus.compose(_spec("tune", "grey", "ministry_6459_app1"), plan_actual=False)
    raws = [t["raw_value"] for t in c.table]
    assert "-" in raws or any(r.startswith("0") and len(r) == 2 for r in raws) or any("." in r for r in raws)
    nums = {t["code"]: t["value_num"] for t in c.table if t["value_num"] is not None}
    for code, v in nums.items():
        if code.count(".") >= 1 and code[-1].isalpha():
            parent = code.rsplit(".", 1)[0]
            if parent in nums and not any(t["code"] == parent and "%" in (t["label"] or "") for t in c.table):
                assert v <= nums[parent] or nums[parent] <= 100, (code, v, parent, nums[parent])


def test_bad_hidden_ocr_text_drops_diacritics() -> None:
    import random

    s = corpus_degrade.bad_ocr_text("Các chỉ tiêu thống kê Đơn vị tính", random.Random(1))
    assert s.isascii() or any(ch in s for ch in "é¢úáí")
    assert "Đ" not in s and "ố" not in s
    digits = corpus_degrade.bad_ocr_text("1.245 73,2 100 " * 20, random.Random(2))
    assert any(ch in digits for ch in "OlZSBbTAg"), "some digits must be misread"
    assert sum(ch.isdigit() for ch in digits) > 100, "most digits stay"


@pytest.mark.slow
def test_one_generated_scan_page_goes_through_the_real_pipeline(tmp_path: Path) -> None:
    """One ruled appendix page, grey, 200 dpi, 0.4° skew: the pipeline reads right values from it."""
    from PIL import Image

    from cchc.core.options import ExtractOptions
    from pipeline.run import run

    spec = _spec("tune", "grey", "province_6459_app2")
    c = scan_corpus.compose(spec, ruling="full", plan_actual=False, two_level=False)
    vector = scan_corpus.play(c.pages[:2], ["vector", "vector"])
    img = corpus_degrade.rasterize(vector, 200, [1])[0]
    import random

    page = corpus_degrade.scan(img, {"colour": "grey", "skew": 0.4, "noise": 3.0, "blur": 0.3}, random.Random(5))
    inputs = tmp_path / "in"
    inputs.mkdir()
    page.save(inputs / "page.png", dpi=(200, 200))
    assert Image.open(inputs / "page.png").size[0] > 1500
    truth = {"file": "page.png", "kind": "scan", "template_id": spec.template,
             "table_values": [{**t, "page": 1} for t in c.table if t["page"] == 2]}
    import json

    (inputs / "page.png.truth.json").write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    (inputs / ".cchcignore").write_text("*.truth.json\n")
    out = tmp_path / "out"
    run(ExtractOptions(inputs=(inputs / "page.png",), out=out, workers=1, executor="inline", resume=False,
                       progress=False))
    report = evaluate_dirs(out, inputs)
    row = report["tables"]["overall"]
    assert row["truth"] >= 15
    assert row["tp"] >= 0.5 * row["truth"], row


def test_bench_regroups_document_scores_by_the_manifest(tmp_path: Path) -> None:
    """Per kind / template / degradation F1, macro F1, empty documents and the sandwich gap."""
    from cchc.bench_corpus import score_corpus

    def doc(file: str, tp: int, fp: int, fn: int) -> dict:
        f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None
        return {"file": file, "truth": str(tmp_path / f"{file}.truth.json"),
                "table": {"truth": tp + fn, "predicted": tp + fp, "tp": tp, "fp": fp, "fn": fn, "f1": f1,
                          "unmatched": 0},
                "narrative": {"tp": 0, "fp": 0, "fn": 0}}

    report = {"documents": [doc("a.pdf", 90, 0, 10), doc("b.jpg", 0, 0, 20), doc("s.pdf", 40, 0, 10),
                            doc("s_plain.pdf", 50, 0, 0)],
              "review_calibration": {"unflagged": 180, "unflagged_right": 180, "unflagged_precision": 1.0}}
    manifest = [
        {"file": "a.pdf", "kind": "scan", "template": "t1", "degradations": ["grey", "seal"], "ocr_pages": 5},
        {"file": "b.jpg", "kind": "photo", "template": "t2", "degradations": ["photo"], "ocr_pages": 1},
        {"file": "s.pdf", "kind": "sandwich", "template": "t1", "degradations": ["grey"], "pair": "s_plain.pdf",
         "ocr_pages": 5},
        {"file": "s_plain.pdf", "kind": "scan", "template": "t1", "degradations": ["grey"], "pair": "s.pdf",
         "ocr_pages": 5},
    ]
    r = score_corpus(report, manifest)
    assert r["by_kind"]["photo"]["f1"] == 0.0
    assert r["by_kind"]["scan"]["tp"] == 140 and r["by_kind"]["scan"]["fn"] == 10
    assert r["by_template"]["t2"]["docs"] == 1
    assert r["by_degradation"]["seal"]["docs"] == 1 and r["by_degradation"]["grey"]["docs"] == 3
    assert r["docs_with_zero_values"] == 1 and r["zero_value_files"] == ["b.jpg"]
    assert r["sandwich_vs_plain"]["pairs"] == 1
    assert r["sandwich_vs_plain"]["gap"] == round(80 / 90 - 1.0, 4)
    assert r["macro_f1"] == round((180 / 190 + 0 + 80 / 90 + 1.0) / 4, 4)
    assert r["ocr_pages"] == 16 and [f["file"] for f in r["failures"]] == ["b.jpg", "s.pdf"]
