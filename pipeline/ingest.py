"""Ingest: find every input file, read ZIPs in memory, group identical bytes.

Every file the user gave is accounted for: it becomes a `Document` (one per
distinct content) or lands in another document's `other_paths`.  ZIP archives
are read without extracting to disk; member names that would escape the
archive and members that inflate past the limits become failed rows instead
of being read.
"""

from __future__ import annotations

import fnmatch
import hashlib
import io
import posixpath
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from cchc.errors import UnsafeArchive
from cchc.model import Document, FileKind
from pipeline.sniff import sniff

# Decompression-bomb guards (per archive member, per archive, nesting).
MAX_MEMBER_BYTES = 512 * 1024 * 1024
MAX_ARCHIVE_BYTES = 8 * 1024 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, for members above 1 MB
MAX_MEMBERS = 50_000
MAX_ZIP_DEPTH = 3

_SKIP_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


@dataclass(frozen=True)
class InputRef:
    """Where one input file's bytes live: a file on disk, or a member chain inside ZIPs."""

    display_path: str  # `dir/file.pdf` or `archive.zip!/inner/file.pdf`
    fs_path: Path
    members: tuple[str, ...] = ()

    @property
    def file_name(self) -> str:
        last = self.members[-1] if self.members else self.fs_path.name
        return posixpath.basename(last.rstrip("/"))

    def read_bytes(self) -> bytes:
        if not self.members:
            return self.fs_path.read_bytes()
        data = self.fs_path.read_bytes()
        for member in self.members:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                data = _read_member(zf, zf.getinfo(member))
        return data


@dataclass
class IngestedFile:
    ref: InputRef
    sha256: str
    size: int
    kind: FileKind
    description: str
    error: str | None = None  # set when the file could not even be read (unsafe member, I/O error)


@dataclass
class Ingested:
    documents: list[Document] = field(default_factory=list)
    refs: dict[str, InputRef] = field(default_factory=dict)  # doc_id -> where to read it


def ingest(inputs: Iterable[str | Path], exclude: Iterable[str | Path] = ()) -> Ingested:
    """Walk INPUTs and return one Document per distinct content, sorted by source path.

    `exclude` names folders never read as input (the output folder, when it
    sits inside an input folder, would otherwise feed its own files back in).
    """
    skip = [Path(p).resolve() for p in exclude]
    files = sorted((f for f in _walk_inputs(inputs) if not _under_any(f.ref.fs_path, skip)),
                   key=lambda f: f.ref.display_path)
    by_hash: dict[str, list[IngestedFile]] = {}
    for f in files:
        key = f.sha256 if f.error is None else f"error:{f.ref.display_path}"
        by_hash.setdefault(key, []).append(f)
    result = Ingested()
    for group in by_hash.values():
        first = group[0]
        doc = Document(
            doc_id=first.sha256,
            source_path=first.ref.display_path,
            file_name=first.ref.file_name,
            other_paths=[g.ref.display_path for g in group[1:]],
            kind=first.kind,
            local_path=first.ref.fs_path if not first.ref.members else None,
        )
        if first.error:
            doc.fail(first.error)
        result.documents.append(doc)
        result.refs[doc.doc_id] = first.ref
    result.documents.sort(key=lambda d: d.source_path)
    return result


IGNORE_FILE = ".cchcignore"


def ignore_patterns(root: Path) -> list[str]:
    """Glob patterns from `root/.cchcignore` (one per line, `#` comments): files that are not reports.

    Lets a folder keep its sidecars (ground truth, notes, scripts) beside the
    reports without each becoming a failed row.  A pattern ending in `/`
    ignores a sub-folder.
    """
    path = root / IGNORE_FILE
    if not path.is_file():
        return []
    lines = (ln.strip() for ln in path.read_text(encoding="utf-8").splitlines())
    return [ln for ln in lines if ln and not ln.startswith("#")]


def _ignore_rules(root: Path) -> list[tuple[Path, list[str]]]:
    """`.cchcignore` files in the input folder and its parents (as git does), each with its own base."""
    rules = []
    for folder in [root.resolve(), *root.resolve().parents]:
        patterns = ignore_patterns(folder)
        if patterns:
            rules.append((folder, patterns))
        if (folder / ".git").exists():
            break
    return rules


def _ignored(rel: PurePosixPath, patterns: list[str]) -> bool:
    for pat in patterns:
        if pat.endswith("/"):
            if pat.rstrip("/") in rel.parts[:-1] or rel.as_posix().startswith(pat):
                return True
        elif rel.match(pat) or fnmatch.fnmatch(rel.name, pat):
            return True
    return False


def _under_any(path: Path, folders: list[Path]) -> bool:
    resolved = path.resolve()
    return any(resolved == f or f in resolved.parents for f in folders)


