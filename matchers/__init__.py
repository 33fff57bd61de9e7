"""Matching appendix rows and phrases to catalog indicators.

Pure functions over `cchc.core.model` rows and the catalog (`indicator_catalog`):
no pipeline or CLI imports, so notebooks and other stages can call them.

    from matchers import detect_template, match_rows, match_label
    guess = detect_template(rows, catalog, title=table.title)
    results = match_rows(rows, catalog, guess.template_id)
"""

from matchers.normalize import label_forms, normalize_unit
from matchers.row_matcher import MatchResult, apply_match, match_label, match_rows
from matchers.settings import DEFAULT as DEFAULT_SETTINGS
from matchers.settings import MatchSettings
from matchers.template_detect import TemplateGuess, detect_template

__all__ = [
    "DEFAULT_SETTINGS",
    "MatchResult",
    "MatchSettings",
    "TemplateGuess",
    "apply_match",
    "detect_template",
    "label_forms",
    "match_label",
    "match_rows",
    "normalize_unit",
]
