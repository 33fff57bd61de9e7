"""Ingest: find every input file, read ZIPs in place, group identical bytes.

Every file the user gave is accounted for, whatever its name or bytes: it
becomes a `Document` (one per distinct content, with a unique `doc_id`) or
lands in another document's `other_paths`.  ZIP members are identified by
their position in the archive, never by name (two members may share one);
members that would escape the archive, are links, are encrypted or cannot be
inflated become failed rows and the other members go on.  Names that are not
UTF-8 are shown with `\\x` escapes and their raw bytes are kept.
"""

from __future__ import annotations

import errno
import fnmatch
import hashlib
import io
import logging
import os
import posixpath
import stat
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from cchc.core.errors import EmptyFile, InputError, NotAReport, UnsafeArchive, UnsupportedType
from cchc.core.model import Document, FileKind
from pipeline.sniff import office_kind_from_names, sniff

log = logging.getLogger("cchc.ingest")

# Decompression-bomb guards (per archive member, per archive, nesting).
MAX_MEMBER_BYTES = 512 * 1024 * 1024
MAX_ARCHIVE_BYTES = 8 * 1024 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, for members above 1 MB
MAX_MEMBERS = 50_000
MAX_ZIP_DEPTH = 3

_SKIP_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}
_HEAD = 4096


class BadInput(ValueError):
    """An INPUT argument that cannot be read as a file or folder (a usage error, exit 2)."""


class MissingInput(FileNotFoundError):
    """An INPUT argument that does not exist (a usage error, exit 2)."""


@dataclass(frozen=True)
class InputRef:
    """Where one input file's bytes live: a file on disk, or a chain of member positions inside ZIPs."""

    display_path: str  # `dir/file.pdf` or `archive.zip!/inner/file.pdf`, always valid UTF-8
    fs_path: Path
    members: tuple[int, ...] = ()  # index in each (nested) archive's infolist()
    names: tuple[str, ...] = ()  # display names of those members
    raw_path: bytes | None = None  # the path's raw bytes, kept when it is not valid UTF-8

    @property
    def file_name(self) -> str:
        last = self.names[-1] if self.names else safe_text(self.fs_path.name)
        return posixpath.basename(last.replace("\\", "/").rstrip("/"))

    def read_bytes(self) -> bytes:
        if not self.members:
            return self.fs_path.read_bytes()
        zf = _open_archive(self.fs_path)
        data = _read_member(zf, zf.infolist()[self.members[0]])
        for index in self.members[1:]:
            with zipfile.ZipFile(io.BytesIO(data)) as inner:
                data = _read_member(inner, inner.infolist()[index])
        return data


@dataclass
class IngestedFile:
    ref: InputRef
    sha256: str | None  # None when the bytes could not be read
    size: int
    kind: FileKind | str  # a str: a registered input format (pipeline.formats)
    description: str
    error: str | None = None  # set when the file cannot be processed (unsafe member, I/O error, not a report)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Ingested:
    documents: list[Document] = field(default_factory=list)
    refs: dict[str, InputRef] = field(default_factory=dict)  # doc_id -> where to read it


def ingest(inputs: Iterable[str | Path], exclude: Iterable[str | Path] = ()) -> Ingested:
    """Walk INPUTs and return one Document per distinct content, sorted by source path.

    `exclude` names folders never read as input (the output folder, when it
    sits inside an input folder, would otherwise feed its own files back in);
    folders holding an earlier cchc output are skipped as well.
    """
    skip = [Path(p).resolve() for p in exclude]
    files = sorted((f for f in _walk_inputs(inputs, skip)), key=lambda f: f.ref.display_path)
    groups: dict[str, list[IngestedFile]] = {}
    for f in files:
        key = f.sha256 if f.sha256 is not None else _unreadable_id(f.ref)
        groups.setdefault(key, []).append(f)
    result = Ingested()
    for doc_id, group in groups.items():
        first = next((g for g in group if g.error is None), group[0])
        doc = Document(
            doc_id=doc_id,
            source_path=first.ref.display_path,
            file_name=first.ref.file_name,
            other_paths=[g.ref.display_path for g in group if g is not first],
            kind=first.kind,
            local_path=first.ref.fs_path if not first.ref.members else None,
        )
        doc.source_path_bytes = first.ref.raw_path
        doc.warnings.extend(first.warnings)
        if first.error:
            doc.fail(first.error)
        result.documents.append(doc)
        result.refs[doc.doc_id] = first.ref
    result.documents.sort(key=lambda d: d.source_path)
    return result


