"""Filling a catalog template with plausible figures, and the report's identity.

Why separate from rendering: the truth must come from what was planted here,
never from a rendering or the pipeline, so this module owns the values and
the metadata, and the renderer only draws them.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
TEMPLATE_DIR = REPO / "indicator_catalog" / "data" / "templates"
TEMPLATES = (
    "commune_2024",
    "department_bdt_2023",
    "district_camxuyen_2021",
    "district_trieuson_2011_2020",
    "ministry_6459_app1",
    "province_6459_app2",
)


@dataclass
class Cell:
    """One planted value: what is printed and what the truth says it means."""

    raw: str
    value_num: float | None
    value_text: str | None


@dataclass
class FilledRow:
    code: str
    printed_code: str
    label: str
    unit: str | None
    kind: str  # section | data | subrow
    value_kind: str
    values: dict[str | None, Cell] = field(default_factory=dict)  # column label (None = single) -> cell
    appendix: str | None = None  # multi-year template: "PL1" …


@dataclass
class Identity:
    """Header-block facts of one report (the truth's metadata)."""

    upper: str  # line above the issuer, e.g. "UBND HUYỆN ĐỊNH HÓA" ("" for ministries)
    body: list[str]  # issuer lines, upper case
    issuer: str  # as documents.issuer should read
    doc_number: str
    place: str
    date: tuple[int, int, int]  # y, m, d
    period_label: str
    period_type: str
    report_year: int
    recipient: str
    signer_title: list[str]
    signer_name: str


def load_template(tid: str) -> dict[str, Any]:
    with open(TEMPLATE_DIR / f"{tid}.yaml", encoding="utf-8") as f:
        return yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


# ------------------------------------------------------------------ numbers as printed


def fmt_int(n: int, rng: random.Random, zero_pad: bool = True) -> str:
    """1245 -> "1.245"; small counts sometimes with a leading zero ("03")."""
    if n >= 1000:
        return f"{n:,}".replace(",", ".")
    if zero_pad and 0 < n < 10 and rng.random() < 0.2:
        return f"0{n}"
    return str(n)


def fmt_dec(x: float, places: int) -> str:
    """12.5 -> "12,5" (Vietnamese decimal comma), integers without decimals."""
    if places == 0 or abs(x - round(x)) < 1e-9:
        return fmt_int_plain(int(round(x)))
    s = f"{x:.{places}f}".rstrip("0").rstrip(".")
    whole, _, frac = s.partition(".")
    return fmt_int_plain(int(whole)) + ("," + frac if frac else "")


def fmt_int_plain(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _count_cell(n: int, rng: random.Random) -> Cell:
    return Cell(fmt_int(n, rng), float(n), None)


def _pct_cell(x: float) -> Cell:
    x = round(x, 1) if abs(x - round(x)) > 1e-9 else float(round(x))
    raw = fmt_dec(x, 1)
    return Cell(raw, float(raw.replace(".", "").replace(",", ".")), None)


_MAGNITUDE = [
    (re.compile(r"hồ sơ", re.I), (50, 60000)),
    (re.compile(r"người", re.I), (5, 1500)),
    (re.compile(r"thủ tục|tthc", re.I), (3, 900)),
    (re.compile(r"phiếu|số lượng", re.I), (20, 5000)),
    (re.compile(r"triệu|đồng", re.I), (50, 25000)),
]


def _magnitude(unit: str | None, label: str) -> tuple[int, int]:
    """Plausible range by the unit first (a "Thủ tục" row about dossiers counts procedures), then the label."""
    for text in (unit or "", label):
        for pat, rng_ in _MAGNITUDE:
            if pat.search(text):
                return rng_
    return (0, 60)


_TEXT_VALUES = ["Không thuộc chuyên môn", "Đang triển khai", "Không phát sinh"]


def _value(row: dict[str, Any], rng: random.Random) -> Cell | None:
    """One value for a row by its value_kind; None leaves the cell empty."""
    r = rng.random()
    if r < 0.12:
        return None
    if r < 0.16:
        return Cell("-", None, "-")
    vk = row["value_kind"]
    if vk == "coded":
        codes: dict[str, int] = row.get("codes") or {}
        if not codes:
            return Cell("1", 1.0, None)
        word, code = rng.choice(sorted(codes.items(), key=lambda kv: kv[1]))
        raw = word if rng.random() < 0.25 else str(code)
        return Cell(raw, float(code), None)
    if vk == "percent":
        if rng.random() < 0.35:
            return _pct_cell(100)
        return _pct_cell(rng.choice([rng.randint(40, 99), round(rng.uniform(40, 99.9), 1)]))
    if vk == "text":
        t = rng.choice(_TEXT_VALUES)
        return Cell(t, None, t)
    if "=1" in row["label"].replace(" ", "") or "=0" in row["label"].replace(" ", ""):
        n = rng.randint(0, 1)
        return Cell(str(n), float(n), None)
    lo, hi = _magnitude(row.get("unit"), row["label"])
    n = int(round(lo + (hi - lo) * rng.random() ** 2))
    return _count_cell(n, rng)


def fill_single(tpl: dict[str, Any], rng: random.Random, plan_actual: bool) -> list[FilledRow]:
    """Values for a one-value-column template (plus a plan column when asked)."""
    rows = tpl["rows"]
    out: list[FilledRow] = []
    by_code: dict[str, FilledRow] = {}
    for r in rows:
        fr = FilledRow(r["code"], r.get("printed_code") or "", r["label"], r.get("unit"), r["kind"], r["value_kind"])
        if r["value_kind"] != "section":
            cell = _value(r, rng)
            if cell is not None:
                fr.values[None] = cell
        out.append(fr)
        by_code[fr.code] = fr
    _make_consistent(out, by_code, rng)
    if plan_actual:
        for fr in out:
            act = fr.values.pop(None, None)
            if act is None:
                continue
            fr.values["Thực hiện"] = act
            if act.value_num is not None and fr.value_kind in ("count", "percent", "money"):
                if fr.value_kind == "percent":
                    fr.values["Kế hoạch"] = _pct_cell(100)
                else:
                    n = int(act.value_num) + rng.choice([0, 0, 1, 2, 5])
                    fr.values["Kế hoạch"] = _count_cell(n, rng)
    return out


def _make_consistent(out: list[FilledRow], by_code: dict[str, FilledRow], rng: random.Random) -> None:
    """Parts ≤ totals: sub-rows under a count never exceed it; a rate's a/b sub-rows give the rate."""
    children: dict[str, list[FilledRow]] = {}
    for fr in out:
        if fr.kind == "subrow":
            children.setdefault(fr.code.rsplit(".", 1)[0], []).append(fr)
    for parent_code, kids in children.items():
        parent = by_code.get(parent_code)
        if parent is None or parent.value_kind == "section":
            continue
        counts = [k for k in kids if k.value_kind == "count"]
        have = all(None in k.values and k.values[None].value_num is not None for k in counts)
        if parent.value_kind == "percent" and len(counts) >= 2 and have:
            # first sub-row is the denominator, the second the numerator (the catalog's rule)
            a = max(1, int(counts[0].values[None].value_num or 1))
            b = rng.randint(0, a)
            counts[0].values[None] = _count_cell(a, rng)
            counts[1].values[None] = _count_cell(b, rng)
            for k in counts[2:]:
                k.values[None] = _count_cell(rng.randint(0, b), rng)
            if None in parent.values and parent.values[None].value_num is not None:
                parent.values[None] = _pct_cell(100.0 * b / a)
        elif parent.value_kind == "count" and None in parent.values and parent.values[None].value_num is not None \
                and counts and have:
            # parts add up to the total (the last part takes the remainder)
            left = int(parent.values[None].value_num or 0)
            for k in counts[:-1]:
                n = rng.randint(0, left) if left > 0 else 0
                k.values[None] = _count_cell(n, rng)
                left -= n
            counts[-1].values[None] = _count_cell(left, rng)


def fill_multiyear(tpl: dict[str, Any], rng: random.Random) -> list[FilledRow]:
    """One value per year column; appendix 4 (indicators as columns) is left out, as in the sample."""
    years: list[str] = tpl["value_columns"]
    out: list[FilledRow] = []
    for r in tpl["rows"]:
        if r["code"].startswith("PL4"):
            continue
        fr = FilledRow(r["code"], r.get("printed_code") or "", r["label"], None, r["kind"], r["value_kind"],
                       appendix=r["code"].split(".")[0])
        if r["value_kind"] != "section" and rng.random() > 0.1:
            first = rng.choice([0, 0, 0, 3, 5])  # some rows only filled in later years
            binary = "=1" in r["label"].replace(" ", "")
            lo, hi = (40, 99) if r["value_kind"] == "percent" else (0, 200)
            base = rng.randint(lo, hi) if not binary else 1
            step = 0 if binary else rng.choice([0, 1, 2, 3])
            for i, col in enumerate(years):
                if i < first or rng.random() < 0.05:
                    continue
                if r["value_kind"] == "percent":
                    fr.values[col] = _pct_cell(min(100.0, base + step * i + rng.choice([0, 0.5])))
                else:
                    n = base + step * i
                    fr.values[col] = Cell(fmt_int_plain(n), float(n), None)
        out.append(fr)
    return out


# ------------------------------------------------------------------ report identity

_COMMUNES = [("Bình Yên", "Định Hóa"), ("Phúc Thành", "Yên Thành"), ("Tân Lập", "Đan Phượng"),
             ("Quảng Phú", "Lương Sơn"), ("Hòa Tiến", "Yên Phong"), ("Đức Thắng", "Hiệp Hòa"),
             ("Nghĩa Hưng", "Lạng Giang"), ("Thạch Hạ", "Thạch Hà")]
_DISTRICTS = [("Cẩm Xuyên", "Hà Tĩnh"), ("Triệu Sơn", "Thanh Hóa"), ("Đô Lương", "Nghệ An"),
              ("Kim Bảng", "Hà Nam"), ("Tiên Du", "Bắc Ninh"), ("Lục Nam", "Bắc Giang"), ("Quỳnh Phụ", "Thái Bình")]
_PROVINCES = ["Ninh Bình", "Quảng Trị", "Hà Giang", "Phú Yên", "Bình Định", "Hậu Giang", "Tây Ninh"]
_DEPTS = [("BAN DÂN TỘC", "Ban Dân tộc", "BDT"), ("SỞ TƯ PHÁP", "Sở Tư pháp", "STP"),
          ("SỞ Y TẾ", "Sở Y tế", "SYT"), ("SỞ XÂY DỰNG", "Sở Xây dựng", "SXD"),
          ("SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN", "Sở Nông nghiệp và Phát triển nông thôn", "SNN")]
_MINISTRIES = [("BỘ KHOA HỌC VÀ CÔNG NGHỆ", "Bộ Khoa học và Công nghệ", "BKHCN"),
               ("BỘ TƯ PHÁP", "Bộ Tư pháp", "BTP"), ("BỘ Y TẾ", "Bộ Y tế", "BYT"),
               ("BỘ XÂY DỰNG", "Bộ Xây dựng", "BXD"), ("BỘ CÔNG THƯƠNG", "Bộ Công Thương", "BCT")]
_NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Hải",
          "Đỗ Thị Hương", "Vũ Văn Khánh", "Bùi Thị Lan"]
_PERIODS = [("Quý I năm {y}", "Q1", 3), ("6 tháng đầu năm {y}", "H1", 6), ("9 tháng năm {y}", "9M", 9),
            ("năm {y}", "Y", 12)]


def make_identity(tid: str, year: int, rng: random.Random) -> Identity:
    """Issuer, number, date and period of one report, by the template's level."""
    label, ptype, month = rng.choice(_PERIODS)
    if tid == "district_trieuson_2011_2020":
        label, ptype, month, year = "giai đoạn 2011 - 2020", "MULTI", 2, 2020
    day = rng.randint(10, 28)
    number = rng.randint(12, 1890)
    name = rng.choice(_NAMES)
    if tid == "commune_2024":
        xa, huyen = rng.choice(_COMMUNES)
        return Identity(f"UBND HUYỆN {huyen.upper()}", ["ỦY BAN NHÂN DÂN XÃ", xa.upper()], f"UBND xã {xa}",
                        f"{number}/BC-UBND", xa, (year, month, day), label.format(y=year), ptype, year,
                        f"Phòng Nội vụ huyện {huyen}.", ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], name)
    if tid.startswith("district_"):
        huyen, tinh = rng.choice(_DISTRICTS)
        doc = f"{number}/KH-UBND" if ptype == "MULTI" else f"{number}/BC-UBND"
        return Identity(f"UBND TỈNH {tinh.upper()}" if rng.random() < 0.3 else "",
                        ["ỦY BAN NHÂN DÂN", f"HUYỆN {huyen.upper()}"], f"UBND huyện {huyen}", doc, huyen,
                        (year, month, day), label.format(y=year), ptype, year, f"Sở Nội vụ tỉnh {tinh}.",
                        ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], name)
    if tid.startswith("department_"):
        upper, issuer, abbr = rng.choice(_DEPTS)
        tinh = rng.choice(_PROVINCES)
        return Identity(f"UBND TỈNH {tinh.upper()}", [upper], issuer, f"{number}/BC-{abbr}", tinh,
                        (year, month, day), label.format(y=year), ptype, year, f"Sở Nội vụ tỉnh {tinh}.",
                        ["GIÁM ĐỐC" if issuer.startswith("Sở") else "TRƯỞNG BAN"], name)
    if tid.startswith("ministry_"):
        upper, issuer, abbr = rng.choice(_MINISTRIES)
        return Identity("", [upper], issuer, f"{number}/BC-{abbr}", "Hà Nội", (year, month, day),
                        label.format(y=year), ptype, year, "Bộ Nội vụ.", ["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"], name)
    tinh = rng.choice(_PROVINCES)
    return Identity("", ["ỦY BAN NHÂN DÂN", f"TỈNH {tinh.upper()}"], f"UBND tỉnh {tinh}", f"{number}/BC-UBND",
                    tinh, (year, month, day), label.format(y=year), ptype, year, "Bộ Nội vụ.",
                    ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], name)


