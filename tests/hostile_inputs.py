"""Hostile inputs, generated at test time: damaged PDFs, bombs, broken images, hostile ZIPs.

Every generator writes real bytes a real reader would meet (no mocks), small
enough for `make test`; the large ones are only made by `make fuzz` cases.
"""

from __future__ import annotations

import io
import re
import struct
import subprocess
import unicodedata
import zipfile
import zlib
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from tests.pdfmaker import FONT_PATH, HEADER_LINES, text_pdf

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "samples" / "text" / "commune_binhyen_q1_2024.pdf"  # a report with table + narrative values
LETTER = ROOT / "samples" / "text" / "district_camxuyen_letter_no_appendix.pdf"  # a 1-page letter

NARRATIVE_LINES = [
    *HEADER_LINES,
    "BÁO CÁO Kết quả công tác cải cách hành chính quý I năm 2024",
    "Tổng số 351 hồ sơ tiếp nhận; đã giải quyết 348 hồ sơ, trong đó đúng hạn 340 hồ sơ.",
    "Ban hành 12 văn bản chỉ đạo, điều hành về cải cách hành chính.",
]


# ----------------------------------------------------------------------------- PDFs
def narrative_lines(page: int) -> list[str]:
    """Lines of page `page`, with figures that differ per page (351+page received, 341+page on time)."""
    return [*HEADER_LINES, "BÁO CÁO Kết quả công tác cải cách hành chính quý I năm 2024",
            f"Tổng số {350 + page} hồ sơ tiếp nhận; đã giải quyết {340 + page} hồ sơ."]


def good_pdf(path: Path, pages: int = 3) -> Path:
    """A text-layer PDF whose every page carries its own narrative figures."""
    return text_pdf(path, [narrative_lines(i) for i in range(1, pages + 1)])


def broken_xref(data: bytes) -> bytes:
    """Every offset in the classic xref table moved by 7 bytes: pypdf/pdfminer fail, pdfium rebuilds it."""
    i = data.rfind(b"\nxref")
    assert i > 0, "needs a classic xref table"
    tail = re.sub(rb"(\d{10}) (\d{5}) n", lambda m: b"%010d %s n" % (int(m.group(1)) + 7, m.group(2)), data[i:])
    return data[:i] + tail


def delete_object(data: bytes, number: int) -> bytes:
    """Blank out `N 0 obj … endobj` (same length, so the xref still points at the right places)."""
    m = re.search(rb"(?<![0-9])%d 0 obj.*?endobj" % number, data, re.S)
    assert m, f"object {number} not found"
    return data[: m.start()] + b" " * (m.end() - m.start()) + data[m.end():]


def flip_bytes(data: bytes, positions: list[int], values: list[int]) -> bytes:
    buf = bytearray(data)
    for pos, val in zip(positions, values, strict=False):
        buf[pos % len(buf)] ^= val or 0xFF
    return bytes(buf)


def raw_pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF from raw object bodies (object i+1 = objects[i]) with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def _content(text: str = "Tổng số 351 hồ sơ") -> bytes:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore")
    stream = b"BT /F1 12 Tf 72 720 Td (" + ascii_text + b") Tj ET"
    return b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"


def many_pages_pdf(n: int) -> bytes:
    """n real pages sharing one content stream (a 'huge page count' that still opens)."""
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(n))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            _content()]
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
             b"/Resources << /Font << /F1 3 0 R >> >> >>"] * n
    return raw_pdf(objs)


def lying_count_pdf(count: int = 2_000_000_000) -> bytes:
    """One page, but the page tree claims billions."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [5 0 R] /Count %d >>" % count,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            _content(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>"]
    return raw_pdf(objs)


def huge_mediabox_pdf(side: float = 14400) -> bytes:
    """Page 1 normal with text, page 2 an empty 200-inch square (300 dpi would be 60,000² pixels)."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [5 0 R 6 0 R] /Count 2 >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            _content(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] >>" % (side, side)]
    return raw_pdf(objs)


def pixel_bomb_pdf(side: int = 20_000) -> bytes:
    """One page that is a single side×side grey image of zeros, Flate-compressed (a deflate + pixel bomb)."""
    comp = zlib.compressobj(9)
    row = b"\0" * side
    data = b"".join(comp.compress(row) for _ in range(side)) + comp.flush()
    image = (b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
             b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % (side, side, len(data))
             + data + b"\nendstream")
    draw = b"q 595 0 0 842 0 0 cm /Im1 Do Q"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(draw) + draw + b"\nendstream",
            image]
    return raw_pdf(objs)