def safe_text(name: str) -> str:
    """A name as valid UTF-8: bytes that are not UTF-8 (surrogate-escaped by the OS layer) become `\\xNN`."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _name_warning(raw_name: bytes) -> str:
    guess = raw_name.decode("cp1258", "replace")
    return (f"file name is not valid UTF-8 (a legacy Windows encoding?); shown with \\x escapes, raw bytes "
            f"kept in source_path_bytes; read as Vietnamese Windows-1258 it is {guess!r}: rename it in UTF-8")


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
    lines = (ln.strip() for ln in path.read_text(encoding="utf-8", errors="replace").splitlines())
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
    resolved = Path(os.path.realpath(path))  # never raises, even on a link loop
    return any(resolved == f or f in resolved.parents for f in folders)


def is_cchc_output(folder: Path) -> bool:
    """An earlier `cchc extract --out` folder: never input (its Parquet files are not reports)."""
    return (folder / "run.json").is_file() and (folder / "documents.parquet").exists()


def _walk_inputs(inputs: Iterable[str | Path], skip: list[Path]) -> Iterator[IngestedFile]:
    for raw in inputs:
        root = Path(raw)
        try:
            st = root.stat()
        except OSError as exc:
            if exc.errno == errno.ENOENT:
                raise MissingInput(f"input not found: {safe_text(str(root))}") from exc
            raise BadInput(f"input {safe_text(str(root))} cannot be read: {exc.strerror or exc}") from exc
        if stat.S_ISDIR(st.st_mode):
            yield from _walk_folder(root, skip)
        elif stat.S_ISREG(st.st_mode):
            yield from _guarded(root, str(root))
        else:
            raise BadInput(f"input {safe_text(str(root))} is {_special_kind(st.st_mode)}, not a file or folder; "
                           "give the files or the folder that holds them")


def _walk_folder(root: Path, skip: list[Path]) -> Iterator[IngestedFile]:
    rules = _ignore_rules(root)
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        folder = Path(dirpath)
        kept = []
        for d in sorted(dirnames):
            sub = folder / d
            if d.startswith(".") or _under_any(sub, skip):
                continue
            if is_cchc_output(sub):
                log.warning("not reading %s: it is a cchc output folder", safe_text(str(sub)))
                continue
            if not sub.is_symlink():  # links to folders are not followed (loops, escapes)
                kept.append(d)
        dirnames[:] = kept
        for name in sorted(filenames):
            path = folder / name
            rel = PurePosixPath(path.relative_to(root).as_posix())
            if name in _SKIP_NAMES or any(part.startswith(".") for part in rel.parts):
                continue
            if _under_any(path, skip):
                continue
            try:
                if any(_ignored(PurePosixPath(path.resolve().relative_to(base).as_posix()), pats)
                       for base, pats in rules):
                    continue
            except (ValueError, OSError, RuntimeError):  # a link out of the tree or a loop: not ignored
                pass
            yield from _guarded(path, str(root / rel))


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _disk_ref(path: Path, display: str) -> InputRef:
    raw = os.fsencode(display)
    try:
        raw.decode("utf-8")
        return InputRef(display, path)
    except UnicodeDecodeError:
        return InputRef(safe_text(display), path, raw_path=raw)


def _guarded(path: Path, display: str) -> list[IngestedFile]:
    """Whatever goes wrong with one file becomes its own failed row."""
    ref = _disk_ref(path, display)
    try:
        found = list(_from_disk(path, ref))
    except Exception as exc:  # noqa: BLE001 - one bad file never stops the batch
        log.debug("ingest failed on %s", ref.display_path, exc_info=True)
        found = [_unreadable(ref, f"cannot read file ({type(exc).__name__}: {exc}); please report this file")]
    if ref.raw_path is not None:
        for f in found:
            f.warnings.insert(0, _name_warning(os.fsencode(path.name)))
    return found


def _unreadable(ref: InputRef, error: str, description: str = "unreadable") -> IngestedFile:
    return IngestedFile(ref, None, 0, FileKind.UNKNOWN, description, error=error)


def _unreadable_id(ref: InputRef) -> str:
    """A stable id, unique per path and member position, for a file whose bytes could not be read."""
    key = f"{ref.display_path}#{'/'.join(map(str, ref.members))}"
    return hashlib.sha256(b"unreadable:" + (ref.raw_path or b"") + key.encode()).hexdigest()


def _from_disk(path: Path, ref: InputRef) -> Iterator[IngestedFile]:
    try:
        st = path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            yield _unreadable(ref, "symbolic link loop: the link points back to itself; remove or fix it")
        elif path.is_symlink():
            yield _unreadable(ref, f"broken symbolic link (points to {safe_text(os.readlink(path))}); fix or remove it")
        else:
            yield _unreadable(ref, f"cannot read file: {exc.strerror or exc} (deleted while the run started?)")
        return
    if not stat.S_ISREG(st.st_mode):
        yield _unreadable(ref, f"{_special_kind(st.st_mode)}, not a file; not read")
        return
    try:
        with path.open("rb") as fh:
            head = fh.read(_HEAD)
            fh.seek(0)
            sha = hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError as exc:
        yield _unreadable(ref, f"cannot read file: {exc.strerror or exc}")
        return
    kind, what = sniff(head)
    if kind is FileKind.ZIP:  # read in place: a large archive is never loaded whole into memory
        office = _office_kind(path)
        if office:
            yield _ingested(ref, sha, st.st_size, FileKind.UNKNOWN, office)
        else:
            yield from _walk_zip(ref, path, sha, st.st_size, depth=1)
        return
    yield _ingested(ref, sha, st.st_size, kind, what)


def _office_kind(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except Exception:  # noqa: BLE001 - a damaged archive is reported by the ZIP walk
        return None
    return office_kind_from_names(names)


def _ingested(ref: InputRef, sha: str, size: int, kind: FileKind | str, what: str) -> IngestedFile:
    """A readable file; kinds that can never be a report fail here, without a worker."""
    return IngestedFile(ref, sha, size, kind, what, error=_kind_error(kind, what, ref.file_name))


def _kind_error(kind: FileKind | str, what: str, name: str) -> str | None:
    err: InputError | None = None
    if kind is FileKind.EMPTY:
        err = EmptyFile()
    elif kind is FileKind.HTML:
        err = NotAReport(what, name)
    elif kind is FileKind.UNKNOWN:
        err = UnsupportedType(what)
    return str(err) if err else None


def _classify(ref: InputRef, data: bytes, depth: int) -> Iterator[IngestedFile]:
    kind, what = sniff(data[:_HEAD], data)
    if kind is FileKind.ZIP:
        if depth >= MAX_ZIP_DEPTH:
            yield IngestedFile(ref, _sha(data), len(data), kind, what,
                               error=f"ZIP archives nested deeper than {MAX_ZIP_DEPTH} levels; unpack it first")
            return
        yield from _walk_zip(ref, io.BytesIO(data), _sha(data), len(data), depth + 1)
        return
    yield _ingested(ref, _sha(data), len(data), kind, what)


def _member_name(info: zipfile.ZipInfo) -> tuple[str, bytes | None]:
    """(display name, raw name bytes when they are not UTF-8).

    Archives made on Windows store names in a legacy code page without the
    UTF-8 flag; Python decodes those as cp437, which is never what was meant.
    """
    if info.flag_bits & 0x800:
        return info.filename, None
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename, None
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        return raw.decode("utf-8", "backslashreplace"), raw


def _walk_zip(ref: InputRef, source: Path | io.BytesIO, sha: str, size: int, depth: int) -> Iterator[IngestedFile]:
    try:
        zf = zipfile.ZipFile(source)
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        yield IngestedFile(ref, sha, size, FileKind.ZIP, "a damaged ZIP archive",
                           error=f"damaged ZIP archive ({exc}); re-download or re-create the archive")
        return
    with zf:
        files = [(i, info) for i, info in enumerate(infos) if not info.is_dir()]
        if len(files) > MAX_MEMBERS:
            yield IngestedFile(ref, sha, size, FileKind.ZIP, "a ZIP archive",
                               error=f"ZIP archive has {len(files)} members (limit {MAX_MEMBERS}); split it")
            return
        counts: dict[str, int] = {}
        for _, info in files:
            counts[info.filename] = counts.get(info.filename, 0) + 1
        total = 0
        for index, info in files:
            name, raw_name = _member_name(info)
            base = posixpath.basename(name)
            if base in _SKIP_NAMES or name.startswith("__MACOSX/") or base.startswith("._"):
                continue
            raw_path = None
            if raw_name is not None or ref.raw_path is not None:
                raw_path = (ref.raw_path or ref.display_path.encode()) + b"!/" + (raw_name or name.encode())
            member_ref = InputRef(f"{ref.display_path}!/{name}", ref.fs_path, (*ref.members, index),
                                  (*ref.names, name), raw_path)
            notes = []
            if raw_name is not None:
                notes.append(_name_warning(posixpath.basename(raw_name.decode("latin-1")).encode("latin-1")))
            if counts[info.filename] > 1:
                notes.append(f"the archive holds {counts[info.filename]} members named {name!r}; "
                             f"this is entry {index + 1} of {len(infos)}")
            try:
                _check_member(name, info)
                if total + info.file_size > MAX_ARCHIVE_BYTES:
                    raise UnsafeArchive(
                        f"unsafe ZIP member: the archive would inflate past {MAX_ARCHIVE_BYTES >> 30} GiB; split it"
                    )
                content = _read_member(zf, info)
                total += len(content)
            except UnsafeArchive as exc:
                found = [_unreadable(member_ref, str(exc), "an unsafe archive member")]
            except Exception as exc:  # noqa: BLE001 - zlib.error, CRC errors, unsupported methods: one row each
                found = [_unreadable(member_ref, f"cannot read ZIP member ({type(exc).__name__}: {exc}); "
                                     "the archive is damaged: re-download or re-create it",
                                     "an unreadable archive member")]
            else:
                found = list(_classify(member_ref, content, depth))
                del content
            for f in found:
                f.warnings[:0] = notes
                yield f


def _check_member(name: str, info: zipfile.ZipInfo) -> None:
    norm = posixpath.normpath(name.replace("\\", "/"))
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":") or norm == ".." or norm.startswith("../"):
        raise UnsafeArchive(f"unsafe ZIP member name {name!r} points outside the archive (path traversal); not read")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise UnsafeArchive("ZIP member is a symbolic link, not a file; links in archives are not followed")
    if info.flag_bits & 0x1:
        raise UnsafeArchive("encrypted ZIP member: it needs a password; unpack the archive with its password "
                            "and give the folder instead")


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


_OPEN: dict[tuple[int, str, int, int], zipfile.ZipFile] = {}


def _open_archive(path: Path) -> zipfile.ZipFile:
    """The archive's directory, parsed once per process: reading 5,000 members must not parse it 5,000 times.

    Keyed by process id too: a ZipFile inherited through fork shares its file offset with the parent.
    """
    st = path.stat()
    key = (os.getpid(), str(path), st.st_mtime_ns, st.st_size)
    zf = _OPEN.get(key)
    if zf is None:
        for old in _OPEN.values():
            old.close()
        _OPEN.clear()
        zf = _OPEN[key] = zipfile.ZipFile(path)
    return zf


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
