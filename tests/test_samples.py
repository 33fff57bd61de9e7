"""The sample archive and its ground truth are what every score is computed against.

These tests keep them honest: each sample has a truth file in the documented
format, every table code exists in the catalog template the truth names,
the figures of text-layer samples really are in their text layer on the page
the truth says, and the bad files really are broken in the way they claim.
Rebuild the samples with `.venv/bin/python samples/build/build_samples.py`.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import unicodedata
import zipfile
from functools import cache
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from indicator_catalog import load_catalog

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
NOT_SAMPLES = {"seeds", "build", "phrasings"}  # phrasings: the narrative phrasing corpus (text, not reports)
KINDS = {"text", "scan", "mixed", "photo", "bad"}
STATUSES = {"ok", "partial", "failed"}
META_KEYS = {"doc_number", "issuer", "issue_date", "period_label", "period_type", "report_year", "signed", "signer"}
TOP_KEYS = {"file", "purpose", "kind", "expected_status", "expected_error_contains", "expected_warning_contains",
            "template_id", "metadata", "table_values", "narrative_values", "validation_issues"}
TABLE_KEYS = {"code", "raw_code", "label", "raw_value", "value_num", "value_text", "column_label", "page"}
NARR_KEYS = {"indicator_id", "value_num", "raw_value", "sentence"}
PERIOD_TYPES = {"Q1", "Q2", "Q3", "Q4", "H1", "9M", "Y", "MULTI"}


def _sample_files() -> list[Path]:
    out = []
    for p in sorted(SAMPLES.rglob("*")):
        rel = p.relative_to(SAMPLES)
        if not p.is_file() or rel.parts[0] in NOT_SAMPLES or len(rel.parts) == 1:
            continue
        if p.name.endswith(".truth.json") or p.suffix == ".zip":
            continue
        out.append(p)
    return out


def _truths() -> list[tuple[Path, dict]]:
    return [(p, json.loads(p.read_text(encoding="utf-8"))) for p in sorted(SAMPLES.rglob("*.truth.json"))]


TRUTHS = _truths()
IDS = [str(p.relative_to(SAMPLES)) for p, _ in TRUTHS]


def _sample_of(truth_path: Path) -> Path:
    return truth_path.with_name(truth_path.name[: -len(".truth.json")])


def _n_pages(sample: Path) -> int:
    head = sample.read_bytes()[:8]
    if head.startswith(b"%PDF"):
        return len(PdfReader(str(sample)).pages)
    with Image.open(sample) as im:
        return getattr(im, "n_frames", 1)


@cache
def _page_texts(sample: Path) -> tuple[tuple[str, frozenset[str]], ...]:
    """Per page: whitespace-free text and the set of words, from the PDF's own text layer."""
    out = []
    with pdfplumber.open(sample) as pdf:
        for page in pdf.pages:
            text = unicodedata.normalize("NFC", page.extract_text() or "")
            words = frozenset(unicodedata.normalize("NFC", w["text"]) for w in page.extract_words())
            out.append((re.sub(r"\s+", "", text), words))
    return tuple(out)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def test_the_archive_covers_every_kind_of_input():
    kinds = {t["kind"] for _, t in TRUTHS}
    assert kinds == KINDS
    templates = {t["template_id"] for _, t in TRUTHS if t["template_id"]}
    assert templates == {"ministry_6459_app1", "province_6459_app2", "commune_2024", "department_bdt_2023",
                         "district_camxuyen_2021", "district_trieuson_2011_2020"}
    suffixes = {p.suffix for p in _sample_files()}
    assert {".pdf", ".jpg", ".tif"} <= suffixes
    assert (SAMPLES / "README.md").is_file()


def test_every_sample_has_a_truth_file_and_every_truth_file_a_sample():
    samples = set(_sample_files())
    truth_samples = {_sample_of(p) for p, _ in TRUTHS}
    assert samples == truth_samples
    for p, t in TRUTHS:
        assert t["file"] == _sample_of(p).name


