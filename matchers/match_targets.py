"""What rows are matched to: a template's (or the whole catalog's) target rows, indexed once per catalog, and
the document's rows with the label, code, section and value the features read."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from cchc.core.model import Row
from cchc.core.vntext import (
    code_depth,
    is_subrow_marker,
    nfc,
    normalize_code,
    parse_number,
    strip_accents,
)
from matchers.normalize import (
    AbbreviationExpander,
    LabelForms,
    clean_label,
    drop_parentheticals,
    label_forms,
    normalize_unit,
    simplify,
)

if TYPE_CHECKING:  # the catalog is duck-typed: see docs/catalog-api.md
    from indicator_catalog import Catalog, TemplateRow



_HEADER_LABELS = {"chi tieu", "chi tieu thong ke", "cac chi tieu", "noi dung", "stt", "nhiem vu tieu chi"}


@dataclass
class Target:
    """One thing a row can be matched to: a template row, or an indicator (no template)."""

    indicator_id: str
    code: str | None
    printed_code: str | None
    label: str
    unit_key: str
    value_kind: str
    codes: dict[str, int]
    kind: str
    parent: str | None
    forms: list[tuple[LabelForms, bool]]  # (forms, is_alias)


class TargetIndex:
    """Targets plus the flattened label strings fuzzy matching runs over."""

    def __init__(self, targets: list[Target], template_id: str | None) -> None:
        self.targets = targets
        self.template_id = template_id
        self.acc: list[str] = []
        self.plain: list[str] = []
        self.owner: list[int] = []
        self.alias: list[bool] = []
        for j, t in enumerate(targets):
            for forms, is_alias in t.forms:
                for a, p in zip((forms.full, forms.core), (forms.full_plain, forms.core_plain), strict=True):
                    self.acc.append(a)
                    self.plain.append(p)
                    self.owner.append(j)
                    self.alias.append(is_alias)
        self.owner_arr = np.asarray(self.owner, dtype=np.int64)
        self.alias_arr = np.asarray(self.alias, dtype=bool)
        self._by_code: dict[str, list[int]] = {}
        for j, t in enumerate(targets):
            keys = {t.code, t.printed_code}
            if t.code and t.code.startswith("PL") and "." in t.code:
                keys.add(t.code.split(".", 1)[1])  # appendix-prefixed: the bare number as printed
            for key in list(keys):
                if key:
                    keys.add(key.replace(".", ""))  # OCR drops inner dots
            for key in keys:
                if key:
                    self._by_code.setdefault(key, []).append(j)
        self.tokens = [list(dict.fromkeys(tokens(f.core_plain) for f, _ in t.forms)) for t in targets]
        # numbers of the target's own label (not its aliases): "mức độ 3" vs "mức độ 4"
        self.numbers = [_label_numbers(t.forms[0][0]) if t.forms else frozenset() for t in targets]

    def code_targets(self, code: str | None) -> list[int]:
        """Targets whose corrected, printed or dot-less code equals the row's printed code."""
        if not code:
            return []
        return self._by_code.get(code, []) + self._by_code.get(code.replace(".", ""), [])


_INDEX_CACHE: dict[tuple[object, str | None], TargetIndex] = {}


_EXPANDERS: dict[object, AbbreviationExpander] = {}


def catalog_key(catalog: Catalog) -> object:
    """Cache key: the catalog's content hash where it has one."""
    return getattr(catalog, "version", None) or id(catalog)


def catalog_expander(catalog: Catalog) -> AbbreviationExpander:
    key = catalog_key(catalog)
    exp = _EXPANDERS.get(key)
    if exp is None:
        exp = AbbreviationExpander(getattr(catalog, "abbreviations", {}) or {})
        _EXPANDERS[key] = exp
    return exp


def _unit_key(unit: str | None, codes: dict[str, int] | None) -> str:
    return "coded" if codes else normalize_unit(unit)


def template_index(catalog: Catalog, template_id: str) -> TargetIndex:
    key = (catalog_key(catalog), template_id)
    if key in _INDEX_CACHE:
        return _INDEX_CACHE[key]
    exp = catalog_expander(catalog)
    tpl = catalog.template(template_id)
    targets = []
    for r in tpl.rows:
        ind = catalog.indicators.get(r.indicator_id)
        forms = [(label_forms(r.label, exp), False)]
        if ind is not None:
            if nfc(ind.label) != nfc(r.label):
                forms.append((label_forms(ind.label, exp), False))
            forms.extend((label_forms(a, exp), True) for a in ind.aliases)
        targets.append(
            Target(
                indicator_id=r.indicator_id,
                code=r.code,
                printed_code=_own_code(r.printed_code),
                label=r.label,
                unit_key=_unit_key(r.unit, r.codes),
                value_kind=r.value_kind,
                codes=dict(r.codes or {}),
                kind=r.kind,
                parent=r.parent,
                forms=_dedupe(forms),
            )
        )
    idx = TargetIndex(targets, template_id)
    _INDEX_CACHE[key] = idx
    return idx


