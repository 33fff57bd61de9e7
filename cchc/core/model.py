"""The one typed document model that every stage enriches.

A `Document` enters the pipeline with only its source (path, bytes hash);
ingest, page reading, table finding, matching, narrative extraction and
validation each add their part.  No loose dicts travel between stages: what a
stage learns lives on these objects, so `cchc debug` can draw every
intermediate and the writer can turn the whole thing into Parquet rows.

Coordinates are PDF points with the origin at the top-left of the page
(pdfplumber's convention), for text-layer and OCR'd pages alike.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

BBox = tuple[float, float, float, float]


class Status(StrEnum):
    OK = "ok"
    PARTIAL = "partial"
    FAILED = "failed"


class FileKind(StrEnum):
    """What the bytes are, decided by content (magic numbers), never by extension."""

    PDF = "pdf"
    IMAGE = "image"  # PNG / JPEG / TIFF (possibly multi-page)
    ZIP = "zip"
    HTML = "html"
    EMPTY = "empty"
    UNKNOWN = "unknown"


class TextOrigin(StrEnum):
    """Where a page's words came from."""

    TEXT = "text"  # the PDF's own text layer
    REPAIRED = "repaired"  # a legacy-font (TCVN3/VNI) text layer converted to Unicode
    OCR = "ocr"  # Tesseract on a rendered page / image
    NONE = "none"  # nothing could be read


class ValueSource(StrEnum):
    """Where a value was found. A `str`, so Parquet columns hold the same strings as before."""

    TABLE = "table"  # an appendix grid row
    NARRATIVE = "narrative"  # a sentence of the report's text


class MatchMethod(StrEnum):
    """What decided a value's indicator (see docs/data-dictionary.md, values.match_method)."""

    EXACT = "exact"
    ALIAS = "alias"
    FUZZY = "fuzzy"
    CONTEXT = "context"
    REVIEW = "review"  # flagged for a steward, or decided by one
    NONE = "none"  # tried, no indicator fits
    NOT_ATTEMPTED = "not_attempted"


class ColumnRole(StrEnum):
    """What a value column holds, so analysts can keep targets apart from results."""

    ACTUAL = "actual"
    PLAN = "plan"
    CUMULATIVE = "cumulative"
    YEAR = "year"
    PERIOD = "period"


class Severity(StrEnum):
    WARNING = "warning"
    ERROR = "error"


@dataclass
class Word:
    text: str
    bbox: BBox
    origin: TextOrigin = TextOrigin.TEXT
    confidence: float | None = None  # 0-100 for OCR words, None for text layer
    font: str | None = None


@dataclass
class Line:
    """Words on one visual line, left to right."""

    words: list[Word]
    bbox: BBox

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass
class Page:
    number: int  # 1-based
    width: float
    height: float
    origin: TextOrigin = TextOrigin.NONE
    origin_reason: str = ""  # why this origin was chosen (e.g. "text layer: 98% valid syllables")
    words: list[Word] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    is_appendix: bool = False  # triage: holds (part of) the statistical grid
    rulings: list[BBox] = field(default_factory=list)  # ruling line segments found on the page
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass
class Cell:
    text: str
    bbox: BBox | None = None
    confidence: float | None = None  # OCR confidence of the cell's text


@dataclass
class Row:
    """One logical row of an appendix grid, after rows cut by page breaks are joined."""

    code: Cell  # STT
    label: Cell  # Chỉ tiêu
    unit: Cell  # Đơn vị tính
    values: dict[str | None, Cell]  # value column label (None for the single "Số liệu" column) -> cell
    note: Cell | None = None  # Ghi chú
    page: int = 0
    bbox: BBox | None = None
    kind: str = "data"  # data | section | subrow ("Trong đó") | header
    parent_code: str | None = None  # code of the row this sub-row belongs to
    section_code: str | None = None  # nearest enclosing section row's code
    origin: TextOrigin = TextOrigin.TEXT


@dataclass
class Table:
    page_first: int
    page_last: int
    columns: list[str]  # header labels in order, e.g. ["STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú"]
    rows: list[Row] = field(default_factory=list)
    title: str | None = None  # the "PHỤ LỤC …" heading above the grid
    bbox_by_page: dict[int, BBox] = field(default_factory=dict)


@dataclass
class Candidate:
    """One possible indicator for a row, shaped like a W3C reconciliation candidate."""

    indicator_id: str
    code: str | None
    label: str
    score: float  # 0-100
    features: dict[str, float] = field(default_factory=dict)