def _walk_inputs(inputs: Iterable[str | Path]) -> Iterator[IngestedFile]:
    for raw in inputs:
        root = Path(raw)
        if root.is_dir():
            rules = _ignore_rules(root)
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                rel = PurePosixPath(path.relative_to(root).as_posix())
                if path.name in _SKIP_NAMES or any(part.startswith(".") for part in rel.parts):
                    continue
                if any(_ignored(PurePosixPath(path.resolve().relative_to(base).as_posix()), pats)
                       for base, pats in rules):
                    continue
                yield from _from_disk(path, _display(root, path))
        elif root.is_file():
            yield from _from_disk(root, str(root))
        else:
            raise FileNotFoundError(f"input not found: {root}")


def _display(root: Path, path: Path) -> str:
    return str(root / path.relative_to(root))


def _from_disk(path: Path, display: str) -> Iterator[IngestedFile]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield IngestedFile(
            InputRef(display, path), _sha_of_name(display), 0, FileKind.UNKNOWN, "unreadable",
            error=f"cannot read file: {exc.strerror or exc}",
        )
        return
    yield from _classify(InputRef(display, path), data, depth=0)


def _classify(ref: InputRef, data: bytes, depth: int) -> Iterator[IngestedFile]:
    kind, what = sniff(data[:4096], data)
    if kind is FileKind.ZIP:
        if depth >= MAX_ZIP_DEPTH:
            yield IngestedFile(ref, _sha(data), len(data), kind, what,
                               error=f"ZIP archives nested deeper than {MAX_ZIP_DEPTH} levels; unpack it first")
            return
        yield from _walk_zip(ref, data, depth + 1)
        return
    yield IngestedFile(ref, _sha(data), len(data), kind, what)


def _walk_zip(ref: InputRef, data: bytes, depth: int) -> Iterator[IngestedFile]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        yield IngestedFile(ref, _sha(data), len(data), FileKind.ZIP, "a damaged ZIP archive",
                           error=f"damaged ZIP archive ({exc}); re-download or re-create the archive")
        return
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > MAX_MEMBERS:
            yield IngestedFile(ref, _sha(data), len(data), FileKind.ZIP, "a ZIP archive",
                               error=f"ZIP archive has {len(infos)} members (limit {MAX_MEMBERS}); split it")
            return
        total = 0
        for info in sorted(infos, key=lambda i: i.filename):
            name = _decode_member_name(info)
            base = posixpath.basename(name)
            if base in _SKIP_NAMES or name.startswith("__MACOSX/") or base.startswith("._"):
                continue
            member_ref = InputRef(f"{ref.display_path}!/{name}", ref.fs_path, (*ref.members, info.filename))
            try:
                _check_member_name(name)
                if total + info.file_size > MAX_ARCHIVE_BYTES:
                    raise UnsafeArchive(
                        f"unsafe ZIP member: the archive would inflate past {MAX_ARCHIVE_BYTES >> 30} GiB; split it"
                    )
                content = _read_member(zf, info)
                total += len(content)
            except UnsafeArchive as exc:
                yield IngestedFile(member_ref, _sha_of_name(member_ref.display_path), 0, FileKind.UNKNOWN,
                                   "an unsafe archive member", error=str(exc))
                continue
            except (zipfile.BadZipFile, RuntimeError, OSError, EOFError) as exc:
                yield IngestedFile(member_ref, _sha_of_name(member_ref.display_path), 0, FileKind.UNKNOWN,
                                   "an unreadable archive member",
                                   error=f"cannot read ZIP member ({exc}); the archive may be damaged or encrypted")
                continue
            yield from _classify(member_ref, content, depth)


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """Read at most the limit, whatever the header claims (headers can lie)."""
    limit = MAX_MEMBER_BYTES
    if info.file_size > limit:
        raise UnsafeArchive(f"unsafe ZIP member: {info.file_size} bytes uncompressed (limit {limit}); unpack it by hand")
    if info.compress_size and info.file_size > (1 << 20) and info.file_size / info.compress_size > MAX_RATIO:
        raise UnsafeArchive(
            f"unsafe ZIP member: compression ratio {info.file_size // max(info.compress_size, 1)}:1 "
            "looks like a decompression bomb"
        )
    with zf.open(info) as fh:
        content = fh.read(limit + 1)
    if len(content) > limit:
        raise UnsafeArchive(f"unsafe ZIP member: inflates past {limit} bytes (limit); unpack it by hand")
    return content


def _check_member_name(name: str) -> None:
    norm = posixpath.normpath(name.replace("\\", "/"))
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":") or norm == ".." or norm.startswith("../"):
        raise UnsafeArchive(f"unsafe ZIP member name {name!r} points outside the archive (path traversal); not read")


def _decode_member_name(info: zipfile.ZipInfo) -> str:
    """ZIPs made on Vietnamese Windows often store names in a legacy code page without the UTF-8 flag."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sha_of_name(name: str) -> str:
    """A stable id for a file whose bytes could not be read."""
    return hashlib.sha256(b"unreadable:" + name.encode()).hexdigest()
