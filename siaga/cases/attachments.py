"""Attachments: recognise the file type from its first bytes, enforce limits, name the path."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

# Magic numbers of the accepted kinds; the name a client sends is never trusted for the type.
_MAGIC: list[tuple[bytes, int, str]] = [
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"GIF87a", 0, "image/gif"),
    (b"GIF89a", 0, "image/gif"),
    (b"WEBP", 8, "image/webp"),
    (b"%PDF-", 0, "application/pdf"),
]
KNOWN_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf",
               "text/plain")


class AttachmentError(ValueError):
    """An attachment refused: too large, empty, or of a type not accepted."""

    def __init__(self, message: str, *, too_large: bool = False) -> None:
        super().__init__(message)
        self.too_large = too_large


@dataclass(frozen=True)
class AttachmentLimits:
    """What attachments are accepted: the largest size and the media types."""

    max_bytes: int
    types: tuple[str, ...]


@dataclass(frozen=True)
class CheckedFile:
    """An accepted attachment: its bytes, digest, media type and the path it is stored under."""

    content: bytes
    sha256: str
    media_type: str
    filename: str

    @property
    def relative_path(self) -> Path:
        """Return where it lives under SIAGA_HOME: attachments/ab/abcdef…"""
        return Path("attachments") / self.sha256[:2] / self.sha256


def sniff(content: bytes) -> str | None:
    """Return the media type recognised from the first bytes, or None."""
    for magic, offset, media in _MAGIC:
        if content[offset:offset + len(magic)] == magic:
            if media == "image/webp" and not content.startswith(b"RIFF"):
                continue
            return media
    try:
        content[:4096].decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "text/plain" if b"\x00" not in content[:4096] else None


def check_file(content: bytes, filename: str, limits: AttachmentLimits) -> CheckedFile:
    """Return the checked file, or raise AttachmentError saying what is wrong with it."""
    if not content:
        raise AttachmentError(f"{filename}: berkas kosong / the file is empty")
    if len(content) > limits.max_bytes:
        raise AttachmentError(
            f"{filename}: berkas terlalu besar / file too large: {len(content):,} bytes, "
            f"limit {limits.max_bytes:,}", too_large=True)
    media = sniff(content)
    if media is None or media not in limits.types:
        raise AttachmentError(
            f"{filename}: jenis berkas tidak diterima / file type not accepted "
            f"({media or 'unrecognised'}); accepted: {', '.join(limits.types)}")
    return CheckedFile(content, hashlib.sha256(content).hexdigest(), media, Path(filename).name)


def store_file(home: Path, checked: CheckedFile) -> Path:
    """Write the file under home once (content-addressed, never overwritten); return its path."""
    target = home / checked.relative_path
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.write_bytes(checked.content)
    partial.replace(target)  # atomic: a reader never sees half a file
    return target
