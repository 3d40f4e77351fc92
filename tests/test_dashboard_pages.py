"""The forum's pages as the server writes them: overview, follow-up board, readiness, turnout."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from siaga.domain.cases import CaseType
from siaga.server import create_app
from siaga.settings import load_settings
from siaga.store import Store
from tests.conftest import ACCOUNT_PASSWORD


@pytest.fixture(scope="module")
def client(world: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """Return a client of an app over the world store, signed in as the analyst."""
    settings = load_settings(env={}, home=tmp_path_factory.mktemp("home"))
    with TestClient(create_app(settings, store=world)) as test_client:
        answer = test_client.post("/api/v1/auth/login", json={
            "username": "analis.uji", "password": ACCOUNT_PASSWORD})
        test_client.headers["Authorization"] = f"Bearer {answer.json()['token']}"
        yield test_client


def _card(page: str, code: str) -> str:
    return page.split(f'data-regency="{code}"')[1].split("</section>")[0]


def _figure(card: str, name: str) -> tuple[str, int]:
    found = re.search(rf'data-figure="{name}" href="([^"]+)"[^>]*>([\d.]+)<', card)
    assert found is not None, name
    return found.group(1).replace("&amp;", "&"), int(found.group(2).replace(".", ""))


def test_forum_figures_are_the_lists_they_link_to(client: TestClient) -> None:
    page = client.get("/forum").text
    alerts_link, alerts = _figure(_card(page, "15.02"), "alerts")
    assert alerts_link == "/peringatan?wilayah=15.02" and alerts >= 1
    listed = client.get(alerts_link).text
    assert listed.count('<tr data-alert="') == alerts
    cases_link, cases = _figure(_card(page, "15.02"), "cases")
    assert client.get(cases_link).text.count('class="card') == cases
    signals_link, signals = _figure(_card(page, "15.02"), "signals")
    assert client.get(signals_link).text.count('<li class="panel signal"') == signals
    _, none = _figure(_card(page, "17.06"), "alerts")
    assert none == 0  # the seed alert is in Merangin only


def test_board_has_a_lane_per_agency_and_puts_overdue_cards_first(client: TestClient,
                                                                  world: Store) -> None:
    from siaga.services.cases import open_case
    from siaga.services.casework import casework_from
    from siaga.store.schema import cases

    cw = casework_from(load_settings(env={}), world)
    later = open_case(cw, CaseType.LOGISTICS, "Kotak suara belum tiba", "analis.uji",
                      region="15.02.12")
    late = open_case(cw, CaseType.LOGISTICS, "Surat suara kurang", "analis.uji",
                     region="15.02.12")
    with world.engine.begin() as conn:  # the second one's deadline has passed
        conn.execute(cases.update().where(cases.c.id == late.id).values(
            due_at=cw.now() - timedelta(hours=5)))
    page = client.get("/kasus?jenis=logistics&wilayah=15.02").text
    lanes = re.findall(r'<section class="lane" data-lane="(\w+)"', page)
    assert lanes and len(lanes) == len(set(lanes))
    order = [int(n) for n in re.findall(r'class="card[^"]*" data-case="(\d+)"', page)]
    assert order.index(late.id) < order.index(later.id)  # overdue first
    card = page.split(f'data-case="{late.id}"')[0].rsplit("<div", 1)[1]
    assert "overdue" in card and "LEWAT TENGGAT" in page
    only = client.get("/kasus?jenis=logistics&wilayah=15.02&lewat=1").text
    assert f'data-case="{late.id}"' in only and f'data-case="{later.id}"' not in only
    assert 'id="bulk-form"' in page  # the analyst may move many at once


def test_board_summary_is_calm_when_nothing_is_overdue(client: TestClient) -> None:
    page = client.get("/kasus?jenis=health").text
    assert "tidak ada yang lewat tenggat" in page
    assert '<strong class="error">0' not in page


def test_pages_without_data_say_what_to_import(client: TestClient) -> None:
    readiness = client.get("/kesiapan?scope=17.06").text
    assert "Belum ada data" in readiness and "siaga readiness import" in readiness
    assert "kurang" in readiness and "tim medis" in readiness  # needs in words, not codes
    assert "medical_teams" not in readiness
    turnout = client.get("/partisipasi?scope=15.02").text
    assert "Belum ada data" in turnout and "siaga participation import" in turnout
    assert "<svg" not in turnout.split("<main")[1]  # no chart of zero bars


def test_favicon_is_served(client: TestClient) -> None:
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg")
