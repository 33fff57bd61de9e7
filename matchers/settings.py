"""Every threshold and weight of the matchers in one frozen object.

They used to be module constants of `row_matcher` and `template_detect`; one object
lets the calibration test sweep a threshold (`dataclasses.replace(DEFAULT, accept_score=…)`)
and a caller try other settings without patching modules.  `DEFAULT` is what the
pipeline uses; its values are the ones `tests/test_matching_calibration.py` picks.
Scores are points on the 0-100 scale.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT", "MatchSettings"]


@dataclass(frozen=True)
class MatchSettings:
    """Thresholds (decisions) and weights (scores) of row matching and template detection."""

    # --- decisions on one row (calibrated in tests/test_matching_calibration.py) -------------
    #: below this final score a match is only a suggestion (method "review")
    accept_score: float = 75.0
    #: a runner-up (another code) within this many points makes the choice ambiguous
    min_margin: float = 10.0
    #: below this nothing is even suggested (method "none")
    none_score: float = 50.0
    #: label similarity at/above which two labels count as "the same words"
    same_label: float = 95.0
    #: a label this much closer (lexically) to an indicator outside the template flags the row
    outside_margin: float = 4.0

    # --- feature weights ---------------------------------------------------------------------
    w_code: float = 16.0  # code agreement (1) vs disagreement (0), centred on "no code" (0.5)
    w_section: float = 12.0
    w_unit: float = 10.0
    w_kind: float = 20.0  # penalty only
    w_value: float = 14.0  # penalty only
    w_order: float = 12.0
    w_subst: float = 7.0  # per content word replaced by another ("cấp bộ" vs "cấp tỉnh")
    w_extra: float = 3.0  # per content word the row has and the candidate lacks (a more specific row)
    w_missing: float = 1.5  # per content word the candidate has and the row lacks (often a cut label)
    w_numbers: float = 10.0  # penalty only: "mức độ 3" is not "mức độ 4", "70%" is not "30%"
    #: pairs not scored in full keep their label similarity minus this (out of the alignment)
    far_penalty: float = 40.0
    #: the de-accented form conflates some words: trust it a little less
    deaccent_penalty: float = 3.0
    #: label score of a row whose label OCR lost: neutral, so that a matching code or unit can
    #: still place it in the alignment (such rows are always flagged for review)
    blank_label: float = 60.0
    align_floor: float = 55.0  # pairs under this pair score never enter the alignment
    align_gain: float = 60.0  # a pair contributes (score - align_gain) to the alignment total
    pair_top_k: int = 15  # candidates per row scored in full (besides code matches)
    accent_top_k: int = 12  # closest de-accented strings re-scored with their accents

    # --- template detection --------------------------------------------------------------------
    #: below this template score no template is chosen (rows match against all indicators)
    min_template_score: float = 45.0
    #: label similarity for a row to count as "found" in a template
    template_row_match: float = 85.0
    #: weight of a row found by printed code and unit only (words unreadable)
    code_only_weight: float = 0.5


DEFAULT = MatchSettings()
