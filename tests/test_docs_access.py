"""docs/access.md shows the permission matrix exactly as the code enforces it."""

from __future__ import annotations

from pathlib import Path

from siaga.domain.access import MATRIX, Permission, Role

DOC = Path(__file__).resolve().parents[1] / "docs" / "access.md"


def test_documented_matrix_matches_the_code() -> None:
    text = DOC.read_text(encoding="utf-8")
    block = text.split("<!-- matrix:")[1].split("<!-- end matrix -->")[0]
    rows = [line for line in block.splitlines() if line.startswith("| `")]
    header = next(line for line in block.splitlines() if line.startswith("| permission"))
    roles = [Role(cell.strip()) for cell in header.strip("|").split("|")[1:]]
    documented: dict[Permission, frozenset[Role]] = {}
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        permission = Permission(cells[0].strip("`"))
        documented[permission] = frozenset(r for r, c in zip(roles, cells[1:], strict=True)
                                           if c == "✔")
    assert documented == MATRIX
