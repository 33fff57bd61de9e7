"""Synthetic scanned CCHC reports with exact truth, for measuring the scan path.

    python samples/build/scan_corpus.py --out outputs/corpus --split tune|dev|dev2|dev3|dev4|dev5|dev6|dev7|heldout|all [--limit N] [--no-twins]

Writes OUT/<split>/<file> + <file>.truth.json (docs/truth-format.md, scored
unchanged by `cchc eval`), OUT/<split>/corpus.json (the manifest: template,
kind, degradations, layout, OCR pages per file) and, for the tune split,
OUT/twins/: the same reports as clean text-layer PDFs, to check the truth
itself through the near-perfect text path.  Deterministic: same seed, same
bytes.  Split rules: corpus_splits.py.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# siblings: found beside this script when it runs, and through pytest's pythonpath in the tests
from corpus_degrade import (
    bad_ocr_text,
    bleed_through,
    crease,
    encode,
    faded,
    hand_shadow,
    highlighter,
    lid_border,
    pen_marks,
    photo,
    punch_holes,
    rasterize,
    received_stamp,
    save_tiff,
    scan,
    seal,
    toner_streak,
)
from corpus_fill import Identity, fill_multiyear, fill_single, load_template, make_identity, narrative
from corpus_render import Layout, PageDL, appendix_pages, narrative_page, play
from corpus_splits import PARAMS, SPLITS, DocSpec, pick_band, plan
from PIL import Image


def choose_layout(rng: random.Random, p: dict[str, Any], multiyear: bool) -> Layout:
    hd = {k: rng.choice(v) for k, v in p["headers"].items()}
    if multiyear:
        hd["group"] = hd["years_group"]
    plan_actual = not multiyear and rng.random() < 0.2
    return Layout(
        font=rng.choice(p["fonts"]),
        size=rng.choice(p["sizes"]) - (1.0 if multiyear else 0.0),
        label_frac=rng.choice(p["label_frac"]) - (0.18 if multiyear else 0.0),
        unit_first=rng.random() < 0.75,
        note_col=rng.random() < 0.6,
        plan_actual=plan_actual,
        two_level=multiyear or rng.random() < 0.5,
        headers=hd,
        ruling=rng.choice(p["rulings"]),
        line_w=rng.choice(p["line_w"]),
        bold_sections=rng.random() < 0.7,
        repeat_header=rng.random() < 0.5,
        split_rows=rng.random() < 0.5,
        value_align=rng.choice(["right", "center"]),
        paragraphs=0,
    )


LAYOUT_STYLES = ["borderless", "dashed", "dotted", "shaded_header", "zebra", "double_frame", "pct_sign", "landscape"]


def choose_layout_style(rng: random.Random, st: dict[str, Any], lay: Layout, multiyear: bool, index: int) -> None:
    """At most one new layout style (dev6 / held-out "styles"), drawn after everything else so older splits keep
    their documents: real agency tables without rulings, with dashed or dotted ones, shaded, double-framed.

    Taken in turn by document index (with `layout_none` turns left plain), so every style shows up in a split."""
    turns = [*LAYOUT_STYLES, *[None] * st["layout_none"]]
    name = turns[index % len(turns)]
    if name is None:
        return
    if multiyear and name == "landscape":  # multi-year appendices are landscape already
        name = "zebra"
    if name == "borderless":
        lay.borderless = True
    elif name in ("dashed", "dotted"):
        lay.dash = rng.choice(st[name])
    elif name == "shaded_header":
        lay.shade_header = rng.choice(st[name])
    elif name in ("zebra", "double_frame", "pct_sign"):
        setattr(lay, name, rng.choice(st[name]))
    else:
        lay.landscape = True


def layout_style_tags(lay: Layout) -> list[str]:
    """The new layout styles a document carries, as tags for the bench breakdown."""
    tags = ["borderless"] if lay.borderless else []
    if lay.dash:
        tags.append("dotted_rules" if lay.dash[0] < 1.5 else "dashed_rules")
    tags += [t for t, on in (("shaded_header", lay.shade_header is not None), ("zebra_rows", lay.zebra is not None),
                             ("double_frame", lay.double_frame is not None), ("pct_sign", lay.pct_sign is not None),
                             ("landscape", lay.landscape)) if on]
    return tags


def choose_degradation(rng: random.Random, p: dict[str, Any], spec: DocSpec) -> dict[str, Any]:
    colour = {"grey": "grey", "colour": "colour", "bw": "bw", "tiff": rng.choice(["bw", "grey"]),
              "mixed": rng.choice(["grey", "colour"]), "sandwich": rng.choice(["grey", "colour"]),
              "photo": "colour"}[spec.family]
    d: dict[str, Any] = {
        "dpi": rng.choice(p["photo_dpi"] if spec.kind == "photo" else p["dpi"]),
        "colour": colour,
        "skew": round(pick_band(rng, p["skew_bands"]) * rng.choice([-1, 1]), 2),
        "jpeg_q": None if colour == "bw" or spec.family == "tiff" else round(pick_band(rng, p["jpeg_bands"])),
        "noise": round(pick_band(rng, p["noise_bands"]), 1),
        "blur": round(pick_band(rng, p["blur_bands"]), 2),
        "edge_shadow": rng.random() < 0.5,
        "threshold": rng.choice(p["threshold"]),
        "seal": spec.seal,
        "container": "tiff" if spec.family == "tiff" else ("jpeg" if spec.kind == "photo" else "pdf"),
    }
    if spec.kind == "photo":
        d.update(warp=rng.choice(p["warp"]), light=rng.choice(p["light"]), jpeg_q=round(pick_band(rng, p["jpeg_bands"])))
    if colour == "bw" and d["dpi"] > 250:
        d["dpi"] = min(p["dpi"])  # fax-like: low resolution
    if "styles" in p:
        d["styles"] = choose_degrade_styles(rng, p["styles"], spec, colour)
    return d


# paper defects only the split whose "styles" names them draws (today's held-out): nobody tuned on them
UNTUNED_DEFECTS = ("highlighter", "toner_streak", "received_stamp")


def choose_degrade_styles(rng: random.Random, st: dict[str, Any], spec: DocSpec, colour: str) -> dict[str, Any]:
    """One or two of the new paper/handling defects with this split's parameter values: the first in turn by
    document index (one turn in seven left clean), a second at random now and then."""
    names = (["faded", "bleed_through", "pen_marks", "crease", "hand_shadow"] if spec.kind == "photo" else
             ["faded", "bleed_through", "lid_border", "punch_holes", "pen_marks", "crease"])
    names += [n for n in UNTUNED_DEFECTS if n in st and (n != "highlighter" or colour != "bw")]
    first = [*names, None][spec.index % (len(names) + 1)]
    if first is None:
        return {}
    chosen = [first] + (rng.sample([n for n in names if n != first], 1) if rng.random() < st["second_degrade"] else [])
    out: dict[str, Any] = {}
    for n in sorted(chosen):
        if n == "faded":  # a 1-bit threshold would wipe very faint toner out entirely
            keep = round(pick_band(rng, st["faded"]), 3)
            out[n] = max(keep, 0.6) if colour == "bw" else keep
        elif n in ("bleed_through", "lid_border", "hand_shadow"):
            out[n] = round(pick_band(rng, st[n]), 3)
        elif n == "punch_holes":
            out[n] = rng.choice(st["holes_mm"])
        elif n in ("pen_marks", "highlighter", "received_stamp"):
            out[n] = list(rng.choice(st["pen" if n == "pen_marks" else n]))
        elif n == "toner_streak":
            out[n] = [round(rng.uniform(*rng.choice(st[n])), 3) for _ in range(rng.choice([1, 2]))]
        else:
            out[n] = [round(pick_band(rng, st["crease_pos"]), 3), rng.choice(st["crease_dark"])]
    return out


def printed(im: Image.Image, back: Image.Image | None, st: dict[str, Any], dpi: int, rng: random.Random) -> Image.Image:
    """Defects of the printed sheet itself (before seals and pens): faded toner, the back page showing through."""
    if "faded" in st:
        im = faded(im, st["faded"], rng)
    if "bleed_through" in st and back is not None:
        im = bleed_through(im, back, st["bleed_through"], dpi)
    return im


def handled(im: Image.Image, pg: PageDL, st: dict[str, Any], dpi: int, rng: random.Random) -> Image.Image:
    """What happens to the sheet afterwards: a checker's pen or marker, a fold, filing holes, the scanner lid."""
    boxes = [(x0 * dpi / 72, (pg.height - y1) * dpi / 72, x1 * dpi / 72, (pg.height - y0) * dpi / 72)
             for x0, y0, x1, y1 in pg.value_boxes]
    if "pen_marks" in st and boxes:
        im = pen_marks(im, boxes, tuple(st["pen_marks"]), dpi, rng)
    if "highlighter" in st and boxes:
        im = highlighter(im, boxes, tuple(st["highlighter"]), dpi, rng)
    if "toner_streak" in st:
        im = toner_streak(im, st["toner_streak"], 0.55, rng)
    if "received_stamp" in st and rng.random() < 0.5:
        im = received_stamp(im, tuple(st["received_stamp"]), dpi, rng)
    if "crease" in st:
        im = crease(im, st["crease"][0], st["crease"][1], rng)
    if "punch_holes" in st:
        im = punch_holes(im, st["punch_holes"], dpi, rng)
    if "lid_border" in st:
        im = lid_border(im, st["lid_border"], rng)
    return im


