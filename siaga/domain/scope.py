"""The part of the country a workspace covers: 'national' or a list of region codes."""

from __future__ import annotations

from dataclasses import dataclass

from siaga.domain.regions import ancestors_of, normalize_code


@dataclass(frozen=True, slots=True)
class Scope:
    """A set of region codes (any level); empty means the whole country."""

    codes: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> Scope:
        """Return the scope for 'national' or comma-separated codes (dotted or not)."""
        cleaned = text.strip().lower()
        if cleaned in ("national", "nasional", "all", ""):
            return cls()
        codes = {normalize_code(part) for part in cleaned.split(",") if part.strip()}
        # A code already covered by a broader one adds nothing.
        kept = sorted(c for c in codes if not any(a in codes for a in ancestors_of(c)))
        return cls(tuple(kept))

    @property
    def national(self) -> bool:
        """Return True when the scope is the whole country."""
        return not self.codes

    def contains(self, code: str) -> bool:
        """Return True when the (dotted) code lies inside the scope."""
        if self.national:
            return True
        return any(code == c or code.startswith(c + ".") for c in self.codes)

    def touches(self, code: str) -> bool:
        """Return True when the code lies inside the scope or encloses part of it."""
        if self.contains(code):
            return True
        return any(c.startswith(code + ".") for c in self.codes)

    def prefixes(self) -> tuple[str, ...]:
        """Return the first two digits of each code (the provinces touched), or () if national."""
        return tuple(sorted({c[:2] for c in self.codes}))

    def __str__(self) -> str:
        return "national" if self.national else ",".join(self.codes)
