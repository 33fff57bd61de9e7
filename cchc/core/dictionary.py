"""The data dictionary: what every column of every output table means.

One source for both the Parquet field metadata (`description`, written by
pipeline/writer.py) and docs/data-dictionary.md (rendered by
cchc/dictionary_doc.py, checked by the tests), so the two cannot drift apart.
Pure data (core layer): the writer imports it, so it imports nothing of the project.
"""

from __future__ import annotations

DOCUMENTS = {
    "doc_id": "sha256 (hex) of the file's bytes; joins values.doc_id",
    "source_path": "path of the file as found under INPUT (inside a ZIP: archive.zip!/inner/path.pdf); the first in sorted order where several files share the content",
    "other_paths": "further paths with identical bytes (usually empty)",
    "file_name": "base name of the file",
    "status": "ok, partial (some pages or stages failed) or failed",
    "error": "why it failed or is partial, and what to do",
    "warnings": "what a person should know though the file was processed",
    "n_pages": "pages in the document",
    "text_source": "text (text layer), ocr, mixed, none",
    "doc_number": "the 'Số:' of the document, e.g. 89/BC-BDT",
    "issuer": "issuing body as read from the header, e.g. UBND xã Bình Yên (see unit_id for the normalised unit)",
    "issue_date": "the 'ngày … tháng … năm …' of the document",
    "period_label": "the reporting period as written, e.g. 6 tháng đầu năm 2023",
    "period_type": "Q1, Q2, Q3, Q4, H1, 9M, Y, MULTI",
    "report_year": "the year the period belongs to",
    "signed": "the PDF carries a digital signature",
    "signer": "the signing certificate's common name, where signed",
    "file_kind": "what the bytes are: pdf, image, …",
    "template_id": "the catalog template the appendix grid follows, null without a grid",
    "template_score": "0–100, how sure the template detection is",
    "title": "the report's title as read",
    "n_values": "figures extracted from this document",
    "pages_text": "pages read from the text layer",
    "pages_ocr": "pages read by OCR",
    "pages_repaired": "pages whose legacy-font text layer was converted",
    "seconds": "processing time of this document",
    "ocr_engine_seconds": "time spent inside Tesseract",
    "pipeline_version": "cchc version that extracted the document",
    "catalog_version": "indicator catalog version used",
    "source_path_bytes": "raw bytes of a source_path that is not valid UTF-8 (source_path shows it escaped); null otherwise",
    "unit_id": "stable ID of the reporting unit (from the register CSV, or learned from the issuer: 'huyen-cam-xuyen'); null when unknown",
    "unit_name": "the unit's name, one spelling for all its reports",
    "unit_level": "bo, tinh, so_nganh, huyen or xa (administrative level of the unit)",
    "unit_parent": "unit_id of the unit above it, from the register CSV (null when learned)",
    "unit_method": "how the unit was found: register, exact, learned, fuzzy (OCR spelling), new, file_name (no issuer read), unmatched, none",
    "unit_score": "0–100, how sure the unit match is",
    "duplicate_of": "doc_id of the better-read copy of the same report (same unit and number, same issue date — or period where a copy lacks the date —, e.g. its text-layer PDF); null for the copy to use",
}

