"""`cchc report OUT`: the static run report, checked against the output's own Parquet read back by DuckDB."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from click.testing import CliRunner

from cchc.cli import main
from cchc.report import report_data
from cchc.review_web.app import create_app
from tests.review_web_support import build_inputs, extract
from tests.sample_support import SAMPLES

TRUNCATED = SAMPLES / "bad" / "truncated.pdf"
PROVINCE = SAMPLES / "text" / "province_6459_app2_h1_2021.pdf"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("report")
    return extract(build_inputs(root / "in", extra=(TRUNCATED, PROVINCE)), root / "out")


class _Tables(HTMLParser):
    """Cell texts of every <table id=…>, and the number of inline <svg> charts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.svgs = 0
        self._table: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table" and a.get("id"):
            self._table = a["id"]
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []
        elif tag == "svg":
            self.svgs += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._table and self._cell is not None:
            self.tables[self._table][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _parse(html: str) -> _Tables:
    p = _Tables()
    p.feed(html)
    return p


def test_report_command_writes_a_static_page_that_matches_the_dataset(out: Path) -> None:
    result = CliRunner().invoke(main, ["report", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    path = out / "report.html"
    assert f"wrote {path}" in result.output
    html = path.read_text(encoding="utf-8")
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")  # offline
    page = _parse(html)

    # files by status, with the reason of the failed one
    docs = pd.read_parquet(out / "documents.parquet")
    failed = docs[docs["status"] == "failed"]
    assert list(failed["file_name"]) == ["truncated.pdf"]
    files = {row[0]: row for row in page.tables["files"][1:]}
    assert files["truncated.pdf"][1] == "failed"
    assert files["truncated.pdf"][2] == " ".join(failed["error"].iloc[0].split())

    # values by template and page kind: the counts DuckDB finds
    counts = duckdb.sql(f"""SELECT coalesce(template_id, '(none)') AS t, count(*) AS n
                            FROM '{out}/values/*.parquet' GROUP BY 1""").fetchall()
    shown = {row[0]: int(row[-1]) for row in page.tables["by-template"][1:]}
    assert shown == dict(counts)
    assert page.tables["by-template"][0][1] == "text pages"

    # review rate
    n, flagged = duckdb.sql(f"SELECT count(*), count(*) FILTER (WHERE needs_review) "
                            f"FROM '{out}/values/*.parquet'").fetchall()[0]
    assert flagged >= 10
    assert f"{100 * flagged / n:.1f} %" in html
    assert f"{flagged} of {n} figures" in html

    # validation issues: every one listed, the planted province ones among them
    issues = pd.read_parquet(out / "validation_issues.parquet")
    rows = page.tables["issues"][1:]
    assert len(rows) == len(issues) >= 3
    assert {"completed_le_planned", "percent_range"} <= {r[2] for r in rows}

    # charts: status, templates, reasons, per-file review share, issues by rule, one indicator across units
    assert page.svgs >= 6
    data = report_data(out)
    ind = data["indicator"]
    assert ind is not None
    per_doc = duckdb.sql(f"""SELECT count(DISTINCT doc_id) FROM '{out}/values/*.parquet'
                             WHERE indicator_id = '{ind['indicator_id']}' AND value_num IS NOT NULL
                             AND NOT needs_review AND source = 'table'""").fetchall()[0][0]
    assert len(ind["bars"]) == per_doc >= 2
    assert f"One indicator across units: {ind['indicator_id']}" in html


def test_report_options_and_refusals(out: Path, tmp_path: Path) -> None:
    target = tmp_path / "nested" / "q1.html"
    result = CliRunner().invoke(main, ["report", str(out), "--to", str(target)], catch_exceptions=False)
    assert result.exit_code == 0 and target.read_text(encoding="utf-8").startswith("<!doctype html>")
    not_out = tmp_path / "empty"
    not_out.mkdir()
    bad = CliRunner().invoke(main, ["report", str(not_out)])
    assert bad.exit_code == 1 and "is not a cchc output" in bad.output


def test_report_is_served_and_counts_steward_decisions(out: Path, tmp_path: Path) -> None:
    copy = Path(shutil.copytree(out, tmp_path / "out"))
    client = create_app(copy).test_client()
    before = client.get("/report").get_data(as_text=True)
    assert 'href="/"' in before  # the served page links back to the review
    assert re.search(r"<b>0</b>decided by stewards", before)
    queue = pd.read_parquet(copy / "review_queue.parquet")
    key = queue.loc[queue["indicator_id"].notna(), "row_key"].iloc[0]
    res = client.post("/api/decide", json={"reviewer": "Hoa", "items": [{"row_key": key, "decision": "accept"}]})
    assert res.status_code == 200, res.get_json()
    after = client.get("/report").get_data(as_text=True)
    assert re.search(r"<b>1</b>decided by stewards", after)
    assert json.loads((copy / "run.json").read_text())["review"]["decided_values"] == 1