# ------------------------------------------------------------------ narrative

# (indicator, sentence frame): frames copied from the hand-checked sample truths, so the
# indicator a figure maps to is certain.  {v} is the printed table value of that indicator.
_FRAMES = [
    ("KH_NHIEM_VU_DE_RA", "Kế hoạch CCHC năm {y} đề ra {v} nhiệm vụ"),
    ("KH_NHIEM_VU_HOAN_THANH", "đến nay đã hoàn thành {v} nhiệm vụ"),
    ("VB_CHI_DAO_CCHC", "đã ban hành {v} văn bản chỉ đạo, điều hành về CCHC"),
    ("KT_VAN_DE_PHAT_HIEN", "qua kiểm tra phát hiện {v} vấn đề"),
    ("KT_VAN_DE_DA_XU_LY", "đã xử lý xong {v} vấn đề"),
    ("TTHC_HIEU_LUC_TONG", "Tổng số TTHC đang có hiệu lực là {v} thủ tục"),
    ("BIEN_CHE_GIAO", "Tổng số biên chế công chức được giao năm {y} là {v} người"),
]
_FILLER = [
    "Công tác cải cách hành chính tiếp tục được quan tâm chỉ đạo, triển khai đồng bộ trên các lĩnh vực",
    "Công tác thông tin, tuyên truyền được thực hiện thông qua các cuộc họp giao ban và trang thông tin điện tử",
    "Việc tiếp nhận, giải quyết thủ tục hành chính tại Bộ phận Một cửa được thực hiện đúng quy định",
    "Các nhiệm vụ trọng tâm được giao đều được đôn đốc, kiểm tra thường xuyên",
]


