"""The unit register: which body sent each report, as one stable `unit_id`.

`issuer` is free text read from the header ("UBND huyện Cẩm Xuyên", OCR
variants such as "Cấm Xuyên", null on a scan without a header), so analysts
cannot count reports per unit from it.  Here every document is given a unit:
matched against an analyst-supplied register (CSV) when there is one,
otherwise against units learned from the clean text layers of the same run;
OCR spellings are matched accent-blind and fuzzily (rapidfuzz), and a report
without an issuer is matched by the unit's name in its file path.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from cchc.core.vntext import LEVELS, body_key, clean, fold_key, level_of, level_words

REGISTER_COLUMNS = ("unit_id", "name", "level", "parent", "aliases")
FUZZY_CUTOFF = 88.0  # rapidfuzz ratio on accent-folded names; OCR slips score 90+, other units < 80


class RegisterError(ValueError):
    """The register CSV cannot be used (missing columns, bad level, duplicate id)."""


@dataclass
class Unit:
    unit_id: str
    name: str
    level: str | None = None
    parent: str | None = None
    aliases: list[str] = field(default_factory=list)
    source: str = "learned"  # register | learned


@dataclass(frozen=True)
class Assignment:
    unit_id: str | None
    method: str  # register | exact | fuzzy | learned | new | file_name | unmatched | none
    score: float


def learned_id(name: str) -> str:
    """Stable ID from the name alone, so the same unit keeps its ID across runs and seasons."""
    return body_key(name).replace(" ", "-") or "unknown"


def display_name(issuer: str) -> str:
    return clean(issuer).strip(" -–_*")


def read_register(path: Path) -> list[Unit]:
    """Units from an analyst's CSV: unit_id,name[,level,parent,aliases (separated by ';')]."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError) as exc:
        raise RegisterError(f"cannot read the unit register {path}: {exc}") from exc
    if not rows or not {"unit_id", "name"} <= set(rows[0]):
        raise RegisterError(f"{path}: the unit register needs a header with at least unit_id,name")
    units: dict[str, Unit] = {}
    for n, r in enumerate(rows, start=2):
        uid, name = (r.get("unit_id") or "").strip(), (r.get("name") or "").strip()
        if not uid or not name:
            raise RegisterError(f"{path} line {n}: unit_id and name are required")
        if uid in units:
            raise RegisterError(f"{path} line {n}: duplicate unit_id {uid!r}")
        level = (r.get("level") or "").strip() or level_of(name)
        if level and level not in LEVELS:
            raise RegisterError(f"{path} line {n}: level {level!r} is not one of {', '.join(LEVELS)}")
        aliases = [a.strip() for a in (r.get("aliases") or "").split(";") if a.strip()]
        units[uid] = Unit(uid, display_name(name), level, (r.get("parent") or "").strip() or None, aliases,
                          "register")
    return list(units.values())


class Register:
    """Units and the folded names they answer to; matches issuers to them."""

    def __init__(self, units: Iterable[Unit] = ()) -> None:
        self.units: dict[str, Unit] = {}
        self._keys: dict[str, str] = {}
        for u in units:
            self.add(u)

    def add(self, unit: Unit) -> None:
        self.units[unit.unit_id] = unit
        for name in [unit.name, *unit.aliases]:
            self._keys.setdefault(body_key(name), unit.unit_id)

    def match(self, issuer: str) -> Assignment:
        key = body_key(issuer)
        if not key:
            return Assignment(None, "none", 0.0)
        if key in self._keys:
            return Assignment(self._keys[key], "exact", 100.0)
        level = level_of(issuer)
        keys = [k for k, uid in self._keys.items() if level is None or self.units[uid].level in (None, level)]
        hit = process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if hit is None:
            return Assignment(None, "unmatched", 0.0)
        return Assignment(self._keys[hit[0]], "fuzzy", round(float(hit[1]), 1))

    def match_path(self, path: str) -> Assignment:
        """A report without an issuer, by the unit's name written in its path ("…_camxuyen_…")."""
        squeezed = fold_key(path).replace(" ", "")
        best: tuple[int, str] | None = None
        for key, uid in self._keys.items():
            place = key[len(level_words(key)):].replace(" ", "")
            if len(place) >= 5 and place in squeezed and (best is None or len(place) > best[0]):
                best = (len(place), uid)
        return Assignment(best[1], "file_name", 50.0) if best else Assignment(None, "none", 0.0)


