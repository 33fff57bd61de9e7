"""Per-page text-layer verdicts on real PDFs and on the seed reports' text."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from cchc.core.model import Word
from extractors import legacy_fonts as lf
from extractors import page_quality as pq

SEEDS = Path(__file__).resolve().parents[1] / "samples" / "seeds"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
SAMPLE = ("Công tác cải cách hành chính năm 2024 trên địa bàn xã Bình Yên được lãnh đạo Đảng ủy, "
          "HĐND, UBND xã quan tâm, chú trọng; đã hoàn thành 03/06 nhiệm vụ trọng tâm của kế hoạch. ")


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_seed_reports_are_good_text(seed: str) -> None:
    text = (SEEDS / seed).read_text("utf-8")
    v = pq.assess_text(text)
    assert v.action == "text", v.reason
    assert v.stats["valid_share"] > 0.95


@pytest.mark.parametrize(
    "token", ["công", "Trường", "nghiêng", "khuya", "quyết", "huỳnh", "được", "Đảng", "ươi", "gì", "xoong"]
)
def test_valid_syllables(token: str) -> None:
    assert pq.is_vietnamese_syllable(token)


@pytest.mark.parametrize("token", ["C«ng", "Coâng", "ngayt", "đầun", "ctr", "cáć", "hộć", "aaa", "ảá"])
def test_invalid_syllables(token: str) -> None:
    assert not pq.is_vietnamese_syllable(token)


def test_tcvn3_bytes_without_font_names_are_repaired() -> None:
    encoded, _ = lf.encode_tcvn3(SAMPLE * 3)
    v = pq.assess_text(encoded)
    assert (v.action, v.encoding, v.problem) == ("repair", "tcvn3", "legacy_bytes")


def test_vni_bytes_without_font_names_are_repaired() -> None:
    v = pq.assess_text(lf.encode_vni(SAMPLE * 3))
    assert (v.action, v.encoding) == ("repair", "vni")


def test_legacy_font_names_force_repair() -> None:
    encoded, _ = lf.encode_tcvn3(SAMPLE * 2)
    v = pq.assess_text(encoded, [".VnTime"] * 80 + ["ABCDEF+.VnTimeH"] * 20)
    assert (v.action, v.encoding, v.problem) == ("repair", "tcvn3", "legacy_font")
    assert ".VnTime" in v.reason


def test_cid_runs_go_to_ocr() -> None:
    v = pq.assess_text("(cid:12)(cid:45)(cid:7) (cid:88)(cid:3) " * 40 + "abc")
    assert (v.action, v.problem) == ("ocr", "cid")


def test_empty_page_goes_to_ocr() -> None:
    assert pq.assess_text("  12  ").action == "ocr"


def test_garbled_text_goes_to_ocr() -> None:
    v = pq.assess_text("xqz wrtk plmn bcdf ghjk " * 30)
    assert v.action == "ocr" and v.problem in ("garbled", "spaced_glyphs")


def test_spaced_glyphs_are_rejoined() -> None:
    spaced = " ".join(SAMPLE.replace(",", "").replace(";", "").replace(".", ""))
    v = pq.assess_text(spaced)
    assert (v.action, v.problem) == ("repair", "spaced_glyphs")
    rejoined = pq.rejoin_spaced_text(spaced)
    assert "Công tác cải cách hành chính" in rejoined


def test_rejoin_spaced_words_uses_geometry() -> None:
    # "C ô n g" glyph by glyph, then a real word space, then "t á c"
    xs = [0, 7, 14, 21, 36, 41, 48]
    words = [Word(t, (x, 0, x + 6, 12)) for t, x in zip("Côngtác", xs, strict=True)]
    out = pq.rejoin_spaced_words(words)
    assert [w.text for w in out] == ["Công", "tác"]
    assert out[0].bbox == (0, 0, 27, 12)


def _pdf(path: Path, draw) -> None:
    if "DejaVuSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSerif", FONT))
    c = canvas.Canvas(str(path), pagesize=A4)
    draw(c)
    c.save()


def test_real_unicode_pdf_is_text(tmp_path: Path) -> None:
    def draw(c: canvas.Canvas) -> None:
        c.setFont("DejaVuSerif", 11)
        for i in range(4):
            c.drawString(50, 780 - 16 * i, SAMPLE[:90])

    _pdf(tmp_path / "u.pdf", draw)
    with pdfplumber.open(tmp_path / "u.pdf") as doc:
        v = pq.assess_pdfplumber_page(doc.pages[0])
    assert v.action == "text", v.reason


def test_real_tcvn3_pdf_is_repaired(tmp_path: Path) -> None:
    encoded, _ = lf.encode_tcvn3(SAMPLE)

    def draw(c: canvas.Canvas) -> None:
        c.setFont("Times-Roman", 11)
        for i in range(4):
            c.drawString(50, 780 - 16 * i, encoded[:95])

    _pdf(tmp_path / "t.pdf", draw)
    with pdfplumber.open(tmp_path / "t.pdf") as doc:
        v = pq.assess_pdfplumber_page(doc.pages[0])
    assert (v.action, v.encoding) == ("repair", "tcvn3"), v.reason


def test_real_pdf_with_glyphs_placed_one_by_one(tmp_path: Path) -> None:
    def draw(c: canvas.Canvas) -> None:
        for i in range(4):
            t = c.beginText(40, 780 - 16 * i)
            t.setFont("DejaVuSerif", 10)
            t.setCharSpace(3.5)  # every glyph pushed apart, as some exporters place them
            t.textLine(SAMPLE[:60])
            c.drawText(t)

    _pdf(tmp_path / "s.pdf", draw)
    with pdfplumber.open(tmp_path / "s.pdf") as doc:
        v = pq.assess_pdfplumber_page(doc.pages[0])
    assert v.problem == "spaced_glyphs" and v.action in ("repair", "ocr"), v.reason


def test_scan_without_text_layer_goes_to_ocr(tmp_path: Path) -> None:
    def draw(c: canvas.Canvas) -> None:
        c.rect(50, 50, 400, 600)

    _pdf(tmp_path / "e.pdf", draw)
    with pdfplumber.open(tmp_path / "e.pdf") as doc:
        v = pq.assess_pdfplumber_page(doc.pages[0])
    assert (v.action, v.problem) == ("ocr", "no_text")


def test_legacy_font_name_with_unicode_text_is_left_alone() -> None:
    # a .VnTime PDF whose ToUnicode map already yields Unicode: converting again would garble it
    v = pq.assess_text(SAMPLE * 3, [".VnTime"] * 100)
    assert v.action == "text", v.reason
    assert "already mapped" in v.reason
