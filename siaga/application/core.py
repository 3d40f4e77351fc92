"""The application object: one workspace's settings, store, caches and use cases.

Every interface (the HTTP app, the dashboard, each CLI command) builds one `Siaga` and calls its
method groups, which open the transactions and call the services:

    siaga = Siaga(load_settings())
    case = siaga.cases.open(CaseType.HOAX, "Hoaks TPS 03", "analis")
    rows, meta, _ = siaga.risk.scores(siaga.risk.framework(), UnitLevel.DISTRICT, "15.02")
"""

from __future__ import annotations

from datetime import datetime
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any

from siaga.application.accounts import Users
from siaga.application.casework import Cases, Reports, Takedown
from siaga.application.fieldwork import Events, Participation, Readiness
from siaga.application.places import Regions, System
from siaga.application.risk import Briefing, Maps, Risk
from siaga.regions.search import Gazetteer
from siaga.risk.cache import ResultCache
from siaga.services.casework import Casework, Clock, casework_from, system_clock
from siaga.settings import Settings
from siaga.store import Store, open_store

if TYPE_CHECKING:
    from siaga.application.detection import Detect
    from siaga.detect.categories.lexicon import Lexicon


class Siaga:
    """A workspace at work: built from settings (and optionally an open store)."""

    def __init__(self, settings: Settings, store: Store | None = None, *,
                 clock: Clock = system_clock) -> None:
        self.settings = settings
        self._given_store = store
        self.clock = clock
        self.risk_cache = ResultCache()
        self.pipelines: dict[str, Any] = {}
        self.cached_gazetteer: Gazetteer | None = None
        self.cases = Cases(self)
        self.reports = Reports(self)
        self.takedown = Takedown(self)
        self.risk = Risk(self)
        self.maps = Maps(self)
        self.briefing = Briefing(self)
        self.events = Events(self)
        self.readiness = Readiness(self)
        self.participation = Participation(self)
        self.users = Users(self)
        self.regions = Regions(self)
        self.system = System(self)

    @cached_property
    def store(self) -> Store:
        """Return the store given, else the settings' database, opened and migrated on first
        use (commands that never touch the database never open it)."""
        return self._given_store or open_store(self.settings.resolved_database_url)

    @cached_property
    def casework(self) -> Casework:
        """Return the case context (routing rules, limits, clock), read once."""
        return casework_from(self.settings, self.store, self.clock)

    @cached_property
    def detect(self) -> Detect:
        """Return the detection group, importing the pipeline's libraries on first use."""
        from siaga.application.detection import Detect

        return Detect(self)

    @cached_property
    def lexicon(self) -> Lexicon:
        """Return the category lexicons, compiled once (thousands of word forms)."""
        from siaga.detect.categories.lexicon import load_lexicon

        return load_lexicon()

    def now(self) -> datetime:
        """Return the case context's clock time (time-zone aware)."""
        return self.casework.now()

    def close(self) -> None:
        """Close the store's connections if this object opened it."""
        if self._given_store is None and "store" in self.__dict__:
            self.store.dispose()

    def __enter__(self) -> Siaga:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()
