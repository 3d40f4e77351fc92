"""The public report form on a 360 px phone with the network cut: saved, then sent once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from siaga.store import Store
from siaga.store.schema import reports
from tests.browser import screenshot

playwright = pytest.importorskip("playwright.sync_api")

TEXT = "Tim sukses membagikan amplop di depan TPS 03 Desa Sungai Ulak, sinyal putus-putus"


def _stored(world: Store) -> int:
    with world.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(reports).where(
            reports.c.text == TEXT)).scalar_one())


def test_a_report_written_offline_is_sent_once_when_the_network_returns(
        browser: object, base_url: str, world: Store) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740})  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(base_url + "/lapor")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll
    # Visited once online: the service worker has stored the form for offline use.
    assert page.evaluate("navigator.serviceWorker.ready.then((r) => !!r.active)")
    context.set_offline(True)
    page.fill("#r-text", TEXT)
    page.click("#report-form button")
    page.wait_for_selector("#report-outbox:not([hidden])")
    assert "tersimpan di perangkat" in page.locator("#report-outbox").inner_text()
    assert page.locator("#receipt-code").count() == 0
    assert _stored(world) == 0  # nothing reached the server
    screenshot(page, f"lapor-offline-phone-{world.dialect}")
    # The page goes away and comes back offline (the service worker serves it from its cache):
    # the report is still in the browser's outbox.
    page.reload()
    page.wait_for_selector("#report-outbox:not([hidden])")
    context.set_offline(False)
    code = page.wait_for_selector("#receipt-code", timeout=30_000).inner_text()
    assert code.startswith("SGA-")
    page.wait_for_selector("#report-outbox[hidden]", state="attached")  # the outbox is empty
    assert _stored(world) == 1
    # A second page of the same browser finds an empty outbox: nothing is sent twice.
    again = context.new_page()
    again.goto(base_url + "/lapor")
    again.wait_for_load_state("networkidle")
    assert _stored(world) == 1
    screenshot(page, f"lapor-sent-phone-{world.dialect}")
    context.close()  # type: ignore[attr-defined]
