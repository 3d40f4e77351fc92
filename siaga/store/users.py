"""Storage of accounts and sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, delete, insert, select, update

from siaga.store.schema import login_failures, user_sessions, users


@dataclass(frozen=True)
class UserRow:
    """An account as stored (the hash included; never shown to anyone)."""

    id: int
    username: str
    display_name: str
    password_hash: str
    role: str
    agency: str | None
    active: bool


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite returns naive UTC


def find_user(conn: Connection, username: str) -> UserRow | None:
    """Return the account with this username, or None."""
    row = conn.execute(select(users).where(users.c.username == username)).first()
    return None if row is None else _user(row)


def _user(row: object) -> UserRow:
    m = row._mapping  # type: ignore[attr-defined]
    return UserRow(m["id"], m["username"], m["display_name"], m["password_hash"], m["role"],
                   m["agency"], bool(m["active"]))


def list_users(conn: Connection) -> list[UserRow]:
    """Return every account, by username."""
    return [_user(r) for r in conn.execute(select(users).order_by(users.c.username))]


def insert_user(conn: Connection, username: str, display_name: str, password_hash: str,
                role: str, agency: str | None, now: datetime) -> int:
    """Insert an account and return its id."""
    result = conn.execute(insert(users).values(
        username=username, display_name=display_name, password_hash=password_hash, role=role,
        agency=agency, active=True, created_at=now))
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def set_password_hash(conn: Connection, user_id: int, password_hash: str) -> None:
    """Replace an account's password hash."""
    conn.execute(update(users).where(users.c.id == user_id).values(password_hash=password_hash))


def set_active(conn: Connection, user_id: int, active: bool) -> None:
    """Enable or disable an account; disabling also ends its sessions."""
    conn.execute(update(users).where(users.c.id == user_id).values(active=active))
    if not active:
        conn.execute(delete(user_sessions).where(user_sessions.c.user_id == user_id))


def insert_session(conn: Connection, digest: str, user_id: int, now: datetime,
                   expires: datetime) -> None:
    """Store a session by the digest of its token."""
    conn.execute(insert(user_sessions).values(token_sha256=digest, user_id=user_id,
                                              created_at=now, expires_at=expires))


def session_user(conn: Connection, digest: str, now: datetime) -> UserRow | None:
    """Return the active account of an unexpired session, or None."""
    row = conn.execute(
        select(users, user_sessions.c.expires_at)
        .join(user_sessions, user_sessions.c.user_id == users.c.id)
        .where(user_sessions.c.token_sha256 == digest)
    ).first()
    if row is None or not row.active or _aware(row.expires_at) <= now:
        return None
    return _user(row)


def delete_session(conn: Connection, digest: str) -> None:
    """End one session."""
    conn.execute(delete(user_sessions).where(user_sessions.c.token_sha256 == digest))


def delete_expired_sessions(conn: Connection, now: datetime) -> int:
    """Remove expired sessions and return how many."""
    return conn.execute(delete(user_sessions).where(user_sessions.c.expires_at <= now)).rowcount


def delete_user_sessions(conn: Connection, user_id: int) -> int:
    """End every session of one account; return how many."""
    return conn.execute(delete(user_sessions).where(user_sessions.c.user_id == user_id)).rowcount


def record_login_failure(conn: Connection, keys: list[str], at: datetime) -> None:
    """Store one failed login under each key (an account's and an address's digest)."""
    conn.execute(insert(login_failures), [{"key_sha256": k, "failed_at": at} for k in keys])


def login_failures_since(conn: Connection, key: str, since: datetime) -> list[datetime]:
    """Return the times of the failed logins under a key after `since`, oldest first."""
    rows = conn.execute(select(login_failures.c.failed_at).where(
        login_failures.c.key_sha256 == key, login_failures.c.failed_at > since)
        .order_by(login_failures.c.failed_at))
    return [_aware(r[0]) for r in rows]


def clear_login_failures(conn: Connection, key: str, before: datetime) -> None:
    """Forget a key's failures, and everyone's failures older than `before`."""
    conn.execute(delete(login_failures).where(
        (login_failures.c.key_sha256 == key) | (login_failures.c.failed_at < before)))
