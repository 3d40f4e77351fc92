"""The dashboard in headless Chromium: log in, the map of Merangin, drill-down, language, phone."""

from __future__ import annotations

from pathlib import Path

import pytest

from siaga.store import Store
from tests.browser import screenshot
from tests.conftest import ACCOUNT_PASSWORD

playwright = pytest.importorskip("playwright.sync_api")


def _logged_in(browser: object, base_url: str, username: str, viewport: dict[str, int],
               target: str) -> object:
    page = browser.new_page(viewport=viewport)  # type: ignore[attr-defined]
    page.goto(base_url + target)
    assert "/masuk" in page.url  # the public is sent to the login form first
    page.fill("#username", username)
    page.fill("#password", ACCOUNT_PASSWORD)
    page.click("form.login button[type=submit]")
    page.wait_for_url("**" + target)
    return page


def test_login_map_of_merangin_and_drill_down(browser: object, base_url: str,
                                              world: Store) -> None:
    page = _logged_in(browser, base_url, "analis.uji", {"width": 1366, "height": 768},
                      "/peta/15.02")
    districts = page.locator("svg.siaga-map path.unit")
    assert districts.count() == 24
    assert page.locator("h1").inner_text().startswith("Peta kerawanan: Kabupaten Merangin")
    assert page.locator(".demo").is_visible()
    first = districts.first
    code = first.get_attribute("data-code")
    first.focus()  # keyboard: focusing a district explains its score
    page.wait_for_selector("#explain h3")
    assert page.locator("#explain h3").get_attribute("data-code") == code
    assert f"({code})" not in page.locator("#explain h3").inner_text()  # names, not codes
    screenshot(page, f"map-merangin-{world.dialect}")
    page.keyboard.press("Enter")  # and Enter drills down to its villages
    page.wait_for_url(f"**/peta/{code}?framework=*")
    villages = page.locator("svg.siaga-map path.unit")
    assert villages.count() > 3
    assert page.locator("nav.crumbs a").count() == 3  # regions, Jambi, Merangin; then the district
    page.close()


def test_english_switch_and_phone_width(browser: object, base_url: str, world: Store) -> None:
    page = _logged_in(browser, base_url, "bawaslu.uji", {"width": 390, "height": 844},
                      "/peta/15.02")
    page.click("text=English")
    page.wait_for_selector("h1:has-text('Vulnerability map')")
    assert page.locator("html").get_attribute("lang") == "en"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "no sideways scrolling on a phone"
    screenshot(page, f"map-merangin-phone-en-{world.dialect}")
    page.goto(base_url + "/peta/15.02")  # the choice is remembered
    assert page.locator("html").get_attribute("lang") == "en"
    page.close()


def test_case_board_open_a_case_and_move_it(browser: object, base_url: str,
                                            world: Store) -> None:
    from siaga.domain.cases import CaseType
    from siaga.services.cases import open_case
    from siaga.services.casework import casework_from
    from siaga.settings import load_settings

    cw = casework_from(load_settings(env={}), world)
    case = open_case(cw, CaseType.SECURITY, "Potensi bentrok massa di Bangko", "analis.uji",
                     region="15.02.12")
    page = _logged_in(browser, base_url, "polres.uji", {"width": 1366, "height": 768}, "/kasus")
    card = page.locator(f".card[data-case='{case.id}']")
    assert card.is_visible()
    assert card.locator("xpath=ancestor::section[@data-lane]").get_attribute("data-lane") \
        == "polres"  # the lane of its lead agency
    card.locator("a").click()
    page.wait_for_url(f"**/kasus/{case.id}")
    page.select_option("#move-status", "in_progress")
    page.fill("#move-note", "Patroli gabungan dikirim")
    page.click("#move-form button")
    page.wait_for_selector("#case-log tbody tr:nth-child(2)")
    assert page.locator("#case-status").get_attribute("data-status") == "in_progress"
    assert page.locator("#case-status").inner_text() == "Sedang ditangani"
    assert "Patroli gabungan dikirim" in page.locator("#case-log").inner_text()
    screenshot(page, f"case-moved-{world.dialect}")
    page.close()


def test_public_report_and_receipt_check(browser: object, base_url: str, world: Store) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    page.goto(base_url + "/lapor")
    page.fill("#r-text", "Ada pembagian sembako oleh tim sukses di Desa Pematang Kandis")
    page.click("#report-form button")
    code = page.wait_for_selector("#receipt-code").inner_text()
    assert code.startswith("SGA-")
    screenshot(page, f"public-report-{world.dialect}")
    page.fill("#receipt", code)
    page.click("form[action='/lapor/status'] button")
    page.wait_for_url("**/lapor/status?kode=*")
    status = page.locator("#receipt-status").inner_text()
    assert code in status and "Diterima, belum diperiksa" in status
    assert "Pematang Kandis" not in page.content()  # the public sees the status, nothing else
    page.close()