def assign_units(docs: Sequence[dict[str, Any]], register_units: Sequence[Unit] | None = None
                 ) -> tuple[Register, list[Assignment]]:
    """One Assignment per document (same order) and the register they point into.

    With `register_units` only those units are used (an unknown issuer is
    `unmatched`); otherwise units are learned from documents read from a clean
    text layer first, so OCR spellings attach to them rather than the reverse.
    """
    reg = Register(register_units or ())
    learning = not register_units
    order = sorted(range(len(docs)), key=lambda i: (docs[i].get("text_source") != "text", docs[i].get("source_path") or ""))
    result: dict[int, Assignment] = {}
    for i in order:
        d = docs[i]
        issuer = d.get("issuer")
        if d.get("status") == "failed" or not issuer:
            continue
        a = reg.match(issuer)
        if a.unit_id is None and learning:
            name = display_name(issuer)
            unit = Unit(learned_id(name), name, level_of(name))
            if unit.unit_id in reg.units:  # same key spelt differently: keep the first spelling
                a = Assignment(unit.unit_id, "exact", 100.0)
            else:
                reg.add(unit)
                a = Assignment(unit.unit_id, "learned" if d.get("text_source") == "text" else "new", 100.0)
        elif a.unit_id is not None and register_units:
            a = Assignment(a.unit_id, "register" if a.method == "exact" else a.method, a.score)
        result[i] = a
    for i, d in enumerate(docs):
        if i not in result:
            result[i] = reg.match_path(d.get("source_path") or "") if d.get("status") != "failed" else Assignment(
                None, "none", 0.0)
    return reg, [result[i] for i in range(len(docs))]


def unit_columns(docs: Sequence[dict[str, Any]], register_units: Sequence[Unit] | None = None
                 ) -> tuple[dict[str, list[Any]], list[dict[str, Any]]]:
    """The documents' unit columns and the rows of units.parquet."""
    reg, assignments = assign_units(docs, register_units)
    cols: dict[str, list[Any]] = {k: [] for k in ("unit_id", "unit_name", "unit_level", "unit_parent",
                                                 "unit_method", "unit_score")}
    seen: dict[str, list[dict[str, Any]]] = {}
    for d, a in zip(docs, assignments, strict=True):
        u = reg.units.get(a.unit_id) if a.unit_id else None
        cols["unit_id"].append(a.unit_id)
        cols["unit_name"].append(u.name if u else None)
        cols["unit_level"].append(u.level if u else None)
        cols["unit_parent"].append(u.parent if u else None)
        cols["unit_method"].append(a.method)
        cols["unit_score"].append(a.score)
        if u is not None:
            seen.setdefault(u.unit_id, []).append(d)
    units = []
    for u in sorted(reg.units.values(), key=lambda u: u.unit_id):
        ds = seen.get(u.unit_id, [])
        periods = sorted({f"{d['report_year']}-{d['period_type']}" for d in ds
                          if d.get("report_year") and d.get("period_type")})
        units.append({"unit_id": u.unit_id, "name": u.name, "level": u.level, "parent": u.parent,
                      "aliases": list(u.aliases), "source": u.source, "n_documents": len(ds), "periods": periods})
    return cols, units


def missing_units(units: Sequence[dict[str, Any]], expected: Sequence[Unit], period: str | None = None
                  ) -> list[Unit]:
    """Expected units with no report (in `period`, e.g. "2021-H1", when given).

    An expected unit counts as reporting when a unit of the dataset has its
    unit_id, or its name matches (accent-blind, fuzzily) one of the expected
    unit's names.
    """
    have = [u for u in units if u["n_documents"] and (period is None or period in (u.get("periods") or []))]
    ids = {u["unit_id"] for u in have}
    reg = Register(Unit(u["unit_id"], u["name"], u.get("level")) for u in have)
    missing = []
    for e in expected:
        if e.unit_id in ids:
            continue
        if any(reg.match(n).unit_id for n in [e.name, *e.aliases]):
            continue
        missing.append(e)
    return missing
