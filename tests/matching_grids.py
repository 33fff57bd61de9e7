"""Rebuild the appendix grids of the seed texts (`samples/seeds/`) as `cchc.core.model.Row` lists.

Test helper for the matching tests: the seeds are text renderings of real
reports, each with its own grid layout (tab-separated cells, one cell per
line, line-wrapped PDF text, Markdown).  These parsers are deliberately
simple and layout-specific; they do what a table extractor hands the matcher:
one Row per logical row, sub-rows without code, cut rows joined.
"""

from __future__ import annotations

import re
from pathlib import Path

from cchc.core.model import Cell, Row

SEEDS = Path(__file__).resolve().parent.parent / "samples" / "seeds"


def _row(
    code: str,
    label: str,
    unit: str = "",
    value: str = "",
    note: str = "",
    kind: str = "data",
    values: dict[str | None, Cell] | None = None,
) -> Row:
    return Row(
        code=Cell(code.strip()),
        label=Cell(re.sub(r"\s+", " ", label).strip()),
        unit=Cell(re.sub(r"\s+", " ", unit).strip()),
        values=values if values is not None else {None: Cell(value.strip())},
        note=Cell(note.strip()) if note.strip() else None,
        kind=kind,
    )


def seed_text(name: str) -> str:
    return next(SEEDS.glob(f"{name}*.txt")).read_text(encoding="utf-8")


def tab_grid(text: str, start: str) -> list[Row]:
    """Seeds 002/003: one row per line, cells separated by tabs, header repeated per page."""
    lines = text[text.index(start) :].splitlines()
    rows: list[Row] = []
    after_header = False
    in_subrows = False
    for line in lines:
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) < 2:
            continue
        cells += [""] * (5 - len(cells))
        code, label, unit, value, note = (c.strip() for c in cells[:5])
        if code == "STT" or (not code and not label and unit == "Đơn vị tính"):
            after_header = True
            continue
        if code.lower().startswith("trong đó"):
            rows.append(_row("", label, unit, value, note, kind="subrow"))
            in_subrows = True
        elif re.match(r"^\d+(\.\d+)*\.?$", code):
            rows.append(_row(code, label, unit, value, note))
            in_subrows = False
        elif not code and not label and rows:  # a unit/legend cut by the page break
            prev = rows[-1]
            prev.unit = Cell(f"{prev.unit.text} {unit}".strip())
        elif not code and after_header and label[:1].islower() and rows:  # label cut by the page break
            prev = rows[-1]
            prev.label = Cell(f"{prev.label.text} {label}")
        elif not code:
            rows.append(_row("", label, unit, value, note, kind="subrow" if in_subrows or True else "data"))
        after_header = False
    return rows


def cell_per_line_grid(text: str, start: str, end: str | None = None) -> list[Row]:
    """Seed 000: each cell starts on a line with a tab; five cells make a row."""
    body = text[text.index(start) :]
    if end:
        body = body[: body.index(end)] if end in body else body
    body = body[body.index("\tSTT") :]
    cells: list[str] = []
    for line in body.splitlines():
        if line.startswith("\t"):
            cells.append(line[1:])
        elif line.strip() and cells:
            cells[-1] += "\n" + line
    rows: list[Row] = []
    in_subrows = False
    for k in range(0, len(cells) - 4, 5):
        code, label, unit, value, note = (c.strip() for c in cells[k : k + 5])
        if code == "STT" or unit == "Đơn vị tính":
            continue
        if code.lower().startswith("trong đó"):
            rows.append(_row("", label, unit, value, note, kind="subrow"))
            in_subrows = True
        elif not code:
            rows.append(_row("", label, unit, value, note, kind="subrow" if in_subrows else "data"))
        else:
            rows.append(_row(code, label, unit, value, note))
            in_subrows = False
    return rows


_UNIT_WORDS = [
    "Cơ quan, đơn vị",
    "Cơ quan, đơn vị",
    "Triệu đồng",
    "Nhiệm vụ",
    "Vấn đề",
    "Văn bản",
    "Thủ tục",
    "Hồ sơ",
    "Người",
    "Đơn vị",
    "Số lượng",
    "%",
    "- -",
]
_CODE_LINE = re.compile(r"^\s*(\d+\.(?:\d+\.?)*)\s+(.*)$")  # a code always has a dot here
_CODE_ONLY = re.compile(r"^\s*(\d+\.(?:\d+\.?)*)\s*$")


def _split_unit(text: str) -> tuple[str, str, str]:
    """ "Số nhiệm vụ đã hoàn thành Nhiệm vụ 3" → (label, unit, value)."""
    t = re.sub(r"\s+", " ", text).strip()
    value = ""
    m = re.search(r"\s(\d+(?:[.,]\d+)?)$", t)
    if m and not re.search(r"(năm|mức độ|= ?)\s*\d+$", t[: m.end()]):
        value, t = m.group(1), t[: m.start()].strip()
    for u in _UNIT_WORDS:
        if t.endswith(" " + u) or t == u:
            return t[: len(t) - len(u)].strip(), u, value
    if "=" in t:
        k = t.index("=")
        head = t[:k]
        # the legend starts at its first answer word ("Chưa", "Không", "Trực tuyến", …)
        m2 = re.search(r"\s(Chưa|Không|Trực tuyến|Đã)\b", head)
        if m2:
            return t[: m2.start()].strip(), t[m2.start() :].strip(), value
    return t, "", value


