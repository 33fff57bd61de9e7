"""The grid's shared vocabulary: cells, columns, fragments and the small text tests both strategies use."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from cchc.core.model import BBox, Line, TextOrigin, Word
from cchc.core.vntext import fold, normalize_code
from extractors.text_layer import group_lines

# (page number, cell boxes in points) -> (text, confidence) per box, or None when the page has no scan image
HeaderReader = Callable[[int, list[BBox]], "list[tuple[str, float]] | None"]


# the header text a column is given when its role came from content, not from a readable header
DEFAULT_HEADERS = {"code": "STT", "label": "Chỉ tiêu", "unit": "Đơn vị tính", "value": "Số liệu"}


TOL = 3.0  # points: how far a ruling may miss an intersection and still meet it


MAX_HOLE = 15.0  # points: a gap in a ruling this short is a stamp or a faint line, not a cell border


MAX_HEADER_BOX = 150.0  # points: the tallest header box (four or five wrapped header lines)


@dataclass
class GridCell:
    """One atomic cell: its box and the words whose centre falls inside."""

    row: int
    col: int
    bbox: BBox
    words: list[Word] = field(default_factory=list)
    rowspan: int = 1
    colspan: int = 1
    covered_by: tuple[int, int] | None = None  # (row, col) of the merged cell's anchor

    @property
    def text(self) -> str:
        if not self.words:
            return ""
        return join_cell_lines([ln.text for ln in group_lines(self.words)])

    @property
    def confidence(self) -> float | None:
        confs = [w.confidence for w in self.words if w.confidence is not None]
        return round(sum(confs) / len(confs), 2) if confs else None


def join_cell_lines(lines: list[str]) -> str:
    """Lines of one cell as one text: joined by a space, except where the line wrapped
    inside a compound ("2394/QĐ-" + "UBND") or a code ("7.1.6." + "2")."""
    out = ""
    for ln in lines:
        ln = unicodedata.normalize("NFC", ln).strip()
        if not ln:
            continue
        last = out.split()[-1] if out else ""
        if (len(last) > 1 and last[-1] in "-/" and ln[:1].isalnum()) or (
            re.fullmatch(r"\d+(\.\d+)*\.", last) and ln[:1].isdigit()
        ):
            # "2394/QĐ-" + "UBND"; an STT cell too narrow for "7.1.6." + "2"
            out += ln
        else:
            out = f"{out} {ln}" if out else ln
    return out


@dataclass
class ColumnInfo:
    """A column's x-range, its role (code|label|unit|value|note|other) and header text."""

    index: int
    x0: float
    x1: float
    role: str = "other"
    header: str = ""
    key: str | None = None  # Row.values key for value columns (None = the single "Số liệu" column)


@dataclass
class GridFragment:
    """The part of one grid found on one page, with every intermediate kept."""

    page: int
    bbox: BBox
    method: str  # "ruled" | "words"
    col_bounds: list[float]
    row_bounds: list[float]
    cells: list[list[GridCell]]
    header_rows: int = 0
    columns: list[ColumnInfo] = field(default_factory=list)
    h_lines: list[BBox] = field(default_factory=list)
    v_lines: list[BBox] = field(default_factory=list)
    title: str | None = None
    origin: TextOrigin = TextOrigin.TEXT
    roles_from: str = "header"  # header | previous | content
    warnings: list[str] = field(default_factory=list)
    boxed_header: bool = False  # an unruled body that hangs below a ruled header box on the same page

    @property
    def n_rows(self) -> int:
        return len(self.cells)

    @property
    def n_cols(self) -> int:
        return len(self.col_bounds) - 1

    def row_texts(self, i: int) -> list[str]:
        return [c.text for c in self.cells[i]]

    def col(self, role: str) -> int | None:
        for c in self.columns:
            if c.role == role:
                return c.index
        return None

    def cols(self, role: str) -> list[int]:
        return [c.index for c in self.columns if c.role == role]

    def header_signature(self) -> str:
        """Folded header text, to tell a repeated header from a new table."""
        return " | ".join(fold(c.header) for c in self.columns)


def is_code_cell(text: str) -> bool:
    return normalize_code(text) is not None


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


UNIT_WORDS = re.compile(
    r"^(%|nhiem vu|van ban|nguoi|thu tuc|tthc|co quan|don vi|ho so|lan|quy trinh|quyet dinh|chi tieu|van de|"
    r"so luong|cap file|bo|trieu dong|dong|ty dong|phieu|cuoc|lop|mo hinh|de an)"
)


_BULLET = re.compile(r"^[-+•–*]$")


_TRAILING_DEBRIS = re.compile(r"[\s_~`|¦]+$")


def code_like(text: str) -> bool:
    """An STT cell: a code, "Trong đó" or a bullet, also with OCR debris after it ("- __" read off white space)."""
    t = _TRAILING_DEBRIS.sub("", text.strip())
    if not t:
        return False
    return is_code_cell(t) or fold(t).startswith("trong do") or bool(_BULLET.match(t))


def col_text(line: Line, x0: float, x1: float) -> str:
    return " ".join(w.text for w in line.words if x0 <= (w.bbox[0] + w.bbox[2]) / 2 <= x1)

