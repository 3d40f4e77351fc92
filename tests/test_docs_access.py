"""docs/access.md shows the permission matrix exactly as the code enforces it."""

from __future__ import annotations

from pathlib import Path

from siaga.domain.access import MATRIX, Permission, Role, matrix_markdown

DOC = Path(__file__).resolve().parents[1] / "docs" / "access.md"


def test_documented_matrix_matches_the_code() -> None:
    text = DOC.read_text(encoding="utf-8")
    block = text.split("<!-- matrix:")[1].split("\n", 1)[1].split("<!-- end matrix -->")[0]
    assert block.strip() == matrix_markdown(), (
        "docs/access.md is out of date: paste siaga.domain.access.matrix_markdown() into it")


def test_matrix_table_marks_each_holder() -> None:
    table = matrix_markdown().splitlines()
    assert len(table) == 2 + len(Permission)
    row = next(line for line in table if line.startswith("| `manage_users`"))
    cells = [c.strip() for c in row.strip("|").split("|")][1:]
    assert [r for r, c in zip(Role, cells, strict=True) if c == "✔"] == sorted(
        MATRIX[Permission.MANAGE_USERS])