def degradation_tags(spec: DocSpec, d: dict[str, Any], rotations: list[int]) -> list[str]:
    """Named degradations for the per-degradation breakdown of the bench."""
    if spec.kind == "photo":
        return ["photo", "dpi<200" if d["dpi"] < 200 else "dpi200-249", "jpeg<60" if d["jpeg_q"] < 60 else "jpeg>=60",
                "strong_warp" if d["warp"] > 0.05 else "mild_warp"] + sorted(d.get("styles", {}))
    tags = [spec.family if spec.family in ("photo", "mixed", "sandwich", "tiff") else d["colour"]]
    if spec.family in ("tiff", "mixed", "sandwich"):
        tags.append(d["colour"])
    tags.append("dpi<200" if d["dpi"] < 200 else ("dpi>=250" if d["dpi"] >= 250 else "dpi200-249"))
    a = abs(d["skew"])
    tags.append("skew<1" if a < 1 else ("skew1-2" if a < 2 else "skew>=2"))
    if d["jpeg_q"]:
        tags.append("jpeg<60" if d["jpeg_q"] < 60 else "jpeg>=60")
    if d["seal"]:
        tags.append("seal")
    if d["edge_shadow"]:
        tags.append("edge_shadow")
    if d["noise"] >= 8:
        tags.append("noisy")
    if d["blur"] >= 0.8:
        tags.append("blurred")
    for r in sorted(set(rotations) - {0}):
        tags.append(f"rotated{r}")
    return tags + sorted(d.get("styles", {}))


