"""One run per output folder: a second `cchc extract` on the same --out is refused, not run twice.

The lock is an `flock` on a small file beside the output folder (the folder
itself is swapped out at the end of a run, so a lock inside it would not
hold).  The kernel drops the lock when the holder dies, even by SIGKILL, so a
killed run never blocks the next one.  Holding the lock also makes it safe to
remove the temporary folders a killed run left behind.
"""

from __future__ import annotations

import fcntl
import glob
import logging
import os
import shutil
from pathlib import Path

from cchc.core.errors import CchcError

log = logging.getLogger("cchc.lock")


class OutputBusy(CchcError):
    """Another run holds the lock on this --out."""


class OutputLock:
    def __init__(self, out: Path) -> None:
        out = out.resolve()
        self.out = out
        self.path = out.parent / f".{out.name}.lock"
        self._fd: int | None = None

    def __enter__(self) -> OutputLock:
        self.out.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            raise OutputBusy(
                f"another cchc run (pid {holder}) is writing to --out {self.out}; wait for it to finish "
                "or choose another folder"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        remove_stale_temporaries(self.out)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            os.close(self._fd)  # closing drops the flock; the file stays (removing it would race a waiter)
            self._fd = None


def remove_stale_temporaries(out: Path) -> list[Path]:
    """`.OUT.tmp-*` folders a killed run left while writing: only ever called under the lock."""
    removed = []
    for tmp in out.parent.glob(f".{glob.escape(out.name)}.tmp-*"):
        if tmp.is_dir() and not tmp.is_symlink():
            shutil.rmtree(tmp, ignore_errors=True)
            removed.append(tmp)
    for tmp in out.glob("_cache/*/.tmp-*"):  # a result cache entry being written when the run was killed
        tmp.unlink(missing_ok=True)
        removed.append(tmp)
    if removed:
        log.info("removed %d temporary folder(s) left by an interrupted run", len(removed))
    return removed
