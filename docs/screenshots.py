"""Regenerate docs/review-page.png and docs/run-report.png with Playwright and Debian's Chromium.

    PYTHONPATH=. .venv/bin/python docs/screenshots.py

Extracts the same inputs as the web review tests (the Chromium-printed
department sample and a commune appendix with odd labels, plus the planted
province sample and a truncated file for the report) into a temporary folder,
decides two figures through the page, and photographs the review page and
the run report.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.review_web_support import CHROMIUM, build_inputs, extract, running_server  # noqa: E402
from tests.sample_support import SAMPLES  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        inputs = build_inputs(Path(tmp) / "in", extra=(SAMPLES / "text" / "province_6459_app2_h1_2021.pdf",
                                                       SAMPLES / "bad" / "truncated.pdf"))
        out = extract(inputs, Path(tmp) / "q1_2024")
        with running_server(out) as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.goto(url)
            page.fill("#reviewer", "Nguyễn Thị Hoa")
            page.fill("#filter", "xa_binh_an")
            page.locator("#filter").blur()
            page.locator(".fig:not(.hidden)").first.locator(".printed").click()
            page.keyboard.press("a")
            page.wait_for_selector(".fig.done")
            page.keyboard.press("n")
            page.wait_for_load_state("networkidle")
            page.evaluate("window.scrollTo(0, 0)")
            page.wait_for_function("() => [...document.images].slice(0, 6).every(i => i.complete)")
            page.screenshot(path=str(ROOT / "docs" / "review-page.png"))
            page.goto(url + "/report")
            page.set_viewport_size({"width": 1180, "height": 1000})
            page.screenshot(path=str(ROOT / "docs" / "run-report.png"), full_page=True)
            browser.close()
    print("wrote docs/review-page.png and docs/run-report.png")


if __name__ == "__main__":
    main()
