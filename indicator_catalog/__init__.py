"""The indicator catalog: harmonised indicator IDs and the templates that print them.

Every agency reports on its own variant of the Ministry's appendix (6459/BNV-CCHC),
so the same measure appears under different codes and wordings.  The catalog is
the one place that says which printed row of which template is which harmonised
indicator.  The data are human-editable YAML under ``data/`` (reviewed in diffs);
this module only loads, checks and indexes them.  It is pure (no network, no
writes) and cached, so every stage can call :func:`load_catalog` freely.

See ``docs/catalog-api.md`` for the contract and ``indicator_catalog/README.md``
for how to add a template or an alias.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cchc.core.vntext import clean, parse_codes

__all__ = [
    "CODE_RE",
    "Catalog",
    "CatalogError",
    "Indicator",
    "Template",
    "TemplateRow",
    "VALUE_KINDS",
    "LEVELS",
    "ROW_KINDS",
    "code_sort_key",
    "iter_rows",
    "load_catalog",
    "parse_codes",
]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: ~10x faster

DATA_DIR = Path(__file__).resolve().parent / "data"

VALUE_KINDS = ("count", "percent", "money", "coded", "text", "section")
LEVELS = ("bo", "tinh", "so_nganh", "huyen", "xa")
ROW_KINDS = ("section", "data", "subrow")

#: A corrected code: optional appendix prefix (``PL3.``), dot-separated numbers,
#: optionally followed by letters for unnumbered sub-rows (``2.1.a``, ``PL3.5.d``).
CODE_RE = re.compile(r"^(?:PL\d+(?:\.\d+)*|PL\d+|\d+(?:\.\d+)*)(?:\.[a-z])*$")
ID_RE = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$")


class CatalogError(ValueError):
    """The catalog data are inconsistent; the message names the file and the entry."""


def code_sort_key(code: str) -> tuple[tuple[int, int | str], ...]:
    """Order codes as printed: ``1.2 < 1.2.1 < 1.2.1.a < 1.2.2 < 2``; ``PL3`` = appendix 3."""
    parts: list[tuple[int, int | str]] = []
    for i, part in enumerate(code.split(".")):
        if i == 0 and part.startswith("PL"):
            parts.append((0, int(part[2:])))
        elif part.isdigit():
            parts.append((0, int(part)))
        else:
            parts.append((1, part))
    return tuple(parts)


@dataclass(frozen=True)
class Indicator:
    """One harmonised concept, shared by every template row that measures it."""

    id: str
    label: str
    unit: str | None = None
    value_kind: str = "count"
    codes: dict[str, int] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    description: str | None = None
    source_file: str = ""
    #: the measure shared by indicators that differ only by the level they count at
    #: (``HS_DUNG_HAN_XA``, ``HS_DUNG_HAN_HUYEN`` -> ``HS_DUNG_HAN``); defaults to the ID itself
    concept: str | None = None
    concept_level: str | None = None  # the level (LEVELS) this indicator counts at, within its concept


@dataclass(frozen=True)
class TemplateRow:
    """One printed row of a template, in printed order, mapped to its indicator."""

    template_id: str
    code: str  # corrected code (``1.2.1``; sub-rows ``2.1.a``)
    printed_code: str  # as printed ("" for unnumbered rows)
    label: str
    unit: str | None
    value_kind: str
    codes: dict[str, int]
    parent: str | None
    indicator_id: str
    kind: str = "data"  # section | data | subrow
    value_columns: tuple[str, ...] | None = None  # overrides the template's (e.g. PL4 of 004)
    note: str | None = None


@dataclass(frozen=True)
class Template:
    """A template (an appendix variant) as one agency level prints it."""

    id: str
    title: str
    source: str
    level: str
    year: int | None
    value_columns: tuple[str, ...] | None
    rows: tuple[TemplateRow, ...]
    description: str | None = None
    printed_notes: tuple[str, ...] = ()  # grid text that is not a row (merged header cells)
    source_file: str = ""

    def row(self, code: str) -> TemplateRow | None:
        """The row with this corrected code, or None."""
        return self._by_code.get(code)

    def rows_by_printed_code(self, printed_code: str) -> list[TemplateRow]:
        """Rows printed with this STT (several when the form itself misnumbers)."""
        want = printed_code.strip().rstrip(".")
        return [r for r in self.rows if r.printed_code.rstrip(".") == want and want]

    def children(self, code: str) -> list[TemplateRow]:
        return [r for r in self.rows if r.parent == code]

    @functools.cached_property
    def _by_code(self) -> dict[str, TemplateRow]:
        return {r.code: r for r in self.rows}


@dataclass
class Catalog:
    """Indicators, templates and abbreviations, indexed for the matcher."""

    version: str
    indicators: dict[str, Indicator]
    templates: dict[str, Template]
    abbreviations: dict[str, str]
    data_dir: Path
    files: tuple[str, ...] = ()

    def indicator(self, indicator_id: str) -> Indicator:
        try:
            return self.indicators[indicator_id]
        except KeyError:
            raise KeyError(f"unknown indicator {indicator_id!r}") from None

    def template(self, template_id: str) -> Template:
        try:
            return self.templates[template_id]
        except KeyError:
            raise KeyError(
                f"unknown template {template_id!r}; known: {', '.join(sorted(self.templates))}"
            ) from None

    def all_rows(self) -> list[TemplateRow]:
        """Every template row of every template, templates in id order."""
        return [r for tid in sorted(self.templates) for r in self.templates[tid].rows]

    def rows_for_indicator(self, indicator_id: str) -> list[TemplateRow]:
        """Where an indicator is printed: one row per template occurrence."""
        return list(self._rows_by_indicator.get(indicator_id, ()))

    def labels_for(self, indicator_id: str) -> list[str]:
        """Canonical label, aliases and every template label (deduplicated, NFC, in that order)."""
        ind = self.indicator(indicator_id)
        seen: dict[str, None] = {}
        for label in (ind.label, *ind.aliases, *(r.label for r in self.rows_for_indicator(indicator_id))):
            label = clean(label)
            if label and label not in seen:
                seen[label] = None
        return list(seen)

    def expand_abbreviations(self, text: str) -> str:
        """Replace whole-word abbreviations (TTHC, VBQPPL, …) with their expansions."""
        return (
            self._abbrev_re.sub(lambda m: self.abbreviations[m.group(0)], clean(text))
            if self.abbreviations
            else clean(text)
        )

    def search(self, text: str) -> list[Indicator]:
        """Indicators whose id or one label contains every word of ``text`` (case-insensitive).

        Labels are also tried with abbreviations expanded, so "thủ tục hành chính"
        finds rows printed with "TTHC".  For humans (CLI), not for matching.
        """
        words = clean(text).casefold().split()
        out = []
        for ind in self.indicators.values():
            labels = self.labels_for(ind.id)
            hay = [
                ind.id.casefold(),
                *(s.casefold() for s in labels),
                *(self.expand_abbreviations(s).casefold() for s in labels),
            ]
            if words and any(all(w in h for w in words) for h in hay):
                out.append(ind)
        return out

    @functools.cached_property
    def _rows_by_indicator(self) -> dict[str, tuple[TemplateRow, ...]]:
        idx: dict[str, list[TemplateRow]] = {}
        for r in self.all_rows():
            idx.setdefault(r.indicator_id, []).append(r)
        return {k: tuple(v) for k, v in idx.items()}

    @functools.cached_property
    def _abbrev_re(self) -> re.Pattern[str]:
        keys = sorted(self.abbreviations, key=len, reverse=True)
        return re.compile(r"(?<![\w])(?:" + "|".join(re.escape(k) for k in keys) + r")(?![\w])")

    def __hash__(self) -> int:  # usable as a cache key by the matcher
        return hash(self.version)


# --------------------------------------------------------------------------- loading


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 (safe loader)
    except yaml.YAMLError as exc:
        raise CatalogError(f"{path.name}: not valid YAML: {exc}") from exc


def _data_files(data_dir: Path) -> list[Path]:
    return sorted(p for p in data_dir.rglob("*.yaml") if p.is_file())


def _version(data_dir: Path, files: Iterable[Path]) -> str:
    h = hashlib.sha256()
    for p in files:
        h.update(p.relative_to(data_dir).as_posix().encode())
        h.update(b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:12]


def _codes(raw: Any, where: str) -> dict[str, int]:
    if raw is None:
        return {}
    if isinstance(raw, str):
        parsed = parse_codes(raw)
        if not parsed:
            raise CatalogError(f"{where}: cannot parse codes {raw!r}")
        return parsed
    if not isinstance(raw, dict) or not all(isinstance(v, int) for v in raw.values()):
        raise CatalogError(f"{where}: codes must map answer -> int, got {raw!r}")
    return {clean(k): int(v) for k, v in raw.items()}


def _load_indicators(files: list[Path]) -> dict[str, Indicator]:
    out: dict[str, Indicator] = {}
    for path in files:
        data = _read_yaml(path) or {}
        entries = data.get("indicators", data) if isinstance(data, dict) else data
        if not isinstance(entries, list):
            raise CatalogError(f"{path.name}: expected a list of indicators under 'indicators'")
        for e in entries:
            iid = str(e.get("id", ""))
            where = f"{path.name}: indicator {iid or '?'}"
            if not ID_RE.match(iid):
                raise CatalogError(f"{where}: id must be UPPER_SNAKE ASCII")
            if iid in out:
                raise CatalogError(f"{where}: duplicate id (also in {out[iid].source_file})")
            kind = e.get("value_kind", "count")
            if kind not in VALUE_KINDS:
                raise CatalogError(f"{where}: value_kind {kind!r} not in {VALUE_KINDS}")
            out[iid] = Indicator(
                id=iid,
                label=clean(e["label"]),
                unit=clean(e.get("unit")) or None,
                value_kind=kind,
                codes=_codes(e.get("codes"), where),
                aliases=tuple(clean(a) for a in e.get("aliases") or ()),
                description=clean(e.get("description")) or None,
                source_file=path.name,
                concept=_concept(e, iid, where),
                concept_level=_concept_level(e, where),
            )
    return out


def _concept(e: dict[str, Any], iid: str, where: str) -> str:
    concept = str(e.get("concept") or iid)
    if not ID_RE.match(concept):
        raise CatalogError(f"{where}: concept must be UPPER_SNAKE ASCII")
    return concept


def _concept_level(e: dict[str, Any], where: str) -> str | None:
    level = e.get("concept_level")
    if level is not None and level not in LEVELS:
        raise CatalogError(f"{where}: concept_level {level!r} not in {LEVELS}")
    return level


def _apply_steward_aliases(path: Path, indicators: dict[str, Indicator]) -> None:
    data = _read_yaml(path) or {}
    if not isinstance(data, dict):
        raise CatalogError(f"{path.name}: expected a mapping indicator_id -> [aliases]")
    for iid, aliases in data.items():
        if iid not in indicators:
            raise CatalogError(f"{path.name}: alias for unknown indicator {iid!r}")
        ind = indicators[iid]
        merged = dict.fromkeys((*ind.aliases, *(clean(a) for a in aliases or ())))
        indicators[iid] = Indicator(**{**ind.__dict__, "aliases": tuple(merged)})


def _load_template(path: Path, indicators: dict[str, Indicator]) -> Template:
    d = _read_yaml(path)
    tid = d.get("id")
    where = f"templates/{path.name}"
    if tid != path.stem:
        raise CatalogError(f"{where}: id {tid!r} must equal the file name {path.stem!r}")
    if d.get("level") not in LEVELS:
        raise CatalogError(f"{where}: level {d.get('level')!r} not in {LEVELS}")
    vcols = d.get("value_columns")
    rows: list[TemplateRow] = []
    seen: set[str] = set()
    for r in d.get("rows") or ():
        raw_code = r.get("code", "")
        code = str(raw_code)
        rw = f"{where}: row {code or '?'}"
        if not isinstance(raw_code, str) or not isinstance(r.get("parent") or "", str):
            raise CatalogError(f"{rw}: quote codes and parents ('1.2' not 1.2) so YAML keeps them as text")
        if not CODE_RE.match(code):
            raise CatalogError(f"{rw}: malformed code")
        if code in seen:
            raise CatalogError(f"{rw}: duplicate code")
        iid = r.get("indicator")
        if iid not in indicators:
            raise CatalogError(f"{rw}: unknown indicator {iid!r}")
        ind = indicators[iid]
        parent = r.get("parent")
        if parent is not None and str(parent) not in seen:
            raise CatalogError(f"{rw}: parent {parent!r} is not an earlier row")
        kind = r.get("kind") or ("subrow" if re.search(r"\.[a-z]$", code) else "data")
        if kind not in ROW_KINDS:
            raise CatalogError(f"{rw}: kind {kind!r} not in {ROW_KINDS}")
        vk = r.get("value_kind") or ("section" if kind == "section" else ind.value_kind)
        if vk not in VALUE_KINDS:
            raise CatalogError(f"{rw}: value_kind {vk!r} not in {VALUE_KINDS}")
        codes = _codes(r.get("codes"), rw) if "codes" in r else dict(ind.codes) if vk == "coded" else {}
        rvcols = r.get("value_columns")
        rows.append(
            TemplateRow(
                template_id=tid,
                code=code,
                printed_code=clean(r.get("printed_code", "")),
                label=clean(r.get("label") or ind.label),
                unit=clean(r.get("unit")) or None,
                value_kind=vk,
                codes=codes,
                parent=None if parent is None else str(parent),
                indicator_id=iid,
                kind=kind,
                value_columns=tuple(clean(c) for c in rvcols) if rvcols else None,
                note=clean(r.get("note")) or None,
            )
        )
        seen.add(code)
    return Template(
        id=tid,
        title=clean(d.get("title")),
        source=clean(d.get("source")),
        level=d["level"],
        year=d.get("year"),
        value_columns=tuple(clean(c) for c in vcols) if vcols else None,
        rows=tuple(rows),
        description=clean(d.get("description")) or None,
        printed_notes=tuple(clean(n) for n in d.get("printed_notes") or ()),
        source_file=path.name,
    )


def _load(data_dir: Path) -> Catalog:
    data_dir = data_dir.resolve()
    if not data_dir.is_dir():
        raise CatalogError(f"catalog data folder not found: {data_dir}")
    files = _data_files(data_dir)
    indicators = _load_indicators(sorted(data_dir.glob("indicators*.yaml")))
    steward = data_dir / "aliases_steward.yaml"
    if steward.exists():
        _apply_steward_aliases(steward, indicators)
    abbr_path = data_dir / "abbreviations.yaml"
    abbreviations = {}
    if abbr_path.exists():
        abbreviations = {clean(k): clean(v) for k, v in (_read_yaml(abbr_path) or {}).items()}
    templates = {}
    for p in sorted((data_dir / "templates").glob("*.yaml")):
        t = _load_template(p, indicators)
        templates[t.id] = t
    return Catalog(
        version=_version(data_dir, files),
        indicators=indicators,
        templates=templates,
        abbreviations=abbreviations,
        data_dir=data_dir,
        files=tuple(p.relative_to(data_dir).as_posix() for p in files),
    )


@functools.lru_cache(maxsize=8)
def _cached(data_dir: Path, stamp: tuple[tuple[str, int, int], ...]) -> Catalog:
    return _load(data_dir)


def _stamp(data_dir: Path) -> tuple[tuple[str, int, int], ...]:
    return tuple((p.as_posix(), p.stat().st_mtime_ns, p.stat().st_size) for p in _data_files(data_dir))


def load_catalog(data_dir: str | Path | None = None, extra_alias_files: Iterable[str | Path] = ()) -> Catalog:
    """Load (and cache) the catalog; a changed data file invalidates the cache.

    ``data_dir`` defaults to the packaged ``indicator_catalog/data``; tests pass a
    copy to check versioning and error reporting.  ``extra_alias_files`` are
    steward alias files kept outside the package (same format as
    ``aliases_steward.yaml``, e.g. ``OUT/decisions/aliases_steward.yaml``); they
    count in the catalog version, so a confirmed alias re-matches cached documents.
    """
    d = Path(data_dir).resolve() if data_dir is not None else DATA_DIR
    if not d.is_dir():
        raise CatalogError(f"catalog data folder not found: {d}")
    extras = tuple(Path(p).resolve() for p in extra_alias_files)
    if not extras:
        return _cached(d, _stamp(d))
    extra_stamp = tuple((p.as_posix(), p.stat().st_mtime_ns, p.stat().st_size) for p in extras if p.exists())
    return _with_extra_aliases(d, _stamp(d), extras, extra_stamp)


@functools.lru_cache(maxsize=8)
def _with_extra_aliases(data_dir: Path, base_stamp: tuple[tuple[str, int, int], ...], extras: tuple[Path, ...],
                        stamp: tuple[tuple[str, int, int], ...]) -> Catalog:
    base = _cached(data_dir, base_stamp)
    indicators = dict(base.indicators)
    h = hashlib.sha256(base.version.encode())
    for path in extras:
        if path.exists():
            _apply_steward_aliases(path, indicators)
            h.update(b"\0" + path.read_bytes())
    return dataclasses.replace(base, indicators=indicators, version=h.hexdigest()[:12])


def iter_rows(catalog: Catalog, template_id: str | None = None) -> Iterator[TemplateRow]:
    """Rows of one template, or of all templates when ``template_id`` is None."""
    if template_id is None:
        yield from catalog.all_rows()
    else:
        yield from catalog.template(template_id).rows