@pytest.mark.parametrize("truth_path,truth", TRUTHS, ids=IDS)
def test_truth_file_follows_the_format(truth_path: Path, truth: dict):
    assert set(truth) == TOP_KEYS
    assert truth["kind"] in KINDS and truth["expected_status"] in STATUSES
    assert set(truth["metadata"]) == META_KEYS
    meta = truth["metadata"]
    if meta["issue_date"] is not None:
        dt.date.fromisoformat(meta["issue_date"])
    assert meta["period_type"] in PERIOD_TYPES | {None}
    assert isinstance(meta["signed"], bool) and (meta["signer"] is None) == (not meta["signed"])
    n_pages = 0 if truth["kind"] == "bad" else _n_pages(_sample_of(truth_path))
    for v in truth["table_values"]:
        assert set(v) == TABLE_KEYS
        assert v["code"] and not v["code"].endswith("."), v
        assert isinstance(v["raw_value"], str) and v["raw_value"].strip()
        assert (v["value_num"] is None) != (v["value_text"] is None), v
        assert 1 <= v["page"] <= n_pages, v
    keys = [(v["code"], v["column_label"]) for v in truth["table_values"]]
    assert len(keys) == len(set(keys)), "a (code, column) pair listed twice"
    for v in truth["narrative_values"]:
        assert set(v) == NARR_KEYS
        assert re.fullmatch(r"[A-Z][A-Z0-9_]+", v["indicator_id"])
        assert v["raw_value"] in v["sentence"]
    for issue in truth["validation_issues"]:
        assert set(issue) == {"rule", "indicator_ids"} and issue["indicator_ids"]
    if truth["kind"] == "bad":
        assert not truth["table_values"] and not truth["narrative_values"]
        assert truth["expected_error_contains"] or truth["expected_warning_contains"]
    # every string is NFC (the pipeline normalises at its boundaries; so must the truth)
    def strings(x):
        if isinstance(x, str):
            yield x
        elif isinstance(x, dict):
            for y in x.values():
                yield from strings(y)
        elif isinstance(x, list):
            for y in x:
                yield from strings(y)
    for s in strings(truth):
        assert unicodedata.normalize("NFC", s) == s


def test_table_codes_exist_in_their_catalog_template():
    cat = load_catalog()
    checked = 0
    for _, truth in TRUTHS:
        if not truth["table_values"]:
            continue
        template = cat.template(truth["template_id"])
        columns = list(template.value_columns) if template.value_columns else None
        for v in truth["table_values"]:
            assert template.row(v["code"]) is not None, (truth["file"], v["code"])
            if columns:
                assert v["column_label"] in columns, v
            else:
                assert v["column_label"] is None, v
            checked += 1
    assert checked > 500


def test_narrative_and_issue_indicators_exist_in_the_catalog():
    cat = load_catalog()
    for _, truth in TRUTHS:
        for v in truth["narrative_values"]:
            assert v["indicator_id"] in cat.indicators, (truth["file"], v)
        for issue in truth["validation_issues"]:
            for ind in issue["indicator_ids"]:
                assert ind in cat.indicators, (truth["file"], issue)


TEXT_TRUTHS = [(p, t) for p, t in TRUTHS if t["kind"] == "text"]


def _word_on_page(token: str, words: frozenset[str]) -> bool:
    """A whole word of the page, or one wrapped in two after a hyphen or slash ("72/KH-" + "BDT")."""
    return token in words or any(token[:k] in words and token[k:] in words for k in range(1, len(token)))


@cache
def _grid_rows(sample: Path) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """Per page: the ruled-table rows pdfplumber finds, cells squashed."""
    with pdfplumber.open(sample) as pdf:
        return tuple(tuple(tuple(_squash(c or "") for c in row) for t in page.extract_tables() for row in t)
                     for page in pdf.pages)


