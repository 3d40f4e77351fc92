"""Argon2id password hashes and random session tokens."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()  # argon2id with the library's current recommended parameters
MIN_PASSWORD_LENGTH = 10


class WeakPassword(ValueError):
    """A password refused before hashing, with the reason."""


def hash_password(password: str) -> str:
    """Return the Argon2id hash (PHC string) of a password that is long enough."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(
            f"kata sandi minimal {MIN_PASSWORD_LENGTH} karakter / "
            f"password needs at least {MIN_PASSWORD_LENGTH} characters"
        )
    return _HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Return True when the password matches the stored hash."""
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Return True when the hash was made with weaker parameters than the current ones."""
    return _HASHER.check_needs_rehash(stored_hash)


def new_token() -> str:
    """Return a fresh random session token (URL-safe, 256 bits)."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """Return the SHA-256 of a token: only the digest is stored, so a leaked table opens nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_password() -> str:
    """Return a random password for a generated account (e.g. the demo admin)."""
    return secrets.token_urlsafe(12)
