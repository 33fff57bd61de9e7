"""The indicator catalog's data are consistent and its API does what the matcher needs."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from indicator_catalog import (
    CODE_RE,
    LEVELS,
    ROW_KINDS,
    VALUE_KINDS,
    CatalogError,
    code_sort_key,
    load_catalog,
    parse_codes,
)

TEMPLATE_IDS = {
    "ministry_6459_app1",
    "province_6459_app2",
    "commune_2024",
    "department_bdt_2023",
    "district_camxuyen_2021",
    "district_trieuson_2011_2020",
}


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    src = load_catalog().data_dir
    dst = tmp_path / "data"
    shutil.copytree(src, dst)
    return dst


# ----------------------------------------------------------------- structure


def test_all_six_templates_load(cat):
    assert set(cat.templates) == TEMPLATE_IDS
    for t in cat.templates.values():
        assert t.level in LEVELS
        assert t.source and t.title and t.rows
    assert cat.template("province_6459_app2").level == "tinh"
    assert cat.template("ministry_6459_app1").level == "bo"
    assert cat.template("commune_2024").level == "xa"
    assert cat.template("department_bdt_2023").level == "so_nganh"
    assert cat.template("district_camxuyen_2021").level == "huyen"


def test_indicator_ids_are_unique_and_well_formed(cat):
    ids = list(cat.indicators)
    assert len(ids) == len(set(ids))
    for iid, ind in cat.indicators.items():
        assert re.fullmatch(r"[A-Z][A-Z0-9]*(_[A-Z0-9]+)*", iid), iid
        assert ind.value_kind in VALUE_KINDS
        assert ind.label == ind.label.strip() and ind.label


def test_every_row_maps_to_an_existing_indicator_and_parent(cat):
    for t in cat.templates.values():
        codes = [r.code for r in t.rows]
        assert len(codes) == len(set(codes)), t.id
        for r in t.rows:
            assert r.indicator_id in cat.indicators, (t.id, r.code)
            assert CODE_RE.match(r.code), (t.id, r.code)
            assert r.kind in ROW_KINDS and r.value_kind in VALUE_KINDS
            if r.parent is not None:
                assert t.row(r.parent) is not None, (t.id, r.code, r.parent)
                assert r.code.startswith(r.parent + "."), (t.id, r.code, r.parent)
            if r.kind == "subrow":
                assert re.search(r"\.[a-z]$", r.code) and r.parent, (t.id, r.code)


def test_codes_strictly_increase_in_printed_order(cat):
    for t in cat.templates.values():
        keys = [code_sort_key(r.code) for r in t.rows]
        bad = [
            (a.code, b.code)
            for a, b, ka, kb in zip(t.rows, t.rows[1:], keys, keys[1:], strict=False)
            if not ka < kb
        ]
        assert not bad, (t.id, bad)


def test_code_sort_key_orders_subrows_and_appendices():
    seq = ["1", "1.2", "1.2.1", "1.2.1.a", "1.2.1.b", "1.2.2", "1.10", "2"]
    assert sorted(seq, key=code_sort_key) == seq
    seq = ["PL1.1", "PL1.1.a", "PL1.2", "PL3.5.d", "PL3.6", "PL10.1"]
    assert sorted(seq, key=code_sort_key) == seq


def test_only_subrows_and_section_headings_lack_a_printed_number(cat):
    for t in cat.templates.values():
        for r in t.rows:
            if r.printed_code in ("I", "II"):  # sub-table titles of 004's appendix 4
                assert r.kind == "section" and r.code.startswith("PL4."), (t.id, r.code)
            elif r.printed_code in ("", "-"):
                assert r.parent is not None, (t.id, r.code)
            else:
                assert re.fullmatch(r"\d+(\.\d+)*\.?", r.printed_code), (t.id, r.code, r.printed_code)


# ----------------------------------------------------------------- the forms' own numbering errors


def test_6459_app2_duplicated_122_is_corrected(cat):
    t = cat.template("province_6459_app2")
    rows = [t.row(f"1.2.{i}") for i in range(1, 5)]
    assert [r.printed_code for r in rows] == ["1.2.1.", "1.2.2.", "1.2.2.", "1.2.3"]
    assert [r.indicator_id for r in rows] == [
        "KT_SO_SO_NGANH",
        "KT_SO_UBND_HUYEN",
        "KT_VAN_DE_PHAT_HIEN",
        "KT_VAN_DE_DA_XU_LY",
    ]
    assert len(t.rows_by_printed_code("1.2.2")) == 2


@pytest.mark.parametrize("tid", ["department_bdt_2023", "district_camxuyen_2021"])
def test_111_printed_under_12_is_corrected(cat, tid):
    t = cat.template(tid)
    rows = [t.row(f"1.2.{i}") for i in range(1, 5)]
    assert [r.printed_code for r in rows] == ["1.1.1.", "1.1.2.", "1.1.3.", "1.1.4."]
    assert all(r.parent == "1.2" for r in rows)
    assert t.row("1.2.3").indicator_id == "KT_VAN_DE_PHAT_HIEN"
    assert t.row("1.1.1").indicator_id == "KH_NHIEM_VU_DE_RA"  # the real 1.1.1 is untouched


def test_unnumbered_rows_get_parent_letter_codes(cat):
    d = cat.template("district_camxuyen_2021")
    assert [(r.code, r.parent) for r in d.children("4.1")] == [("4.1.a", "4.1"), ("4.1.b", "4.1")]
    assert d.row("4.1.a").indicator_id == "DVSNCL_THUOC_UBND_HUYEN"
    assert [r.code for r in d.children("7.1.6.1")] == ["7.1.6.1.a", "7.1.6.1.b"]
    c = cat.template("commune_2024")
    assert [r.indicator_id for r in c.children("1.1")] == ["KH_NHIEM_VU_DE_RA", "KH_NHIEM_VU_HOAN_THANH"]
    assert [r.code for r in c.children("5.4")] == ["5.4.a", "5.4.b", "5.4.c"]  # c: cut by a page break
    p = cat.template("province_6459_app2")
    assert [r.label for r in p.children("3.1.3")] == [
        "Số TTHC cấp tỉnh;",
        "Số TTHC cấp huyện;",
        "Số TTHC cấp xã;",
    ]


def test_multi_year_template_columns_and_appendix_codes(cat):
    t = cat.template("district_trieuson_2011_2020")
    assert (
        t.value_columns[0] == "Năm 2011"
        and t.value_columns[-1].startswith("Năm 2020")
        and len(t.value_columns) == 10
    )
    assert {r.code.split(".")[0] for r in t.rows} == {f"PL{i}" for i in range(1, 8)}
    assert t.row("PL3.1.a").parent == "PL3.1"
    pl4 = [r for r in t.rows if r.code.startswith("PL4.") and r.kind != "section"]
    assert len(pl4) == 8 and all(r.value_columns and r.value_columns[0].startswith("Giai đoạn") for r in pl4)
    assert t.row("PL2.4").indicator_id == "VBQPPL_KIEM_TRA"
    assert t.row("PL3.5.c").indicator_id == "HS_TY_LE_DUNG_HAN_XA"


# ----------------------------------------------------------------- coded answers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chưa = 0 / Hoàn thành = 1", {"Chưa": 0, "Hoàn thành": 1}),
        ("Không - 0\nCó - 1", {"Không": 0, "Có": 1}),
        ("Chưa = 0\nĐang làm = 1\n\nHoàn thành = 2", {"Chưa": 0, "Đang làm": 1, "Hoàn thành": 2}),
        ("Chưa có = 0 2 cấp = 1 3 cấp = 2", {"Chưa có": 0, "2 cấp": 1, "3 cấp": 2}),
        ("Trực tuyến = \n0 \nPhát phiếu = 1 \nKết hợp = 2", {"Trực tuyến": 0, "Phát phiếu": 1, "Kết hợp": 2}),
        ("Đã thực hiện = 1 Chưa thực hiện = 0", {"Đã thực hiện": 1, "Chưa thực hiện": 0}),
        ("Có tổ chức =1, Không tổ chức =0", {"Có tổ chức": 1, "Không tổ chức": 0}),
        ("Người", {}),
        ("%", {}),
        ("Cơ quan, đơn vị", {}),
        ("Điểm = Tỷ lệ * Điểm tối đa", {}),
        ("", {}),
        (None, {}),
    ],
)
def test_parse_codes(text, expected):
    assert parse_codes(text) == expected


def test_coded_rows_carry_their_printed_legend(cat):
    coded = [r for r in cat.all_rows() if r.value_kind == "coded"]
    assert len(coded) >= 30
    for r in coded:
        assert r.codes and all(isinstance(k, str) and isinstance(v, int) for k, v in r.codes.items()), r
        if r.unit and "=" in r.unit or (r.unit and " - " in r.unit):
            assert parse_codes(r.unit) == r.codes, (r.template_id, r.code)
    ind = cat.indicator("HE_THONG_BAO_CAO")
    assert ind.codes == {"Chưa": 0, "Đang làm": 1, "Hoàn thành": 2}
    assert cat.template("ministry_6459_app1").row("7.2").codes == {
        "Chưa làm": 0,
        "Đang làm": 1,
        "Hoàn thành": 2,
    }
    assert cat.template("ministry_6459_app1").row("1.4").codes == {"Không": 0, "Có": 1}
    assert cat.indicator("TT_CUOC_THI").codes == {"Không tổ chức": 0, "Có tổ chức": 1}


# ----------------------------------------------------------------- harmonisation


def _ids(cat, pairs):
    return {cat.template(t).row(c).indicator_id for t, c in pairs}


@pytest.mark.parametrize(
    ("expected", "pairs"),
    [
        (
            "TTHC_CONG_BO_MOI",
            [
                ("province_6459_app2", "3.1.1"),
                ("district_camxuyen_2021", "3.1.1"),
                ("commune_2024", "3.1.1"),
                ("ministry_6459_app1", "3.1.1"),
                ("department_bdt_2023", "3.1.1"),
            ],
        ),
        (
            "BIEN_CHE_GIAO",
            [
                ("province_6459_app2", "4.2.1"),
                ("ministry_6459_app1", "4.2.1"),
                ("commune_2024", "4.2.1"),
                ("district_camxuyen_2021", "4.2.1"),
                ("district_trieuson_2011_2020", "PL5.1.a"),
            ],
        ),
        (
            "KH_NHIEM_VU_DE_RA",
            [("province_6459_app2", "1.1.1"), ("commune_2024", "1.1.a"), ("department_bdt_2023", "1.1.1")],
        ),
        ("LGSP", [("province_6459_app2", "7.5"), ("department_bdt_2023", "7.5"), ("commune_2024", "7.4")]),
        (
            "HE_THONG_BAO_CAO",
            [
                ("province_6459_app2", "7.3"),
                ("ministry_6459_app1", "7.2"),
                ("district_camxuyen_2021", "7.1.3"),
                ("commune_2024", "7.3"),
            ],
        ),
        (
            "VBQPPL_KIEM_TRA",
            [
                ("province_6459_app2", "2.2"),
                ("ministry_6459_app1", "2.3"),
                ("commune_2024", "2.2"),
                ("district_trieuson_2011_2020", "PL2.4"),
            ],
        ),
        (
            "KT_VAN_DE_PHAT_HIEN",
            [
                ("province_6459_app2", "1.2.3"),
                ("ministry_6459_app1", "1.2.2"),
                ("department_bdt_2023", "1.2.3"),
                ("commune_2024", "1.2.3.a"),
            ],
        ),
        (
            "HS_TY_LE_DUNG_HAN_XA",
            [
                ("province_6459_app2", "3.4.3"),
                ("district_camxuyen_2021", "3.4.3"),
                ("commune_2024", "3.4.2"),
                ("district_trieuson_2011_2020", "PL3.5.c"),
            ],
        ),
        (
            "HOP_TRUC_TUYEN",
            [("province_6459_app2", "7.2"), ("district_camxuyen_2021", "7.1.2"), ("commune_2024", "7.2")],
        ),
        (
            "VB_TY_LE_DIEN_TU_HOAN_TOAN",
            [
                ("province_6459_app2", "7.6.2.a"),
                ("ministry_6459_app1", "7.5.a"),
                ("commune_2024", "7.5.2.a"),
                ("district_camxuyen_2021", "7.1.6.2.a"),
            ],
        ),
        (
            "TC_DVSN_TU_CHU_CHI_TX",
            [
                ("province_6459_app2", "6.2"),
                ("commune_2024", "6.2.3"),
                ("district_trieuson_2011_2020", "PL6.2.b"),
            ],
        ),
        (
            "DVCTT_TTHC_MD3",
            [
                ("province_6459_app2", "7.8.1"),
                ("ministry_6459_app1", "7.7.1"),
                ("district_camxuyen_2021", "7.1.8.1"),
            ],
        ),
    ],
)
def test_same_concept_same_id_across_templates(cat, expected, pairs):
    assert _ids(cat, pairs) == {expected}


def test_different_concepts_get_different_ids(cat):
    app1, app2 = cat.template("ministry_6459_app1"), cat.template("province_6459_app2")
    assert app1.row("1.2.1").indicator_id != app2.row("1.2.1").indicator_id  # cơ quan thuộc bộ vs sở, ngành
    c = cat.template("commune_2024")
    # the same printed sub-row label under different parents is a different population
    assert c.row("3.4.1.a").indicator_id != c.row("3.4.2.a").indicator_id
    assert c.row("3.2.1.a").indicator_id != c.row("3.2.2.a").indicator_id
    # within one template no two data rows share an indicator
    for t in cat.templates.values():
        seen: dict[str, str] = {}
        for r in t.rows:
            if r.kind != "section":
                assert r.indicator_id not in seen, (t.id, r.code, seen.get(r.indicator_id))
                seen[r.indicator_id] = r.code


def test_dossier_concepts_from_templates_exist(cat):
    for iid in (
        "HS_TONG_SO",
        "HS_TIEP_NHAN_TRUC_TUYEN",
        "HS_DA_GIAI_QUYET_XA",
        "HS_DUNG_HAN_XA",
        "HS_DA_GIAI_QUYET_HUYEN",
        "HS_DUNG_HAN_HUYEN",
    ):
        assert cat.rows_for_indicator(iid), iid
    assert cat.template("commune_2024").row("3.2.4.a").indicator_id == "HS_TONG_SO"
    assert cat.template("commune_2024").row("3.4.2.b").indicator_id == "HS_DUNG_HAN_XA"


def test_indicator_value_kinds_follow_their_rows(cat):
    assert cat.indicator("BIEN_CHE_TY_LE_TINH_GIAN_2015").value_kind == "percent"
    assert cat.indicator("GIAI_NGAN_DTC_KE_HOACH").value_kind == "money"
    assert cat.indicator("KIEN_TRUC_CPDT").value_kind == "coded"
    assert cat.indicator("LV_THE_CHE").value_kind == "section"
    assert cat.indicator("TTHC_CONG_BO_MOI").value_kind == "count"
    assert cat.indicator("TT_HINH_THUC_KHAC").value_kind == "text"


# ----------------------------------------------------------------- API for the matcher


def test_matcher_helpers(cat):
    rows = cat.all_rows()
    assert len(rows) == sum(len(t.rows) for t in cat.templates.values())
    occ = cat.rows_for_indicator("TTHC_CONG_BO_MOI")
    assert {r.template_id for r in occ} == {
        "province_6459_app2",
        "ministry_6459_app1",
        "department_bdt_2023",
        "district_camxuyen_2021",
        "commune_2024",
    }
    labels = cat.labels_for("TTHC_CONG_BO_MOI")
    assert labels[0] == cat.indicator("TTHC_CONG_BO_MOI").label
    assert "Số TTHC công bố mới thuộc thẩm quyền" in labels  # a template label
    assert "Số thủ tục hành chính công bố mới" in labels  # an alias (abbreviation expanded)
    assert len(labels) == len(set(labels))
    assert cat.rows_for_indicator("NO_SUCH_ID") == []
    with pytest.raises(KeyError):
        cat.indicator("NO_SUCH_ID")
    with pytest.raises(KeyError, match="known"):
        cat.template("no_such_template")


def test_abbreviations_cover_the_common_forms(cat):
    for abbr in (
        "TTHC",
        "VBQPPL",
        "ĐVSN",
        "ĐVSNCL",
        "DVC",
        "CCHC",
        "SNCL",
        "NSNN",
        "BCCI",
        "CQNN",
        "HTQLCL",
        "PAKN",
        "QPPL",
        "UBND",
        "HĐND",
        "CNTT",
    ):
        assert cat.abbreviations.get(abbr), abbr
    assert (
        cat.expand_abbreviations("Số ĐVSNCL thuộc UBND tỉnh")
        == "Số đơn vị sự nghiệp công lập thuộc Ủy ban nhân dân tỉnh"
    )
    assert cat.expand_abbreviations("Số VBQPPL; QPPL") == "Số văn bản quy phạm pháp luật; quy phạm pháp luật"


def test_labels_are_nfc(cat):
    import unicodedata

    for r in cat.all_rows():
        assert unicodedata.is_normalized("NFC", r.label)
    for ind in cat.indicators.values():
        assert all(unicodedata.is_normalized("NFC", s) for s in (ind.label, *ind.aliases))


# ----------------------------------------------------------------- loading, merging, versioning


def test_load_is_cached(cat):
    """Loading again returns the same object (speed itself is measured by `make bench`, not here)."""
    assert load_catalog() is cat


def test_version_is_content_hash(data_copy: Path):
    v1 = load_catalog(data_copy).version
    assert re.fullmatch(r"[0-9a-f]{12}", v1)
    assert v1 == load_catalog().version  # same bytes, same version
    path = data_copy / "templates" / "commune_2024.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Số TTHC cấp xã", "Số TTHC cấp xã (sửa)", 1), encoding="utf-8")
    cat2 = load_catalog(data_copy)
    assert cat2.version != v1
    assert any("(sửa)" in r.label for r in cat2.template("commune_2024").rows)


def test_every_indicators_file_is_merged(data_copy: Path):
    (data_copy / "indicators_extra.yaml").write_text(
        "indicators:\n- id: TEST_EXTRA\n  label: Chỉ tiêu thử\n  value_kind: count\n", encoding="utf-8"
    )
    cat = load_catalog(data_copy)
    assert "TEST_EXTRA" in cat.indicators and "TTHC_CONG_BO_MOI" in cat.indicators


def test_duplicate_id_across_files_is_an_error(data_copy: Path):
    (data_copy / "indicators_dup.yaml").write_text(
        "indicators:\n- id: TTHC_CONG_BO_MOI\n  label: trùng\n", encoding="utf-8"
    )
    with pytest.raises(CatalogError, match="duplicate id"):
        load_catalog(data_copy)


def test_unknown_indicator_in_template_is_an_error(data_copy: Path):
    path = data_copy / "templates" / "province_6459_app2.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("indicator: TTHC_CONG_BO_MOI", "indicator: TTHC_NOPE", 1),
        encoding="utf-8",
    )
    with pytest.raises(CatalogError, match=r"province_6459_app2.yaml: row 3.1.1: unknown indicator"):
        load_catalog(data_copy)


def test_unquoted_code_is_an_error(data_copy: Path):
    path = data_copy / "templates" / "province_6459_app2.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("code: '1.1'\n", "code: 1.1\n", 1), encoding="utf-8"
    )
    with pytest.raises(CatalogError, match="quote codes"):
        load_catalog(data_copy)


def test_steward_aliases_are_merged_and_reversible(data_copy: Path):
    (data_copy / "aliases_steward.yaml").write_text(
        "TTHC_CONG_BO_MOI:\n- Số TTHC mới được công bố\n", encoding="utf-8"
    )
    cat = load_catalog(data_copy)
    assert "Số TTHC mới được công bố" in cat.labels_for("TTHC_CONG_BO_MOI")
    (data_copy / "aliases_steward.yaml").unlink()
    assert "Số TTHC mới được công bố" not in load_catalog(data_copy).labels_for("TTHC_CONG_BO_MOI")
