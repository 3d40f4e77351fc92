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


# Words an Indonesian user is likely to build a password from, beyond the English lists the
# strength estimator ships: it treats each as a dictionary word, so "bismillah2024" is weak.
LOCAL_WORDS = (
    "siaga", "pilkada", "pemilu", "pilpres", "bawaslu", "panwaslu", "kpu", "kesbangpol",
    "diskominfo", "polres", "kodim", "satpolpp", "pemkab", "bupati", "camat", "lurah",
    "indonesia", "merdeka", "garuda", "pancasila", "jakarta", "jambi", "bengkulu", "merangin",
    "mukomuko", "bismillah", "alhamdulillah", "sayang", "cinta", "rahasia", "katasandi",
    "sandi", "masuk", "admin", "administrator", "petugas", "analis", "ketua", "selamat",
    "bangsa", "negara", "republik", "sukses", "semangat", "persib", "persija", "arema",
    "qwerty", "asdfgh", "zxcvbn",
)
MIN_STRENGTH = 3  # zxcvbn's score, 0-4: 3 is "safely unguessable" against online attacks
_JUDGED_LENGTH = 72  # the estimator's own limit; a longer password is judged by its start


def check_strength(password: str, *related: str) -> None:
    """Refuse (WeakPassword) a short password or one easy to guess, else return None.

    Easy to guess: a common password, a repeat or keyboard run ("aaaaaaaaaa", "qwertyuiop"),
    a sequence or date, a local word from LOCAL_WORDS, or the account's own name (`related`),
    as the zxcvbn estimator scores them.
    """
    from zxcvbn import zxcvbn  # loads its 30,000-password list on first use

    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(
            f"kata sandi minimal {MIN_PASSWORD_LENGTH} karakter / "
            f"password needs at least {MIN_PASSWORD_LENGTH} characters")
    judged = zxcvbn(password[:_JUDGED_LENGTH], user_inputs=[*LOCAL_WORDS, *related])
    if judged["score"] < MIN_STRENGTH:
        raise WeakPassword(
            "kata sandi terlalu mudah ditebak (kata sandi umum, pengulangan, urutan atau kata "
            "biasa); pakai beberapa kata acak / password too easy to guess (a common "
            "password, a repeat, a sequence or a plain word); use several random words")


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
