"""Scoring an extraction output against hand-written ground truth (`cchc eval`).

This is the team's yardstick: every change to OCR, table finding or matching
is judged by the figures computed here, so the scoring rules live in small
pure scorers, one module each, unit-tested on their own; reading files
happens only at the edges (`load_truth`, `load_outputs`, `load_code_index`).

    common      constants, `EvalInputError`
    normalise   the equality every scorer uses (numbers within 1e-6, text NFC + casefold)
    truth       `*.truth.json` files and the (template, code) -> indicator index
    outputs     an output folder, joined to the truth files
    prf         true/false positives/negatives
    tables      table values: truth codes resolved, one-to-one matching
    narrative   narrative values: (indicator, value) multisets
    documents   metadata fields, expected status/error/warning, planted validation issues
    report      `evaluate` / `evaluate_dirs`: the scorers over every file, one tally per report section
    printing    the printed report and its JSON

Rules (see `docs/truth-format.md`):
- a predicted table value is right when its (document, indicator_id,
  column_label) matches a truth row and the value is equal (`value_num` within
  1e-6, else the text after NFC + case-folding + whitespace collapse);
- narrative values match on (document, indicator_id, value_num) as multisets;
- predictions without an indicator_id are counted as "unmatched": they do not
  lower precision (they claim nothing) but they are never "right", so they
  count against recall and, when not flagged, against review calibration.

Every public name of the former single module is re-exported here, so
`from cchc.evaluation import evaluate_dirs` keeps working.
"""

from cchc.evaluation.common import (
    ALL_KINDS,
    DEFAULT_DETAIL_CAP,
    KINDS,
    METADATA_FIELDS,
    NUM_TOLERANCE,
    CodeIndex,
    EvalInputError,
)
from cchc.evaluation.documents import IssueMatch, match_issues, score_metadata, score_status
from cchc.evaluation.narrative import NarrativeMatch, match_narrative
from cchc.evaluation.normalise import norm_label, norm_metadata, norm_text, values_equal
from cchc.evaluation.outputs import Outputs, archive_members, join_documents, load_outputs
from cchc.evaluation.prf import PRF
from cchc.evaluation.printing import format_report, format_table, report_to_json
from cchc.evaluation.report import VALUE_COLUMNS_USED, evaluate, evaluate_dirs
from cchc.evaluation.tables import TableMatch, TruthCell, match_table, resolve_table_truth
from cchc.evaluation.truth import (
    TruthDoc,
    code_index_from_catalog,
    code_index_from_yaml,
    load_code_index,
    load_truth,
    truth_from_dict,
)

__all__ = [
    "ALL_KINDS",
    "DEFAULT_DETAIL_CAP",
    "KINDS",
    "METADATA_FIELDS",
    "NUM_TOLERANCE",
    "VALUE_COLUMNS_USED",
    "CodeIndex",
    "EvalInputError",
    "IssueMatch",
    "NarrativeMatch",
    "Outputs",
    "PRF",
    "TableMatch",
    "TruthCell",
    "TruthDoc",
    "archive_members",
    "code_index_from_catalog",
    "code_index_from_yaml",
    "evaluate",
    "evaluate_dirs",
    "format_report",
    "format_table",
    "join_documents",
    "load_code_index",
    "load_outputs",
    "load_truth",
    "match_issues",
    "match_narrative",
    "match_table",
    "norm_label",
    "norm_metadata",
    "norm_text",
    "report_to_json",
    "resolve_table_truth",
    "score_metadata",
    "score_status",
    "truth_from_dict",
    "values_equal",
]
