"""A base for the frozen dataclasses that use cases return and adapters send as JSON."""

from __future__ import annotations

from dataclasses import Field, asdict
from typing import Any, ClassVar


class JsonRecord:
    """Mixin for a dataclass whose JSON form is its fields, nested dataclasses included."""

    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]

    def to_dict(self) -> dict[str, Any]:
        """Return the record's fields as a JSON-ready dict (dataclasses.asdict)."""
        return asdict(self)
