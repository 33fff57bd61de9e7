"""TCVN3/VNI → Unicode: every letter round-trips, real PDF bytes convert, caps fonts upper-case."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pdfplumber
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from cchc.core.model import TextOrigin, Word
from extractors import legacy_fonts as lf

SEEDS = Path(__file__).resolve().parents[1] / "samples" / "seeds"
LETTERS = lf.all_vietnamese_letters()


def test_letter_inventory_is_complete() -> None:
    # 12 vowels × (no tone + 5 tones) + đ, in lower and upper case
    assert len(LETTERS) == 2 * (12 * 6 + 1)
    assert len(set(LETTERS)) == len(LETTERS)
    assert all(unicodedata.is_normalized("NFC", c) and len(c) == 1 for c in LETTERS)
    assert {"ặ", "Ặ", "ỡ", "Ỡ", "ự", "Ự", "ỵ", "Ỵ", "đ", "Đ"} <= set(LETTERS)


@pytest.mark.parametrize("letter", LETTERS)
def test_tcvn3_round_trip_every_letter(letter: str) -> None:
    encoded, caps = lf.encode_tcvn3(letter)
    assert all(ord(ch) < 256 for ch in encoded)
    assert lf.decode_tcvn3(encoded, caps=caps) == letter


@pytest.mark.parametrize("letter", LETTERS)
def test_vni_round_trip_every_letter(letter: str) -> None:
    encoded = lf.encode_vni(letter)
    assert all(ord(ch) < 256 for ch in encoded)
    assert lf.decode_vni(encoded) == letter


def test_tcvn3_known_mojibake() -> None:
    assert lf.decode_tcvn3("C«ng t¸c") == "Công tác"
    assert lf.decode_tcvn3("Céng hßa X· héi chñ nghÜa ViÖt Nam") == "Cộng hòa Xã hội chủ nghĩa Việt Nam"
    assert lf.decode_tcvn3("§éc lËp - Tù do - H¹nh phóc") == "Độc lập - Tự do - Hạnh phúc"
    assert lf.decode_tcvn3("Tr\xadêng") == "Trường"


def test_tcvn3_uhorn_that_surfaced_as_space() -> None:
    assert lf.decode_tcvn3("Tr êng häc ® îc h íng dÉn") == "Trường học được hướng dẫn"
    # a real word boundary after a full syllable is left alone
    assert lf.decode_tcvn3("b¸o c¸o ¸n") == "báo cáo án"


def test_vni_known_mojibake() -> None:
    assert lf.decode_vni("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam") == "Cộng hòa xã hội chủ nghĩa Việt Nam"
    assert lf.decode_vni("Ñoäc laäp - Töï do - Haïnh phuùc") == "Độc lập - Tự do - Hạnh phúc"
    assert lf.decode_vni("COÄNG HOØA") == "CỘNG HÒA"


def test_caps_font_upper_cases_after_conversion() -> None:
    # .VnTimeH draws the lower-case codes as capitals: "c¶i c¸ch" in .VnTimeH reads "CẢI CÁCH"
    assert lf.is_caps_font("ABCDEF+.VnTimeH")
    assert lf.is_caps_font(".VnArialH,Bold")
    assert not lf.is_caps_font(".VnTime")
    assert not lf.is_caps_font("TimesNewRoman")
    assert lf.decode_tcvn3("c¶i c¸ch hµnh chÝnh", caps=True) == "CẢI CÁCH HÀNH CHÍNH"


@pytest.mark.parametrize(
    ("name", "expected"),
    [(".VnTime", "tcvn3"), ("QWERTY+.VnTimeH", "tcvn3"), (".VnArial", "tcvn3"), ("VnTime-Bold", "tcvn3"),
     ("VNI-Times", "vni"), ("VNI-Helve-Bold", "vni"), ("TimesNewRomanPSMT", None), ("DejaVuSerif", None), (None, None)],
)
def test_font_encoding(name: str | None, expected: str | None) -> None:
    assert lf.font_encoding(name) == expected


def _seed_words() -> list[str]:
    text = unicodedata.normalize("NFC", (SEEDS / "001_commune_binhyen_q1_2024.txt").read_text("utf-8"))
    return re.findall(r"[^\W\d_]+", text)


def test_vni_round_trips_a_whole_seed_report() -> None:
    words = _seed_words()
    text = " ".join(words)
    assert lf.decode_vni(lf.encode_vni(text)) == text


def test_tcvn3_round_trips_seed_words() -> None:
    # TCVN3 cannot hold an accented capital next to lower case (typists switched to .VnTimeH),
    # so mixed-case words with such capitals are out of scope; everything else must round-trip
    checked = 0
    for word in set(_seed_words()):
        encoded, caps = lf.encode_tcvn3(word)
        if caps and not word.isupper():
            continue
        assert lf.decode_tcvn3(encoded, caps=caps) == word
        checked += 1
    assert checked > 500


def _legacy_pdf(path: Path, lines: list[str]) -> None:
    """Bytes drawn with a one-byte font, as a TCVN3/VNI report's text layer holds them."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Times-Roman", 12)
    for i, line in enumerate(lines):
        c.drawString(60, 780 - 20 * i, line)
    c.save()


def test_repair_words_from_a_real_pdf_text_layer(tmp_path: Path) -> None:
    truth = "Công tác cải cách hành chính năm 2024 trên địa bàn xã, Trường học được hướng dẫn"
    encoded, _ = lf.encode_tcvn3(truth)
    pdf = tmp_path / "tcvn3.pdf"
    _legacy_pdf(pdf, [encoded])
    with pdfplumber.open(pdf) as doc:
        raw = doc.pages[0].extract_words(extra_attrs=["fontname"])
    assert any("«" in w["text"] for w in raw)  # the bytes really surface as Latin-1
    words = [Word(w["text"], (w["x0"], w["top"], w["x1"], w["bottom"]), font=".VnTime") for w in raw]
    fixed, changed = lf.repair_words(words)
    assert changed > 5
    assert " ".join(w.text for w in fixed) == truth
    assert all(w.origin is TextOrigin.REPAIRED for w in fixed)


def test_repair_words_leaves_unicode_fonts_alone() -> None:
    w = Word("Công", (0, 0, 10, 10), font="TimesNewRomanPSMT")
    fixed, changed = lf.repair_words([w])
    assert changed == 0 and fixed[0] is w