def test_alert_feed_open_an_alert_and_open_a_case_from_it(browser: object, base_url: str,
                                                          world: Store) -> None:
    from datetime import UTC, date, datetime

    from siaga.store import alerts as alert_db
    from siaga.store.schema import alerts

    page = _logged_in(browser, base_url, "analis.uji", {"width": 1366, "height": 768},
                      "/peringatan")
    row = page.locator("#alerts-feed tbody tr", has_text="Politik uang").first
    assert "Kabupaten Merangin" in row.inner_text()
    # A new alert reaches the open page without a reload.
    with world.engine.begin() as conn:
        new_id, _ = alert_db.save_alert(conn, ("17.06", "hoax"), date.today(), 1, 6, 0.3,
                                        1e-6, "test", datetime.now(UTC))
    try:
        page.evaluate("window.siagaRefreshAlerts()")
        page.wait_for_selector(f'#alerts-feed tr[data-alert="{new_id}"]')
    finally:
        with world.engine.begin() as conn:
            conn.execute(alerts.delete().where(alerts.c.id == new_id))
    row.locator("a").click()
    page.wait_for_url("**/peringatan/*")
    signals = page.locator("li.signal")
    assert signals.count() == 8
    assert page.locator("li.signal mark").count() >= 8  # the words that made each signal
    screenshot(page, f"alert-{world.dialect}")
    alert_url = page.url
    page.click("#alert-case button")
    page.wait_for_url("**/kasus/*")
    case_url = page.url
    assert "Politik uang di Kabupaten Merangin" in page.locator("h1").inner_text()
    assert "Bawaslu Kabupaten" in page.locator("main").inner_text()  # routed to Bawaslu's track
    page.select_option("#move-status", "in_progress")
    page.click("#move-form button")
    page.wait_for_selector("#case-log tbody tr:nth-child(2)")
    assert page.locator("#case-status").get_attribute("data-status") == "in_progress"
    page.goto(alert_url)  # the alert now links to its case instead of offering another
    assert page.locator("#alert-case").count() == 0
    page.click("#alert-case-link a")
    page.wait_for_url(case_url)
    page.close()


def test_signals_explorer_filters(browser: object, base_url: str, world: Store) -> None:
    page = _logged_in(browser, base_url, "analis.uji", {"width": 1366, "height": 768},
                      "/sinyal")
    everything = page.locator("li.signal").count()
    assert everything >= 10
    page.select_option("select[name=category]", "money_politics")
    page.select_option("select[name=scope]", "17.06")
    page.click("form.filters button")
    page.wait_for_url("**/sinyal?*")
    assert page.locator("li.signal").count() == 0  # the seed stream is all in Merangin
    page.select_option("select[name=scope]", "15.02")
    page.click("form.filters button")
    page.wait_for_load_state()
    assert page.locator("li.signal").count() == everything
    page.close()


def test_briefing_download(browser: object, base_url: str, world: Store) -> None:
    page = _logged_in(browser, base_url, "ketua.uji", {"width": 1366, "height": 768},
                      "/bahan-rakor")
    page.select_option("#b-scope", "15.02")
    with page.expect_download() as waiting:
        page.click("#briefing-form button")
    download = waiting.value
    assert download.suggested_filename.startswith("bahan-rakor-15.02-")
    path = download.path()
    assert path is not None and Path(path).read_bytes().startswith(b"%PDF")
    assert "Terunduh" in page.locator("#briefing-progress").inner_text()
    page.close()


def test_bulk_note_on_the_board(browser: object, base_url: str, world: Store) -> None:
    from siaga.domain.cases import CaseType
    from siaga.services.cases import open_case, show_case
    from siaga.services.casework import casework_from
    from siaga.settings import load_settings

    cw = casework_from(load_settings(env={}), world)
    picked = [open_case(cw, CaseType.HEALTH, f"Petugas KPPS sakit {n}", "analis.uji",
                        region="17.06").id for n in (1, 2)]
    page = _logged_in(browser, base_url, "analis.uji", {"width": 1366, "height": 768},
                      "/kasus?jenis=health")
    for case_id in picked:
        page.check(f".card[data-case='{case_id}'] input.bulk-pick")
    assert page.locator("#bulk-count").inner_text() == "2"
    page.fill("#bulk-form input[name=note]", "Dinkes mengirim tim ke TPS")
    with page.expect_navigation():
        page.click("#bulk-form button")
    for case_id in picked:
        bodies = [a["body"] for a in show_case(cw, case_id).actions]
        assert "Dinkes mengirim tim ke TPS" in bodies
    page.close()
