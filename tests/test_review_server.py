"""`cchc review serve` driven in a real headless Chromium (Debian's, through Playwright) on a real output.

The steward reviews ten figures by keyboard, undoes one and reloads: the
decisions store, the Parquet dataset (read back by pandas and DuckDB) and the
review queue hold exactly the nine decisions left, and a second browser
session sees them.  Bad input is refused with a message and changes nothing;
clients that are not this computer are refused; page crops are real renders
of PDFs, TIFFs, JPEGs and ZIP members.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import urllib.request
import zipfile
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from PIL import Image, ImageDraw

from cchc.review_web.app import create_app
from cchc.review_web.crops import CropError, render_crop
from indicator_catalog import load_catalog
from pipeline.decisions import decisions_path, latest_decisions, read_decisions
from tests.review_web_support import CHROMIUM, build_inputs, extract, non_loopback_address, running_server

REVIEWER = "Nguyễn Thị Hoa"
PERHAPS = re.compile(r"perhaps ([A-Z][A-Z0-9_]+)")


@pytest.fixture(scope="session")
def base_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("review_web")
    return extract(build_inputs(root / "in"), root / "out")


@pytest.fixture()
def out(base_output: Path, tmp_path: Path) -> Path:
    """A fresh copy of the extracted output for each test (tests change the dataset)."""
    return Path(shutil.copytree(base_output, tmp_path / "out"))


@pytest.fixture(scope="session")
def browser() -> Any:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield b
        b.close()


def _queue(out: Path) -> pd.DataFrame:
    return pd.read_parquet(out / "review_queue.parquet")


def _values(out: Path) -> pd.DataFrame:
    from cchc.review import _keys

    table = pq.read_table(out / "values")
    return table.to_pandas().assign(row_key=_keys(table).to_pylist()).set_index("row_key")


def _store_lines(out: Path) -> list[dict[str, Any]]:
    path = decisions_path(out)
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def _digest(out: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(out.rglob("*")):
        if p.is_file() and "_cache" not in p.parts:
            h.update(str(p.relative_to(out)).encode() + p.read_bytes())
    return h.hexdigest()


def _open_page(browser: Any, url: str, reviewer: str | None = REVIEWER) -> tuple[Any, Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url)
    if reviewer is not None:
        page.fill("#reviewer", reviewer)
        page.press("#reviewer", "Escape")  # leaves the box; the current figure has the keyboard again
    return context, page


def _current(page: Any) -> dict[str, Any]:
    return page.eval_on_selector(".fig.current", """f => ({
        key: f.dataset.key, proposed: f.dataset.proposed,
        choices: Array.from(f.querySelectorAll('.choices li[data-id]')).map(li => li.dataset.id)})""")


def _wait_done(page: Any, key: str) -> None:
    try:
        page.wait_for_function("k => [...document.querySelectorAll('.fig.done')].some(f => f.dataset.key === k)",
                               arg=key, timeout=10_000)
    except Exception as exc:
        raise AssertionError(f"{key} not decided; the page says {page.inner_text('#message')!r}") from exc


# ----------------------------------------------------------------------------- the keyboard scenario


@pytest.mark.slow
def test_review_ten_by_keyboard_undo_one_reload_and_a_second_session_sees_them(out: Path, browser: Any) -> None:
    queue = _queue(out)
    assert len(queue) >= 12, "the fixture must flag enough figures for ten decisions"
    before = _values(out)
    catalog = load_catalog()
    expected: dict[str, tuple[str, str | None, str | None]] = {}  # row_key -> (decision, indicator, corrected)
    order: list[str] = []
    with running_server(out) as url:
        context, page = _open_page(browser, url)
        dom_keys = page.eval_on_selector_all(".fig", "fs => fs.map(f => f.dataset.key)")
        assert sorted(dom_keys) == sorted(queue["row_key"]), "the page lists exactly the review queue"
        assert page.locator(".doc h2").count() == 2  # grouped by document
        plan = ["a", "n a", "c", "x", "i", "a", "c", "n a", "x", "a"]
        proposed_step = 0
        for n in range(10):
            fig = _current(page)
            key = fig["key"]
            rec = queue.set_index("row_key").loc[key]
            assert fig["proposed"] == (rec.indicator_id if isinstance(rec.indicator_id, str) else "")
            if not fig["proposed"]:
                # nothing proposed (narrative hints): type the hinted ID, or say it is no indicator
                hint = PERHAPS.search(rec.review_reason or "")
                if hint and n % 2 == 0:
                    page.keyboard.press("i")
                    page.keyboard.type(hint.group(1))
                    page.keyboard.press("Enter")
                    expected[key] = ("choose", hint.group(1), None)
                else:
                    page.keyboard.press("x")
                    expected[key] = ("not_indicator", None, None)
            else:
                action = plan[proposed_step % len(plan)]
                proposed_step += 1
                cands = [c["indicator_id"] for c in rec.candidates
                         if c["indicator_id"] != rec.indicator_id and c["indicator_id"] in catalog.indicators]
                if action == "n a" and cands:
                    page.keyboard.press("n")
                    page.keyboard.press("a")
                    expected[key] = ("choose", cands[0], None)
                elif action == "c":
                    page.keyboard.press("c")
                    page.keyboard.type("12")
                    page.keyboard.press("Enter")
                    expected[key] = ("accept", rec.indicator_id, "12")
                elif action == "x":
                    page.keyboard.press("x")
                    expected[key] = ("not_indicator", None, None)
                elif action == "i":
                    page.keyboard.press("i")
                    page.keyboard.type("TTHC_HIEU_LUC_CAP_XA")
                    page.keyboard.press("Enter")
                    expected[key] = ("choose", "TTHC_HIEU_LUC_CAP_XA", None)
                else:
                    page.keyboard.press("Enter" if n % 2 else "a")
                    expected[key] = ("accept", rec.indicator_id, None)
            _wait_done(page, key)
            order.append(key)
        assert len(set(order)) == 10
        assert page.inner_text("#n-decided") == "10"

        page.keyboard.press("u")  # the last decision is withdrawn
        page.wait_for_function("k => !document.querySelector(`.fig[data-key=\"${CSS.escape(k)}\"]`)"
                               ".classList.contains('done')", arg=order[-1])
        assert "Undid 1" in page.inner_text("#message")
        undone = order.pop()
        del expected[undone]

        page.reload()
        assert page.locator(".fig").count() == len(queue) - 9
        assert page.inner_text("#n-decided") == "9"
        assert page.locator("#decided-list tbody tr").count() == 9
        context.close()

        # a second steward's browser session sees the same nine decisions
        other, page2 = _open_page(browser, url, reviewer="Lê Minh")
        assert page2.locator("#decided-list tbody tr").count() == 9
        shown = set(page2.eval_on_selector_all("#decided-list tbody tr", "rs => rs.map(r => r.dataset.key)"))
        assert shown == set(expected)
        assert set(page2.eval_on_selector_all(".fig", "fs => fs.map(f => f.dataset.key)")).isdisjoint(expected)
        assert page2.locator(f'.fig[data-key="{undone}"]').count() == 1  # the undone figure waits again
        other.close()

    # the store: ten decisions and one undo line, appended; nine in force, by this reviewer, from the page
    lines = _store_lines(out)
    assert [x["decision"] for x in lines].count("undo") == 1 and len(lines) == 11
    latest = latest_decisions(out)
    assert {k: (d.decision, d.indicator_id, d.corrected_value) for k, d in latest.items()} == expected
    assert {d.reviewer for d in latest.values()} == {REVIEWER}
    assert {d.source_file for d in read_decisions(out)} == {"cchc review serve"}

    # the dataset, read back by pandas and DuckDB
    after = _values(out)
    for key, (_decision, iid, corrected) in expected.items():
        row = after.loc[key]
        assert row.match_method == "review" and not row.needs_review and row.match_score == 100.0
        assert (row.indicator_id if isinstance(row.indicator_id, str) else None) == iid
        if corrected:
            assert row.value_num == 12.0 and row.raw_value == before.loc[key].raw_value
    for col in ("indicator_id", "match_method", "match_score", "needs_review", "review_reason", "value_num"):
        a, b = after.loc[undone, col], before.loc[undone, col]
        assert (pd.isna(a) and pd.isna(b)) or a == b, col  # the undone figure is back as extracted
    untouched = [k for k in before.index if k not in expected]
    pd.testing.assert_frame_equal(after.loc[untouched].sort_index(), before.loc[untouched].sort_index())
    open_now = _queue(out)
    assert set(open_now["row_key"]) == set(queue["row_key"]) - set(expected)
    restored = open_now.set_index("row_key").loc[undone]
    assert restored.raw_label == queue.set_index("row_key").loc[undone].raw_label
    assert len(restored.candidates) == len(queue.set_index("row_key").loc[undone].candidates)
    flagged = duckdb.sql(f"SELECT count(*) FROM '{out}/values/*.parquet' WHERE needs_review").fetchall()[0][0]
    assert flagged == int(before["needs_review"].sum()) - 9
    assert json.loads((out / "run.json").read_text())["values"]["needs_review"] == flagged


# ----------------------------------------------------------------------------- refusals


@pytest.mark.slow
def test_bad_input_is_refused_with_a_clear_message_and_changes_nothing(out: Path, browser: Any) -> None:
    queue = _queue(out)
    digest = _digest(out)
    with running_server(out) as url:
        context, page = _open_page(browser, url)
        page.locator('.fig[data-proposed="TTHC_HIEU_LUC_TONG"]').first.locator(".printed").click()  # "l2O"
        key = _current(page)["key"]

        page.keyboard.press("c")
        page.keyboard.type("mười hai")
        page.keyboard.press("Enter")
        page.wait_for_selector("#message.error")
        assert "is not a number" in page.inner_text("#message")
        assert "nothing was changed" in page.inner_text("#message")
        assert "is not a number" in page.inner_text(".fig.current .status")

        page.fill(".fig.current .corrected", "")
        page.keyboard.press("Escape")
        page.click(".fig.current .iid")
        page.keyboard.type("TTHC_KHONG_CO")
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.querySelector('#message').textContent.includes('unknown indicator')")
        assert "unknown indicator ID 'TTHC_KHONG_CO'" in page.inner_text("#message")

        page.fill("#reviewer", "")
        page.fill(".fig.current .iid", "")
        page.keyboard.press("Escape")
        page.keyboard.press("a")
        page.wait_for_function("() => document.querySelector('#message').textContent.includes('reviewer box')")

        gone = context.request.post(url + "/api/decide", data={"reviewer": REVIEWER, "items": [
            {"row_key": key + "-renamed", "decision": "accept"}]})
        assert gone.status == 422
        assert "no longer in the output" in gone.json()["message"]
        mixed = context.request.post(url + "/api/decide", data={"reviewer": REVIEWER, "items": [
            {"row_key": key, "decision": "accept"}, {"row_key": key, "decision": "not_indicator"}]})
        assert mixed.status == 422 and "decide the same figure differently" in mixed.json()["message"]
        form = context.request.post(url + "/api/decide", form={"reviewer": REVIEWER, "items": "x"})
        assert form.status == 415  # only JSON: another site's form cannot post here
        stale = context.request.post(url + "/api/undo", data={"reviewer": REVIEWER, "items": [
            {"row_key": key, "decided_at": "2020-01-01T00:00:00+00:00", "reviewer": REVIEWER}]})
        assert stale.status == 422 and "Undo refused" in stale.json()["message"]
        assert page.locator(".fig.done").count() == 0
        context.close()
    assert _digest(out) == digest, "a refused action must leave the output byte for byte as it was"
    assert len(_queue(out)) == len(queue) and not decisions_path(out).exists()


def test_two_stewards_on_one_output_keep_both_decisions_last_one_wins(out: Path, browser: Any) -> None:
    with running_server(out) as url:
        ctx_a, a = _open_page(browser, url, reviewer="Steward A")
        ctx_b, b = _open_page(browser, url, reviewer="Steward B")
        a.locator(".fig[data-proposed]:not([data-proposed=''])").first.locator(".printed").click()
        key = _current(a)["key"]
        b.locator(f'.fig[data-key="{key}"] .printed').click()
        a.keyboard.press("a")
        _wait_done(a, key)
        b.keyboard.press("x")  # B's page was loaded before A decided: B's later decision wins
        _wait_done(b, key)
        a.keyboard.press("u")  # A's undo would withdraw B's decision: refused
        a.wait_for_function("() => document.querySelector('#message').textContent.includes('Undo refused')")
        assert "Steward B" in a.inner_text("#message")
        # A picks another candidate for a second figure; B, on a page loaded before, accepts what B sees
        # (a figure with another candidate to pick: flagged narrative figures may offer only the proposal)
        second = a.locator(".fig[data-proposed]:not([data-proposed='']):not(.done):has(.choices li:nth-child(2))").first
        second.locator(".printed").click()
        key2, proposal = _current(a)["key"], _current(a)["proposed"]
        a.keyboard.press("n")
        a.keyboard.press("a")
        _wait_done(a, key2)
        assert latest_decisions(out)[key2].indicator_id != proposal
        b.locator(f'.fig[data-key="{key2}"] .printed').click()
        b.keyboard.press("a")
        _wait_done(b, key2)
        ctx_a.close()
        ctx_b.close()
    lines = [x for x in _store_lines(out) if x["row_key"] == key]
    assert [(x["decision"], x["reviewer"]) for x in lines] == [("accept", "Steward A"), ("not_indicator", "Steward B")]
    assert latest_decisions(out)[key].decision == "not_indicator"
    assert (latest_decisions(out)[key2].decision, latest_decisions(out)[key2].indicator_id) == ("accept", proposal)
    row = _values(out).loc[key]
    assert pd.isna(row.indicator_id) and row.review_reason.startswith("steward: not_indicator (Steward B")


def test_bulk_accept_of_a_filtered_set(out: Path, browser: Any) -> None:
    queue = _queue(out)
    wanted = queue[queue["file_name"].str.startswith("xa_") & queue["indicator_id"].notna()]
    assert len(wanted) >= 3
    with running_server(out) as url:
        context, page = _open_page(browser, url)
        page.fill("#filter", "xa_binh_an")
        assert page.inner_text("#bulk-n") == str(len(wanted))
        page.click("#bulk")
        page.wait_for_selector("#message.ok")
        assert page.locator(".fig.done").count() == len(wanted)
        context.close()
    latest = latest_decisions(out)
    assert set(latest) == set(wanted["row_key"])
    assert all(latest[k].decision == "accept" and latest[k].indicator_id == iid
               for k, iid in zip(wanted["row_key"], wanted["indicator_id"], strict=True))


def test_clients_other_than_this_computer_are_refused_unless_host_is_given(out: Path) -> None:
    app = create_app(out)
    client = app.test_client()
    assert client.get("/", environ_base={"REMOTE_ADDR": "127.0.0.1"}).status_code == 200
    far = client.get("/", environ_base={"REMOTE_ADDR": "192.0.2.77"})
    assert far.status_code == 403 and "--host" in far.get_data(as_text=True)
    post = client.post("/api/decide", json={"reviewer": "x", "items": []}, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert post.status_code == 403
    rebinding = client.get("/", headers={"Host": "attacker.example:8765"}, environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert rebinding.status_code == 403  # a page on another site resolving its name to 127.0.0.1
    opened = create_app(out, allow_remote=True).test_client()
    assert opened.get("/", environ_base={"REMOTE_ADDR": "192.0.2.77"}).status_code == 200

    # and over a real socket: listening on every interface, but started without --host
    addr = non_loopback_address()
    assert addr, "this machine needs an address other than 127.x to play a remote client"
    with running_server(out, host="0.0.0.0", allow_remote=False) as url:
        port = url.rsplit(":", 1)[1]
        with urllib.request.urlopen(f"{url}/") as ok:
            assert ok.status == 200
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://{addr}:{port}/")
        assert refused.value.code == 403
    with running_server(out, host="0.0.0.0") as url:  # --host 0.0.0.0: colleagues are let in
        port = url.rsplit(":", 1)[1]
        with urllib.request.urlopen(f"http://{addr}:{port}/") as ok:
            assert ok.status == 200


# ----------------------------------------------------------------------------- page crops


def _highlighted(png: bytes) -> tuple[np.ndarray, np.ndarray]:
    img = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    red = (img[..., 0] > 180) & (img[..., 1] < 80) & (img[..., 2] < 100)
    return img, red


def test_crop_of_a_pdf_figure_frames_its_box(out: Path) -> None:
    client = create_app(out).test_client()
    queue = _queue(out)
    rec = queue[queue["source"] == "table"].iloc[0]
    res = client.get("/crop", query_string={"key": rec.row_key})
    assert res.status_code == 200 and res.mimetype == "image/png"
    img, red = _highlighted(res.data)
    assert abs(img.shape[1] - 595.28 * 2) < 3  # the full A4 width at 2 px/pt
    ys, xs = np.nonzero(red)
    x0, _, x1, _ = rec.bbox
    assert abs(xs.min() - (x0 * 2 - 3)) <= 4 and abs(xs.max() - (x1 * 2 + 3)) <= 4  # the outline is the box
    missing = client.get("/crop", query_string={"key": "nope"})
    assert missing.status_code == 404 and "no longer in the output" in missing.get_data(as_text=True)


@pytest.mark.parametrize("fmt", ["TIFF", "JPEG"])
def test_crop_of_image_inputs_tiff_pages_and_jpeg(tmp_path: Path, fmt: str) -> None:
    # a 200-dpi scan: 1 pt = 200/72 px; the box (100, 200, 300, 230) pt sits at (278, 556, 833, 639) px
    pages = []
    for n in range(2):
        page = Image.new("RGB", (1654, 2339), "white")
        ImageDraw.Draw(page).rectangle((278, 556, 833, 639), outline="black", width=2)
        ImageDraw.Draw(page).text((300, 580), f"page {n + 1}", fill="black")
        pages.append(page)
    path = tmp_path / ("scan.tif" if fmt == "TIFF" else "photo.jpg")
    if fmt == "TIFF":
        pages[0].save(path, save_all=True, append_images=pages[1:], dpi=(200, 200), compression="tiff_lzw")
    else:
        pages[0].save(path, dpi=(200, 200), quality=90)
    png = render_crop(str(path), 2 if fmt == "TIFF" else 1, (100.0, 200.0, 300.0, 230.0))
    img, red = _highlighted(png)
    ys, xs = np.nonzero(red)
    k = 1400 / 1654  # the crop is scaled to 1400 px wide
    assert abs(xs.min() - (278 - 3) * k) <= 4 and abs(xs.max() - (833 + 3) * k) <= 4
    if fmt == "TIFF":
        with pytest.raises(CropError, match="has no page 3"):
            render_crop(str(path), 3, (100.0, 200.0, 300.0, 230.0))


def test_crop_of_a_zip_member_and_of_a_moved_file(tmp_path: Path, base_output: Path) -> None:
    from tests.review_web_support import DEPARTMENT

    archive = tmp_path / "season.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(DEPARTMENT, "q1/" + DEPARTMENT.name)
    png = render_crop(f"{archive}!/q1/{DEPARTMENT.name}", 2, (60.0, 100.0, 300.0, 120.0))
    assert Image.open(io.BytesIO(png)).size[0] > 1000
    with pytest.raises(CropError, match="no longer there"):
        render_crop(str(tmp_path / "moved.pdf"), 1, None)
    with pytest.raises(CropError, match="not found in"):
        render_crop(f"{archive}!/q1/other.pdf", 1, None)


def test_undo_is_honoured_by_a_later_extract_and_the_store_replays_it(out: Path, base_output: Path) -> None:
    client = create_app(out).test_client()
    queue = _queue(out)
    keys = list(queue.loc[queue["indicator_id"].notna(), "row_key"][:2])
    done = client.post("/api/decide", json={"reviewer": "Hoa", "items": [
        {"row_key": keys[0], "decision": "not_indicator"}, {"row_key": keys[1], "decision": "accept"}]}).get_json()
    assert done["ok"], done
    second = client.post("/api/decide", json={"reviewer": "Minh", "items": [
        {"row_key": keys[1], "decision": "not_indicator"}]}).get_json()
    stamp = {d["row_key"]: d for d in second["decisions"]}[keys[1]]
    undone = client.post("/api/undo", json={"reviewer": "Minh", "items": [stamp]}).get_json()
    assert undone["ok"], undone
    # Minh's decision is withdrawn: Hoa's accept is in force again, not the extracted proposal
    assert latest_decisions(out)[keys[1]].decision == "accept"
    assert client.post("/api/undo", json={"reviewer": "Hoa", "items": [
        {"row_key": keys[0], "decided_at": latest_decisions(out)[keys[0]].decided_at, "reviewer": "Hoa"}]}
        ).get_json()["ok"]
    assert set(latest_decisions(out)) == {keys[1]}
    extract(base_output.parent / "in", out)  # a re-run lays the store over fresh values
    values = _values(out)
    assert values.loc[keys[1], "review_reason"].startswith("steward: accept (Hoa")
    assert values.loc[keys[0], "needs_review"]  # both its decisions were withdrawn: flagged as extracted
    assert values.loc[keys[0], "review_reason"] == queue.set_index("row_key").loc[keys[0], "review_reason"]
    assert set(_queue(out)["row_key"]) == set(queue["row_key"]) - {keys[1]}


@pytest.mark.slow
def test_the_serve_command_prints_its_address_and_serves_until_stopped(out: Path) -> None:
    import os
    import signal
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    proc = subprocess.Popen(
        [sys.executable, "-c", "from cchc.cli import main; main()", "review", "serve", str(out), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)})
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert url, line
        with urllib.request.urlopen(url.group(0)) as res:
            assert res.status == 200 and "Accept all shown" in res.read().decode()
        with urllib.request.urlopen(url.group(0) + "report") as res:
            assert "Run report" in res.read().decode()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
    assert proc.returncode == 0
    bad = subprocess.run([sys.executable, "-c", "from cchc.cli import main; main()", "review", "serve",
                          str(out / "values")], capture_output=True, text=True, cwd=root,
                         env={**os.environ, "PYTHONPATH": str(root)})
    assert bad.returncode == 1 and "is not a cchc output" in bad.stderr
