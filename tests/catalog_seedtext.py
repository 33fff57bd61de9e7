"""Independent readers of the seed text renderings (`samples/seeds/`), for the catalog tests.

They recover, from the text alone, each template's printed grid rows (STT as
printed, label, Đơn vị tính, and whether a row sits in a "Trong đó" group), so the
tests can check that the YAML catalog covers every printed row.  They know
nothing about the catalog.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1] / "samples" / "seeds"


@dataclass
class SeedRow:
    printed_code: str  # "" for unnumbered rows, "-" for bullets (004)
    label: str
    unit: str = ""
    in_trong_do: bool = False  # under a printed "Trong đó"
    table: str = ""  # appendix / sub-table this row belongs to (004)


def norm(s: str) -> str:
    s = unicodedata.normalize("NFC", s)
    s = re.sub(r"</?i>", "", s)
    s = re.sub(r"[\u00b9\u00b2\u00b3\u2070-\u2079]|\[\d+\]", "", s)  # footnote marks
    return re.sub(r"\s+", " ", s).strip()


def read(name: str) -> str:
    path = next(SEEDS.glob(f"{name}*.txt"))
    return unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))


# ----------------------------------------------------------------- 000: one cell per tab-led line


def _cells_000(block: str) -> list[str]:
    cells: list[str] = []
    started = False
    for line in block.splitlines():
        if line.startswith("\tSTT"):
            started = True
        if not started:
            continue
        if line.startswith("\t"):
            cells.append(line[1:])
        elif line.strip() and cells:
            cells[-1] += "\n" + line
    return cells


def parse_000() -> dict[str, list[SeedRow]]:
    """Appendix 1 (ministries) and appendix 2 (provinces) of 6459/BNV-CCHC."""
    text = read("000")
    a1 = text[text.index("PHỤ LỤC 1") : text.index("PHỤ LỤC 2")]
    a2 = text[text.index("PHỤ LỤC 2") : text.index("[1] Gồm")]
    out = {}
    for key, block in (("app1", a1), ("app2", a2)):
        cells = _cells_000(block)
        assert len(cells) % 5 == 0, (key, len(cells))
        rows = [cells[i : i + 5] for i in range(0, len(cells), 5)][2:]  # two header rows
        parsed: list[SeedRow] = []
        in_td = False
        for stt, label, unit, _value, _note in rows:
            stt = stt.strip()
            if stt == "Trong đó":
                in_td, stt = True, ""
            elif stt:
                in_td = False
            parsed.append(SeedRow(stt, norm(label), norm(unit), in_td and not stt))
        out[key] = parsed
    return out


# ----------------------------------------------------------------- 002 / 003: tab-separated rows


def parse_tabbed(name: str, start: str) -> list[SeedRow]:
    """Grids rendered one row per line, cells separated by tabs, header repeated per page."""
    text = read(name)
    lines = text[text.index(start) :].splitlines()
    rows: list[SeedRow] = []
    after_header = False
    in_td = False
    for line in lines:
        if line.startswith("STT\t"):
            after_header = True
            continue
        if "\t" not in line or line.startswith("\t\tĐơn vị tính"):
            continue
        cells = (line.split("\t") + ["", "", ""])[:3]
        stt, label, unit = cells[0].strip(), norm(cells[1]), norm(cells[2])
        if after_header and not stt and (not label or label[0].islower()):
            prev = rows[-1]  # a row cut by the page break
            prev.label = norm(prev.label + " " + label)
            prev.unit = norm(prev.unit + " " + unit)
            after_header = False
            continue
        after_header = False
        if stt == "Trong đó":
            in_td, stt = True, ""
        elif stt:
            in_td = False
        rows.append(SeedRow(stt, label, unit, in_td and not stt))
    return rows


# ----------------------------------------------------------------- 001: layout text (pdftotext-like)

_UNITS = r"(?:%|Nhiệm vụ|Vấn đề|Văn bản|Thủ tục|Hồ sơ|Đơn vị|Người|Triệu đồng|Số lượng|Cơ quan, đơn vị|Cơ quan, đơn|-)"
_CODE_LINE = re.compile(r"^(\d+(?:\.\d+)*\.|\d+(?:\.\d+)+)(?:\s+(.*))?$")
_UNIT_ONLY = re.compile(rf"^{_UNITS}(?:\s+[\d.,]+|\s+-)?$")
_TRAILING_UNIT = re.compile(rf"\s+({_UNITS})(?:\s+([\d.,]+|-))?\s*$")


def parse_001() -> list[SeedRow]:
    """The commune 2024 template: codes start lines; "Trong đó" sub-rows are label lines."""
    text = read("001")
    text = text[text.index("PHỤ LỤC SỐ II") :]
    text = text[text.index("Đơn vị tính Số liệu") + len("Đơn vị tính Số liệu") :]
    rows: list[SeedRow] = []
    in_td = False
    for raw in text.splitlines():
        line = norm(raw)
        if not line or line.isdigit():
            continue
        m = _CODE_LINE.match(line)
        if m:
            in_td = False
            rows.append(SeedRow(m.group(1), m.group(2) or ""))
            continue
        if line == "Trong đó" or line.startswith("Trong đó "):
            in_td = True
            line = line[len("Trong đó") :].strip()
            if not line:
                continue
        if in_td:
            if line[0].isupper() and not _UNIT_ONLY.match(line):
                um = _TRAILING_UNIT.search(line)
                label, unit = (line[: um.start()], um.group(1)) if um else (line, "")
                rows.append(SeedRow("", norm(label), unit, True))
            elif not _UNIT_ONLY.match(line):
                rows[-1].label = norm(rows[-1].label + " " + line)
            elif not rows[-1].unit:
                rows[-1].unit = line.split()[0] if line != "Cơ quan, đơn" else "Cơ quan, đơn vị"
        else:
            rows[-1].label = norm(rows[-1].label + " " + line)
    return rows


# ----------------------------------------------------------------- 004: markdown tables per appendix


def parse_004(printed_notes: tuple[str, ...] = ()) -> list[SeedRow]:
    """Multi-year appendices 1–7: '| STT | Chỉ tiêu | Năm 2011 | …' tables, bullets '-'.

    Appendix 4 lists its indicators as column headers (rows are periods): those
    headers become rows of tables 'PL4.I' / 'PL4.II'.
    """
    text = read("004")
    text = text[text.index("PHỤ LỤC KÈM THEO") :]
    rows: list[SeedRow] = []
    appendix = ""
    sub = ""
    after_header = False
    for raw in text.splitlines():
        m = re.match(r"^Phụ lục (\d+)\s*$", raw.strip())
        if m:
            appendix, sub = f"PL{m.group(1)}", ""
            continue
        m = re.match(r"^(I|II)\. ", raw.strip())
        if m:
            sub = m.group(1)
            continue
        if not raw.startswith("|"):
            continue
        cells = [c.strip() for c in raw.strip().strip("|").split("|")]
        if cells[0] == "Đơn vị":  # appendix 4: indicators are the column headers
            for h in cells[2:]:
                if h and h != "Ghi chú":
                    rows.append(SeedRow("", norm(h), table=f"{appendix}.{sub}"))
            continue
        if cells[0] == "STT":
            after_header = True
            continue
        if set(cells[0]) <= set("-") and cells[0] and set("".join(cells)) <= set("-"):
            continue  # |---|---|
        if appendix == "PL4" or any(c.startswith("Năm 2011") for c in cells[1:3]):
            continue  # period rows of PL4 / the year header row
        stt, label = cells[0], norm(cells[1])
        if not label and len(cells) > 2 and cells[2]:
            label = norm(cells[2])  # PL2: sub-rows printed in the next column
        if not label:
            continue
        if after_header and label[0].islower():
            rows[-1].label = norm(rows[-1].label + " " + label)
            after_header = False
            continue
        after_header = False
        if label in printed_notes:
            continue
        rows.append(SeedRow(stt, label, table=appendix))
    return rows
