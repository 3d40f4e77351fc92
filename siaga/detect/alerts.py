"""Alert rules: a rise of one category's signals in one region against its own baseline.

Signals are counted per region x category x window (a day by default). The baseline of a
window is an exponentially weighted moving average (EWMA) of the previous windows' counts,
floored at `min_expected`; the window is a rise when it holds at least `min_count` signals
and a Poisson variable with the baseline as mean would reach that count with probability
below `p_value`. The rules live in a YAML file shipped with the package.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from siaga.datafiles.rules_yaml import YamlError, parse_text
from siaga.detect.severity import SeverityRules
from siaga.domain.signals import Detection, Signal
from siaga.domain.timezones import zone_of

EPOCH = date(2000, 1, 3)  # a Monday: windows of 7 days start on Mondays
METHOD = "ewma-poisson"


class AlertRulesError(ValueError):
    """A rules file that cannot be used, naming the file and the key."""


@dataclass(frozen=True)
class Threshold:
    """When a window's count is a rise."""

    min_count: int
    p_value: float


@dataclass(frozen=True)
class AlertRules:
    """The alert rules: counting, baseline, test, per-category thresholds, severity weights."""

    region_level: str
    min_region_confidence: float
    window_days: int
    baseline_windows: int
    ewma_alpha: float
    min_expected: float
    min_history_windows: int
    default: Threshold
    severity: SeverityRules
    per_category: dict[str, Threshold] = field(default_factory=dict)

    def threshold(self, category: str) -> Threshold:
        """Return the threshold of a category (its override, else the default)."""
        return self.per_category.get(category, self.default)

    def window_of(self, day: date) -> date:
        """Return the first day of the window holding `day`."""
        offset = (day - EPOCH).days % self.window_days
        return day - timedelta(days=offset)


@dataclass(frozen=True)
class Verdict:
    """The test of one window: observed count, baseline, tail probability, and the decision."""

    observed: int
    expected: float
    p_value: float
    rise: bool


def ewma(history: Sequence[float], alpha: float) -> float:
    """Return the EWMA of counts (oldest first); 0.0 for no history."""
    if not history:
        return 0.0
    value = float(history[0])
    for count in history[1:]:
        value = alpha * count + (1 - alpha) * value
    return value


def poisson_tail(observed: int, expected: float) -> float:
    """Return P(X >= observed) for X ~ Poisson(expected)."""
    if observed <= 0:
        return 1.0
    from scipy.special import gammainc  # the regularised lower incomplete gamma function

    return float(gammainc(observed, expected))


def judge(observed: int, history: Sequence[int], rules: AlertRules, category: str) -> Verdict:
    """Return the verdict on a window's count given the previous windows' counts."""
    expected = max(ewma(history, rules.ewma_alpha), rules.min_expected)
    tail = poisson_tail(observed, expected)
    threshold = rules.threshold(category)
    rise = (
        len(history) >= rules.min_history_windows
        and observed >= threshold.min_count
        and tail < threshold.p_value
    )
    return Verdict(observed, round(expected, 4), tail, rise)


def _number(data: Mapping[str, Any], key: str, where: str, kind: type = float) -> Any:
    if key not in data:
        raise AlertRulesError(f"{where}: missing key {key!r}")
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise AlertRulesError(f"{where}: {key!r} must be a number, got {value!r}")
    if kind is int and int(value) != value:
        raise AlertRulesError(f"{where}: {key!r} must be a whole number, got {value!r}")
    return kind(value)


def _severity(data: Any, where: str) -> SeverityRules:
    if not isinstance(data, dict):
        raise AlertRulesError(f"{where}: 'severity' must be a mapping")
    weights = data.get("weights")
    if not isinstance(weights, dict):
        raise AlertRulesError(f"{where}: 'severity.weights' must map categories to numbers")
    return SeverityRules(
        weights={str(k): float(v) for k, v in weights.items()},
        toxicity_weight=_number(data, "toxicity_weight", f"{where} severity"),
        violence_bonus=_number(data, "violence_bonus", f"{where} severity"),
        tps_bonus=_number(data, "tps_bonus", f"{where} severity"),
        crowd_bonus=_number(data, "crowd_bonus", f"{where} severity"),
        violence_words=tuple(str(w) for w in data.get("violence_words") or ()),
        crowd_words=tuple(str(w) for w in data.get("crowd_words") or ()),
    )


