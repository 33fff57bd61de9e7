"""Constants and the input error shared by the scorers."""

from __future__ import annotations

from collections.abc import Mapping

KINDS: tuple[str, ...] = ("text", "scan", "mixed", "photo")
ALL_KINDS: tuple[str, ...] = (*KINDS, "bad")
METADATA_FIELDS: tuple[str, ...] = (
    "doc_number",
    "issuer",
    "issue_date",
    "period_label",
    "period_type",
    "report_year",
    "signed",
    "signer",
)
NUM_TOLERANCE = 1e-6
DEFAULT_DETAIL_CAP = 500

# (template_id, corrected code) -> indicator_id
CodeIndex = Mapping[tuple[str, str], str]


class EvalInputError(Exception):
    """An input the scorer needs is missing or unreadable; the CLI exits 2 with this message."""
