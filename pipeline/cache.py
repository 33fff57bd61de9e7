"""Per-document results kept as they finish, so a killed run resumes where it stopped.

A result is keyed by the document's content hash, the pipeline (version and
code), the catalog version and the options that change results (OCR on/off, DPI, …): a rerun over the same archive skips what is done and
re-does only failed documents, changed files, or everything after an upgrade.
Each entry is written to a temporary name and renamed, so a SIGKILL can leave
at most a stray temporary file, never a half-written entry.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import cache
from pathlib import Path

from cchc.core.model import Document, Status

CACHE_DIRNAME = "_cache"


_CODE_PACKAGES = ("cchc", "pipeline", "extractors", "matchers")


@cache
def code_fingerprint() -> str:
    """Hash of the pipeline's own source: a changed stage invalidates cached results, not only a new version."""
    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for package in _CODE_PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:10]


class ResultCache:
    def __init__(self, out: Path, pipeline_version: str, catalog_version: str, options_key: str = "") -> None:
        name = f"p{pipeline_version}-{code_fingerprint()}-c{catalog_version}" + (f"-o{options_key}" if options_key else "")
        self.root = out / CACHE_DIRNAME / name
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, doc_id: str) -> Path:
        return self.root / f"{doc_id}.pkl"

    def get(self, doc_id: str) -> Document | None:
        """A finished, non-failed result for this content, or None."""
        path = self._path(doc_id)
        try:
            with path.open("rb") as fh:
                doc = pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        if not isinstance(doc, Document) or doc.status is Status.FAILED:
            return None
        return doc

    def put(self, doc: Document) -> None:
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=self.root)
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(doc, fh, protocol=pickle.HIGHEST_PROTOCOL)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self._path(doc.doc_id))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def __len__(self) -> int:
        return sum(1 for _ in self.root.glob("*.pkl"))
