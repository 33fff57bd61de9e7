"""Value cells of a poor scan: blank cells stay blank, glued digits are read, not taken for a dash.

Real pixels: two strips of value cells cut from the prepared (deskewed, seal
removed, contrast-normalised) pages 3 and 5 of `tune_001_commune_2024_colour.pdf`
of the scan corpus (colour, JPEG q46, seal; tests/fixtures/scans/README.md),
300 dpi, 0.24 pt per pixel.  Expected values are those of the corpus truth file.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from extractors.image_grid import crop_cell, reread_cells

FIXTURES = Path(__file__).parent / "fixtures" / "scans"
SCALE = 0.24  # points per pixel of the fixtures (300 dpi)

# (bbox in points of the strip, truth) — page 3, rows 3.2.3.a, 3.2.3.b, 3.2.4; columns plan | result
P3 = [((7.1, 9.0, 50.8, 27.2), ""), ((50.8, 9.0, 94.2, 27.2), "-"),
      ((7.1, 27.2, 50.8, 57.6), "445"), ((50.8, 27.2, 94.2, 57.6), "444"),
      ((7.1, 57.6, 50.8, 88.1), "100"), ((50.8, 57.6, 94.2, 88.1), "44")]
# page 5, section row 7.6: both value cells blank (only the faint ruling under them)
P5 = [((7.1, 25.4, 50.8, 43.7), ""), ((50.8, 25.4, 94.2, 43.7), "")]


def _strip(name: str) -> np.ndarray:
    img = cv2.imread(str(FIXTURES / name), cv2.IMREAD_GRAYSCALE)
    assert img is not None
    return img


def _px(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    return (box[0] / SCALE, box[1] / SCALE, box[2] / SCALE, box[3] / SCALE)


@pytest.mark.parametrize(("name", "cells"), [("value_cells_300dpi_jpeg46_p3.png", P3),
                                             ("value_cells_300dpi_jpeg46_p5.png", P5)])
def test_crop_tells_blank_dash_and_figure_apart(name: str, cells: list) -> None:  # type: ignore[type-arg]
    """A fragmented ruling under a blank cell was taken for a dash, and "444" glued by JPEG blur too."""
    gray = _strip(name)
    for box, truth in cells:
        img, info = crop_cell(gray, _px(box), 300)
        if truth in ("", "-"):
            assert img is None and info == truth, (box, truth, info)
        else:
            assert img is not None, (box, truth, info)


def test_reread_gives_the_truth_of_each_cell() -> None:
    gray = _strip("value_cells_300dpi_jpeg46_p3.png")
    got = reread_cells(gray, [(box, "value") for box, _ in P3], scale=(SCALE, SCALE))
    assert [t for t, _ in got] == [t for _, t in P3]


def test_ink_never_shows_more_characters_than_the_printed_figure() -> None:
    """The glyph count that disputes a value read short: glued digits count low, never high."""
    from extractors.cell_vote import _characters, _verification_crop

    gray = _strip("value_cells_300dpi_jpeg46_p3.png")
    counted = []
    for box, truth in P3:
        found = _verification_crop(gray, _px(box), 300)
        if truth in ("", "-"):
            assert found is None
            continue
        assert found is not None
        counted.append(found[1])
        assert 1 <= found[1] <= _characters(truth), (truth, found[1])
    assert counted[0] == 3  # "445": three separate glyphs


def test_pieces_of_one_glyph_count_once() -> None:
    from extractors.cell_vote import glyph_count

    # x, y, w, h (30 px tall digits, 17 px wide): a "0" broken into a left and a right arc, then "1" and "7"
    broken_zero = [np.array([0, 0, 9, 30]), np.array([9, 0, 8, 30])]
    assert glyph_count([*broken_zero, np.array([25, 0, 5, 30]), np.array([35, 0, 16, 30])]) == 3
    assert glyph_count([np.array([0, 0, 6, 30]), np.array([2, 12, 10, 18])]) == 1  # a "4" in two pieces
    assert glyph_count([np.array([0, 0, 16, 30]), np.array([16, 0, 16, 30])]) == 2  # neighbours that touch
    assert glyph_count([]) == 0


def test_crops_read_in_one_call_read_as_they_do_one_by_one() -> None:
    """`read_each` (one Tesseract process, the crops as TIFF pages) gives each crop its own reading."""
    from extractors.ocr_engine import engine_for

    gray = _strip("value_cells_300dpi_jpeg46_p3.png")
    crops = [img for box, _ in P3 if (img := crop_cell(gray, _px(box), 300)[0]) is not None]
    engine = engine_for()
    opts = {"psm": 7, "dpi": 300, "lang": "eng", "extra": "-c tessedit_char_whitelist=0123456789.,-%/"}

    def words(data: dict) -> list[str]:  # type: ignore[type-arg]
        return [str(t).strip() for t, c in zip(data["text"], data["conf"], strict=True)
                if str(t).strip() and float(c) >= 0]

    together = [words(d) for d in engine.read_each(crops, **opts)]  # type: ignore[attr-defined]
    assert together == [words(engine.read(c, **opts)) for c in crops]  # type: ignore[arg-type]
    assert ["".join(w) for w in together] == ["445", "444", "100", "44"]


def test_broken_upright_rule_beside_a_lone_digit_is_not_read() -> None:
    """dev_024 (grey 225 dpi, JPEG q58, noisy): pieces of the cell's left rule shrank a serif "1" read as "4"."""
    gray = _strip("value_cell_1_serif_dev024.png")
    h, w = gray.shape
    img, _ = crop_cell(gray, (0, 0, w, h), 300)
    assert img is not None and img.shape[0] < 0.6 * h  # the figure alone, not the cell's height
    assert reread_cells(gray, [((0, 0, w * SCALE, h * SCALE), "value")], scale=(SCALE, SCALE))[0][0] == "1"
