"""Roles, the permission matrix, Argon2 accounts and sessions (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from siaga.auth.passwords import WeakPassword, hash_password, verify_password
from siaga.domain.access import MATRIX, Permission, Role, allowed, parse_role
from siaga.services import users as service
from siaga.store import Store


def test_public_may_only_submit_and_check_its_receipt() -> None:
    public = {p for p in Permission if allowed(Role.PUBLIC, p)}
    assert public == {Permission.HEALTH, Permission.LOGIN, Permission.SUBMIT_REPORT,
                      Permission.CHECK_RECEIPT}


def test_reporter_identity_only_for_roles_that_verify() -> None:
    seeing = {r for r in Role if allowed(r, Permission.VIEW_REPORTER_IDENTITY)}
    assert seeing == {Role.ADMIN, Role.ANALYST}
    assert set(MATRIX) == set(Permission), "every permission has a row in the matrix"


def test_parse_role_names_the_valid_roles() -> None:
    assert parse_role(" Analyst ") is Role.ANALYST
    with pytest.raises(ValueError, match="agency_officer"):
        parse_role("superuser")


def test_passwords_are_argon2id_and_verified() -> None:
    hashed = hash_password("kata-sandi-panjang")
    assert hashed.startswith("$argon2id$") and "kata-sandi" not in hashed
    assert verify_password(hashed, "kata-sandi-panjang")
    assert not verify_password(hashed, "kata-sandi-panjanG")
    assert not verify_password("not a hash", "x")
    with pytest.raises(WeakPassword, match="10"):
        hash_password("pendek")


class Clock:
    """A controlled clock for session expiry."""

    def __init__(self) -> None:
        self.now = datetime(2024, 11, 20, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_login_session_and_expiry(store: Store) -> None:
    clock = Clock()
    service.add_user(store, "Bawaslu.Ani", "rahasia-sekali-1", Role.AGENCY_OFFICER,
                     agency="Bawaslu", clock=clock)
    assert service.login(store, "bawaslu.ani", "salah-sandi-xx", clock=clock) is None
    assert service.login(store, "tidak.ada", "rahasia-sekali-1", clock=clock) is None
    found = service.login(store, "bawaslu.ani", "rahasia-sekali-1", hours=2, clock=clock)
    assert found is not None
    token, principal = found
    assert (principal.username, principal.role, principal.agency) == (
        "bawaslu.ani", Role.AGENCY_OFFICER, "bawaslu")  # agency names become their codes
    assert not principal.sees_all_agencies
    clock.now += timedelta(hours=1, minutes=59)
    assert service.principal_for(store, token, clock=clock) == principal
    clock.now += timedelta(minutes=2)
    assert service.principal_for(store, token, clock=clock) is None
    assert service.principal_for(store, "forged-token", clock=clock) is None


def test_logout_and_disable_end_sessions(store: Store) -> None:
    service.add_user(store, "analis", "rahasia-sekali-2", Role.ANALYST)
    first = service.login(store, "analis", "rahasia-sekali-2")
    second = service.login(store, "analis", "rahasia-sekali-2")
    assert first and second
    service.logout(store, first[0])
    assert service.principal_for(store, first[0]) is None
    assert service.principal_for(store, second[0]) is not None
    service.set_active(store, "analis", False)
    assert service.principal_for(store, second[0]) is None
    assert service.login(store, "analis", "rahasia-sekali-2") is None
    service.set_active(store, "analis", True)
    service.set_password(store, "analis", "sandi-baru-yang-panjang")
    assert service.login(store, "analis", "rahasia-sekali-2") is None
    assert service.login(store, "analis", "sandi-baru-yang-panjang") is not None


@pytest.mark.parametrize(
    ("username", "role", "agency", "message"),
    [
        ("x", Role.ANALYST, None, "invalid username"),
        ("petugas", Role.AGENCY_OFFICER, None, "needs a known --agency"),
        ("petugas", Role.AGENCY_OFFICER, "Dinas Pariwisata", "needs a known --agency"),
        ("kapolres", Role.CHAIR, "Polres", "only an agency_officer"),
        ("warga", Role.PUBLIC, None, "not an account role"),
    ],
)
def test_bad_accounts_are_refused(store: Store, username: str, role: Role, agency: str | None,
                                  message: str) -> None:
    with pytest.raises(service.UserError, match=message):
        service.add_user(store, username, "rahasia-sekali-3", role, agency=agency)
    assert service.list_accounts(store) == []


def test_duplicate_username_is_refused(store: Store) -> None:
    service.add_user(store, "camat.bangko", "rahasia-sekali-4", Role.FIELD_REPORTER)
    with pytest.raises(service.UserError, match="already exists"):
        service.add_user(store, "Camat.Bangko", "rahasia-sekali-5", Role.ANALYST)
    [only] = service.list_accounts(store)
    assert only.role is Role.FIELD_REPORTER
