"""One rule for a body's administrative level: `cchc.core.vntext.level_of`.

The narrative stage had its own issuer rule (`pipeline.narrative.level_of_issuer`, regexes on
the accented name) beside `level_of` (folded name, used by the unit register). They were
compared on the issuers of the bundled samples and on letterhead-like names in the seeds'
style; where they disagreed, the decision and its reason are `DECIDED` below, and only
`level_of` is kept.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cchc.core.vntext import LEVELS, level_of
from indicator_catalog import Catalog

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

#: names both rules placed alike (the old issuer rule's own test cases among them)
AGREED: list[tuple[str | None, str | None]] = [
    ("UBND huyện Đầm Hà", "huyen"),
    ("UBND xã Bình Yên", "xa"),
    ("UBND tỉnh Ninh Bình", "tinh"),
    ("Sở Tài nguyên và Môi trường", "so_nganh"),
    ("Ban Dân tộc", "so_nganh"),
    ("Bộ Nội vụ", "bo"),
    ("BỘ NỘI VỤ", "bo"),
    ("Bộ Khoa học và Công nghệ", "bo"),
    ("UBND thị xã Sơn Tây", "huyen"),
    ("UBND thị trấn Triệu Sơn", "xa"),
    ("UBND phường Bến Nghé", "xa"),
    ("UBND quận 1", "huyen"),
    ("HĐND tỉnh Thanh Hóa", "tinh"),
    ("ỦY BAN NHÂN DÂN\nHUYỆN CẨM XUYÊN", "huyen"),  # the letterhead on two lines
    ("UBND huyện Cấm Xuyên", "huyen"),  # an OCR'd tone mark
    ("Văn phòng UBND tỉnh Ninh Bình", "so_nganh"),
    ("Thanh tra tỉnh", "so_nganh"),
    ("Sở Nội vụ Thừa Thiên Huế", "so_nganh"),
    ("Sở Lao động - Thương binh và Xã hội", "so_nganh"),  # "xã hội" names no commune
    ("Ban Quản lý dự án", "so_nganh"),  # "quản" is not "quận"
    ("Ủy ban nhân dân", None),
    ("Công ty ABC", None),
    ("Báo cáo", None),
    ("", None),
    (None, None),
]

#: (name, old issuer rule, kept answer, why)
DECIDED: list[tuple[str, str | None, str | None, str]] = [
    ("Uỷ ban nhân dân xã Bình Yên", None, "xa", "the old tone placement (Uỷ) is the same body"),
    ("Hội đồng nhân dân xã Bình Yên", None, "xa", "HĐND spelt out, as letterheads print it"),
    ("  UBND huyện Đầm Hà", None, "huyen", "leading blanks from a text layer change nothing"),
    ("UBND thành phố Hà Tĩnh", None, "huyen", "a city under a province is district-level"),
    ("UBND TP Hà Tĩnh", None, "huyen", "TP is how letterheads shorten thành phố"),
    ("UBND TP. Hồ Chí Minh", None, "tinh", "a centrally-run city is province-level"),
    ("Thành phố Hà Nội", None, "tinh", "same, without UBND"),
    ("Thành phố Huế", None, "tinh", "Huế is centrally run"),
    ("Thị xã Kỳ Anh", None, "huyen", "a town (thị xã) is district-level, with or without UBND"),
    ("Cục Thuế tỉnh Hà Tĩnh", None, "so_nganh", "a provincial agency reports like a department"),
    ("Chi cục Kiểm lâm", None, "so_nganh", "a sub-department of a Sở"),
    ("Trung tâm Phục vụ hành chính công tỉnh", None, "so_nganh", "a provincial agency"),
    ("Phòng Nội vụ huyện Cẩm Xuyên", None, "huyen", "a district's own office works at district level"),
    ("Thanh tra huyện Triệu Sơn", None, "huyen", "same (the old rule knew only Thanh tra tỉnh)"),
    ("Văn phòng HĐND và UBND huyện Cẩm Xuyên", None, "huyen", "same: the district's office, not a Sở"),
    ("Văn phòng UBND xã Bình Yên", None, "xa", "a commune's office works at commune level"),
]


@pytest.mark.parametrize(("name", "level"), AGREED)
def test_names_the_two_old_rules_agreed_on(name: str | None, level: str | None) -> None:
    assert level_of(name) == level


@pytest.mark.parametrize(("name", "old", "level", "why"), DECIDED)
def test_names_the_two_old_rules_disagreed_on(name: str, old: str | None, level: str | None, why: str) -> None:
    assert level_of(name) == level, why
    assert level != old  # a row here is a decision, not a case the rules already shared


def test_every_level_is_a_catalog_level(cat: Catalog) -> None:
    answers = {level_of(n) for n, _ in AGREED} | {level for _, _, level, _ in DECIDED}
    assert answers - {None} <= set(LEVELS)
    assert {t.level for t in cat.templates.values()} <= set(LEVELS)


def test_sample_issuers_have_their_templates_level(cat: Catalog) -> None:
    """The issuer named in a sample's truth is at the level of the template its appendix follows."""
    seen = 0
    for path in sorted(SAMPLES.rglob("*.truth.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))
        issuer = (truth.get("metadata") or {}).get("issuer")
        if issuer and truth.get("template_id"):
            assert level_of(issuer) == cat.template(truth["template_id"]).level, (path.name, issuer)
            seen += 1
    assert seen >= 8