def narrative(tpl_rows: list[dict[str, Any]], filled: list[FilledRow], year: int, rng: random.Random,
              multiyear: bool) -> tuple[list[str], list[dict[str, Any]]]:
    """1–3 paragraphs; a figure is written only through a frame whose indicator is certain."""
    ind_of = {r["code"]: r["indicator"] for r in tpl_rows}
    frames = dict(_FRAMES)
    usable = []
    if not multiyear:
        for fr in filled:
            ind = ind_of.get(fr.code)
            cell = fr.values.get(None) or fr.values.get("Thực hiện")
            if ind in frames and cell is not None and cell.value_num is not None and fr.value_kind == "count":
                usable.append((ind, frames[ind], cell))
    rng.shuffle(usable)
    usable = usable[: rng.randint(1, 4)] if usable else []
    paras: list[str] = []
    truth: list[dict[str, Any]] = []
    n_par = rng.randint(1, 3)
    chunks: list[list[str]] = [[] for _ in range(n_par)]
    for i, (fid, frame, cell) in enumerate(usable):
        sent = frame.format(v=cell.raw, y=year)
        chunks[i % n_par].append(sent[0].upper() + sent[1:])
        truth.append({"indicator_id": fid, "value_num": cell.value_num, "raw_value": cell.raw, "sentence": sent})
    for i in range(n_par):
        body = [rng.choice(_FILLER)] + chunks[i]
        if multiyear:
            body.append("Giai đoạn 2011 - 2020, công tác cải cách hành chính của huyện đạt nhiều kết quả")
        paras.append(". ".join(body) + ".")
    return paras, truth
