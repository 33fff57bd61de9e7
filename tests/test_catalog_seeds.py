"""Every printed row of every seed template is in the catalog, in order, with its label and unit.

The seed texts (`samples/seeds/`) are read here with independent parsers
(`tests/catalog_seedtext.py`), so a row dropped, added or misplaced in the YAML
fails the test.
"""

from __future__ import annotations

import re

import pytest
from rapidfuzz import fuzz

from tests import catalog_seedtext as seeds


def _seed_rows(tid: str, notes: tuple[str, ...]) -> list[seeds.SeedRow]:
    if tid == "ministry_6459_app1":
        return seeds.parse_000()["app1"]
    if tid == "province_6459_app2":
        return seeds.parse_000()["app2"]
    if tid == "department_bdt_2023":
        return seeds.parse_tabbed("002", "Phụ lục\n")
    if tid == "district_camxuyen_2021":
        return seeds.parse_tabbed("003", "Phụ lục II")
    if tid == "commune_2024":
        return seeds.parse_001()
    if tid == "district_trieuson_2011_2020":
        return seeds.parse_004(notes)
    raise KeyError(tid)


def _key(s: str) -> str:
    return seeds.norm(s).lower().rstrip(" .;:,")


TEMPLATES = [
    "ministry_6459_app1",
    "province_6459_app2",
    "department_bdt_2023",
    "district_camxuyen_2021",
    "commune_2024",
    "district_trieuson_2011_2020",
]


@pytest.mark.parametrize("tid", TEMPLATES)
def test_template_rows_match_the_seed(cat, tid):
    t = cat.template(tid)
    seed = _seed_rows(tid, t.printed_notes)
    # 004's appendix-4 sub-table titles (printed I, II) are not grid rows
    rows = [r for r in t.rows if r.printed_code not in ("I", "II")]
    assert len(rows) == len(seed), f"{tid}: catalog has {len(rows)} rows, seed prints {len(seed)}"
    last_numbered = None
    for r, s in zip(rows, seed, strict=True):
        where = f"{tid} {r.code} / seed {s.printed_code!r} {s.label[:50]!r}"
        printed = "" if s.printed_code == "Trong đó" else s.printed_code
        assert r.printed_code == printed, where
        score = fuzz.ratio(_key(r.label), _key(s.label))
        if tid == "commune_2024" and printed and _key(s.label).startswith(_key(r.label)):
            score = 100  # layout text: the unit and value follow the label on the same line
        assert score >= 90, f"{where}: label {r.label!r} ({score:.0f})"
        if s.unit and tid != "commune_2024":
            assert seeds.norm(r.unit or "") == seeds.norm(s.unit), where
        if re.match(r"^\d", printed):
            last_numbered = r.code
        elif s.table.startswith("PL4."):  # 004 appendix 4: indicators are column headers
            assert r.parent in ("PL4.1", "PL4.2") and r.value_columns, where
        else:  # unnumbered ("Trong đó" sub-rows, empty STT, "-" bullets): parent code + letter
            assert r.parent is not None and re.fullmatch(re.escape(r.parent) + r"\.[a-z]", r.code), where
            if s.in_trong_do:
                assert r.kind == "subrow" and r.parent == last_numbered, where


def _count_numbered_000(block: str) -> int:
    return len(re.findall(r"(?m)^\t\d+(?:\.\d+)*\.?[ \t]*$", block))


def test_numbered_row_counts_against_raw_seed_text(cat):
    """A second, cruder count straight from the text: lines that are an STT code."""
    text = seeds.read("000")
    a1 = text[text.index("PHỤ LỤC 1") : text.index("PHỤ LỤC 2")]
    a2 = text[text.index("PHỤ LỤC 2") :]

    def numbered(tid: str) -> int:
        return sum(1 for r in cat.template(tid).rows if re.match(r"^\d", r.printed_code))

    assert numbered("ministry_6459_app1") == _count_numbered_000(a1)
    assert numbered("province_6459_app2") == _count_numbered_000(a2)
    assert a1.count("\tTrong đó") == len(
        {r.parent for r in cat.template("ministry_6459_app1").rows if r.kind == "subrow"}
    )

    t002 = seeds.read("002")
    assert numbered("department_bdt_2023") == len(
        re.findall(r"(?m)^\d+(?:\.\d+)*\.?\t", t002[t002.index("Phụ lục\n") :])
    )
    t003 = seeds.read("003")
    assert numbered("district_camxuyen_2021") == len(
        re.findall(r"(?m)^\d+(?:\.\d+)*\.?\t", t003[t003.index("Phụ lục II") :])
    )
    t001 = seeds.read("001")
    grid = t001[t001.index("PHỤ LỤC SỐ II") :]
    assert numbered("commune_2024") == len(re.findall(r"(?m)^\s*\d+\.(?:\d+\.?)*\s", grid))
    t004 = seeds.read("004")
    grid = t004[t004.index("PHỤ LỤC KÈM THEO") :]
    assert numbered("district_trieuson_2011_2020") == len(re.findall(r"(?m)^\| \d+ \|", grid))


def test_printed_notes_really_are_in_the_seed(cat):
    text = seeds.read("004")
    for note in cat.template("district_trieuson_2011_2020").printed_notes:
        assert note in text


def test_coded_units_match_the_seed_legends(cat):
    """The codes a row carries are those its seed prints (e.g. 'Chưa làm = 0' in app. 1 vs 'Chưa = 0')."""
    from indicator_catalog import parse_codes

    for tid in ("ministry_6459_app1", "province_6459_app2", "department_bdt_2023", "district_camxuyen_2021"):
        t = cat.template(tid)
        rows = [r for r in t.rows if r.printed_code not in ("I", "II")]
        for r, s in zip(rows, _seed_rows(tid, t.printed_notes), strict=True):
            assert r.codes == parse_codes(s.unit), (tid, r.code, s.unit)
