"""The unit register: issuers → stable unit_id, level and parent; `cchc units` and the missing units."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cchc.core.units import Register, RegisterError, assign_units, learned_id, read_register
from cchc.core.vntext import level_of
from tests.analyst_support import TEXT, cchc

REGISTER = """unit_id,name,level,parent,aliases
HT,UBND tỉnh Hà Tĩnh,tinh,,
HT-CX,UBND huyện Cẩm Xuyên,huyen,HT,Cẩm Xuyên
HT-CL,UBND huyện Can Lộc,huyen,HT,
NB,UBND tỉnh Ninh Bình,tinh,,
"""


@pytest.mark.parametrize(("issuer", "level", "unit_id"), [
    ("UBND huyện Cẩm Xuyên", "huyen", "huyen-cam-xuyen"),
    ("ỦY BAN NHÂN DÂN HUYỆN CẨM XUYÊN", "huyen", "huyen-cam-xuyen"),
    ("UBND xã Bình Yên", "xa", "xa-binh-yen"),
    ("UBND tỉnh Ninh Bình", "tinh", "tinh-ninh-binh"),
    ("Bộ Khoa học và Công nghệ", "bo", "bo-khoa-hoc-va-cong-nghe"),
    ("Ban Dân tộc", "so_nganh", "ban-dan-toc"),
    ("UBND thành phố Hà Nội", "tinh", "thanh-pho-ha-noi"),
    ("UBND thành phố Hà Tĩnh", "huyen", "thanh-pho-ha-tinh"),
])
def test_level_and_stable_id(issuer: str, level: str, unit_id: str) -> None:
    assert level_of(issuer) == level
    assert learned_id(issuer) == unit_id


def test_ocr_spellings_join_the_unit_read_from_a_text_layer() -> None:
    docs = [
        {"doc_id": "a", "source_path": "scan/x.pdf", "status": "ok", "text_source": "ocr",
         "issuer": "UBND huyện Cấm Xuyên"},  # accent slip
        {"doc_id": "b", "source_path": "scan/y.pdf", "status": "ok", "text_source": "ocr",
         "issuer": "UBND huyện Cẩm Xuvên"},  # y read as v
        {"doc_id": "c", "source_path": "text/r.pdf", "status": "ok", "text_source": "text",
         "issuer": "UBND huyện Cẩm Xuyên"},
        {"doc_id": "d", "source_path": "scan/district_camxuyen_iso.tif", "status": "ok", "text_source": "ocr",
         "issuer": None},
        {"doc_id": "e", "source_path": "text/other.pdf", "status": "ok", "text_source": "text",
         "issuer": "UBND huyện Can Lộc"},
        {"doc_id": "f", "source_path": "bad.pdf", "status": "failed", "text_source": "none", "issuer": None},
    ]
    reg, got = assign_units(docs)
    assert [a.unit_id for a in got] == ["huyen-cam-xuyen"] * 4 + ["huyen-can-loc", None]
    assert [a.method for a in got] == ["exact", "fuzzy", "learned", "file_name", "learned", "none"]
    assert 88 <= got[1].score < 100
    assert reg.units["huyen-cam-xuyen"].name == "UBND huyện Cẩm Xuyên"  # the text layer's spelling


def test_register_csv_gives_ids_levels_and_parents(tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_text(REGISTER, encoding="utf-8")
    units = read_register(path)
    reg = Register(units)
    assert reg.match("UBND huyện Cẩm Xuyên").unit_id == "HT-CX"
    assert reg.match("ỦY BAN NHÂN DÂN HUYỆN CẤM XUYÊN").unit_id == "HT-CX"
    assert reg.match("UBND huyện Triệu Sơn").unit_id is None
    _, got = assign_units([{"doc_id": "x", "source_path": "p.pdf", "status": "ok", "text_source": "text",
                            "issuer": "UBND huyện Triệu Sơn"}], units)
    assert got[0].unit_id is None and got[0].method == "unmatched"  # a register is not extended silently


@pytest.mark.parametrize(("text", "why"), [
    ("name\nX\n", "unit_id,name"),
    ("unit_id,name,level\nA,UBND xã A,commune\n", "level 'commune'"),
    ("unit_id,name\nA,UBND xã A\nA,UBND xã B\n", "duplicate unit_id"),
])
def test_bad_register_is_refused(tmp_path: Path, text: str, why: str) -> None:
    path = tmp_path / "units.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RegisterError, match=why):
        read_register(path)


def test_units_learned_from_a_real_run(analyst_output: Path) -> None:
    out = analyst_output
    docs = pd.read_parquet(out / "documents.parquet")
    units = pd.read_parquet(out / "units.parquet")
    assert docs.unit_id.notna().all()
    assert set(units.unit_id) == {"xa-binh-yen", "tinh-ninh-binh", "huyen-trieu-son", "huyen-cam-xuyen"}
    prov = units[units.unit_id == "tinh-ninh-binh"].iloc[0]
    assert prov.level == "tinh" and prov.n_documents == 2 and list(prov.periods) == ["2021-H1"]
    res = cchc("units", str(out))
    assert res.exit_code == 0 and "tinh-ninh-binh" in res.output and "2021-H1" in res.output


def test_expected_units_report_the_missing(analyst_output: Path, tmp_path: Path) -> None:
    out = analyst_output
    expected = tmp_path / "expected.csv"
    expected.write_text(REGISTER, encoding="utf-8")
    res = cchc("units", str(out), "--expected", str(expected))
    assert res.exit_code == 3
    assert "2 of 4 expected unit(s) have reported" in res.output
    assert "HT-CL" in res.output and "HT " in res.output and "HT-CX" not in res.output
    res = cchc("units", str(out), "--expected", str(expected), "--period", "2024-Q1")
    assert "0 of 4" in res.output and "NB" in res.output


def test_extract_with_a_register(tmp_path: Path) -> None:
    register = tmp_path / "units.csv"
    register.write_text(REGISTER, encoding="utf-8")
    out = tmp_path / "out"
    res = cchc("extract", str(TEXT / "district_camxuyen_letter_no_appendix.pdf"), "--out", str(out),
               "--executor", "inline", "--units", str(register), "--expected", str(register))
    assert res.exit_code == 0, res.output
    assert "units: 1 of 4 expected have reported; missing:" in res.stderr
    doc = pd.read_parquet(out / "documents.parquet").iloc[0]
    assert (doc.unit_id, doc.unit_level, doc.unit_parent, doc.unit_method) == ("HT-CX", "huyen", "HT", "register")
    assert (out / "units_register.csv").read_text(encoding="utf-8") == REGISTER
    units = pd.read_parquet(out / "units.parquet")
    assert set(units.unit_id) == {"HT", "HT-CX", "HT-CL", "NB"} and set(units.source) == {"register"}
    # a later run into OUT uses the register kept there; an issuer it lacks is named, not invented
    res = cchc("extract", str(TEXT / "commune_binhyen_q1_2024.pdf"), "--out", str(out), "--executor", "inline",
               "--append")
    assert res.exit_code == 0, res.output
    assert "1 issuer(s) match no unit of the register" in res.stderr and "UBND xã Bình Yên" in res.stderr
    docs = pd.read_parquet(out / "documents.parquet").set_index("file_name")
    assert docs.loc["commune_binhyen_q1_2024.pdf", "unit_method"] == "unmatched"
    assert pd.isna(docs.loc["commune_binhyen_q1_2024.pdf", "unit_id"])
    assert docs.loc["district_camxuyen_letter_no_appendix.pdf", "unit_id"] == "HT-CX"



def test_duplicate_reports_by_number_and_date() -> None:
    """A scan of the appendix alone (number and date, no period) is the same report as its text PDF."""
    from datetime import date

    from pipeline.enrich import duplicate_links

    def doc(doc_id: str, source: str, **kw: object) -> dict[str, object]:
        base = {"doc_id": doc_id, "status": "ok", "text_source": source, "unit_id": "ban-dan-toc",
                "doc_number": "89/BC-BDT", "issue_date": date(2023, 6, 12), "period_type": "H1",
                "report_year": 2023, "n_values": 100, "source_path": f"{doc_id}.pdf"}
        return base | kw

    docs = [
        doc("scan", "ocr", period_type=None, report_year=None, n_values=91),  # appendix pages only
        doc("text", "text"),
        doc("next_year", "text", issue_date=date(2024, 6, 10), report_year=2024),  # numbers restart each year
        doc("undated_copy", "ocr", issue_date=None),  # same period, no date read
        doc("undated_other", "ocr", issue_date=None, period_type=None, report_year=None),  # nothing to tell
        doc("other_unit", "text", unit_id="xa-binh-yen"),
        doc("failed", "none", status="failed"),
    ]
    assert duplicate_links(docs) == ["text", None, None, "text", None, None, None]