def _pt2px(pg: PageDL, dpi: int, x: float, y: float) -> tuple[float, float]:
    return x * dpi / 72, (pg.height - y) * dpi / 72


def _with_seals(img: Any, pg: PageDL, dpi: int, text: str, rng: random.Random, on_values: bool) -> Any:
    r = 48 * dpi / 72
    if pg.sig_box:
        x0, y0, x1, y1 = pg.sig_box
        cx, cy = _pt2px(pg, dpi, (x0 + x1) / 2 - 30, (y0 + y1) / 2)
        img = seal(img, cx, cy, r, text, rng)
    if on_values and pg.value_boxes:
        x0, y0, x1, y1 = rng.choice(pg.value_boxes)
        cx, cy = _pt2px(pg, dpi, x0, (y0 + y1) / 2)
        img = seal(img, cx, cy, r, text, rng)
    return img


@dataclass
class Composed:
    """A report laid out, before any degradation, with its truth."""

    rng: random.Random
    layout: Layout
    ident: Identity
    pages: list[PageDL]
    table: list[dict[str, Any]]
    meta: dict[str, Any]
    narrative: list[dict[str, Any]]
    multiyear: bool


def compose(spec: DocSpec, **layout_overrides: Any) -> Composed:
    """Fill the template, lay the report out and collect the truth (page numbers from the layout)."""
    rng = random.Random(spec.seed)
    p = PARAMS[spec.split]
    tpl = load_template(spec.template)
    multiyear = bool(tpl.get("value_columns"))
    lay = choose_layout(rng, p, multiyear)
    if "styles" in p:
        choose_layout_style(rng, p["styles"], lay, multiyear, spec.index)
    for k, v in layout_overrides.items():
        setattr(lay, k, v)
    rows = fill_multiyear(tpl, rng) if multiyear else fill_single(tpl, rng, lay.plan_actual)
    if lay.pct_sign is not None:  # "95%", "12,5 %": the truth keeps the number, raw_value what is printed
        for r in rows:
            for cell in r.values.values() if r.unit == "%" else ():
                if cell.value_num is not None:
                    cell.raw = f"{cell.raw}{lay.pct_sign}%"
    ident = make_identity(spec.template, int(tpl["year"]), rng)
    paras, ntruth = narrative(tpl["rows"], rows, ident.report_year, rng, multiyear)
    lay.paragraphs = len(paras)
    pages = [narrative_page(ident, paras, lay, multiyear)]
    app_pages, placed = appendix_pages(rows, ident, lay, tpl.get("value_columns"))
    pages += app_pages
    table = []
    for pl in placed:
        for col, cell in pl.row.values.items():
            table.append({"code": pl.row.code, "raw_code": pl.row.printed_code, "label": pl.row.label,
                          "raw_value": cell.raw, "value_num": cell.value_num, "value_text": cell.value_text,
                          "column_label": col, "page": pl.page + 2})
    y, m, d_ = ident.date
    meta = {"doc_number": ident.doc_number, "issuer": ident.issuer, "issue_date": f"{y:04d}-{m:02d}-{d_:02d}",
            "period_label": ident.period_label, "period_type": ident.period_type,
            "report_year": ident.report_year, "signed": False, "signer": None}
    return Composed(rng, lay, ident, pages, table, meta, ntruth, multiyear)