def deflate_bomb_pdf(megabytes: int = 200) -> bytes:
    """A page whose content stream inflates to `megabytes` MB of no-op operators."""
    comp = zlib.compressobj(9)
    chunk = b"q Q " * 262_144  # 1 MB
    data = b"".join(comp.compress(chunk) for _ in range(megabytes)) + comp.flush()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Filter /FlateDecode /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"]
    return raw_pdf(objs)


# ----------------------------------------------------------------------------- images
def text_image(lines: list[str], size: tuple[int, int] = (1240, 600), mode: str = "RGB") -> Image.Image:
    """A clean 150-dpi scan-like image of Vietnamese text (small: OCR stays fast)."""
    img = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(FONT_PATH), 30)
    y = 40
    for line in lines:
        draw.text((40, y), line, fill="black", font=font)
        y += 50
    return img.convert(mode) if mode != "RGB" else img


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims width×height; the pixel data is a token (a pixel bomb never decoded)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 1024))
            + chunk(b"IEND", b""))


def truncated_jpeg(img: Image.Image, keep: float = 0.5) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    data = buf.getvalue()
    return data[: int(len(data) * keep)]


def tiff_with_corrupt_page(pages: list[Image.Image], bad: int) -> bytes:
    """A multi-page deflate TIFF whose page `bad` (1-based) has its pixel data overwritten with junk."""
    buf = io.BytesIO()
    pages[0].save(buf, "TIFF", save_all=True, append_images=pages[1:], compression="tiff_adobe_deflate", dpi=(150, 150))
    data = bytearray(buf.getvalue())
    with Image.open(io.BytesIO(bytes(data))) as im:
        im.seek(bad - 1)
        offsets = im.tag_v2[273]
        counts = im.tag_v2[279]
    for off, cnt in zip(offsets, counts, strict=True):
        for i in range(off + 2, off + cnt):
            data[i] = (i * 131 + 7) % 256
    return bytes(data)


def image_bytes(img: Image.Image, fmt: str, **kw: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


# ----------------------------------------------------------------------------- ZIPs
def zip_bytes(members: list[tuple[str, bytes]], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buf.getvalue()


def zip_with_raw_name(raw_name: bytes, data: bytes) -> bytes:
    """A member whose name is stored as raw legacy bytes without the UTF-8 flag (as old Windows tools do)."""
    placeholder = b"N" * len(raw_name)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(placeholder.decode(), data)
    out = buf.getvalue()
    assert out.count(placeholder) == 2
    return out.replace(placeholder, raw_name)


def zip_with_symlink(name: str, target: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        info = zipfile.ZipInfo(name)
        info.create_system = 3
        info.external_attr = (0o120777 << 16)
        zf.writestr(info, target)
        zf.writestr("ok.txt", b"not a report")
    return buf.getvalue()


def zip_encrypted(path: Path, members: dict[str, bytes]) -> Path:
    """A real ZipCrypto archive made by Info-ZIP's `zip -P` (Python's zipfile cannot write one)."""
    work = path.parent / (path.name + ".src")
    work.mkdir()
    for name, data in members.items():
        (work / name).write_bytes(data)
    subprocess.run(["zip", "-q", "-P", "secret", str(path.resolve()), *members], cwd=work, check=True)
    for name in members:
        (work / name).unlink()
    work.rmdir()
    return path


def corrupt_member_data(archive: bytes, name: str) -> bytes:
    """Scribble over the compressed bytes of one member (deflate then fails: zlib.error or bad CRC)."""
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        info = zf.getinfo(name)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    buf = bytearray(archive)
    for i in range(start + 2, start + min(info.compress_size, 400)):
        buf[i] = (i * 97 + 13) % 256
    return bytes(buf)


def corrupt_central_directory(archive: bytes) -> bytes:
    i = archive.rfind(b"PK\x01\x02")
    buf = bytearray(archive)
    buf[i: i + 4] = b"XXXX"
    return bytes(buf)


def bomb_member(megabytes: int = 64) -> bytes:
    """A deflated member that inflates ~1000:1 (refused by the ratio guard before inflating)."""
    return zip_bytes([("bomb.pdf", b"%PDF-1.4\n" + b"\0" * (megabytes << 20))])


def nested_bomb(levels: int = 2, fan: int = 8) -> bytes:
    """Zips of zips of identical bombs: fan**levels paths to one distinct content."""
    inner = bomb_member(16)
    for _ in range(levels):
        inner = zip_bytes([(f"layer{i}.zip", inner) for i in range(fan)], compression=zipfile.ZIP_STORED)
    return inner


def many_tiny_entries(n: int = 5000) -> bytes:
    return zip_bytes([(f"notes/ghi_chu_{i:05d}.txt", b"ghi chu %d\n" % i) for i in range(n)])
