"""The scorer behind `cchc eval`, on small hand-made truth + prediction datasets.

Predictions are written as real Parquet with the writer's Arrow schemas (the
output contract's column types) and read back the way `cchc eval` reads them,
so a change in the output layout that the scorer cannot read fails here.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import unicodedata
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from cchc.cli_eval import eval_command
from cchc.evaluation import (
    PRF,
    evaluate,
    format_report,
    join_documents,
    load_code_index,
    load_outputs,
    load_truth,
    match_issues,
    match_narrative,
    match_table,
    norm_metadata,
    resolve_table_truth,
    truth_from_dict,
    values_equal,
)
from pipeline.writer import DOCUMENTS_SCHEMA, ISSUES_SCHEMA, VALUES_SCHEMA

# ----------------------------------------------------------------------------- a tiny catalog

INDICATORS = [
    ("SEC_KH", "Công tác chỉ đạo, điều hành", "section"),
    ("KH_BAN_HANH", "Kế hoạch CCHC đã ban hành", "count"),
    ("KH_TY_LE", "Tỷ lệ hoàn thành kế hoạch", "percent"),
    ("KT_SO_CQ", "Số cơ quan đã kiểm tra", "count"),
    ("KT_SO_CQ_XA", "Trong đó: cấp xã", "count"),
    ("KT_VAN_BAN", "Văn bản kiểm tra", "text"),
    ("HS_TONG_SO", "Tổng số hồ sơ", "count"),
    ("HS_DUNG_HAN", "Hồ sơ giải quyết đúng hạn", "count"),
    ("TTHC_TONG", "Tổng số TTHC", "count"),
]

CATALOG_FILES = {
    "indicators.yaml": {
        "indicators": [{"id": i, "label": lab, "unit": None, "value_kind": k} for i, lab, k in INDICATORS]
    },
    "abbreviations.yaml": {"TTHC": "thủ tục hành chính"},
    "templates/t_single.yaml": {
        "id": "t_single",
        "title": "Phụ lục thử",
        "source": "test",
        "level": "xa",
        "year": 2024,
        "value_columns": None,
        "rows": [
            {
                "code": "1",
                "printed_code": "1.",
                "label": "Công tác chỉ đạo",
                "indicator": "SEC_KH",
                "kind": "section",
            },
            {
                "code": "1.1",
                "printed_code": "1.1.",
                "label": "Kế hoạch",
                "indicator": "KH_BAN_HANH",
                "parent": "1",
            },
            {"code": "1.2", "printed_code": "1.2.", "label": "Tỷ lệ", "indicator": "KH_TY_LE", "parent": "1"},
            {"code": "2", "printed_code": "2.", "label": "Kiểm tra", "indicator": "KT_SO_CQ"},
            {
                "code": "2.a",
                "printed_code": "",
                "label": "Trong đó: cấp xã",
                "indicator": "KT_SO_CQ_XA",
                "parent": "2",
            },
            {"code": "3", "printed_code": "3.", "label": "Văn bản", "indicator": "KT_VAN_BAN"},
        ],
    },
    "templates/t_multi.yaml": {
        "id": "t_multi",
        "title": "Phụ lục nhiều năm",
        "source": "test",
        "level": "huyen",
        "year": 2020,
        "value_columns": ["Năm 2019", "Năm 2020"],
        "rows": [
            {"code": "PL3.1", "printed_code": "1", "label": "Tổng số TTHC", "indicator": "TTHC_TONG"},
            {"code": "PL3.2", "printed_code": "2", "label": "Hồ sơ đúng hạn", "indicator": "HS_DUNG_HAN"},
        ],
    },
}


def write_catalog(root: Path) -> Path:
    import yaml

    for rel, content in CATALOG_FILES.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


CODE_INDEX = {
    ("t_single", "1"): "SEC_KH",
    ("t_single", "1.1"): "KH_BAN_HANH",
    ("t_single", "1.2"): "KH_TY_LE",
    ("t_single", "2"): "KT_SO_CQ",
    ("t_single", "2.a"): "KT_SO_CQ_XA",
    ("t_single", "3"): "KT_VAN_BAN",
    ("t_multi", "PL3.1"): "TTHC_TONG",
    ("t_multi", "PL3.2"): "HS_DUNG_HAN",
}

# ----------------------------------------------------------------------------- truth files


def tv(
    code: str, raw: str, num: float | None, text: str | None = None, col: str | None = None, page: int = 3
) -> dict:
    return {
        "code": code,
        "raw_code": code + ".",
        "label": "…",
        "raw_value": raw,
        "value_num": num,
        "value_text": text,
        "column_label": col,
        "page": page,
    }


TRUTHS: dict[str, dict[str, Any]] = {
    "text/commune_q1.pdf": {
        "file": "commune_q1.pdf",
        "kind": "text",
        "expected_status": "ok",
        "template_id": "t_single",
        "metadata": {
            "doc_number": "12/BC-UBND",
            "issuer": "UBND xã Bình Yên",
            "issue_date": "2024-03-15",
            "period_label": "Quý I năm 2024",
            "period_type": "Q1",
            "report_year": 2024,
            "signed": False,
            "signer": None,
        },
        "table_values": [
            tv("1.1", "03", 3.0),
            tv("1.2", "12,5", 12.5),
            tv("2", "-", None, "-"),
            tv("2.a", "2", 2.0),
            tv("3", "Kế hoạch số 72/KH-UBND", None, "Kế hoạch số 72/KH-UBND"),
        ],
        "narrative_values": [
            {
                "indicator_id": "HS_TONG_SO",
                "value_num": 351.0,
                "raw_value": "351",
                "sentence": "Tổng số 351 hồ sơ",
            },
            {
                "indicator_id": "HS_DUNG_HAN",
                "value_num": 348.0,
                "raw_value": "348",
                "sentence": "348 hồ sơ đúng hạn",
            },
        ],
        "validation_issues": [{"rule": "completed_le_planned", "indicator_ids": ["KH_BAN_HANH", "KH_TY_LE"]}],
    },
    "scan/district_plan.pdf": {
        "file": "district_plan.pdf",
        "kind": "scan",
        "expected_status": "ok",
        "template_id": "t_multi",
        "metadata": {
            "doc_number": "05/BC-UBND",
            "issuer": "UBND huyện Triệu Sơn",
            "period_type": "MULTI",
            "report_year": 2020,
            "signed": False,
        },
        "table_values": [
            tv("PL3.1", "120", 120.0, col="Năm 2019", page=5),
            tv("PL3.1", "135", 135.0, col="Năm 2020", page=5),
            tv("PL3.2", "1.245", 1245.0, col="Năm 2019", page=5),
            tv("PL3.2", "1.300", 1300.0, col="Năm 2020", page=5),
        ],
        "narrative_values": [],
        "validation_issues": [],
    },
    "bad/locked.pdf": {
        "file": "locked.pdf",
        "kind": "bad",
        "expected_status": "failed",
        "expected_error_contains": "encrypted",
        "template_id": None,
        "metadata": {},
        "table_values": [],
        "narrative_values": [],
        "validation_issues": [],
    },
    "bad/photo_named.pdf": {
        "file": "photo_named.pdf",
        "kind": "bad",
        "expected_status": "ok",
        "expected_warning_contains": "png",
        "template_id": None,
        "metadata": {},
        "table_values": [],
        "narrative_values": [],
        "validation_issues": [],
    },
}


def write_truth(root: Path, truths: dict[str, dict[str, Any]] = TRUTHS) -> Path:
    for rel, content in truths.items():
        p = root / (rel + ".truth.json")
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(json.dumps(content, ensure_ascii=False, indent=1), encoding="utf-8")
    return root


# ----------------------------------------------------------------------------- predictions


def doc_id(rel: str) -> str:
    return hashlib.sha256(rel.encode()).hexdigest()


def perfect_prediction(truths: dict[str, dict[str, Any]] = TRUTHS) -> dict[str, list[dict]]:
    """What a flawless `cchc extract` would write for TRUTHS (as plain row dicts)."""
    docs, values, issues = [], [], []
    for rel, t in truths.items():
        did = doc_id(rel)
        md = t["metadata"]
        failed = t["expected_status"] == "failed"
        docs.append(
            {
                "doc_id": did,
                "source_path": f"samples/{rel}",
                "other_paths": [],
                "file_name": t["file"],
                "status": t["expected_status"],
                "error": "encrypted; needs a password" if failed else None,
                "warnings": ["named .pdf but is a PNG image; processed as an image"]
                if t.get("expected_warning_contains")
                else [],
                "n_pages": None if failed else 4,
                "text_source": "none" if failed else "text",
                "doc_number": md.get("doc_number"),
                "issuer": md.get("issuer"),
                "issue_date": dt.date.fromisoformat(md["issue_date"]) if md.get("issue_date") else None,
                "period_label": md.get("period_label"),
                "period_type": md.get("period_type"),
                "report_year": md.get("report_year"),
                "signed": bool(md.get("signed")),
                "signer": md.get("signer"),
            }
        )
        for r in t["table_values"]:
            values.append(
                {
                    "doc_id": did,
                    "file_name": t["file"],
                    "source": "table",
                    "indicator_id": CODE_INDEX[(t["template_id"], r["code"])],
                    "indicator_code": r["code"],
                    "raw_code": r["raw_code"],
                    "raw_label": r["label"],
                    "raw_value": r["raw_value"],
                    "value_num": r["value_num"],
                    "value_text": r["value_text"],
                    "column_label": r["column_label"],
                    "page": r["page"],
                    "bbox": [10.0, 20.0, 300.0, 34.0],
                    "text_source": "text",
                    "match_score": 100.0,
                    "match_method": "exact",
                    "needs_review": False,
                }
            )
        for r in t["narrative_values"]:
            values.append(
                {
                    "doc_id": did,
                    "file_name": t["file"],
                    "source": "narrative",
                    "indicator_id": r["indicator_id"],
                    "raw_label": r["sentence"],
                    "raw_value": r["raw_value"],
                    "value_num": r["value_num"],
                    "page": 1,
                    "text_source": "text",
                    "match_score": 90.0,
                    "match_method": "pattern",
                    "needs_review": False,
                    "evidence": r["sentence"],
                }
            )
        for i in t["validation_issues"]:
            issues.append(
                {
                    "doc_id": did,
                    "file_name": t["file"],
                    "rule": i["rule"],
                    "severity": "warning",
                    "message": "completed > planned",
                    "indicator_ids": i["indicator_ids"],
                    "page": 3,
                }
            )
    return {"documents": docs, "values": values, "issues": issues}


def write_prediction(out: Path, pred: dict[str, list[dict]], hive: bool = False) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    pq.write_table(
        pa.Table.from_pylist(pred["documents"], schema=DOCUMENTS_SCHEMA), out / "documents.parquet"
    )
    values = pa.Table.from_pylist(pred["values"], schema=VALUES_SCHEMA)
    if hive:
        pq.write_to_dataset(values, out / "values", partition_cols=["source"])
    else:
        (out / "values").mkdir(exist_ok=True)
        pq.write_table(values, out / "values" / "part-00000.parquet")
    pq.write_table(
        pa.Table.from_pylist(pred["issues"], schema=ISSUES_SCHEMA), out / "validation_issues.parquet"
    )
    (out / "run.json").write_text(json.dumps({"pipeline_version": "test"}), encoding="utf-8")
    return out


def score(tmp_path: Path, pred: dict[str, list[dict]], truths: dict = TRUTHS, **kw: Any) -> dict[str, Any]:
    """Round-trip through real files: truth JSON + Parquet output, then evaluate."""
    troot = write_truth(tmp_path / "truth", truths)
    out = write_prediction(tmp_path / "out", pred, hive=kw.pop("hive", False))
    return evaluate(load_truth(troot), load_outputs(out), CODE_INDEX, **kw)


def value_row(pred: dict, code_or_id: str, col: str | None = None) -> dict:
    return next(
        v
        for v in pred["values"]
        if (v.get("indicator_code") == code_or_id or v["indicator_id"] == code_or_id)
        and v.get("column_label") == col
    )


# ----------------------------------------------------------------------------- end-to-end scoring


def test_perfect_prediction_scores_one_everywhere(tmp_path: Path) -> None:
    r = score(tmp_path, perfect_prediction())
    for kind in ("text", "scan", "overall"):
        t = r["tables"][kind]
        assert (t["precision"], t["recall"], t["f1"], t["row_located_recall"], t["page_right"]) == (
            1,
            1,
            1,
            1,
            1,
        ), kind
    assert r["tables"]["overall"]["truth"] == 9
    n = r["narrative"]["overall"]
    assert (n["precision"], n["recall"], n["f1"]) == (1.0, 1.0, 1.0)
    for f, m in r["metadata"]["fields"].items():
        assert m["accuracy"] == 1.0 or m["n"] == 0, f
    assert r["metadata"]["fields"]["signed"]["n"] == 2  # `false` is a stated value
    assert r["metadata"]["fields"]["signer"]["n"] == 0  # null = not stated
    assert r["bad_inputs"] | {"files": None} == r["bad_inputs"] | {
        "files": None,
        "n": 2,
        "passed": 2,
        "share_passed": 1.0,
    }
    assert r["accounted"]["all_accounted"] and r["accounted"]["status_accuracy"] == 1.0
    c = r["review_calibration"]
    assert c["rows"] == 11 and c["wrong"] == 0 and c["unflagged_precision"] == 1.0
    assert c["flag_recall_on_errors"] is None  # no errors to flag
    v = r["validation"]
    assert v["recall"] == 1.0 and v["false_alarms"] == 0 and v["clean_documents"] == 3
    assert r["misses"]["total"] == 0 and r["false_positives"]["total"] == 0


def test_dropping_a_value_lowers_recall_only(tmp_path: Path) -> None:
    pred = perfect_prediction()
    pred["values"].remove(value_row(pred, "1.2"))
    r = score(tmp_path, pred)
    t = r["tables"]["text"]
    assert t["precision"] == 1.0 and t["recall"] == pytest.approx(4 / 5)
    assert t["row_located_recall"] == pytest.approx(4 / 5)
    assert r["tables"]["scan"]["recall"] == 1.0
    miss = r["misses"]["shown"][0]
    assert (miss["file"], miss["code"], miss["reason"]) == ("commune_q1.pdf", "1.2", "row_not_found")


def test_wrong_value_lowers_precision_but_row_is_located(tmp_path: Path) -> None:
    pred = perfect_prediction()
    value_row(pred, "1.2").update(raw_value="125", value_num=125.0)  # OCR dropped the decimal comma
    r = score(tmp_path, pred)
    t = r["tables"]["text"]
    assert t["precision"] == pytest.approx(4 / 5) and t["recall"] == pytest.approx(4 / 5)
    assert t["row_located_recall"] == 1.0  # a reading error, not a matching error
    fp = r["false_positives"]["shown"][0]
    assert fp["reason"] == "wrong_value" and fp["raw_value"] == "125"
    assert r["misses"]["shown"][0]["got"]["raw_value"] == "125"


def test_wrong_indicator_is_a_matching_error(tmp_path: Path) -> None:
    pred = perfect_prediction()
    value_row(pred, "1.1").update(indicator_id="KT_SO_CQ_XA")  # the 03 filed under the wrong row
    r = score(tmp_path, pred)
    t = r["tables"]["text"]
    assert t["tp"] == 4 and t["fp"] == 1 and t["fn"] == 1
    assert t["row_located_recall"] == pytest.approx(4 / 5)


def test_wrong_but_flagged_row_counts_in_calibration(tmp_path: Path) -> None:
    pred = perfect_prediction()
    value_row(pred, "PL3.2", "Năm 2019").update(raw_value="1.345", value_num=1345.0, needs_review=True)
    value_row(pred, "HS_TONG_SO").update(value_num=357.0)  # wrong and not flagged
    value_row(pred, "1.1").update(needs_review=True)  # right but flagged
    c = score(tmp_path, pred)["review_calibration"]
    assert c["wrong"] == 2 and c["wrong_flagged"] == 1 and c["flag_recall_on_errors"] == 0.5
    assert c["flagged"] == 2 and c["unflagged"] == 9
    assert c["unflagged_right"] == 8 and c["unflagged_precision"] == pytest.approx(8 / 9)


def test_unmatched_prediction_is_not_a_false_positive_but_is_wrong_when_unflagged(tmp_path: Path) -> None:
    pred = perfect_prediction()
    value_row(pred, "2.a").update(indicator_id=None, indicator_code=None)
    r = score(tmp_path, pred)
    t = r["tables"]["text"]
    assert t["precision"] == 1.0 and t["recall"] == pytest.approx(4 / 5) and t["unmatched"] == 1
    assert r["review_calibration"]["wrong"] == 1


def test_column_label_matters_in_multi_year_rows(tmp_path: Path) -> None:
    pred = perfect_prediction()
    a, b = value_row(pred, "PL3.1", "Năm 2019"), value_row(pred, "PL3.1", "Năm 2020")
    a["column_label"], b["column_label"] = "Năm 2020", "Năm 2019"  # the two years read swapped
    r = score(tmp_path, pred)
    s = r["tables"]["scan"]
    assert s["tp"] == 2 and s["fp"] == 2 and s["fn"] == 2
    assert s["row_located_recall"] == 1.0
    # case and spacing of the header do not matter
    pred = perfect_prediction()
    value_row(pred, "PL3.1", "Năm 2019")["column_label"] = " năm  2019 "
    assert score(tmp_path / "2", pred)["tables"]["scan"]["recall"] == 1.0


def test_bad_file_status_mismatch_is_caught(tmp_path: Path) -> None:
    pred = perfect_prediction()
    locked = next(d for d in pred["documents"] if d["file_name"] == "locked.pdf")
    locked.update(status="ok", error=None)
    png = next(d for d in pred["documents"] if d["file_name"] == "photo_named.pdf")
    png["warnings"] = []
    b = score(tmp_path, pred)["bad_inputs"]
    assert b["n"] == 2 and b["passed"] == 0 and b["share_passed"] == 0.0
    assert b["status_ok"] == 1 and b["error_ok"] == 1 and b["warning_ok"] == 1
    report = format_report(score(tmp_path / "2", pred), details=True)
    assert "BAD-INPUT FAILURES: 2" in report and "locked.pdf: status ok (expected failed)" in report


def test_missing_document_is_not_accounted_for(tmp_path: Path) -> None:
    pred = perfect_prediction()
    pred["documents"] = [d for d in pred["documents"] if d["file_name"] != "district_plan.pdf"]
    r = score(tmp_path, pred)
    assert r["accounted"]["missing"] == ["district_plan.pdf"] and not r["accounted"]["all_accounted"]
    assert r["tables"]["scan"]["recall"] == 0.0 and r["tables"]["scan"]["precision"] is None
    assert "NOT ACCOUNTED FOR: district_plan.pdf" in format_report(r)


def test_metadata_mismatch_and_normalisation(tmp_path: Path) -> None:
    pred = perfect_prediction()
    d = pred["documents"][0]
    d.update(
        doc_number="12 / BC-UBND",
        issuer="UBND  XÃ Bình Yên",
        period_label="quý I năm 2024.",
        report_year=2023,
    )
    r = score(tmp_path, pred)
    f = r["metadata"]["fields"]
    assert (
        f["doc_number"]["accuracy"] == 1.0
        and f["issuer"]["accuracy"] == 1.0
        and f["period_label"]["accuracy"] == 1.0
    )
    assert f["report_year"]["accuracy"] == 0.5
    mm = r["metadata_mismatches"]["shown"]
    assert mm == [
        {"file": "commune_q1.pdf", "kind": "text", "field": "report_year", "expected": 2024, "got": 2023}
    ]


def test_validation_found_missed_and_false_alarms(tmp_path: Path) -> None:
    pred = perfect_prediction()
    pred["issues"][0]["indicator_ids"] = ["HS_TONG_SO"]  # same rule, other indicators: not the planted one
    pred["issues"].append(
        {
            "doc_id": doc_id("scan/district_plan.pdf"),
            "file_name": "district_plan.pdf",
            "rule": "percent_le_100",
            "indicator_ids": ["TTHC_TONG"],
            "message": "x",
        }
    )
    v = score(tmp_path, pred)["validation"]
    assert v["by_rule"] == {"completed_le_planned": {"planted": 1, "found": 0, "recall": 0.0}}
    assert v["false_alarms"] == 1 and v["clean_documents_with_false_alarms"] == 1
    assert v["extra_issues_on_planted_documents"] == 1


def test_kind_filter_and_hive_partitioned_values(tmp_path: Path) -> None:
    r = score(tmp_path, perfect_prediction(), kind="scan", hive=True)
    assert r["n_truth_files"] == 1 and list(r["tables"]) == ["scan", "overall"]
    assert r["tables"]["overall"]["tp"] == 4 and r["tables"]["overall"]["f1"] == 1.0


def test_duplicate_bytes_are_accounted_but_scored_once(tmp_path: Path) -> None:
    truths = copy.deepcopy(TRUTHS)
    truths["text/copy/commune_q1_copy.pdf"] = {**truths["text/commune_q1.pdf"], "file": "commune_q1_copy.pdf"}
    pred = perfect_prediction()
    pred["documents"][0]["other_paths"] = ["samples/text/copy/commune_q1_copy.pdf"]
    r = score(tmp_path, pred, truths=truths)
    assert r["accounted"]["all_accounted"]
    assert r["tables"]["text"]["truth"] == 5 and r["tables"]["text"]["f1"] == 1.0
    assert any(d.get("duplicate_of") == "commune_q1.pdf" for d in r["documents"])


# ----------------------------------------------------------------------------- pure functions


def test_values_equal_rules() -> None:
    assert values_equal(12.5, None, 12.5000000001, None)
    assert not values_equal(12.5, None, 125.0, None)
    assert not values_equal(3.0, None, None, "03")  # a number read as text is a reading error
    nfd = unicodedata.normalize("NFD", "Không thuộc  chuyên môn")
    assert values_equal(None, "không thuộc chuyên môn", None, nfd)
    assert values_equal(None, "-", None, None, "-")  # a dash kept only as raw_value
    assert not values_equal(None, "-", None, None, None)
    assert not values_equal(None, None, None, None)


def test_norm_metadata_dates_and_years() -> None:
    assert norm_metadata("issue_date", dt.date(2024, 3, 15)) == "2024-03-15"
    assert norm_metadata("issue_date", "2024-03-15") == norm_metadata(
        "issue_date", dt.datetime(2024, 3, 15, 0, 0)
    )
    assert norm_metadata("report_year", "2024") == 2024
    assert norm_metadata("period_type", " h1") == "H1"
    assert norm_metadata("signer", None) is None


def test_join_prefers_longest_path_suffix_when_names_repeat(tmp_path: Path) -> None:
    t1 = truth_from_dict({"file": "bao_cao.pdf"}, tmp_path / "samples/a/bao_cao.pdf.truth.json")
    t2 = truth_from_dict({"file": "bao_cao.pdf"}, tmp_path / "samples/b/bao_cao.pdf.truth.json")
    t3 = truth_from_dict({"file": "inner.pdf"}, tmp_path / "samples/zip/inner.pdf.truth.json")
    docs = [
        {"file_name": "bao_cao.pdf", "source_path": "samples/b/bao_cao.pdf", "other_paths": []},
        {"file_name": "bao_cao.pdf", "source_path": "samples/a/bao_cao.pdf", "other_paths": []},
        {"file_name": "inner.pdf", "source_path": "samples/arch.zip!/zip/inner.pdf", "other_paths": []},
    ]
    assert join_documents([t1, t2, t3], docs) == [1, 0, 2]


def test_match_table_handles_duplicate_rows_as_multisets() -> None:
    truth = truth_from_dict(
        {"template_id": "t_single", "table_values": [tv("1.1", "1", 1.0), tv("1.1", "1", 1.0)]},
        Path("x.truth.json"),
    )
    cells = resolve_table_truth(truth, CODE_INDEX)
    one = {"indicator_id": "KH_BAN_HANH", "value_num": 1.0, "column_label": None, "page": 3}
    m = match_table(cells, [one, dict(one), dict(one)])
    assert (m.prf.tp, m.prf.fp, m.prf.fn) == (2, 1, 0) and m.right == [True, True, False]


def test_unresolved_truth_code_counts_as_a_miss() -> None:
    truth = truth_from_dict(
        {"template_id": "t_single", "table_values": [tv("9.9", "1", 1.0)]}, Path("x.truth.json")
    )
    m = match_table(resolve_table_truth(truth, CODE_INDEX), [])
    assert m.unresolved == 1 and m.prf.fn == 1 and m.misses[0]["reason"] == "unresolved_code"


def test_narrative_multiset_matching() -> None:
    truth = [
        {"indicator_id": "HS_TONG_SO", "value_num": 351.0},
        {"indicator_id": "HS_TONG_SO", "value_num": 351.0},
    ]
    preds = [
        {"indicator_id": "HS_TONG_SO", "value_num": 351.0},
        {"indicator_id": "HS_TONG_SO", "value_num": 35.0},
    ]
    m = match_narrative(truth, preds)
    assert (m.prf.tp, m.prf.fp, m.prf.fn) == (1, 1, 1) and m.right == [True, False]


def test_issue_overlap_rule() -> None:
    planted = [{"rule": "sum_parts", "indicator_ids": ["A", "B"]}]
    assert match_issues(planted, [{"rule": "sum_parts", "indicator_ids": ["B", "C"]}]).found == [True]
    assert match_issues(planted, [{"rule": "other", "indicator_ids": ["A"]}]).found == [False]


def test_prf_undefined_ratios() -> None:
    assert PRF().f1 is None and PRF(fn=3).precision is None and PRF(fn=3).f1 == 0.0


def test_code_index_from_a_catalog_data_dir(tmp_path: Path) -> None:
    idx, source = load_code_index(write_catalog(tmp_path / "catalog"))
    assert idx == CODE_INDEX, source


# ----------------------------------------------------------------------------- the CLI


def test_cli_prints_sections_and_writes_json(tmp_path: Path) -> None:
    pred = perfect_prediction()
    value_row(pred, "1.2").update(raw_value="125", value_num=125.0)
    troot = write_truth(tmp_path / "samples")
    out = write_prediction(tmp_path / "out", pred)
    cat = write_catalog(tmp_path / "catalog")
    jpath = tmp_path / "report" / "eval.json"
    res = CliRunner().invoke(
        eval_command,
        [str(out), "--truth", str(troot), "--catalog", str(cat), "--json", str(jpath), "--details"],
    )
    assert res.exit_code == 0, res.output
    for section in (
        "TABLE VALUES",
        "NARRATIVE VALUES",
        "METADATA",
        "BAD INPUTS",
        "REVIEW CALIBRATION",
        "VALIDATION ISSUES",
        "MISSES",
        "FALSE POSITIVES",
    ):
        assert section in res.output
    assert "commune_q1.pdf p3: wrong_value: 1.2 -> KH_TY_LE expected '12,5' got '125'" in res.output
    report = json.loads(jpath.read_text(encoding="utf-8"))
    assert report["tables"]["text"]["precision"] == pytest.approx(0.8)
    assert report["tables"]["scan"]["f1"] == 1.0
    assert {d["file"] for d in report["documents"]} == {
        "commune_q1.pdf",
        "district_plan.pdf",
        "locked.pdf",
        "photo_named.pdf",
    }
    assert report["false_positives"]["total"] == 1 and report["catalog"].startswith("catalog ")


def test_cli_kind_option(tmp_path: Path) -> None:
    troot = write_truth(tmp_path / "samples")
    out = write_prediction(tmp_path / "out", perfect_prediction())
    res = CliRunner().invoke(
        eval_command,
        [
            str(out),
            "--truth",
            str(troot),
            "--kind",
            "text",
            "--catalog",
            str(write_catalog(tmp_path / "cat")),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "1 truth files (kind=text)" in res.output


@pytest.mark.parametrize("what", ["out", "documents", "truth"])
def test_cli_exits_2_when_inputs_are_missing(tmp_path: Path, what: str) -> None:
    troot = write_truth(tmp_path / "samples")
    out = write_prediction(tmp_path / "out", perfect_prediction())
    if what == "out":
        out = tmp_path / "nowhere"
    elif what == "documents":
        (out / "documents.parquet").unlink()
    else:
        troot = tmp_path / "empty"
        troot.mkdir()
    res = CliRunner().invoke(eval_command, [str(out), "--truth", str(troot)])
    assert res.exit_code == 2
    expected = {
        "out": "output folder not found",
        "documents": "documents.parquet is missing",
        "truth": "no *.truth.json files",
    }[what]
    assert expected in res.output


def test_zip_archive_is_accounted_for_through_its_members(tmp_path: Path) -> None:
    truths = copy.deepcopy(TRUTHS)
    truths["zip/archive.zip"] = {"file": "archive.zip", "kind": "bad", "expected_status": "ok", "metadata": {},
                                 "table_values": [], "narrative_values": [], "validation_issues": []}  # fmt: skip
    pred = perfect_prediction()
    r = score(tmp_path, pred, truths=truths)
    assert r["accounted"]["missing"] == ["archive.zip"]
    member = dict(pred["documents"][1], doc_id="f" * 64, source_path="samples/zip/archive.zip!/q1/member.pdf")
    pred["documents"].append(member)
    r = score(tmp_path / "2", pred, truths=truths)
    assert r["accounted"]["all_accounted"] and r["accounted"]["documents_without_truth"] == []
    assert any(d.get("archive_members") == 1 for d in r["documents"])


def test_cli_broken_catalog_still_reports_the_rest(tmp_path: Path) -> None:
    troot = write_truth(tmp_path / "samples")
    out = write_prediction(tmp_path / "out", perfect_prediction())
    cat = write_catalog(tmp_path / "cat")
    (cat / "templates" / "t_multi.yaml").write_text(
        "id: wrong_name\nlevel: huyen\nrows: []\n", encoding="utf-8"
    )
    jpath = tmp_path / "r.json"
    res = CliRunner().invoke(
        eval_command, [str(out), "--truth", str(troot), "--catalog", str(cat), "--json", str(jpath)]
    )
    assert res.exit_code == 0, res.output
    assert "warning: catalog failed to load" in res.output
    report = json.loads(jpath.read_text(encoding="utf-8"))
    assert (
        report["tables"]["overall"]["recall"] == 0.0 and report["tables"]["overall"]["unresolved_codes"] == 9
    )
    assert report["metadata"]["overall"]["accuracy"] == 1.0  # the other sections are unaffected