def wrapped_text_grid(text: str, start: str) -> list[Row]:
    """Seed 001: PDF text with wrapped labels; codes start rows, "Trong đó" opens sub-rows."""
    body = text[text.index(start) :]
    body = body[body.index("1.  Công tác") :]
    pieces: list[tuple[str, list[str], str]] = []  # (code, lines, kind)
    for raw in body.splitlines():
        line = raw.strip()
        if not line or line == "10":  # "10" is the page number between 4.1 and 4.2
            continue
        m = _CODE_LINE.match(line) or _CODE_ONLY.match(line)
        if m:
            rest = m.group(2) if m.lastindex and m.lastindex >= 2 else ""
            pieces.append((m.group(1), [rest] if rest else [], "data"))
            continue
        if line.startswith("Trong đó"):
            rest = line[len("Trong đó") :].strip()
            pieces.append(("", [rest] if rest else [], "subrow"))
            continue
        starts_new = re.match(r"^(Số|Tổng|Tỷ|Kế hoạch|Đã thực hiện)\b", line) is not None
        cur = pieces[-1] if pieces else None
        if cur is not None and starts_new and (cur[2] == "subrow" or cur[0] == "") and cur[1]:
            pieces.append(("", [line], "subrow"))
        elif cur is not None:
            cur[1].append(line)
    rows: list[Row] = []
    for code, lines, kind in pieces:
        text_all = " ".join(lines)
        # legends wrap one answer per line: keep everything from the first answer on as unit
        label, unit, value = _split_unit(text_all)
        if kind == "subrow" and not label and not unit:
            continue
        rows.append(_row(code, label, unit, value, kind=kind))
    return rows


def markdown_grid(text: str, start: str) -> list[Row]:
    """Seed 004: Markdown tables per appendix ("Phụ lục N"), multi-year value columns."""
    body = text[text.index(start) :]
    rows: list[Row] = []
    years: list[str] = []
    after_header = False
    for line in body.splitlines():
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] == "STT" or set("".join(cells)) <= set("-: "):
            after_header = True
            continue
        if not cells[0] and not cells[1] and cells[2].startswith("Năm"):
            years = [c for c in cells[2:] if c.startswith("Năm")]
            continue
        if cells[0] in {"Đơn vị"} or "Giai đoạn" in " ".join(cells[:2]):
            continue
        code, label = cells[0], cells[1]
        if not label and len(cells) > 2 and cells[2] and not cells[2].startswith("Năm"):
            label = cells[2]  # Phụ lục 2 prints its sub-rows one column to the right
        if not label:
            continue
        if after_header and rows and label[:1].islower():
            prev = rows[-1]
            prev.label = Cell(f"{prev.label.text} {label}")
            after_header = False
            continue
        after_header = False
        values = {y: Cell("") for y in years}
        kind = "subrow" if code in {"-", "", "+"} else "data"
        rows.append(_row(code if kind == "data" else "", label, kind=kind, values=values))
    return rows


def seed_rows(seed: str) -> list[Row]:
    """The appendix rows of one seed (`000a`, `000b`, `001`, `002`, `003`, `004`)."""
    if seed == "000a":
        return cell_per_line_grid(seed_text("000"), "PHỤ LỤC 1", "PHỤ LỤC 2")
    if seed == "000b":
        return cell_per_line_grid(seed_text("000"), "PHỤ LỤC 2")
    if seed == "001":
        return wrapped_text_grid(seed_text("001"), "PHỤ LỤC SỐ II")
    if seed == "002":
        return tab_grid(seed_text("002"), "Phụ lục\nTHỐNG KÊ")
    if seed == "003":
        return tab_grid(seed_text("003"), "Phụ lục II\nTHỐNG KÊ")
    if seed == "004":
        return markdown_grid(seed_text("004"), "PHỤ LỤC KÈM THEO")
    raise ValueError(seed)


SEED_TITLES = {
    "000a": "THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH TẠI CÁC BỘ, CƠ QUAN NGANG BỘ, CƠ QUAN THUỘC CHÍNH PHỦ",
    "000b": "THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH TẠI CÁC TỈNH, THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG",
    "001": "BÁO CÁO CÔNG TÁC CẢI CÁCH HÀNH CHÍNH QÚY I NĂM 2024 (Kèm theo Báo cáo số /BC-UBND ngày 15/3/2024 của UBND xã Bình Yên)",
    "002": "THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH TẠI BAN DÂN TỘC",
    "003": "THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH UBND HUYỆN CẨM XUYÊN",
    "004": "Thống kê các chỉ tiêu tại lĩnh vực cải cách thủ tục hành chính",
}


def truth_walk(rows: list[Row], template) -> dict[int, str]:  # noqa: ANN001 - catalog Template
    """Row index -> template code, pairing equal labels while walking both sequences in order.

    Independent of the matcher (no fuzzy scores, no codes): it is the answer key
    for rows rebuilt from the very seed a template was written from.
    """
    from matchers.normalize import label_forms

    keys = [label_forms(r.label).core_plain for r in template.rows]
    out: dict[int, str] = {}
    j = 0
    for k, r in enumerate(rows):
        key = label_forms(r.label.text).core_plain
        for jj in range(j, min(j + 25, len(keys))):
            if keys[jj] == key or (len(key) > 15 and (keys[jj].startswith(key) or key.startswith(keys[jj]))):
                out[k] = template.rows[jj].code
                j = jj + 1
                break
    return out