def parse_rules(data: Any, where: str) -> AlertRules:
    """Return the rules of a parsed YAML document; raise AlertRulesError naming the key."""
    if not isinstance(data, dict):
        raise AlertRulesError(f"{where}: expected a mapping of rule settings")
    level = data.get("region_level", "regency")
    if level not in ("regency", "province"):
        raise AlertRulesError(f"{where}: 'region_level' must be regency or province")
    default = Threshold(_number(data, "min_count", where, int), _number(data, "p_value", where))
    overrides = {}
    for name, values in (data.get("categories") or {}).items():
        if not isinstance(values, dict):
            raise AlertRulesError(f"{where}: categories.{name} must be a mapping")
        overrides[str(name)] = Threshold(
            int(values.get("min_count", default.min_count)),
            float(values.get("p_value", default.p_value)),
        )
    rules = AlertRules(
        region_level=str(level),
        min_region_confidence=_number(data, "min_region_confidence", where),
        window_days=_number(data, "window_days", where, int),
        baseline_windows=_number(data, "baseline_windows", where, int),
        ewma_alpha=_number(data, "ewma_alpha", where),
        min_expected=_number(data, "min_expected", where),
        min_history_windows=_number(data, "min_history_windows", where, int),
        default=default,
        severity=_severity(data.get("severity"), where),
        per_category=overrides,
    )
    if rules.window_days < 1 or not 0 < rules.ewma_alpha <= 1 or rules.min_expected <= 0:
        raise AlertRulesError(
            f"{where}: need window_days >= 1, 0 < ewma_alpha <= 1 and min_expected > 0"
        )
    return rules


def load_rules(path: Path | None = None) -> AlertRules:
    """Return the rules in a YAML file, or the packaged defaults when `path` is None."""
    if path is None:
        text = resources.files("siaga").joinpath("data/alert-rules.yaml").read_text("utf-8")
        where = "alert-rules.yaml (packaged)"
    else:
        try:
            text = path.read_text("utf-8")
        except OSError as exc:
            raise AlertRulesError(f"rules file {path}: {exc.strerror or exc}") from exc
        where = str(path)
    try:
        data = parse_text(text, where)
    except YamlError as exc:
        raise AlertRulesError(str(exc)) from exc
    return parse_rules(data, where)


def region_key(code: str, rules: AlertRules) -> str:
    """Return the code a mention is counted under: its regency (or province)."""
    parts = code.split(".")
    return ".".join(parts[:2] if rules.region_level == "regency" else parts[:1])


Key = tuple[str, str]  # (region code, category)


@dataclass(frozen=True)
class Rise:
    """A window whose count is a rise: the region x category, the window's first day, verdict."""

    key: Key
    window: date
    verdict: Verdict


def window_sums(days: Mapping[date, int], rules: AlertRules) -> dict[date, int]:
    """Return a key's daily counts summed per window, by the window's first day."""
    # Windows are aligned (`window_of`), so each day adds to exactly one of them.
    sums: dict[date, int] = defaultdict(int)
    for day, count in days.items():
        sums[rules.window_of(day)] += count
    return sums


def rises(counts: Mapping[Key, Mapping[date, int]], touched: Iterable[tuple[Key, date]],
          first_day: date, rules: AlertRules) -> list[Rise]:
    """Return the rises among the touched (key, window) pairs, in key and window order.

    `counts` holds per key its daily counts (at least the baseline windows before each touched
    one); `first_day` is the earliest day any count exists, so no history is imagined before
    it. The single node (from the store) and the cluster (from Spark aggregates) both call this.
    """
    span = timedelta(days=rules.window_days)
    sums = {key: window_sums(days, rules) for key, days in counts.items()}
    first_window = rules.window_of(first_day)
    found = []
    for key, window in sorted(set(touched)):
        by_window = sums.get(key, {})
        start = max(first_window, window - span * rules.baseline_windows)
        history = [by_window.get(start + span * i, 0) for i in range((window - start) // span)]
        verdict = judge(by_window.get(window, 0), history, rules, key[1])
        if verdict.rise:
            found.append(Rise(key, window, verdict))
    return found


Fact = tuple[int, str, str, date, float]  # (signal id, region, category, local day, severity)


def facts_of(ids: Sequence[int], batch: Sequence[Signal], found: Sequence[Detection],
             rules: AlertRules) -> list[Fact]:
    """Return (signal, region, category, local day, severity) per located, labelled signal."""
    facts = []
    for sid, signal, detection in zip(ids, batch, found, strict=True):
        regions = {
            region_key(r["code"], rules) for r in detection.regions
            if float(r.get("confidence", 0)) >= rules.min_region_confidence and r.get("code")
        }
        for region in sorted(regions):
            day = signal.moment.astimezone(zone_of(region)).date()
            # A report that a risk was looked for and not found keeps its label (the forum
            # follows the topic) but is no sign of the risk: it does not count toward alerts.
            for category in detection.labels:
                if category in detection.not_found:
                    continue
                facts.append((sid, region, category, day, detection.severity))
    return facts


def windows_of(facts: Iterable[Fact], rules: AlertRules) -> set[tuple[Key, date]]:
    """Return the (region x category, window's first day) pairs that `facts` add counts to."""
    return {((region, category), rules.window_of(day)) for _, region, category, day, _ in facts}


def history_start(touched: Iterable[tuple[Key, date]], rules: AlertRules) -> date:
    """Return the first day whose counts judging the `touched` windows needs (their baselines)."""
    span = timedelta(days=rules.window_days)
    return min(w for _, w in touched) - span * rules.baseline_windows


def window_end(window: date, rules: AlertRules) -> date:
    """Return the last day of the window starting on `window`."""
    return window + timedelta(days=rules.window_days - 1)
