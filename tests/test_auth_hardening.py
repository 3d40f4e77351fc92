"""Logins, sessions and headers under attack: throttling, password policy, sessions ended on a
password change, login CSRF, security headers, Secure cookies, local API docs, trusted proxies."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from swagger_ui_bundle import swagger_ui_path

from siaga.auth.passwords import WeakPassword, check_strength
from siaga.auth.throttle import LoginThrottled, ThrottlePolicy, wait_seconds
from siaga.domain.access import Role
from siaga.http.client import client_address
from siaga.server import create_app
from siaga.services.users import UserError, add_user, login, set_password
from siaga.settings import SettingsError, load_settings, proxy_networks
from siaga.store import Store

PASSWORD = "sandi-uji-yang-panjang"
WRONG = "salah-salah-salah"


def _client(store: Store, home: Path, peer: str = "203.0.113.7", **settings: Any) -> TestClient:
    for name in ("analis", "kedua"):
        with contextlib.suppress(UserError):  # made by an earlier client of the same test
            add_user(store, name, PASSWORD, Role.ANALYST)
    app = create_app(load_settings(env={}, home=home, **settings), store=store)
    return TestClient(app, client=(peer, 40000))


@pytest.fixture
def client(store: Store, tmp_path: Path) -> Iterator[TestClient]:
    """Return a client (from one public address) of an app with two analysts."""
    with _client(store, tmp_path, login_failures_per_account=3,
                 login_failures_per_address=6) as test_client:
        yield test_client


def _login(client: TestClient, username: str, password: str) -> Any:
    return client.post("/api/v1/auth/login", json={"username": username, "password": password})


def test_wrong_passwords_lock_the_account_with_retry_after(client: TestClient) -> None:
    for _ in range(3):
        assert _login(client, "analis", WRONG).status_code == 401
    locked = _login(client, "analis", PASSWORD)  # the right password no longer helps
    assert locked.status_code == 429
    assert "Terlalu banyak" in locked.json()["detail"] and "Too many" in locked.json()["detail"]
    assert 0 < int(locked.headers["retry-after"]) <= 15 * 60
    assert _login(client, "kedua", PASSWORD).status_code == 200  # other accounts still work


def test_failures_from_one_address_are_throttled_across_accounts(client: TestClient) -> None:
    for i in range(6):
        assert _login(client, f"tebakan{i}", WRONG).status_code == 401
    assert _login(client, "kedua", PASSWORD).status_code == 429


def test_login_form_is_throttled_too(client: TestClient) -> None:
    page = client.get("/masuk")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf
    form = {"username": "analis", "password": WRONG, "next": "/peta", "csrf": csrf.group(1)}
    for _ in range(3):
        assert client.post("/masuk", data=form, follow_redirects=False).status_code == 401
    answer = client.post("/masuk", data={**form, "password": PASSWORD}, follow_redirects=False)
    assert answer.status_code == 429 and "Retry-After" in answer.headers
    assert "Terlalu banyak percobaan masuk" in answer.text
    assert "siaga_sesi" not in answer.headers.get("set-cookie", "")


def test_throttle_window_passes_and_success_clears_the_account(store: Store) -> None:
    add_user(store, "analis", PASSWORD, Role.ANALYST)
    policy = ThrottlePolicy(per_account=2, per_address=50, window=timedelta(minutes=15))
    now = datetime(2024, 11, 27, 1, tzinfo=UTC)

    def attempt(password: str, minutes: float) -> object:
        return login(store, "analis", password, clock=lambda: now + timedelta(minutes=minutes),
                     address="198.51.100.1", throttle=policy)

    assert attempt(WRONG, 0) is None and attempt(WRONG, 1) is None
    with pytest.raises(LoginThrottled) as refused:
        attempt(PASSWORD, 2)
    assert refused.value.retry_after == 13 * 60  # the first failure leaves the window at 15
    assert attempt(PASSWORD, 15.5) is not None  # window passed: the right password works
    assert attempt(WRONG, 16) is None  # and the success forgot the earlier failures
    assert attempt(PASSWORD, 16.5) is not None


def test_wait_seconds_counts_only_the_window() -> None:
    now = datetime(2024, 11, 27, 1, tzinfo=UTC)
    window = timedelta(minutes=10)
    old = [now - timedelta(minutes=m) for m in (30, 20, 11)]
    assert wait_seconds(old, 1, window, now) == 0
    recent = [now - timedelta(minutes=m) for m in (9, 5, 1)]
    assert wait_seconds(recent, 4, window, now) == 0
    assert wait_seconds(recent, 3, window, now) == 60
    assert wait_seconds(recent, 2, window, now) == 5 * 60


@pytest.mark.parametrize("password", [
    "aaaaaaaaaa", "a" * 200,
    "1234567890", "qwertyuiop", "password123", "abcabcabcabc", "bismillah2024",
    "merdeka1945", "pilkada2024", "analis.uji1", "short"])
def test_weak_passwords_are_refused(password: str) -> None:
    with pytest.raises(WeakPassword):
        check_strength(password, "analis.uji")


@pytest.mark.parametrize("password", [PASSWORD, "kopi tubruk di teras rumah nenek",
                                      "Gx7#pQ2!vL9z"])
def test_strong_passwords_pass(password: str) -> None:
    check_strength(password, "analis.uji")


def test_accounts_refuse_weak_passwords(store: Store) -> None:
    with pytest.raises(UserError, match="mudah ditebak"):
        add_user(store, "lemah", "aaaaaaaaaa", Role.ANALYST)
    add_user(store, "kuat", PASSWORD, Role.ANALYST)
    with pytest.raises(UserError, match="mudah ditebak"):
        set_password(store, "kuat", "qwertyuiop")


def test_a_password_change_ends_every_session(client: TestClient, store: Store) -> None:
    token = _login(client, "analis", PASSWORD).json()["token"]
    other = _login(client, "analis", PASSWORD).json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/auth/me", headers=bearer).status_code == 200
    assert set_password(store, "analis", "sandi-baru-yang-juga-panjang") == 2
    for held in (token, other):
        answer = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {held}"})
        assert answer.status_code == 401
    assert _login(client, "analis", "sandi-baru-yang-juga-panjang").status_code == 200


def test_login_form_needs_its_own_csrf_token(client: TestClient) -> None:
    form = {"username": "analis", "password": PASSWORD, "next": "/peta"}
    forged = client.post("/masuk", data=form, follow_redirects=False)  # no token: cross-site
    assert forged.status_code == 403
    assert "siaga_sesi" not in forged.headers.get("set-cookie", "")
    assert client.get("/api/v1/auth/me").status_code == 401
    assert client.post("/masuk", data={**form, "csrf": "dicoba-tebak"},
                       follow_redirects=False).status_code == 403
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/masuk").text)
    assert token
    signed = client.post("/masuk", data={**form, "csrf": token.group(1)},
                         follow_redirects=False)
    assert signed.status_code == 303 and client.get("/api/v1/auth/me").status_code == 200


@pytest.mark.parametrize("path", ["/masuk", "/lapor", "/api/v1/health", "/api/v1/openapi.json",
                                  "/static/siaga.js", "/api/docs", "/tidak-ada",
                                  "/api/v1/status"])
def test_every_answer_carries_the_security_headers(client: TestClient, path: str) -> None:
    answer = client.get(path, follow_redirects=False)
    csp = answer.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "same-origin"


def test_pages_hold_no_inline_script() -> None:
    folder = resources.files("siaga.web").joinpath("templates")
    for template in folder.iterdir():
        text = template.read_text("utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template.name
        assert not re.search(r"\son[a-z]+\s*=", text), template.name


def test_api_docs_are_served_from_the_installed_package(client: TestClient) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/static/") for s in sources)
    assert "<script>" not in page.text and "cdn" not in page.text.lower()
    for source in sources:
        assert client.get(source).status_code == 200, source
    # FastAPI writes OpenAPI 3.1, which Swagger UI reads from version 5 on.
    assert client.get("/api/v1/openapi.json").json()["openapi"].startswith("3.1")
    assert int(Path(str(swagger_ui_path)).name.split("-")[-1].split(".")[0]) >= 5


def test_cookies_are_secure_unless_serving_on_loopback(store: Store, tmp_path: Path) -> None:
    def cookies(**settings: Any) -> str:
        with _client(store, tmp_path, **settings) as test_client:
            return ";".join(_login(test_client, "analis", PASSWORD).headers.get_list(
                "set-cookie"))

    assert "secure" not in cookies().lower()  # host 127.0.0.1: a developer's machine
    public = cookies(host="0.0.0.0")
    assert public.lower().count("secure") == 2  # the session and its CSRF token
    assert "secure" not in cookies(host="0.0.0.0", cookie_secure=False).lower()
    assert "secure" in cookies(cookie_secure=True).lower()


def test_client_address_trusts_forwarding_only_from_listed_proxies() -> None:
    proxies = proxy_networks("10.0.0.0/8, 2001:db8::1")
    chain = ["1.2.3.4", "198.51.100.9"]
    assert client_address("127.0.0.1", chain, ()) == "127.0.0.1"
    assert client_address("127.0.0.1", chain, proxies) == "127.0.0.1"  # loopback not listed
    assert client_address("10.1.2.3", chain, proxies) == "198.51.100.9"  # right-most wins
    assert client_address("10.1.2.3", ["198.51.100.9", "10.9.9.9"], proxies) == "198.51.100.9"
    assert client_address("2001:db8::1", ["bukan-alamat"], proxies) == "2001:db8::1"
    assert client_address("10.1.2.3", [], proxies) == "10.1.2.3"
    with pytest.raises(SettingsError, match="trusted_proxies"):
        load_settings(env={"SIAGA_TRUSTED_PROXIES": "10.0.0.0/8,proksi"})


def _report(client: TestClient, forwarded: str) -> int:
    return client.post("/api/v1/reports", json={"text": "Ada pembagian sembako oleh tim paslon"},
                       headers={"X-Forwarded-For": forwarded}).status_code


def test_a_rotated_forwarding_header_does_not_dodge_the_report_limit(
        store: Store, tmp_path: Path) -> None:
    with _client(store, tmp_path, peer="127.0.0.1", report_limit_per_hour=3) as direct:
        answers = [_report(direct, f"192.0.2.{i}") for i in range(5)]
    assert answers == [201, 201, 201, 429, 429]


def test_behind_a_listed_proxy_each_client_has_its_own_limit(store: Store,
                                                              tmp_path: Path) -> None:
    with _client(store, tmp_path, peer="10.0.0.2", report_limit_per_hour=2,
                 trusted_proxies="10.0.0.0/24") as proxied:
        first = [_report(proxied, "192.0.2.1") for _ in range(3)]
        second = [_report(proxied, "192.0.2.2") for _ in range(3)]
        spoofed = _report(proxied, "192.0.2.2, 192.0.2.1")  # the proxy appended .1: it counts
    assert first == [201, 201, 429] and second == [201, 201, 429] and spoofed == 429