def ocr_pages(spec: DocSpec, n_pages: int) -> int:
    """Pages of this document that need OCR (a sandwich counts twice: it has a plain twin)."""
    return {"photo": 1, "mixed": n_pages - 1, "sandwich": 2 * n_pages}.get(spec.kind, n_pages)


def build(spec: DocSpec, out_dir: Path, twins_dir: Path | None) -> list[dict[str, Any]]:
    """Render, degrade and write one document (two for a sandwich: with and without the layer)."""
    c = compose(spec)
    rng, lay, ident, pages, table, meta, ntruth, multiyear = (
        c.rng, c.layout, c.ident, c.pages, c.table, c.meta, c.narrative, c.multiyear)
    p = PARAMS[spec.split]
    vector = play(pages, ["vector"] * len(pages))
    deg = choose_degradation(rng, p, spec)
    st = deg.get("styles", {})
    common = {"template": spec.template, "split": spec.split, "seed": spec.seed, "layout": lay.as_dict()}
    seal_text = " ".join(ident.body).replace("ỦY BAN NHÂN DÂN", "UBND") + " *"
    entries = []

    def truth(file: str, kind: str, tv: list[dict[str, Any]], md: dict[str, Any], nv: list[dict[str, Any]] | None,
              purpose: str, extra: dict[str, Any]) -> dict[str, Any]:
        return {"file": file, "purpose": purpose, "kind": kind, "expected_status": "ok",
                "expected_error_contains": None, "expected_warning_contains": None,
                "template_id": spec.template, "metadata": md, "table_values": tv,
                "narrative_values": nv or [], "validation_issues": [],
                "corpus": {"narrative_complete": nv is not None and not multiyear, **extra}}

    def write(dir_: Path, file: str, data: bytes | None, tr: dict[str, Any]) -> None:
        dir_.mkdir(parents=True, exist_ok=True)
        if data is not None:
            _atomic(dir_ / file, data)
        _atomic(dir_ / f"{file}.truth.json",
                json.dumps(tr, ensure_ascii=False, indent=1).encode("utf-8"))

    if twins_dir is not None and spec.kind != "photo":
        f = f"{spec.name}_text.pdf"
        write(twins_dir, f, vector, truth(f, "text", table, meta, ntruth, "text-layer twin of " + spec.name,
                                           {"kind": "text", "twin_of": spec.name}))
        entries.append({"file": f, "dir": "twins", "kind": "text", **common, "degradations": ["text"],
                        "degradation": {}, "pages": len(pages), "ocr_pages": 0, "truth_values": len(table)})

    dpi = deg["dpi"]
    if spec.kind == "photo":
        cands = [i for i in range(1, len(pages)) if any(t["page"] == i + 1 for t in table)]
        k = rng.choice(cands[:3])
        img = rasterize(vector, dpi, [k])[0]
        if st:
            back = rasterize(vector, dpi, [k + 1 if k + 1 < len(pages) else k - 1])[0]
            img = handled(printed(img, back, st, dpi, rng), pages[k], st, dpi, rng)
        img = photo(img, deg, rng)
        if "hand_shadow" in st:
            img = hand_shadow(img, st["hand_shadow"], rng)
        data, _ = encode(img, deg["jpeg_q"])
        f = f"{spec.name}.jpg"
        tv = [{**t, "page": 1} for t in table if t["page"] == k + 1]
        nomd = {k_: None for k_ in meta} | {"signed": False}
        tags = degradation_tags(spec, deg, []) + layout_style_tags(lay)
        write(out_dir, f, data, truth(f, "photo", tv, nomd, None, f"phone photo of appendix page {k + 1}",
                                      {"kind": "photo"}))
        entries.append({"file": f, "kind": "photo", **common, "degradations": tags,
                        "degradation": deg | {"source_page": k + 1}, "pages": 1, "ocr_pages": 1,
                        "truth_values": len(tv)})
        return entries

    raster = rasterize(vector, dpi)
    rotations = [0] * len(pages)
    if spec.rotate:
        rotations[rng.randrange(1, len(pages))] = rng.choice([90, 180, 270])
        if rng.random() < 0.5:
            rotations[0] = 180
    seal_page = rng.randrange(1, len(pages))
    images = []
    for i, (pg, im) in enumerate(zip(pages, raster, strict=True)):
        if st:
            im = printed(im, raster[(i + 1) % len(raster)], st, dpi, rng)
        if deg["seal"]:
            im = _with_seals(im, pg, dpi, seal_text, rng, on_values=i == seal_page)
        if st:
            im = handled(im, pg, st, dpi, rng)
        pd = dict(deg, skew=deg["skew"] + rng.uniform(-0.15, 0.15))
        images.append(scan(im, pd, rng, rotate=rotations[i]))
    tags = degradation_tags(spec, deg, rotations) + layout_style_tags(lay)
    base = {**common, "degradation": deg | {"rotations": rotations}, "pages": len(pages)}
    if spec.family == "tiff":
        f = f"{spec.name}.tif"
        tmp = out_dir / f".{f}.tmp"
        out_dir.mkdir(parents=True, exist_ok=True)
        save_tiff(images, str(tmp), dpi)
        os.replace(tmp, out_dir / f)
        write(out_dir, f, None, truth(f, "scan", table, meta, ntruth, "multi-page TIFF scan", {"kind": "scan"}))
        entries.append({"file": f, "kind": "scan", **base, "degradations": tags, "ocr_pages": len(pages),
                        "truth_values": len(table)})
        return entries

    def modes(layer: bool) -> list[Any]:
        out: list[Any] = []
        for i, (pg, im) in enumerate(zip(pages, images, strict=True)):
            if spec.kind == "mixed" and i == 0:
                out.append("vector")
                continue
            data, _ = encode(im, deg["jpeg_q"])
            size = (im.width * 72 / dpi, im.height * 72 / dpi)
            inv = None
            if layer:
                inv = [(o[0], o[1], o[2], o[3], o[4], bad_ocr_text(o[5], rng)) for o in pg.ops if o[0] == "text"]
            out.append(("image", data, size, inv))
        return out

    if spec.kind == "sandwich":
        f_plain = f"{spec.name}_plain.pdf"
        f = f"{spec.name}.pdf"
        write(out_dir, f_plain, play(pages, modes(False)),
              truth(f_plain, "scan", table, meta, ntruth, "the sandwich scan without its text layer",
                    {"kind": "scan", "pair": f}))
        entries.append({"file": f_plain, "kind": "scan", **base, "degradations": tags + ["sandwich_plain"],
                        "ocr_pages": len(pages), "truth_values": len(table), "pair": f})
        write(out_dir, f, play(pages, modes(True)),
              truth(f, "scan", table, meta, ntruth, "scan with a bad invisible OCR text layer",
                    {"kind": "sandwich", "pair": f_plain}))
        entries.append({"file": f, "kind": "sandwich", **base, "degradations": tags, "ocr_pages": len(pages),
                        "truth_values": len(table), "pair": f_plain})
        return entries
    f = f"{spec.name}.pdf"
    kind = spec.kind
    write(out_dir, f, play(pages, modes(False)),
          truth(f, kind, table, meta, ntruth, f"{kind}: {', '.join(tags)}", {"kind": kind}))
    entries.append({"file": f, "kind": kind, **base, "degradations": tags,
                    "ocr_pages": len(pages) - (1 if kind == "mixed" else 0), "truth_values": len(table)})
    return entries


