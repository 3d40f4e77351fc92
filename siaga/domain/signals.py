"""Plain records of early detection: raw signals, their detections, clusters and alerts.

A `Signal` is what arrived, kept exactly as received; a `Detection` is what the pipeline made
of it and lives beside it, so processing can be re-run without touching the raw record.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

# The demo workspace starts each invented text with this tag (siaga.services.demo_activity);
# the detection pipeline strips it before the models read the text.
DEMO_MARK = "[DEMO]"


class SourceKind(StrEnum):
    """How a signal reached Siaga."""

    JSONL = "jsonl"
    CSV = "csv"
    RSS = "rss"
    SMS = "sms"
    CLASSIFY = "classify"  # texts passed through `siaga detect classify`


class AlertStatus(StrEnum):
    """Life of an alert: open while its window is current or until someone closes it."""

    OPEN = "open"
    CLOSED = "closed"


def content_hash(
    text: str,
    *,
    title: str | None = None,
    url: str | None = None,
    author: str | None = None,
    platform: str | None = None,
    published_at: datetime | None = None,
) -> str:
    """Return the SHA-256 (hex) of a record's content: text, title, link, author, platform, time.

    The same post exported twice (with or without an id) gets the same hash; the same words
    posted by two accounts do not, so copies still count in their cluster.
    """
    parts = [
        unicodedata.normalize("NFC", text.strip()),
        (title or "").strip(),
        (url or "").strip(),
        (author or "").strip(),
        (platform or "").strip().lower(),
        published_at.isoformat() if published_at else "",
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Signal:
    """One raw signal: a post, article, comment or field report, exactly as received."""

    source_kind: SourceKind
    source_id: str
    content_hash: str
    text: str
    received_at: datetime
    title: str | None = None
    url: str | None = None
    author: str | None = None
    platform: str | None = None
    published_at: datetime | None = None
    lang: str | None = None
    origin: str = ""  # where in the input it was read, e.g. "line 12"
    meta: dict[str, Any] = field(default_factory=dict)  # e.g. an SMS's reported place and code

    @property
    def moment(self) -> datetime:
        """Return when the signal happened: its publication time, else its receipt."""
        return self.published_at or self.received_at

    def meta_json(self) -> str:
        """Return the extra fields as compact JSON."""
        if not self.meta:  # most signals: no encoder call for an empty object
            return "{}"
        return json.dumps(self.meta, ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True, slots=True)
class Detection:
    """What the pipeline made of one signal (the contract's fields, and model versions)."""

    normalised: str
    categories: dict[str, float]
    labels: list[str]
    toxicity: dict[str, float]
    regions: list[dict[str, Any]]
    agencies: list[str]
    candidates: list[dict[str, Any]]
    dates: list[str]
    severity: float
    cluster_id: int | None = None
    tps: list[dict[str, Any]] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    model_versions: dict[str, str] = field(default_factory=dict)
    # label -> the sentence that carried it; labels whose sentence says "looked for, not found"
    evidence: dict[str, str] = field(default_factory=dict)
    not_found: list[str] = field(default_factory=list)
    attack: dict[str, Any] | None = None
    """{target_pair, source_pair, between_camps} for an attack signal, else None."""

    def contract(self, ident: Any) -> ClassifyResult:
        """Return the `siaga detect classify` output of this detection."""
        return ClassifyResult(
            id=ident, categories=self.categories, labels=self.labels, toxicity=self.toxicity,
            regions=self.regions, agencies=self.agencies, candidates=self.candidates,
            dates=self.dates, cluster_id=self.cluster_id, severity=self.severity, tps=self.tps,
            roles=self.roles, evidence=self.evidence, not_found=self.not_found,
            attack=self.attack)


CONTRACT_KEYS = ("id", "categories", "labels", "toxicity", "regions", "agencies", "candidates",
                 "dates", "cluster_id", "severity", "tps", "roles", "evidence", "not_found",
                 "attack")
"""The `siaga detect classify` output object's keys, in the order they are written."""


@dataclass(frozen=True, slots=True)
class ClassifyResult:
    """One `siaga detect classify` output line: the detection's fields, or the input's error."""

    id: Any
    categories: dict[str, float] = field(default_factory=dict)
    labels: list[str] = field(default_factory=list)
    toxicity: dict[str, float] = field(default_factory=dict)
    regions: list[dict[str, Any]] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    candidates: list[dict[str, Any]] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    cluster_id: int | None = None
    severity: float = 0.0
    tps: list[dict[str, Any]] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    evidence: dict[str, str] = field(default_factory=dict)
    not_found: list[str] = field(default_factory=list)
    attack: dict[str, Any] | None = None
    error: str | None = None
    """Why the input line could not be classified; None for a classified line."""

    @classmethod
    def failed(cls, ident: Any, error: str) -> ClassifyResult:
        """Return the output of an input line that could not be classified."""
        return cls(id=ident, error=error)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON object written for this line: {id, error} for a failed line, else
        the contract's fields in their documented order."""
        if self.error is not None:
            return {"id": self.id, "error": self.error}
        return {key: getattr(self, key) for key in CONTRACT_KEYS}


@dataclass(frozen=True, slots=True)
class Cluster:
    """Near-duplicate signals grouped as one claim."""

    id: int
    count: int
    first_seen: datetime
    last_seen: datetime
    sources: dict[str, int]  # source kind or platform -> signals
    representative_signal_id: int | None
    sample: str


@dataclass(frozen=True, slots=True)
class Alert:
    """A rise of one category's signals in one region over one window, against its baseline."""

    id: int
    region_code: str
    category: str
    window_start: date
    window_days: int
    observed: int
    expected: float
    p_value: float
    method: str
    status: AlertStatus
    opened_at: datetime
    updated_at: datetime
    signal_ids: list[int] = field(default_factory=list)
    max_severity: float = 0.0
