"""One real extraction of a few text samples, shared by the analyst-facing tests (units, export, API).

The province report is also given a second time as a re-saved copy (other
bytes, same report), as an archive holds a report twice when its text PDF
and its scan both arrive: the dataset must link the two, not double them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader, PdfWriter

from cchc.cli import main

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
TEXT = SAMPLES / "text"
PICKED = ["commune_binhyen_q1_2024.pdf", "province_6459_app2_h1_2021.pdf",
          "district_trieuson_2011_2020_multiyear.pdf", "district_camxuyen_letter_no_appendix.pdf"]
COPY_NAME = "z_province_second_copy.pdf"

def cchc(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def build_inputs(root: Path) -> Path:
    inputs = root / "inputs"
    inputs.mkdir()
    for name in PICKED:
        shutil.copy(TEXT / name, inputs / name)
    writer = PdfWriter(clone_from=PdfReader(TEXT / "province_6459_app2_h1_2021.pdf"))
    writer.add_metadata({"/Producer": "scanner workflow re-save"})
    with (inputs / COPY_NAME).open("wb") as fh:
        writer.write(fh)
    return inputs


def sample_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """OUT of `cchc extract` on the picked samples (the session fixture `analyst_output` calls it once)."""
    root = tmp_path_factory.mktemp("analyst")
    inputs = build_inputs(root)
    out = root / "out"
    res = cchc("extract", str(inputs), "--out", str(out), "--executor", "inline", "-q")
    assert res.exit_code == 0, res.output
    return out