VALUES = {
    "doc_id": "joins documents.doc_id",
    "file_name": "as in documents",
    "source": "table (appendix grid) or narrative (running text)",
    "indicator_id": "the catalog's stable ID of the matched indicator; null if unmatched",
    "indicator_code": "the indicator's official STT in the catalog (corrected)",
    "indicator_label": "the indicator's label in the catalog",
    "raw_code": "the STT cell exactly as read",
    "raw_label": "the row label (or the narrative phrase) exactly as read",
    "raw_value": "the value cell (or the figure in the text) exactly as read",
    "value_num": "the value as a number (12,5 → 12.5, 1.245 → 1245, coded answers → their code)",
    "value_text": "the value where it is not a number, null otherwise",
    "unit": "Đơn vị tính as read, or the unit in the text (see unit_norm)",
    "column_label": "for grids with several value columns (e.g. Năm 2019), the column header; null for a single value column",
    "page": "1-based page number",
    "bbox": "x0, y0, x1, y1 of the row/phrase on that page, in PDF points, origin top-left",
    "text_source": "origin of the page's text: text, repaired, ocr",
    "column_role": "what the value column holds: actual, plan, cumulative, year, period",
    "match_score": "0–100, how sure the label→indicator match is",
    "match_method": "how the match was decided: exact, alias, fuzzy, context, review, none",
    "needs_review": "true where a data steward should look",
    "evidence": "for narrative figures: the sentence it came from",
    "template_id": "the catalog template of the grid the figure comes from",
    "review_reason": "why the figure needs review",
    "extractor": "narrative: the named pattern that found the figure",
    "ocr_confidence": "0–100 Tesseract confidence of the value, for OCR pages",
    "match_features": "JSON object: the features behind match_score",
    "catalog_version": "indicator catalog version used",
    "unit_id": "documents.unit_id of the report (the reporting unit, not the unit of measure)",
    "report_year": "documents.report_year of the report",
    "period_type": "documents.period_type of the report",
    "year": "the year the figure is for: the year of its column in a multi-year grid ('Năm 2016' → 2016), else report_year",
    "year_source": "column (from a year column) or report (the report's year)",
    "unit_norm": "the unit of measure with one spelling ('Hồ sơ'/'hồ sơ' → 'hồ sơ'); null for coded answers",
    "value_decoded": "for coded answers, the answer the code stands for ('Có' for 1 where Không = 0, Có = 1)",
    "concept": "the measure across levels (catalog concept: HS_DUNG_HAN groups HS_DUNG_HAN_XA and HS_DUNG_HAN_HUYEN); the indicator_id where the catalog gives none",
    "concept_level": "the level (tinh, huyen, xa, …) the indicator counts at within its concept, where the catalog says",
    "duplicate_of": "documents.duplicate_of of the report: set when the same report was read from a better copy",
    "preferred": "true for the one figure to count per (doc_id, indicator_id, column): the table's over the text's, never in a duplicate report",
}

REVIEW_QUEUE = {
    "doc_id": "joins documents.doc_id",
    "file_name": "as in documents",
    "source_path": "where to find the file",
    "page": "1-based page number",
    "bbox": "x0, y0, x1, y1 of the row on the page, PDF points, origin top-left",
    "source": "table or narrative",
    "raw_code": "the STT cell as read",
    "raw_label": "the row label as read",
    "raw_value": "the value as read",
    "column_label": "the value column's header, where several",
    "indicator_id": "the matched indicator, if any",
    "indicator_code": "its catalog code",
    "indicator_label": "its catalog label",
    "match_score": "0–100",
    "match_method": "how the match was decided",
    "review_reason": "why a steward should look",
    "candidates": "top candidate indicators with code, label, score and features (JSON)",
    "row_key": "stable key of the value row, used by cchc review apply",
    "duplicate_of": "documents.duplicate_of: set when the figure's report was read from a better copy",
}

VALIDATION_ISSUES = {
    "doc_id": "joins documents.doc_id",
    "file_name": "as in documents",
    "rule": "the consistency rule broken",
    "severity": "warning or error",
    "message": "what is wrong, in words",
    "indicator_ids": "indicators involved",
    "figures": "JSON object indicator_id → value",
    "page": "page of the figures, where known",
    "duplicate_of": "documents.duplicate_of: set when the issue's report was read from a better copy (not a new issue)",
}

UNITS = {
    "unit_id": "stable ID of the unit (documents.unit_id)",
    "name": "the unit's name",
    "level": "bo, tinh, so_nganh, huyen or xa",
    "parent": "unit_id of the unit above it (register only)",
    "aliases": "other names it answers to (register only)",
    "source": "register (from the analyst's CSV) or learned (from the issuers read)",
    "n_documents": "reports of this unit in the dataset",
    "periods": "the periods it reported for, as report_year-period_type (2021-H1)",
}

TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "documents": ("documents.parquet — one row per distinct input file", DOCUMENTS),
    "values": ("values/ (Parquet dataset) — one row per extracted figure", VALUES),
    "review_queue": ("review_queue.parquet — one row per figure a steward should check", REVIEW_QUEUE),
    "validation_issues": ("validation_issues.parquet — one row per broken consistency rule", VALIDATION_ISSUES),
    "units": ("units.parquet — one row per reporting unit (the unit register)", UNITS),
}


def describe(table: str, column: str) -> str:
    return TABLES[table][1][column]
