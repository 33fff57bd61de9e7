"""CLI conventions users know from OCRmyPDF and Docling, and the bugs the analyst issue named."""

from __future__ import annotations

import json
import os
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from cchc.review import _parse_corrected, typed_number_problem
from indicator_catalog import load_catalog
from tests.analyst_support import SAMPLES, TEXT, cchc

SMALL = TEXT / "district_camxuyen_letter_no_appendix.pdf"  # a valid report that reads in a fraction of a second
EMPTY, HTML = SAMPLES / "bad" / "empty.pdf", SAMPLES / "bad" / "html_download_page.pdf"


def _extract(*args: str):  # type: ignore[no-untyped-def]
    return cchc("extract", *args, "--executor", "inline")


@pytest.mark.parametrize("where", ["before", "after"])
def test_quiet_and_verbose_before_or_after_the_subcommand(tmp_path: Path, where: str) -> None:
    args = ["extract", str(SMALL), "--out", str(tmp_path / "o"), "--executor", "inline", "-j", "1",
            "--no-progress"]
    quiet = cchc("-q", *args) if where == "before" else cchc(*args, "-q")
    assert quiet.exit_code == 0, quiet.output
    assert "INFO" not in quiet.stderr and "1 file(s): 1 ok" in quiet.stderr
    loud = cchc("-v", *args) if where == "before" else cchc(*args, "-v")
    assert loud.exit_code == 0 and "INFO cchc: ok" in loud.stderr


def test_quiet_after_other_subcommands() -> None:
    res = cchc("catalog", "list", "-q")
    assert res.exit_code == 0 and "indicators" in res.output


def test_log_file_and_jobs_alias(tmp_path: Path) -> None:
    log = tmp_path / "run.log"
    res = _extract(str(SMALL), "--out", str(tmp_path / "o"), "--jobs", "1", "-q", "--log-file", str(log))
    assert res.exit_code == 0, res.output
    text = log.read_text(encoding="utf-8")
    assert SMALL.name in text and "INFO" in text  # the file keeps the detail -q hides from the terminal
    assert json.loads((tmp_path / "o" / "run.json").read_text())["options"]["workers"] == 1


def test_every_input_failed_is_a_non_zero_exit_naming_the_files(tmp_path: Path) -> None:
    res = _extract(str(EMPTY), str(HTML), "--out", str(tmp_path / "o"))
    assert res.exit_code == 3
    assert "failed (2):" in res.stderr
    assert f"{EMPTY}:" in res.stderr and f"{HTML}:" in res.stderr and "empty" in res.stderr
    assert "next:" in res.stderr
    docs = pd.read_parquet(tmp_path / "o" / "documents.parquet")  # the dataset is still written
    assert list(docs.status) == ["failed", "failed"]


def test_strict_fails_when_any_input_failed(tmp_path: Path) -> None:
    res = _extract(str(SMALL), str(EMPTY), "--out", str(tmp_path / "a"))
    assert res.exit_code == 0 and f"{EMPTY}:" in res.stderr
    res = _extract(str(SMALL), str(EMPTY), "--out", str(tmp_path / "b"), "--strict")
    assert res.exit_code == 3


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def test_output_is_readable_by_colleagues(tmp_path: Path, umask_022: None) -> None:
    out = tmp_path / "o"
    assert _extract(str(SMALL), "--out", str(out)).exit_code == 0
    assert _extract(str(SMALL), "--out", str(out)).exit_code == 0  # a second run into OUT, through the cache
    modes = {p.relative_to(out).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in [out, *out.rglob("*")]}
    assert modes["."] == 0o755 and modes["values"] == 0o755 and modes["_cache"] == 0o755
    for name in ("documents.parquet", "run.json", "units.parquet"):
        assert modes[name] == 0o644, name
    files = {p.relative_to(out).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in out.rglob("*") if p.is_file()}
    dirs = {p.relative_to(out).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in out.rglob("*") if p.is_dir()}
    assert any(n.startswith("_cache/") and n.endswith(".pkl") for n in files)
    assert set(files.values()) == {0o644} and set(dirs.values()) == {0o755}
    export = tmp_path / "wide.csv"
    assert cchc("export", str(out), "--format", "csv", "--to", str(export)).exit_code == 0
    assert stat.S_IMODE(export.stat().st_mode) == 0o644


def test_zip_given_with_its_folder_is_read_once(tmp_path: Path) -> None:
    folder = tmp_path / "season"
    folder.mkdir()
    with zipfile.ZipFile(folder / "season.zip", "w") as zf:
        zf.write(SMALL, "xa/letter.pdf")
    res = _extract(str(folder), str(folder / "season.zip"), "--out", str(tmp_path / "o"))
    assert res.exit_code == 0, res.output
    docs = pd.read_parquet(tmp_path / "o" / "documents.parquet")
    assert len(docs) == 1 and list(docs.iloc[0].other_paths) == []
    assert docs.iloc[0].source_path.endswith("season.zip!/xa/letter.pdf")
    assert json.loads((tmp_path / "o" / "run.json").read_text())["files"]["total_paths"] == 1


@pytest.mark.parametrize("typed", ["l2", "1O", "I5", "2O,5"])
def test_steward_typed_lookalike_digits_are_refused(typed: str) -> None:
    value_num, value_text, problem = _parse_corrected(typed, "KH_NHIEM_VU_DE_RA", {"unit": "Nhiệm vụ"},
                                                      load_catalog())
    assert value_num is None and value_text is None
    assert problem and typed in problem and "digits" in problem


@pytest.mark.parametrize(("typed", "expected"), [("12", 12.0), ("1.245", 1245.0), ("12,5", 12.5)])
def test_steward_typed_numbers_still_parse(typed: str, expected: float) -> None:
    assert typed_number_problem(typed) is None
    assert _parse_corrected(typed, "KH_NHIEM_VU_DE_RA", {"unit": "Nhiệm vụ"}, load_catalog())[:2] == (expected, None)


def test_catalog_export_one_row_per_indicator(tmp_path: Path) -> None:
    cat = load_catalog()
    res = cchc("catalog", "export", "--format", "parquet", "--out", str(tmp_path / "ind.parquet"))
    assert res.exit_code == 0, res.output
    df = pd.read_parquet(tmp_path / "ind.parquet")
    assert df.indicator_id.is_unique and set(df.indicator_id) == set(cat.indicators)
    narrative = df[df.indicator_id == "NAR_HS_DA_GIAI_QUYET"].iloc[0]
    assert bool(narrative.narrative_only) and narrative.n_template_rows == 0
    assert df.set_index("indicator_id").loc["HS_DUNG_HAN_XA", "concept"] == "HS_DUNG_HAN"
    rows = tmp_path / "rows.csv"
    assert cchc("catalog", "export", "--rows", "--format", "csv", "--out", str(rows)).exit_code == 0
    assert len(pd.read_csv(rows)) == len(cat.all_rows())
