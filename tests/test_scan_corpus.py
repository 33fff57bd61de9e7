"""The scan corpus generator (samples/build/scan_corpus.py): determinism, split hygiene, truth that scores.

Held-out figures are only worth something if the split shares nothing a tuner
could overfit to and the truth is exact, so both are checked here; one
generated page also goes through the real pipeline (one OCR page).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import corpus_degrade  # samples/build is on pytest's pythonpath (pyproject.toml)
import numpy as np
import pytest
import scan_corpus
from corpus_splits import PARAMS, SPLITS, TEMPLATES, TUNING, DocSpec, plan

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
    assert set(TUNING) == {"tune", "dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7"}
    held = plan("heldout")
    seeds = [{s.seed for s in plan(sp)} for sp in SPLITS]
    assert sum(len(x) for x in seeds) == len(set().union(*seeds)), "every split has seeds of its own"
    t, h = PARAMS["tune"], PARAMS["heldout"]
    tuned = [PARAMS[s] for s in TUNING]  # every split anybody has looked at, dev5 and dev6 included
    for key in ("fonts", "sizes", "label_frac", "line_w", "dpi", "photo_dpi", "threshold", "warp", "light",
                "skew_bands", "jpeg_bands", "noise_bands", "blur_bands"):
        assert not set().union(*(p[key] for p in tuned)) & set(h[key]), key
    for role in ("code", "label", "unit", "value", "group", "years_group"):
        assert not set().union(*(p["headers"][role] for p in tuned)) & set(h["headers"][role]), role
    for key in ("skew_bands", "jpeg_bands", "noise_bands", "blur_bands"):
        for lo, hi in t[key]:
            for lo2, hi2 in h[key]:
                assert hi <= lo2 or hi2 <= lo, f"{key}: tune {lo}-{hi} overlaps held-out {lo2}-{hi2}"
    # dev6, dev7 and held-out draw the same new styles, held-out with values the tuning splits never use
    hs = h["styles"]
    for styled in ("dev6", "dev7"):
        for key, val in hs.items():
            if isinstance(val, list):
                assert not set(val) & set(PARAMS[styled]["styles"].get(key, [])), (styled, key)
    # dev6 fonts, sizes, widths, wordings, dpi are its own too
    older = [PARAMS[s] for s in TUNING if s != "dev6"]
    for key in ("fonts", "sizes", "label_frac", "line_w", "dpi", "photo_dpi"):
        assert not set().union(*(p[key] for p in older)) & set(PARAMS["dev6"][key]), key
    for role in ("code", "label", "unit", "value", "group", "years_group"):
        assert not set().union(*(p["headers"][role] for p in older)) & set(PARAMS["dev6"]["headers"][role]), role
    # the values actually drawn stay inside their split's sets
    for spec in held[:6]:
        lay = scan_corpus.compose(spec).layout
        assert lay.font in h["fonts"] and lay.headers["label"] in h["headers"]["label"]


def test_every_template_and_every_kind_in_both_splits_and_heldout_has_150_ocr_pages() -> None:
    for split in SPLITS:
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


# ------------------------------------------------------------------ the new styles show on the page (no OCR)


def _style_docs(split: str) -> list[list[str]]:
    out = []
    for spec in plan(split):
        c = scan_corpus.compose(spec)
        deg = scan_corpus.choose_degradation(c.rng, PARAMS[split], spec)
        out.append(scan_corpus.layout_style_tags(c.layout) + sorted(deg.get("styles", {})))
    return out


def test_older_splits_draw_no_new_style_and_dev6_draws_every_one() -> None:
    for split in ("tune", "dev5"):
        spec = plan(split)[0]
        c = scan_corpus.compose(spec)
        assert set(c.layout.as_dict()) == set(scan_corpus.compose(plan("tune")[1]).layout.as_dict())
        assert "borderless" not in c.layout.as_dict()
        assert "styles" not in scan_corpus.choose_degradation(c.rng, PARAMS[split], spec)
    docs = _style_docs("dev6")
    assert sum(1 for t in docs if t) >= 0.8 * len(docs), "most dev6 documents carry a new style"
    seen = set().union(*map(set, docs))
    assert seen >= {"borderless", "dashed_rules", "dotted_rules", "shaded_header", "zebra_rows", "double_frame",
                    "pct_sign", "landscape", "faded", "bleed_through", "lid_border", "punch_holes", "pen_marks",
                    "crease"}, seen


def _page(dpi: int = 72, **layout: object) -> np.ndarray:
    """Appendix page 1 of a dev6 ministry report, fully ruled and without new styles unless told, as a grey array."""
    spec = _spec("dev6", "grey", "ministry_6459_app1")
    plain = {"ruling": "full", "plan_actual": False, "borderless": False, "dash": None, "shade_header": None,
             "zebra": None, "double_frame": None, "pct_sign": None, "landscape": False}
    c = scan_corpus.compose(spec, **(plain | layout))
    pdf = scan_corpus.play(c.pages[:2], ["vector", "vector"])
    return np.asarray(corpus_degrade.rasterize(pdf, dpi, [1])[0].convert("L")).astype(float)


def _ruling_rows(a: np.ndarray) -> np.ndarray:
    """Rows that are mostly dark across the table: horizontal rulings."""
    return np.flatnonzero((a < 128).mean(axis=1) > 0.5)


def test_borderless_table_has_no_ruling_and_dashed_dotted_rules_have_gaps() -> None:
    full, none_ = _page(), _page(borderless=True)
    assert len(_ruling_rows(full)) >= 8 and len(_ruling_rows(none_)) == 0
    for dash in ((3.0, 2.0), (0.9, 1.4)):
        a = _page(150, dash=dash)
        dark = (a < 160).mean(axis=1)
        row = a[int(np.argmax(dark))] < 160  # the darkest row: a ruling
        transitions = int(np.count_nonzero(row[1:] != row[:-1]))
        assert transitions > 60, (dash, transitions)  # a solid rule crosses only the cells' walls
    solid = _page(150)
    row = solid[int(np.argmax((solid < 160).mean(axis=1)))] < 160
    assert int(np.count_nonzero(row[1:] != row[:-1])) < 20


def test_shaded_header_zebra_rows_and_double_frame_show() -> None:
    plain = _page()
    grey = lambda a: int(((a > 170) & (a < 240)).sum())  # noqa: E731  mid-grey fill, not ink or paper
    assert grey(_page(shade_header=0.82)) > grey(plain) + 3000
    assert grey(_page(zebra=0.92)) > grey(plain) + 10000
    cols = lambda a: int(((a < 128).mean(axis=0) > 0.4).sum())  # noqa: E731  long vertical rules
    assert cols(_page(150, double_frame=3.0)) >= cols(_page(150)) + 2


def test_percent_sign_and_landscape_appendix_are_printed() -> None:
    import pypdfium2 as pdfium

    spec = _spec("dev6", "grey", "province_6459_app2")
    for sep in ("", " "):
        c = scan_corpus.compose(spec, pct_sign=sep)
        pct = [t for t in c.table if t["raw_value"].endswith("%")]
        assert pct and all(t["raw_value"].endswith(f"{sep}%") and t["value_num"] is not None for t in pct)
        pdf = pdfium.PdfDocument(scan_corpus.play(c.pages, ["vector"] * len(c.pages)))
        text = " ".join(pdf[i].get_textpage().get_text_range() for i in range(1, len(pdf)))
        assert all(t["raw_value"] in text for t in pct[:10])
    c = scan_corpus.compose(spec, landscape=True)
    assert c.pages[0].width < c.pages[0].height and all(p.width > p.height for p in c.pages[1:])


def test_paper_defects_show_on_the_page() -> None:
    import random

    from PIL import Image

    spec = _spec("dev6", "grey", "ministry_6459_app1")
    c = scan_corpus.compose(spec, ruling="full", double_frame=None)
    pdf = scan_corpus.play(c.pages[:3], ["vector"] * 3)
    front, back = corpus_degrade.rasterize(pdf, 72, [1, 2])
    g = lambda im: np.asarray(im.convert("L")).astype(float)  # noqa: E731
    f = g(front)
    ink = f < 100
    assert np.median(g(corpus_degrade.faded(front, 0.4, random.Random(1)))[ink]) > 110
    white = (f > 250) & (np.asarray(back.convert("L").transpose(Image.FLIP_LEFT_RIGHT)) < 100)
    assert g(corpus_degrade.bleed_through(front, back, 0.2, 72))[white].mean() < 245
    lid = g(corpus_degrade.lid_border(front, 0.03, random.Random(2)))
    edges = [lid[:, :5], lid[:, -5:], lid[:5], lid[-5:]]
    assert max(float((e < 60).mean()) for e in edges) > 0.95
    holes = g(corpus_degrade.punch_holes(front, 6.0, 72, random.Random(3)))
    assert (holes[:, :60] < 60).sum() > 2 * 150  # two dark discs in the left margin
    boxes = [(x0, c.pages[1].height - y1, x1, c.pages[1].height - y0) for x0, y0, x1, y1 in c.pages[1].value_boxes]
    pen = np.asarray(corpus_degrade.pen_marks(front, boxes, (25, 45, 150), 72, random.Random(4))).astype(int)
    assert ((pen[..., 2] - pen[..., 0]) > 60).sum() > 200  # blue ink on a black-and-white page
    creased = g(corpus_degrade.crease(front, 0.35, 0.6, random.Random(5)))
    row = int(0.35 * f.shape[0])
    assert creased[row - 3: row + 4].mean() < f[row - 3: row + 4].mean() - 20
    shadow = g(corpus_degrade.hand_shadow(front, 0.5, random.Random(6)))
    assert shadow.mean() < f.mean() * 0.95


def test_untuned_defects_show_on_the_page_and_only_the_heldout_split_draws_them() -> None:
    """Marker pen, copier streaks and the arrival stamp stand for styles nobody tuned on: no tuning split may
    draw them, the held-out split draws each."""
    import random

    spec = _spec("dev6", "grey", "ministry_6459_app1")
    c = scan_corpus.compose(spec, ruling="full", double_frame=None)
    front = corpus_degrade.rasterize(scan_corpus.play(c.pages[:2], ["vector"] * 2), 72, [1])[0]
    f = np.asarray(front.convert("RGB")).astype(int)
    boxes = [(x0, c.pages[1].height - y1, x1, c.pages[1].height - y0) for x0, y0, x1, y1 in c.pages[1].value_boxes]
    hl = np.asarray(corpus_degrade.highlighter(front, boxes, (255, 240, 90), 72, random.Random(1))).astype(int)
    yellow = (hl[..., 0] - hl[..., 2] > 100) & (f[..., 0] - f[..., 2] < 20)
    assert yellow.sum() > 3 * 300  # three marked rows, paper turned yellow
    streak = np.asarray(corpus_degrade.toner_streak(front, [0.2], 0.55, random.Random(2)).convert("L")).astype(float)
    col = int(0.2 * f.shape[1])
    assert streak[:, col].mean() < f[:, col].mean(axis=-1).mean() - 40  # a grey line the page's whole height
    stamped = np.asarray(corpus_degrade.received_stamp(front, (200, 30, 40), 72, random.Random(3))).astype(int)
    red = (stamped[..., 0] - stamped[..., 2] > 80)
    assert red.sum() > 400
    drawn = {sp: set().union(*(set(t) for t in _style_docs(sp))) for sp in SPLITS}
    for sp in TUNING:
        assert not drawn[sp] & set(scan_corpus.UNTUNED_DEFECTS), sp
    assert set(scan_corpus.UNTUNED_DEFECTS) <= drawn["heldout"]