@dataclass
class Match:
    """A figure's indicator and the evidence behind it, as one object.

    The matcher (`matchers.MatchResult` extends it), a narrative pattern or a steward's
    decision sets it whole (`Value.match`), so the fields cannot drift apart; the writer
    spreads it over the Parquet columns of the same names (`features` is `match_features`).
    """

    indicator_id: str | None = None
    indicator_code: str | None = None  # the template's corrected code
    indicator_label: str | None = None
    template_id: str | None = None
    match_score: float = 0.0  # 0-100
    match_method: MatchMethod = MatchMethod.NOT_ATTEMPTED
    candidates: list[Candidate] = field(default_factory=list)
    features: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.match_method = MatchMethod(self.match_method)


@dataclass
class Value:
    """One extracted figure, with everything needed to trace it back to the page."""

    source: ValueSource
    raw_label: str
    raw_value: str
    page: int
    raw_code: str | None = None
    value_num: float | None = None
    value_text: str | None = None
    unit: str | None = None
    column_label: str | None = None
    column_role: ColumnRole | None = None
    bbox: BBox | None = None
    text_source: TextOrigin = TextOrigin.TEXT
    match: Match = field(default_factory=Match)  # which indicator, decided how (matcher, pattern or steward)
    # the figure's review state: the matcher's doubt and every later one (OCR, value, validation)
    needs_review: bool = False
    review_reason: str | None = None
    evidence: str | None = None  # narrative: the sentence the figure came from
    extractor: str | None = None  # narrative: the named pattern that found it
    ocr_confidence: float | None = None

    def __post_init__(self) -> None:
        # a plain string from a cache or a caller becomes the enum (and an unknown one fails here, not in a report)
        self.source = ValueSource(self.source)
        if self.column_role is not None:
            self.column_role = ColumnRole(self.column_role)

    # read-only views of `match` under the Parquet column names, for readers; writers set `match`
    @property
    def indicator_id(self) -> str | None:
        return self.match.indicator_id

    @property
    def indicator_code(self) -> str | None:
        return self.match.indicator_code

    @property
    def indicator_label(self) -> str | None:
        return self.match.indicator_label

    @property
    def template_id(self) -> str | None:
        return self.match.template_id

    @property
    def match_score(self) -> float:
        return self.match.match_score

    @property
    def match_method(self) -> MatchMethod:
        return self.match.match_method

    @property
    def candidates(self) -> list[Candidate]:
        return self.match.candidates

    @property
    def match_features(self) -> dict[str, float]:
        return self.match.features


@dataclass
class ValidationIssue:
    rule: str
    message: str
    indicator_ids: list[str]
    figures: dict[str, float | None]
    severity: Severity = Severity.WARNING
    page: int | None = None

    def __post_init__(self) -> None:
        self.severity = Severity(self.severity)


@dataclass
class Metadata:
    doc_number: str | None = None
    issuer: str | None = None
    issue_date: dt.date | None = None
    period_label: str | None = None
    period_type: str | None = None
    report_year: int | None = None
    signed: bool = False
    signer: str | None = None
    title: str | None = None
    producer: str | None = None


@dataclass
class Document:
    """A distinct input file (by content) and everything learnt about it."""

    doc_id: str  # sha256 of the bytes
    source_path: str  # as found under INPUT; `archive.zip!/inner/path.pdf` inside a ZIP
    file_name: str
    data: bytes = field(repr=False, default=b"")
    other_paths: list[str] = field(default_factory=list)
    kind: FileKind | str = FileKind.UNKNOWN  # a str: the name of a registered input format (pipeline.formats)
    status: Status = Status.OK
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    n_pages: int | None = None
    pages: list[Page] = field(default_factory=list)
    metadata: Metadata = field(default_factory=Metadata)
    template_id: str | None = None  # the catalog template the appendix most likely follows
    template_score: float | None = None
    tables: list[Table] = field(default_factory=list)
    values: list[Value] = field(default_factory=list)
    issues: list[ValidationIssue] = field(default_factory=list)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    ocr_engine_seconds: float = 0.0  # of which inside Tesseract itself
    local_path: Path | None = None  # a real file on disk when there is one (not inside a ZIP)
    source_path_bytes: bytes | None = None  # raw bytes of source_path when the name is not valid UTF-8

    @property
    def text_source(self) -> str:
        """`text`, `ocr`, `mixed` or `none`, from the origins of the pages."""
        origins = {p.origin for p in self.pages if p.origin is not TextOrigin.NONE}
        if not origins:
            return "none"
        if origins <= {TextOrigin.TEXT, TextOrigin.REPAIRED}:
            return "text"
        if origins == {TextOrigin.OCR}:
            return "ocr"
        return "mixed"

    def fail(self, error: str) -> None:
        self.status = Status.FAILED
        self.error = error

    def degrade(self, error: str) -> None:
        """A stage failed for part of the document: keep what we have, mark it partial."""
        if self.status is Status.OK:
            self.status = Status.PARTIAL
        self.error = error if not self.error else f"{self.error}; {error}"
