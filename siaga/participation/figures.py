"""Parse participation rows (turnout as a share, or DPT and voters who voted) and rank gaps."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

DPT_COLUMNS = ("dpt", "registered", "voters_registered", "jumlah_dpt")
VOTED_COLUMNS = ("voters_who_voted", "voted", "ballots", "pengguna_hak_pilih", "turnout_voters")
TURNOUT_COLUMNS = ("turnout", "participation", "partisipasi")


@dataclass(frozen=True, slots=True)
class Figure:
    """One region's participation: turnout share, with the DPT and voters behind it if known."""

    region_code: str
    turnout: float  # 0..1
    dpt: int | None
    voters: int | None


def _whole(text: str, column: str) -> int | None:
    cleaned = text.replace(".", "").replace(",", "").replace(" ", "")
    if not cleaned:
        return None
    if not cleaned.isdigit():
        raise ValueError(f"{column} {text!r} is not a whole number")
    return int(cleaned)


def parse_share(text: str) -> float:
    """Return a share 0..1 from '89', '89%', '89,5' or '0.89' (values above 1 are percents)."""
    cleaned = text.strip().rstrip("%").replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(f"turnout {text!r} is not a number (write 0.89 or 89%)") from None
    share = value / 100 if value > 1 or text.strip().endswith("%") else value
    if not 0 <= share <= 1 or math.isnan(share):
        raise ValueError(f"turnout {text!r} is outside 0-100%")
    return share


def first_present(row: Mapping[str, str], names: tuple[str, ...]) -> tuple[str, str] | None:
    """Return (column, value) of the first named column the row has a value in."""
    for name in names:
        if row.get(name):
            return name, row[name]
    return None


def figure_of(region: str, row: Mapping[str, str], known_dpt: int | None) -> Figure:
    """Return the figure a row states; DPT falls back to `known_dpt` (e.g. the shared DPT)."""
    dpt_cell, voted_cell = first_present(row, DPT_COLUMNS), first_present(row, VOTED_COLUMNS)
    turnout_cell = first_present(row, TURNOUT_COLUMNS)
    dpt = _whole(dpt_cell[1], dpt_cell[0]) if dpt_cell else known_dpt
    voted = _whole(voted_cell[1], voted_cell[0]) if voted_cell else None
    if voted is not None:
        if not dpt:
            raise ValueError(f"{voted_cell[0] if voted_cell else 'voters'} given but no DPT for "
                             f"{region}: add a dpt column or import the DPT first")
        if voted > dpt:
            raise ValueError(f"{voted:,} voters who voted exceed the DPT {dpt:,}")
        return Figure(region, voted / dpt, dpt, voted)
    if turnout_cell is None:
        raise ValueError("no turnout: give turnout, or dpt and voters_who_voted")
    share = parse_share(turnout_cell[1])
    return Figure(region, share, dpt, round(share * dpt) if dpt else None)


def votes_to_target(target: float, dpt: int | None, voted: int | None) -> int | None:
    """Return how many more voters must vote to reach `target`, or None when DPT is unknown."""
    if dpt is None or voted is None:
        return None
    return max(0, math.ceil(target * dpt - voted - 1e-9))
