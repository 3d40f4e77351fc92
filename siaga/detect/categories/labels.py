"""The ten election-risk categories, in the order every score matrix uses for its columns."""

from __future__ import annotations

CATEGORIES: tuple[str, ...] = (
    "money_politics",
    "asn_neutrality",
    "hate_sara",
    "hoax",
    "black_campaign",
    "violence_intimidation",
    "mass_mobilization",
    "logistics_admin",
    "disaster_health",
    "participation",
)

INDONESIAN: dict[str, str] = {
    "money_politics": "politik uang",
    "asn_neutrality": "netralitas ASN",
    "hate_sara": "ujaran kebencian SARA",
    "hoax": "hoaks / disinformasi",
    "black_campaign": "kampanye hitam",
    "violence_intimidation": "kekerasan / intimidasi",
    "mass_mobilization": "pengerahan massa",
    "logistics_admin": "logistik / administrasi",
    "disaster_health": "bencana / kesehatan",
    "participation": "partisipasi pemilih",
}