@pytest.mark.parametrize("truth_path,truth", TEXT_TRUTHS, ids=[str(p.relative_to(SAMPLES)) for p, _ in TEXT_TRUTHS])
@pytest.mark.slow
def test_text_samples_show_their_truth_in_the_text_layer(truth_path: Path, truth: dict):
    pages = _page_texts(_sample_of(truth_path))
    grids = _grid_rows(_sample_of(truth_path))
    whole = "".join(t for t, _ in pages)
    columns = None
    if truth["template_id"]:
        vc = load_catalog().template(truth["template_id"]).value_columns
        columns = list(vc) if vc else None
    in_cell = 0
    for v in truth["table_values"]:
        # the value sits in the value cell of the grid row that carries the label, on that page
        label = _squash(v["label"])
        col = 3 if columns is None else 2 + columns.index(v["column_label"])
        rows = [r for r in grids[v["page"] - 1] if len(r) > col and r[1] and label.startswith(r[1][:20])
                and (not v["raw_code"] or r[0] == _squash(v["raw_code"]))]
        if rows:
            assert any(r[col] == _squash(v["raw_value"]) for r in rows), (v, rows)
            in_cell += 1
        text, words = pages[v["page"] - 1]
        raw = unicodedata.normalize("NFC", v["raw_value"])
        # whole words: "12" must not be found inside "2012"; a long text value may wrap in its cell
        assert all(_word_on_page(w, words) for w in raw.split()), v
        assert _squash(v["label"])[:12] in text, v  # the row starts on the page the truth says
        if v["raw_code"]:
            assert v["raw_code"] in words, v
    assert in_cell >= 0.95 * len(truth["table_values"]), (in_cell, len(truth["table_values"]))
    for v in truth["narrative_values"]:
        assert _squash(v["sentence"]) in whole, v
    meta = truth["metadata"]
    assert _squash(meta["doc_number"]) in pages[0][0]
    # the grid's header row is repeated on every page that holds a part of it
    for page in {v["page"] for v in truth["table_values"]}:
        assert "STT" in pages[page - 1][1], page


def test_some_row_label_is_cut_by_a_page_break():
    """The first grid row after the repeated header goes on with the last row of the previous page."""
    cut = []
    for truth_path, truth in TEXT_TRUTHS:
        by_page = {}
        for v in truth["table_values"]:
            by_page[v["page"]] = v  # the last valued row that starts on each page
        grids = _grid_rows(_sample_of(truth_path))
        for page_no, v in by_page.items():
            if page_no >= len(grids):
                continue
            rows = [r for r in grids[page_no] if r[0] != "STT" and any(r[:2])]  # the page after v's page
            if rows and not rows[0][0] and rows[0][1] and _squash(v["label"]).endswith(rows[0][1]) \
                    and rows[0][1] != _squash(v["label"]):
                cut.append((truth["file"], v["code"], page_no, page_no + 1))
    assert len(cut) >= 2, cut


def test_signed_sample_names_its_signer():
    from pyhanko.pdf_utils.reader import PdfFileReader

    signed = [(p, t) for p, t in TRUTHS if t["metadata"]["signed"]]
    assert signed
    for p, t in signed:
        with _sample_of(p).open("rb") as fh:
            sigs = PdfFileReader(fh).embedded_signatures
            assert len(sigs) == 1
            cn = sigs[0].signer_cert.subject.native["common_name"]
        assert cn == t["metadata"]["signer"]


def test_scans_have_no_text_layer_and_mixed_has_both():
    for p, t in TRUTHS:
        sample = _sample_of(p)
        if t["kind"] == "scan" and sample.suffix == ".pdf":
            with pdfplumber.open(sample) as pdf:
                assert all(not page.chars for page in pdf.pages)
                assert 1 <= len(pdf.pages) <= 4
                assert all(page.images for page in pdf.pages)
        if t["kind"] == "mixed":
            with pdfplumber.open(sample) as pdf:
                has_text = [bool(page.chars) for page in pdf.pages]
            assert any(has_text) and not all(has_text)
            assert all(not has_text[v["page"] - 1] for v in t["table_values"])  # the grid is on scanned pages


