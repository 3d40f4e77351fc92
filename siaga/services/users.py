"""Account use cases: create, authenticate, open and resolve sessions."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from siaga.auth.passwords import (
    WeakPassword,
    check_strength,
    hash_password,
    needs_rehash,
    new_token,
    token_digest,
    verify_password,
)
from siaga.auth.throttle import LoginThrottled, ThrottlePolicy, throttle_key, wait_seconds
from siaga.domain.access import Principal, Role
from siaga.domain.roles import AGENCIES
from siaga.store import Store
from siaga.store import users as db
from siaga.store.tx import Tx, reading, transaction

Clock = Callable[[], datetime]
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
# Verifying against a real hash when the user is unknown keeps the answer time the same, so
# response times do not reveal which usernames exist.
_DUMMY_HASH = hash_password("not-a-real-password")


class UserError(ValueError):
    """A refused account operation, with a bilingual message."""


@dataclass(frozen=True)
class Account:
    """An account as shown to administrators (no hash)."""

    username: str
    display_name: str
    role: Role
    agency: str | None
    active: bool


def _now() -> datetime:
    return datetime.now(UTC)


def add_user(store: Store, username: str, password: str, role: Role, *,
             agency: str | None = None, display_name: str | None = None,
             clock: Clock = _now) -> Account:
    """Create an account and return it; raise UserError on a bad name, role or duplicate."""
    name = username.strip().lower()
    if not USERNAME.match(name):
        raise UserError(f"nama pengguna {username!r} tidak sah / invalid username: use 2-64 "
                        "lower-case letters, digits, '.', '_' or '-'")
    if role is Role.PUBLIC:
        raise UserError("peran 'public' bukan akun / 'public' is not an account role")
    agency = agency.strip().lower() if agency else None
    if role is Role.AGENCY_OFFICER and agency not in AGENCIES:
        raise UserError(f"agency_officer perlu --agency yang dikenal / an agency_officer needs a "
                        f"known --agency ({', '.join(AGENCIES)}), got {agency!r}")
    if role is not Role.AGENCY_OFFICER and agency:
        raise UserError(f"hanya agency_officer yang terikat instansi / only an agency_officer "
                        f"is bound to an agency (role {role.value})")
    try:
        check_strength(password, name, display_name or name)
    except WeakPassword as exc:
        raise UserError(str(exc)) from exc
    hashed = hash_password(password)
    with transaction(store) as conn:
        if db.find_user(conn, name) is not None:
            raise UserError(f"pengguna {name!r} sudah ada / user {name!r} already exists")
        db.insert_user(conn, name, display_name or name, hashed, role.value, agency, clock())
    return Account(name, display_name or name, role, agency, True)


def list_accounts(store: Store) -> list[Account]:
    """Return every account without its hash."""
    with reading(store) as conn:
        rows = db.list_users(conn)
    return [Account(r.username, r.display_name, Role(r.role), r.agency, r.active) for r in rows]


def set_password(store: Store, username: str, password: str) -> int:
    """Replace a user's password and end all their sessions; return how many were ended.

    Whoever held a session (perhaps the reason for the change) must sign in again.
    """
    try:
        check_strength(password, username.strip().lower())
    except WeakPassword as exc:
        raise UserError(str(exc)) from exc
    hashed = hash_password(password)
    with transaction(store) as conn:
        row = _existing(conn, username)
        db.set_password_hash(conn, row.id, hashed)
        return db.delete_user_sessions(conn, row.id)


def set_active(store: Store, username: str, active: bool) -> None:
    """Enable or disable an account; disabling ends its sessions at once."""
    with transaction(store) as conn:
        db.set_active(conn, _existing(conn, username).id, active)


def _existing(conn: Tx, username: str) -> db.UserRow:
    row = db.find_user(conn, username.strip().lower())
    if row is None:
        raise UserError(f"pengguna {username!r} tidak ada / no user {username!r}")
    return row


def login(store: Store, username: str, password: str, *, hours: float = 12,
          clock: Clock = _now, address: str | None = None,
          throttle: ThrottlePolicy | None = None) -> tuple[str, Principal] | None:
    """Return a new session token and the principal, or None for a wrong name or password.

    With `throttle`, raise LoginThrottled while the account or the client `address` has too
    many recent failures (checked before the password, so a guess then proves nothing).
    """
    now = clock()
    name = username.strip().lower()
    keys = [throttle_key("account", name)] + \
        ([throttle_key("address", address)] if address else [])
    with transaction(store) as conn:
        if throttle is not None:
            _check_throttle(conn, keys, throttle, now)
        row = db.find_user(conn, name)
        if row is None or not row.active:
            verify_password(_DUMMY_HASH, password)
            db.record_login_failure(conn, keys, now)
            return None
        if not verify_password(row.password_hash, password):
            db.record_login_failure(conn, keys, now)
            return None
        if needs_rehash(row.password_hash):
            db.set_password_hash(conn, row.id, hash_password(password))
        token = new_token()
        db.insert_session(conn, token_digest(token), row.id, now, now + timedelta(hours=hours))
        db.delete_expired_sessions(conn, now)
        db.clear_login_failures(conn, keys[0], now - timedelta(days=1))
    return token, _principal(row)


def _check_throttle(conn: Tx, keys: list[str], policy: ThrottlePolicy,
                    now: datetime) -> None:
    limits = [policy.per_account, policy.per_address]
    wait = max(wait_seconds(db.login_failures_since(conn, key, now - policy.window), limit,
                            policy.window, now) for key, limit in zip(keys, limits, strict=False))
    if wait:
        raise LoginThrottled(wait)


def principal_for(store: Store, token: str, *, clock: Clock = _now) -> Principal | None:
    """Return who holds this session token, or None when it is unknown or expired."""
    with reading(store) as conn:
        row = db.session_user(conn, token_digest(token), clock())
    return None if row is None else _principal(row)


def logout(store: Store, token: str) -> None:
    """End the session of this token (nothing happens for an unknown token)."""
    with transaction(store) as conn:
        db.delete_session(conn, token_digest(token))


def _principal(row: db.UserRow) -> Principal:
    return Principal(username=row.username, role=Role(row.role), agency=row.agency)
