"""`cchc debug`: the page picture a developer opens first when a number is wrong."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from PIL import Image

from cchc.cli import main

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "text" / "province_6459_app2_h1_2021.pdf"


def test_debug_draws_the_grid_page(tmp_path: Path) -> None:
    out = tmp_path / "p4.png"
    result = CliRunner().invoke(main, ["debug", str(SAMPLE), "--page", "4", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "grid rows" in result.output and "text layer" in result.output
    rows = int(result.output.split(" grid rows")[0].rsplit(" ", 1)[1])
    assert rows >= 20
    with Image.open(out) as img:
        assert img.width > 800 and img.height > 1000
        # ruling lines (grey) and word boxes (blue) were drawn over the page
        colours = {c for _, c in img.getcolors(maxcolors=1 << 20) or []}
        assert any(abs(r - 120) < 30 and abs(g - 120) < 30 and abs(b - 120) < 30 for r, g, b in colours)
        assert any(b > 150 and r < 120 for r, g, b in colours)


def test_debug_rejects_a_page_that_does_not_exist(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["debug", str(SAMPLE), "--page", "99", "--out", str(tmp_path / "x.png")])
    assert result.exit_code == 2 and "has no page 99" in result.output
