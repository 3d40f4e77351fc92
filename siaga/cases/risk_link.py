"""Which case outcomes are evidence for the vulnerability index, and of which indicator.

A case that reaches a confirming status proves that its incident happened where the case is
located; Siaga then records a TPS-rawan observation there (source `case`, evidence `case:ID`),
so the map and the index follow the forum's verified work.
"""

from __future__ import annotations

from dataclasses import dataclass

from siaga.domain.cases import CaseStatus, CaseType

FRAMEWORK = "tps-rawan-pilkada-2024"


@dataclass(frozen=True)
class Confirmation:
    """The statuses that confirm a case type's incident, and the indicator it is evidence of."""

    statuses: frozenset[CaseStatus]
    indicator: str


# A takedown request is only sent once the content was checked; an ASN case is validated when
# Bawaslu issues its recommendation; the general workflow resolves an incident that happened.
# Logistics, health and other cases name no single indicator, so they record nothing.
CONFIRMATIONS: dict[CaseType, Confirmation] = {
    CaseType.CONTENT_TAKEDOWN: Confirmation(frozenset({CaseStatus.SUBMITTED}), "hate_speech"),
    CaseType.ASN_NEUTRALITY: Confirmation(frozenset({CaseStatus.RECOMMENDATION}),
                                          "asn_partisan"),
    CaseType.MONEY_POLITICS: Confirmation(frozenset({CaseStatus.RESOLVED}), "money_politics"),
    CaseType.SECURITY: Confirmation(frozenset({CaseStatus.RESOLVED}), "intimidation_history"),
}


def confirmed_indicator(case_type: CaseType, target: CaseStatus) -> str | None:
    """Return the indicator a move to `target` confirms for this case type, or None."""
    found = CONFIRMATIONS.get(case_type)
    return found.indicator if found is not None and target in found.statuses else None
