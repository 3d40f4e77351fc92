"""The application object: each method owns its transaction, and what it writes reads back."""

from __future__ import annotations

from pathlib import Path

import pytest

from siaga.application import Siaga
from siaga.application.errors import CaseworkError, EventsError
from siaga.domain.cases import CaseStatus, CaseType
from siaga.settings import load_settings
from siaga.store import Store


@pytest.fixture
def siaga(store: Store, tmp_path: Path) -> Siaga:
    """Return the application object over a new, empty store on each backend."""
    return Siaga(load_settings(env={}, home=tmp_path), store)


def test_a_case_opened_is_found_shown_and_moved(siaga: Siaga) -> None:
    opened = siaga.cases.open(CaseType.LOGISTICS, "Surat suara kurang di TPS 04", "analis")
    assert opened.lead_agency  # routed by the rules
    shown = siaga.cases.show(opened.id)
    assert shown.title == "Surat suara kurang di TPS 04"
    assert [c.id for c in siaga.cases.find()] == [opened.id]
    assert shown.status == CaseStatus.OPEN.value
    moved = siaga.cases.move(opened.id, CaseStatus.IN_PROGRESS, "analis", note="ditangani")
    assert siaga.cases.show(opened.id).status == moved.status == "in_progress"
    assert siaga.system.status(["cases"]).tables == {"cases": 1}


def test_a_refused_write_leaves_nothing_behind(siaga: Siaga) -> None:
    with pytest.raises(EventsError):
        siaga.events.add({"candidate": "1", "type": "rally", "region": "99.99",
                          "start": "2024-11-10T09:00+07:00", "end": "2024-11-10T08:00+07:00"})
    assert siaga.events.find("") == []
    with pytest.raises(CaseworkError):
        siaga.cases.open(CaseType.OTHER, "   ", "analis")
    assert siaga.system.status(["cases", "events"]).tables == {"cases": 0, "events": 0}


def test_the_object_owns_only_the_store_it_opened(store: Store, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'own.db'}"
    owned = Siaga(load_settings(env={}, home=tmp_path, database_url=url))
    with owned:
        owned.system.probe()
    assert owned.store.engine.pool.checkedin() == 0  # disposed: no pooled connection left
    borrowed = Siaga(load_settings(env={}, home=tmp_path), store)
    borrowed.system.probe()
    borrowed.close()
    store.dispose()  # still usable: closing the object did not touch the caller's store
    assert Siaga(load_settings(env={}, home=tmp_path), store).system.status([]).database \
        == store.dialect
