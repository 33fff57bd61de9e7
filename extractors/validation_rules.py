"""Consistency rules over a document's figures (appendix grid and running text).

Stewards want to know when a report contradicts itself: more tasks completed
than planned, parts that do not add up to their total, a percentage that is
not what its own numerator and denominator give, or a figure in the text that
differs from the same indicator in the appendix.  The rules are *data* — a
list of `RuleSpec`s naming indicator IDs — plus specs derived from the
catalog's templates (every "Tỷ lệ" row with "Trong đó" count sub-rows), so a
new rule is one line, not a new branch.

Scopes.  A rule is checked on the figures of one source at a time (the grid,
per value column; the text), so a single wrong figure is reported once, where
it is.  Only when neither source alone holds every figure a rule needs is it
checked on the grid and text together.  `narrative_vs_table` compares the
two sources directly.  Nothing here reads files: it is a pure function of
the values (and the catalog, when given).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cchc.core.model import Document, Severity, ValidationIssue, Value, ValueSource
from extractors import narrative_patterns as ids

__all__ = ["RuleSpec", "RULES", "flag_narrative_contradictions", "rules_from_catalog", "validate_document",
           "validate_values"]

COMPLETED_LE_PLANNED = "completed_le_planned"
PARTS_SUM_TO_TOTAL = "parts_sum_to_total"
PERCENT_RANGE = "percent_range"
PERCENT_CONSISTENT = "percent_consistent"
NARRATIVE_VS_TABLE = "narrative_vs_table"

_EPS = 1e-6


@dataclass(frozen=True)
class RuleSpec:
    """One consistency rule between indicators.

    * completed_le_planned: sum(parts) ≤ total (parts may be partly missing:
      counts are non-negative, so a partial sum already bounds the total).
    * parts_sum_to_total: sum(parts) == total, checked only when all are present.
      `optional` parts (e.g. "Số TTHC cấp Trung ương", a row only the ministry
      template has) join the sum when present; when one is absent but the
      document's template has a row for it, the parts are not the full set and
      the rule is not checked.
    * percent_consistent: percent ≈ 100 · parts[0] / total within `tolerance`
      percentage points (reports round or truncate).
    """

    rule: str
    total: str
    parts: tuple[str, ...]
    percent: str | None = None
    tolerance: float = 0.0
    what: str = ""  # short English name of the relation, for the message
    severity: Severity = Severity.WARNING
    optional: tuple[str, ...] = ()

    @property
    def indicator_ids(self) -> list[str]:
        out = ([self.percent] if self.percent else []) + list(self.parts) + [self.total]
        return list(dict.fromkeys(out))


def _le(parts: Iterable[str], total: str, what: str) -> RuleSpec:
    return RuleSpec(COMPLETED_LE_PLANNED, total, tuple(parts), what=what)


def _sum(parts: Iterable[str], total: str, what: str, optional: Iterable[str] = ()) -> RuleSpec:
    return RuleSpec(PARTS_SUM_TO_TOTAL, total, tuple(parts), what=what, optional=tuple(optional))


def _pct(percent: str, numerator: str, denominator: str, what: str, tolerance: float = 1.0) -> RuleSpec:
    return RuleSpec(PERCENT_CONSISTENT, denominator, (numerator,), percent=percent, tolerance=tolerance,
                    what=what)


RULES: list[RuleSpec] = [
    # completed ≤ planned
    _le([ids.KH_NV_HOAN_THANH], ids.KH_NV_DE_RA, "plan tasks completed ≤ tasks set"),
    _le([ids.GIAO_DUNG_HAN, ids.GIAO_QUA_HAN], ids.GIAO_TONG, "assigned tasks completed ≤ tasks assigned"),
    _le([ids.GIAO_HOAN_THANH], ids.GIAO_TONG, "assigned tasks completed ≤ tasks assigned"),
    _le([ids.GIAO_HOAN_THANH, ids.GIAO_DANG], ids.GIAO_TONG, "completed + in progress ≤ tasks assigned"),
    _le([ids.HS_DA_GIAI_QUYET], ids.HS_TIEP_NHAN, "dossiers resolved ≤ dossiers received"),
    _le([ids.HS_DA_GIAI_QUYET, ids.HS_DANG], ids.HS_TIEP_NHAN, "resolved + pending ≤ received"),
    _le([ids.HS_TRUC_TUYEN], ids.HS_TIEP_NHAN, "dossiers received online ≤ dossiers received"),
    _le([ids.HS_TRUC_TUYEN, ids.HS_TRUC_TIEP, ids.HS_BUU_CHINH], ids.HS_TIEP_NHAN,
        "online + desk + post ≤ dossiers received"),
    _le([ids.HS_KY_TRUOC], ids.HS_TIEP_NHAN, "carried over ≤ dossiers received"),
    _le([ids.HS_DUNG_HAN_GOP], ids.HS_DA_GIAI_QUYET, "resolved on time ≤ dossiers resolved"),
    _le([ids.KT_VAN_DE_XL], ids.KT_VAN_DE, "issues resolved ≤ issues found"),
    _le([ids.KS_PHIEU_THU_VE], ids.KS_PHIEU, "survey forms returned ≤ forms issued"),
    # parts add up to the total
    _sum([ids.HS_TRUOC_HAN, ids.HS_DUNG_HAN, ids.HS_QUA_HAN], ids.HS_DA_GIAI_QUYET,
         "early + on time + late = resolved"),
    _sum([ids.HS_TRUOC_HAN, ids.HS_DUNG_HAN], ids.HS_DUNG_HAN_GOP, "early + on the day = resolved on time"),
    _sum([ids.TTHC_TINH, ids.TTHC_HUYEN, ids.TTHC_XA], ids.TTHC_TONG, "TTHC by level = TTHC in force",
         optional=[ids.TTHC_TW]),
    _sum([ids.BC_CO_MAT, ids.SN_CO_MAT, ids.HDLD], ids.NGUOI_CO_MAT,
         "civil servants + public-service staff + contracts = staff present"),
    _sum([ids.BC_GIAO, ids.SN_GIAO, ids.HDLD_CHI_TIEU], ids.NGUOI_CHI_TIEU,
         "civil-servant + public-service + contract quotas = staff quota"),
    # percentages consistent with their numerator/denominator
    _pct(ids.KH_TY_LE, ids.KH_NV_HOAN_THANH, ids.KH_NV_DE_RA, "plan completion rate"),
    _pct(ids.PCT_HS_DUNG_HAN, ids.HS_DUNG_HAN_GOP, ids.HS_DA_GIAI_QUYET, "share of dossiers resolved on time"),
    _pct(ids.PCT_HS_TRUC_TUYEN, ids.HS_TRUC_TUYEN, ids.HS_TIEP_NHAN, "share of dossiers received online"),
]


def _level_variants(specs: Iterable[RuleSpec]) -> list[RuleSpec]:
    """Each rule again with the level-specific dossier IDs (HS_DA_GIAI_QUYET_XA …)."""
    out = list(specs)
    levels = {lvl for m in ids.LEVEL_VARIANTS.values() for lvl in m}
    for spec in specs:
        for level in sorted(levels):
            def sub(i: str, level: str = level) -> str:
                return ids.LEVEL_VARIANTS.get(i, {}).get(level, i)

            variant = RuleSpec(spec.rule, sub(spec.total), tuple(sub(p) for p in spec.parts),
                               sub(spec.percent) if spec.percent else None, spec.tolerance, spec.what,
                               spec.severity, tuple(sub(p) for p in spec.optional))
            if variant != spec:
                out.append(variant)
    return out


RULES = _level_variants(RULES)


# --------------------------------------------------------------------------- catalog-derived rules

_NOT_A_RATIO = ("cắt giảm", "tinh giản", "so với năm")  # "Tỷ lệ … đã cắt giảm so với năm 2015": not num/den


def rules_from_catalog(catalog: Any) -> list[RuleSpec]:
    """percent_consistent and completed_le_planned for every template "Tỷ lệ" row with count sub-rows.

    In the templates (e.g. commune_2024 1.1 "Tỷ lệ hoàn thành kế hoạch" with
    "Trong đó: Số nhiệm vụ đề ra / Số nhiệm vụ đã hoàn thành") the first
    sub-row is the denominator and the second the numerator.
    """
    specs: list[RuleSpec] = []
    for template in getattr(catalog, "templates", {}).values():
        rows = list(getattr(template, "rows", []))
        for row in rows:
            if getattr(row, "value_kind", None) != "percent" or not row.indicator_id:
                continue
            if any(w in (row.label or "").lower() for w in _NOT_A_RATIO):
                continue
            subs = [r for r in rows if r.parent == row.code and getattr(r, "kind", "") == "subrow"]
            counts = [r for r in subs if getattr(r, "value_kind", None) == "count" and r.indicator_id]
            if len(counts) < 2 or len(counts) != len([s for s in subs if s.value_kind != "percent"]):
                continue
            den, num = counts[0].indicator_id, counts[1].indicator_id
            what = f"{template.id} {row.code}"
            specs.append(_pct(row.indicator_id, num, den, f"{what} percentage"))
            specs.append(_le([num], den, f"{what} numerator ≤ denominator"))
    return specs


# --------------------------------------------------------------------------- engine


@dataclass
class _Figure:
    value: float
    page: int
    source: str
    label: str


@dataclass
class _Scope:
    name: str  # "table", "table[Năm 2019]", "narrative", "table+narrative"
    figures: dict[str, _Figure] = field(default_factory=dict)


def _scopes(values: Sequence[Value]) -> tuple[list[_Scope], _Scope | None]:
    tables: dict[str | None, _Scope] = {}
    narrative = _Scope("narrative")
    for v in values:
        if not v.indicator_id or v.value_num is None or (isinstance(v.value_num, float) and math.isnan(v.value_num)):
            continue
        fig = _Figure(float(v.value_num), v.page, v.source, v.raw_label)
        if v.source == ValueSource.NARRATIVE:
            narrative.figures.setdefault(v.indicator_id, fig)
        else:
            scope = tables.setdefault(
                v.column_label, _Scope("table" if v.column_label is None else f"table[{v.column_label}]")
            )
            scope.figures.setdefault(v.indicator_id, fig)
    singles = [*tables.values(), narrative]
    merged = None
    if None in tables and narrative.figures:
        merged = _Scope("table+narrative", dict(tables[None].figures))
        for k, f in narrative.figures.items():
            merged.figures.setdefault(k, f)
    return singles, merged


def _fmt(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") if not float(x).is_integer() else str(int(x))


def _name(indicator_id: str, labels: dict[str, str]) -> str:
    label = labels.get(indicator_id)
    return f"{indicator_id} ({label})" if label else indicator_id


def _check(spec: RuleSpec, scope: _Scope, labels: dict[str, str],
           template_ids: set[str] | None = None) -> ValidationIssue | None:
    f = scope.figures
    figures: dict[str, float | None]
    where = "" if scope.name == "table" else f" [{scope.name}]"
    total = f.get(spec.total)
    if total is None:
        return None
    if spec.rule == COMPLETED_LE_PLANNED:
        present = [p for p in spec.parts if p in f]
        if not present:
            return None
        s = sum(f[p].value for p in present)
        if s <= total.value + _EPS:
            return None
        figures = {p: f[p].value for p in [*present, spec.total]}
        parts = " + ".join(f"{_name(p, labels)} = {_fmt(f[p].value)}" for p in present)
        msg = (f"{spec.what}: {parts} exceeds {_name(spec.total, labels)} = {_fmt(total.value)}{where}")
        return ValidationIssue(spec.rule, msg, list(figures), figures, spec.severity, f[present[0]].page)
    if spec.rule == PARTS_SUM_TO_TOTAL:
        if not all(p in f for p in spec.parts):
            return None
        missing = [p for p in spec.optional if p not in f]
        if any(p in (template_ids or ()) for p in missing):
            return None  # the template has a part the document leaves out: not the full set
        used = [*spec.parts, *(p for p in spec.optional if p in f)]
        s = sum(f[p].value for p in used)
        if abs(s - total.value) <= _EPS:
            return None
        figures = {p: f[p].value for p in [*used, spec.total]}
        parts = " + ".join(_fmt(f[p].value) for p in used)
        msg = (f"{spec.what}: {parts} = {_fmt(s)} but {_name(spec.total, labels)} = {_fmt(total.value)}"
               f" (parts: {', '.join(used)}){where}")
        return ValidationIssue(spec.rule, msg, list(figures), figures, spec.severity, total.page)
    if spec.rule == PERCENT_CONSISTENT:
        num = f.get(spec.parts[0])
        pct = f.get(spec.percent or "")
        if num is None or pct is None or total.value <= 0:
            return None
        expected = 100.0 * num.value / total.value
        if abs(pct.value - expected) <= spec.tolerance + _EPS:
            return None
        figures = {spec.percent or "": pct.value, spec.parts[0]: num.value, spec.total: total.value}
        msg = (f"{spec.what}: {_name(spec.percent or '', labels)} = {_fmt(pct.value)}% but "
               f"{_fmt(num.value)} / {_fmt(total.value)} = {expected:.1f}%{where}")
        return ValidationIssue(spec.rule, msg, list(figures), figures, spec.severity, pct.page)
    raise ValueError(f"unknown rule {spec.rule!r}")


def _template_indicator_ids(values: Sequence[Value], catalog: Any) -> set[str]:
    """Indicator IDs of every row of the templates the values come from (empty without a catalog)."""
    out: set[str] = set()
    templates = getattr(catalog, "templates", None) or {}
    for tid in {v.template_id for v in values if getattr(v, "template_id", None)}:
        template = templates.get(tid)
        for row in getattr(template, "rows", []) if template is not None else []:
            if getattr(row, "indicator_id", None):
                out.add(row.indicator_id)
    return out


def _percent_ids(catalog: Any) -> set[str]:
    out: set[str] = set()
    for ind in getattr(catalog, "indicators", {}).values():
        if getattr(ind, "value_kind", None) == "percent":
            out.add(ind.id)
    return out


def _check_ranges(values: Sequence[Value], percent_ids: set[str], labels: dict[str, str]) -> list[ValidationIssue]:
    issues = []
    for v in values:
        if v.value_num is None or not (v.unit == "%" or (v.indicator_id and v.indicator_id in percent_ids)):
            continue
        if -_EPS <= v.value_num <= 100 + _EPS:
            continue
        key = v.indicator_id or v.raw_label
        where = f"{v.source}, page {v.page}" + (f", {v.column_label}" if v.column_label else "")
        msg = (f"percentage out of range 0-100: {_name(key, labels)} = {_fmt(v.value_num)}% ({where})")
        issues.append(ValidationIssue(PERCENT_RANGE, msg, [key], {key: v.value_num}, Severity.WARNING, v.page))
    return issues


def _check_narrative_vs_table(values: Sequence[Value], percent_ids: set[str],
                              labels: dict[str, str]) -> list[ValidationIssue]:
    table: dict[str, list[Value]] = {}
    for v in values:
        if v.source != ValueSource.NARRATIVE and v.indicator_id and v.value_num is not None and v.column_label is None:
            table.setdefault(v.indicator_id, []).append(v)
    issues = []
    seen: set[tuple[str, float]] = set()
    for v in values:
        if v.source != ValueSource.NARRATIVE or not v.indicator_id or v.value_num is None:
            continue
        rows = table.get(v.indicator_id)
        if not rows or (v.indicator_id, v.value_num) in seen:
            continue
        seen.add((v.indicator_id, v.value_num))
        tol = 0.5 if (v.unit == "%" or v.indicator_id in percent_ids) else _EPS
        if any(abs(float(r.value_num) - _as_table_unit(v, r)) <= tol for r in rows if r.value_num is not None):
            continue
        t = rows[0]
        figures = {f"{v.indicator_id}@narrative": v.value_num, f"{v.indicator_id}@table": t.value_num}
        msg = (f"text and table disagree on {_name(v.indicator_id, labels)}: the text says "
               f"{_fmt(v.value_num)} (page {v.page}: \"{v.raw_label}\") but the table says "
               f"{_fmt(float(t.value_num or 0))} (page {t.page}, row {t.raw_code or t.raw_label!r})")
        issues.append(ValidationIssue(NARRATIVE_VS_TABLE, msg, [v.indicator_id], figures, Severity.WARNING, v.page))
    return issues


def _as_table_unit(v: Value, row: Value) -> float:
    """The text's amount in the row's unit: "2,4 tỷ đồng" in the text is 2.400 in a "Triệu đồng" row."""
    text_unit, row_unit = (v.unit or "").lower(), (row.unit or "").lower()
    if "tỷ" in text_unit and "triệu" in row_unit:
        return float(v.value_num or 0) * 1000
    if "triệu" in text_unit and "tỷ" in row_unit:
        return float(v.value_num or 0) / 1000
    return float(v.value_num or 0)


def flag_narrative_contradictions(values: Sequence[Value], catalog: Any = None) -> int:
    """Mark for review each narrative figure that the table of the same document contradicts.

    Why: a text figure that disagrees with the grid is either misread or a slip in the report;
    either way a steward must look, so it must not be auto-accepted.  Returns how many.
    """
    percent_ids = _percent_ids(catalog) if catalog is not None else set()
    issues = _check_narrative_vs_table(values, percent_ids, {})
    bad: dict[tuple[str | None, float | None], ValidationIssue] = {
        (i.indicator_ids[0], i.figures.get(f"{i.indicator_ids[0]}@narrative")): i for i in issues}
    n = 0
    for v in values:
        issue = bad.get((v.indicator_id, v.value_num)) if v.source == ValueSource.NARRATIVE else None
        if issue is None:
            continue
        table_value = issue.figures.get(f"{v.indicator_id}@table")
        v.needs_review = True
        v.review_reason = f"the table of this document says {_fmt(float(table_value or 0))} for the same indicator"
        n += 1
    return n


def validate_values(
    values: Sequence[Value],
    rules: Sequence[RuleSpec] | None = None,
    catalog: Any = None,
) -> list[ValidationIssue]:
    """Every broken rule in one document's values, each issue reported once.

    `rules` defaults to `RULES` plus the rules derived from `catalog`'s
    templates; the catalog also supplies labels for the messages and which
    indicators are percentages.  Pass `catalog=None` to use only `rules`.
    """
    labels: dict[str, str] = {}
    percent_ids: set[str] = {
        ids.KH_TY_LE, ids.KS_TY_LE_HAI_LONG, ids.PCT_VB_KY_SO, ids.PCT_VB_DIEN_TU, ids.PCT_CBCC_MAY_TINH,
        ids.PCT_CBCC_TK_DVC, ids.PCT_HS_CONG_VIEC, ids.PCT_HS_DUNG_HAN, ids.PCT_HS_TRUC_TUYEN,
        ids.PCT_TTHC_CONG_KHAI,
    }
    specs = list(RULES if rules is None else rules)
    if catalog is not None:
        labels = {k: ind.label for k, ind in getattr(catalog, "indicators", {}).items()}
        percent_ids |= _percent_ids(catalog)
        if rules is None:
            specs += rules_from_catalog(catalog)
    # The same relation can be declared by hand and derived from several templates: check it once.
    unique: dict[tuple[str, str, tuple[str, ...], str | None], RuleSpec] = {}
    for spec in specs:
        unique.setdefault((spec.rule, spec.total, spec.parts, spec.percent), spec)

    template_ids = _template_indicator_ids(values, catalog)
    singles, merged = _scopes(values)
    issues: list[ValidationIssue] = []
    seen: set[tuple[str, tuple[tuple[str, float | None], ...]]] = set()

    def add(issue: ValidationIssue | None) -> None:
        if issue is None:
            return
        key = (issue.rule, tuple(sorted(issue.figures.items())))
        if key not in seen:
            seen.add(key)
            issues.append(issue)

    for spec in unique.values():
        needed = [i for i in spec.indicator_ids]
        complete_somewhere = False
        for scope in singles:
            if all(i in scope.figures for i in needed):
                complete_somewhere = True
            add(_check(spec, scope, labels, template_ids))
        if merged is not None and not complete_somewhere:
            add(_check(spec, merged, labels, template_ids))
    for issue in _check_ranges(values, percent_ids, labels):
        add(issue)
    for issue in _check_narrative_vs_table(values, percent_ids, labels):
        add(issue)
    return issues


def validate_document(doc: Document, catalog: Any = None) -> list[ValidationIssue]:
    """`validate_values` over a document's values, with each issue's page as found."""
    return validate_values(doc.values, catalog=catalog)
