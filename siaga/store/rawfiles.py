"""Raw input files on disk: written whole or not at all, and checked against their ledger.

A file is written to a temporary name in its own folder, flushed to disk, renamed over the
target and the folder flushed too, so a crash leaves either no file or the complete one, never
a truncated file under the content address.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def sha256_of_file(path: Path) -> str | None:
    """Return the SHA-256 (hex) of a file's bytes, or None when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def write_atomically(target: Path, content: bytes) -> None:
    """Write the bytes to `target` through a fsynced temporary file renamed over it."""
    folder = target.parent
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    # The rename is only durable once the folder's entry is on disk.
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # a platform without folder handles (Windows): the rename is what we have
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def ensure_stored(target: Path, content: bytes, digest: str) -> bool:
    """Make `target` hold exactly the bytes (whose SHA-256 is `digest`); return True when the
    file was missing or wrong and has been (re)written."""
    if target.is_file() and sha256_of_file(target) == digest:
        return False
    write_atomically(target, content)
    return True
