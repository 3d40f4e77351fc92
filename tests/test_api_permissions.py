"""Every route declares a permission, and every role gets exactly what the matrix allows."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from siaga.domain.access import Permission, Role, allowed
from siaga.http.security import permission_of
from siaga.server import create_app
from siaga.settings import load_settings
from siaga.store import Store
from tests.conftest import ACCOUNT_PASSWORD, ROLE_ACCOUNTS

# Sample values for path parameters: a real region (Merangin) where a code is asked for.
PATH_SAMPLES = {"code": "15.02"}
ROLE_USER = {Role(role): name for name, (role, _agency) in reversed(ROLE_ACCOUNTS.items())}


@pytest.fixture(scope="module")
def client(world: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """Return a client of an app over the world store."""
    settings = load_settings(env={}, home=tmp_path_factory.mktemp("home"))
    with TestClient(create_app(settings, store=world)) as test_client:
        yield test_client


def _routes(client: TestClient) -> list[APIRoute]:
    routers = client.app.state.routers  # type: ignore[attr-defined]
    routes = [r for router in routers for r in router.routes if isinstance(r, APIRoute)]
    return sorted(routes, key=lambda r: r.path.endswith("/logout"))  # logout last


def _url(route: APIRoute) -> str:
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: PATH_SAMPLES.get(m.group(1), "x"), route.path)


def _token(client: TestClient, role: Role) -> str | None:
    if role is Role.PUBLIC:
        return None
    answer = client.post("/api/v1/auth/login",
                         json={"username": ROLE_USER[role], "password": ACCOUNT_PASSWORD})
    assert answer.status_code == 200, answer.text
    token: str = answer.json()["token"]
    return token


def test_every_route_declares_a_permission(client: TestClient) -> None:
    routes = _routes(client)
    undeclared = [f"{sorted(r.methods)} {r.path}" for r in routes if permission_of(r) is None]
    assert len(routes) >= 10 and undeclared == []
    # Every operation the API publishes is among the walked routes and carries its permission.
    walked = {(m.lower(), r.path) for r in routes for m in r.methods}
    schema = client.get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert (method, path) in walked, f"{method} {path} is not walked by the role test"
            assert operation["x-permission"] in {p.value for p in Permission}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_gets_what_the_matrix_allows(client: TestClient, role: Role) -> None:
    token = _token(client, role)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    wrong: list[str] = []
    checked = 0
    for route in _routes(client):
        permission = permission_of(route)
        assert permission is not None
        for method in sorted(route.methods - {"HEAD"}):
            answer = client.request(method, _url(route), headers=headers,
                                    json={} if method != "GET" else None, follow_redirects=False)
            checked += 1
            to_login = answer.is_redirect and answer.headers["location"].startswith("/masuk?")
            refused = answer.status_code in (401, 403) or to_login
            if allowed(role, permission) == refused:
                wrong.append(f"{method} {route.path} ({permission.value}): {answer.status_code}")
            elif refused:
                page = not route.path.startswith("/api/")
                expected = 403 if role is not Role.PUBLIC else 303 if page else 401
                if answer.status_code != expected:
                    wrong.append(f"{method} {route.path}: {answer.status_code} != {expected}")
    assert checked >= 10 and wrong == []


def test_pages_send_the_public_to_login(client: TestClient) -> None:
    answer = client.get("/peta/15.02?framework=ikp-pilkada-2024", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/masuk?next=/peta/15.02%3Fframework%3Dikp-pilkada-2024"


def test_cookie_session_needs_the_csrf_token_to_change_anything(client: TestClient) -> None:
    form = client.get("/masuk").text  # the login form carries its own CSRF token
    csrf = form.split('name="csrf" value="')[1].split('"')[0]
    login = client.post("/masuk", data={"username": "analis.uji", "password": ACCOUNT_PASSWORD,
                                        "csrf": csrf,
                                        "next": "//evil.example/"}, follow_redirects=False)
    # No open redirect: home, which sends each role to its landing page.
    assert login.status_code == 303 and login.headers["location"] == "/"
    assert client.get("/api/v1/auth/me").json()["role"] == "analyst"
    refused = client.post("/api/v1/auth/logout")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    csrf = client.cookies.get("siaga_csrf")
    assert csrf
    assert client.post("/api/v1/auth/logout", headers={"X-Siaga-CSRF": csrf}).status_code == 204
    client.cookies.clear()
    assert client.get("/api/v1/auth/me").status_code == 401


def test_wrong_password_says_nothing_about_which_part(client: TestClient) -> None:
    for username in ("analis.uji", "nobody.here"):
        answer = client.post("/api/v1/auth/login",
                             json={"username": username, "password": "salah-salah-salah"})
        assert answer.status_code == 401
        assert answer.json()["detail"] == ("Nama pengguna atau kata sandi salah / "
                                           "Wrong username or password")


def test_map_page_and_api_for_a_signed_in_officer(client: TestClient) -> None:
    token = _token(client, Role.AGENCY_OFFICER)
    headers = {"Authorization": f"Bearer {token}"}
    page = client.get("/peta/15.02", headers=headers)
    assert page.status_code == 200
    assert page.text.count('<path d="') == 24  # Merangin's 24 districts
    assert "Data contoh" in page.text  # demo observations are marked
    english = client.get("/peta/15.02?lang=en", headers=headers)
    assert "Vulnerability map" in english.text and "Demo data" in english.text
    scores = client.get("/api/v1/risk/scores?level=district&scope=15.02", headers=headers).json()
    assert len(scores["rows"]) == 24 and scores["meta"]["demo"] is True
    assert all(0 <= r["score"] <= 100 for r in scores["rows"])
    svg = client.get("/api/v1/risk/map.svg?scope=15.02.01", headers=headers)
    assert svg.headers["content-type"].startswith("image/svg+xml")
    villages = client.get("/api/v1/regions/15.02.01/children", headers=headers).json()
    assert len(villages) > 5 and svg.text.count("<path") == len(villages)
    unknown = client.get("/api/v1/regions/99.99", headers=headers)
    assert unknown.status_code == 404 and "99.99" in unknown.json()["detail"]
    malformed = client.get("/api/v1/regions/15-02", headers=headers)
    assert malformed.status_code == 422
    assert Permission.VIEW_RISK.value in client.get("/api/v1/auth/me",
                                                    headers=headers).json()["permissions"]


def test_map_draws_campaign_events_as_a_layer(client: TestClient, world: Store) -> None:
    from datetime import UTC, datetime, timedelta

    from siaga.services.events import add_event
    from siaga.store.schema import campaign_events

    start = datetime.now(UTC) + timedelta(days=2)
    end = start + timedelta(hours=3)
    with world.engine.begin() as conn:
        event_id = add_event(conn, {"candidate": "1", "type": "rally", "region": "15.02.12.2008",
                                    "start": start.isoformat(), "end": end.isoformat(),
                                    "expected_crowd": "1500", "permit_status": "issued",
                                    "venue": "Lapangan Tambang Besi"})
    headers = {"Authorization": f"Bearer {_token(client, Role.ANALYST)}"}
    try:
        page = client.get("/peta/15.02", headers=headers).text
    finally:  # the shared world keeps no event of this test
        with world.engine.begin() as conn:
            conn.execute(campaign_events.delete().where(campaign_events.c.id == event_id))
    layer = page.split('data-layer="events"')[1].split("</g>")[0]
    assert layer.count("<circle") >= 1 and "paslon 1" in layer
    assert page.count('<path d="') == 24  # the districts are unchanged


def test_map_draws_signals_and_alerts_as_layers(client: TestClient) -> None:
    headers = {"Authorization": f"Bearer {_token(client, Role.ANALYST)}"}
    page = client.get("/peta/15.02", headers=headers).text
    signals = page.split('data-layer="signals"')[1].split("</g>")[0]
    alerts = page.split('data-layer="alerts"')[1].split("</g>")[0]
    assert signals.count("<circle") >= 1 and "sinyal / signals" in signals
    assert alerts.count("<circle") >= 1 and "Politik uang" in alerts
    assert "money_politics" not in alerts  # the category's name, not its code
    radius = [float(r) for r in re.findall(r' r="([\d.]+)"', signals)]
    assert max(radius) > max(float(r) for r in re.findall(r' r="([\d.]+)"', alerts))
    names = page.split('class="names"')[1].split("</g>")[0]
    assert names.count("<text") == 24 and ">Bangko<" in names  # each district named
    assert client.get("/peta/17.06", headers=headers).text.split(
        'data-layer="alerts"')[1].split("</g>")[0].count("<circle") == 0