def _atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def generate(out: Path, split: str, limit: int | None = None, twins: bool = True) -> dict[str, list[dict[str, Any]]]:
    """Build the split(s) under out; returns the manifests written."""
    manifests: dict[str, list[dict[str, Any]]] = {}
    for sp in (SPLITS if split == "all" else [split]):
        specs = plan(sp)[: limit if limit else None]
        for d in (out / sp, out / "twins") if sp == "tune" else (out / sp,):
            if (d / "corpus.json").is_file():  # a folder this generator wrote: start clean, no stale files
                shutil.rmtree(d)
            elif d.exists() and any(d.iterdir()):
                raise SystemExit(f"{d} exists and is not a corpus folder; choose another --out")
        entries: list[dict[str, Any]] = []
        for spec in specs:
            entries += build(spec, out / sp, out / "twins" if (twins and sp == "tune") else None)
        for dir_name in sorted({e.get("dir", sp) for e in entries}):
            sel = [e for e in entries if e.get("dir", sp) == dir_name]
            doc = {"split": sp, "generator": "samples/build/scan_corpus.py", "documents": sel,
                   "ocr_pages": sum(e["ocr_pages"] for e in sel)}
            (out / dir_name).mkdir(parents=True, exist_ok=True)
            _atomic(out / dir_name / ".cchcignore", b"# not reports: ground truth and the manifest\n*.truth.json\ncorpus.json\n")
            _atomic(out / dir_name / "corpus.json", json.dumps(doc, ensure_ascii=False, indent=1).encode())
        manifests[sp] = entries
    return manifests


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--split", choices=[*SPLITS, "all"], default="all")
    ap.add_argument("--limit", type=int, default=None, help="only the first N documents of each split")
    ap.add_argument("--no-twins", action="store_true", help="skip the text-layer twins of the tune split")
    a = ap.parse_args(argv)
    for sp, entries in generate(a.out, a.split, a.limit, not a.no_twins).items():
        scans = [e for e in entries if e.get("dir", sp) == sp]
        print(f"{sp}: {len(scans)} files, {sum(e['ocr_pages'] for e in scans)} OCR pages, "
              f"{sum(e['truth_values'] for e in scans)} truth values -> {a.out / sp}")


if __name__ == "__main__":
    main()