def global_index(catalog: Catalog) -> TargetIndex:
    """All indicators, each with its label, aliases and every template label it is printed with."""
    key = (catalog_key(catalog), None)
    if key in _INDEX_CACHE:
        return _INDEX_CACHE[key]
    exp = catalog_expander(catalog)
    rows_by_ind: dict[str, list[TemplateRow]] = {}
    for tid in sorted(catalog.templates):
        for r in catalog.templates[tid].rows:
            rows_by_ind.setdefault(r.indicator_id, []).append(r)
    targets = []
    for iid in sorted(catalog.indicators):
        ind = catalog.indicators[iid]
        rows = rows_by_ind.get(iid, [])
        forms = [(label_forms(ind.label, exp), False)]
        forms.extend((label_forms(r.label, exp), False) for r in rows)
        forms.extend((label_forms(a, exp), True) for a in ind.aliases)
        targets.append(
            Target(
                indicator_id=iid,
                code=None,
                printed_code=None,
                label=ind.label,
                unit_key=_unit_key(ind.unit, ind.codes),
                value_kind=ind.value_kind,
                codes=dict(ind.codes or {}),
                kind="any",  # row kinds belong to templates; an indicator may be a sub-row in one, data in another
                parent=None,
                forms=_dedupe(forms),
            )
        )
    idx = TargetIndex(targets, None)
    _INDEX_CACHE[key] = idx
    return idx


def _dedupe(forms: list[tuple[LabelForms, bool]]) -> list[tuple[LabelForms, bool]]:
    seen: dict[str, int] = {}
    out: list[tuple[LabelForms, bool]] = []
    for f, is_alias in forms:
        if f.empty:
            continue
        if f.full in seen:
            k = seen[f.full]
            if out[k][1] and not is_alias:  # a label beats an alias with the same words
                out[k] = (f, False)
            continue
        seen[f.full] = len(out)
        out.append((f, is_alias))
    return out


@dataclass
class DocRow:
    index: int
    forms: LabelForms
    code: str | None
    raw_code: str
    unit_key: str
    kind: str  # data | section | subrow | header | empty
    value_text: str
    value_num: float | None
    numbers: frozenset[str] = frozenset()
    parent_idx: int | None = None  # document row this one sits under


def _own_code(raw: str | None) -> str | None:
    """A row's own code; a lone sub-row letter ("a)") is not one: such rows are placed under their parent."""
    code = normalize_code(raw)
    return None if code is not None and code_depth(code) == 9 else code


def _value_number(text: str) -> float | None:
    """The figure in a value cell ("12,5", "1.245", "03", "100%"), parsed the Vietnamese way."""
    t = text.strip().rstrip("%").strip()
    return parse_number(t) if t else None


def doc_rows(rows: Sequence[Row], exp: AbbreviationExpander) -> list[DocRow]:
    out: list[DocRow] = []
    stack: list[tuple[int, int]] = []  # (depth, index) of coded rows
    last_coded: int | None = None
    for i, row in enumerate(rows):
        raw_code = nfc(row.code.text if row.code else "")
        label = nfc(row.label.text if row.label else "")
        forms = label_forms(label, exp)
        code = _own_code(raw_code)
        value_text = ""
        for cell in (row.values or {}).values():
            if cell is not None and nfc(cell.text).strip():
                value_text = nfc(cell.text).strip()
                break
        unit_text = nfc(row.unit.text if row.unit else "")
        kind = row.kind or "data"
        plain_label = simplify(strip_accents(drop_parentheticals(clean_label(label))))
        if kind == "header" or plain_label in _HEADER_LABELS:
            kind = "header"
        elif forms.empty and not code:
            # OCR lost label and code: a figure can still be placed by position alone
            kind = "blank" if value_text else "empty"
        elif code:
            kind = "section" if kind == "section" else "data"
        else:
            declared = (
                kind == "subrow"
                or is_subrow_marker(raw_code)
                or bool(re.match(r"^\s*trong\s+đó", label, re.IGNORECASE))
            )
            if declared:
                kind = "subrow"
            elif last_coded is not None and kind == "data":
                kind = "subrow?"  # no code after coded rows: probably a sub-row, not certainly
        d = DocRow(
            index=i,
            forms=forms,
            code=code,
            raw_code=raw_code,
            unit_key=normalize_unit(unit_text),
            kind=kind,
            value_text=value_text,
            value_num=_value_number(value_text),
            numbers=_label_numbers(forms),
        )
        if kind in {"header", "empty"}:
            out.append(d)
            continue
        if code:
            depth = code_depth(code)
            while stack and stack[-1][0] >= depth:
                stack.pop()
            d.parent_idx = stack[-1][1] if stack else None
            stack.append((depth, i))
            last_coded = i
        else:
            d.parent_idx = last_coded
        out.append(d)
    return out


_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)?")


# function words whose presence or absence says nothing about which indicator a row is
_STOPWORDS = frozenset("cac va cua da duoc trong tai theo voi cho nhung la cua ve tu den o bi hoac".split())


def tokens(text: str) -> tuple[str, ...]:
    return tuple(w for w in text.split() if w not in _STOPWORDS)


def _label_numbers(forms: LabelForms) -> frozenset[str]:
    """Numbers written in a label ("mức độ 3", "năm 2015", "70%"): labels differing only there differ."""
    return frozenset(_NUMBER_RE.findall(forms.core))