def test_image_samples_are_what_they_say():
    tif = [_sample_of(p) for p, t in TRUTHS if _sample_of(p).suffix == ".tif"]
    assert tif
    for path in tif:
        with Image.open(path) as im:
            assert im.n_frames == 2 and im.mode == "1"
    for p, t in TRUTHS:
        if t["kind"] == "photo":
            with Image.open(_sample_of(p)) as im:
                assert im.format == "JPEG" and min(im.size) >= 1000


def _bad(name: str) -> Path:
    return SAMPLES / "bad" / name


def test_bad_files_are_really_bad():
    assert _bad("empty.pdf").stat().st_size == 0
    data = _bad("truncated.pdf").read_bytes()
    assert data.startswith(b"%PDF") and b"%%EOF" not in data[-1024:]
    with pytest.raises(PdfReadError):
        PdfReader(io.BytesIO(data), strict=True).pages[0].extract_text()
    assert PdfReader(str(_bad("password_protected.pdf"))).is_encrypted
    assert _bad("png_named.pdf").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    head = _bad("html_download_page.pdf").read_bytes()[:200].lower()
    assert head.startswith(b"<!doctype html") and b"<html" in head
    statuses = {t["file"]: t["expected_status"] for _, t in TRUTHS if t["kind"] == "bad"}
    assert statuses == {"empty.pdf": "failed", "truncated.pdf": "failed", "password_protected.pdf": "failed",
                        "png_named.pdf": "ok", "html_download_page.pdf": "failed"}


def test_letter_without_appendix_is_valid_and_has_no_values():
    letters = [t for _, t in TRUTHS if t["kind"] == "text" and not t["table_values"]]
    assert len(letters) == 1
    assert letters[0]["expected_status"] == "ok" and letters[0]["template_id"] is None


def test_zip_holds_a_byte_identical_duplicate_in_a_subfolder():
    with zipfile.ZipFile(SAMPLES / "archive" / "season_q1.zip") as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist() if not i.is_dir()}
    assert len(members) == 2 and all("/" in name for name in members)
    originals = {p.read_bytes() for p in _sample_files()}
    text_originals = {p.read_bytes() for p in (SAMPLES / "text").glob("*.pdf")}
    assert any(data in text_originals for data in members.values())
    assert all(data in originals for data in members.values())


def test_planted_inconsistencies_are_in_the_truth_data():
    province = next(t for _, t in TRUTHS if t["file"] == "province_6459_app2_h1_2021.pdf")
    table = {v["code"]: v["value_num"] for v in province["table_values"]}
    narr = {v["indicator_id"]: v["value_num"] for v in province["narrative_values"]}
    rules = {i["rule"] for i in province["validation_issues"]}
    assert rules == {"completed_le_planned", "narrative_vs_table", "percent_range", "parts_sum_to_total"}
    assert table["1.1.2"] > table["1.1.1"]
    assert any(v["raw_value"].replace(",", ".") and v["value_num"] and v["value_num"] > 100
               and "Tỷ lệ" in v["label"] for v in province["table_values"])
    parts = narr["NAR_HS_GIAI_QUYET_TRUOC_HAN"] + narr["NAR_HS_DUNG_HAN_RIENG"] + narr["NAR_HS_GIAI_QUYET_QUA_HAN"]
    assert parts != narr["NAR_HS_DA_GIAI_QUYET"]
    # the other generated reports stay consistent (only the seeds' own slips are listed there)
    ministry = next(t for _, t in TRUTHS if t["file"].startswith("ministry_"))
    assert ministry["validation_issues"] == []
    mt = {v["code"]: v["value_num"] for v in ministry["table_values"]}
    assert mt["1.1.2"] <= mt["1.1.1"] and mt["3.1.3"] == sum(mt[f"3.1.3.{c}"] for c in "abcd")


def test_samples_folder_stays_small():
    total = sum(p.stat().st_size for p in SAMPLES.rglob("*") if p.is_file())
    assert total < 8_000_000, total
