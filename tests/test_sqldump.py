"""The MySQL dump reader: values, escapes, comments, and files that break off."""

from __future__ import annotations

from siaga.datafiles.problems import RowProblem
from siaga.datafiles.sqldump import DumpRow, iter_dump_rows

DUMP = """/* header ; with ( parens */
DROP TABLE IF EXISTS wilayah;
CREATE TABLE wilayah (kode varchar(13) NOT NULL, PRIMARY KEY (kode)) ENGINE=MyISAM;
-- Provinsi ACEH
INSERT INTO wilayah (kode, nama)
VALUES
('11','Aceh'),
('11.01.02.2018','Pasi Kuala Ba''u'),
('12.04.28','Ma\\'U'),
	('x', NULL, -2.5, 7, 1e3);
INSERT INTO `luas`(kode,luas) VALUES ('11.1',4174.211);
"""


def test_reads_rows_with_escapes_numbers_and_null() -> None:
    rows = list(iter_dump_rows(DUMP, "dump.sql"))
    assert all(isinstance(r, DumpRow) for r in rows)
    values = [r.values for r in rows if isinstance(r, DumpRow)]
    assert values == [
        ("11", "Aceh"),
        ("11.01.02.2018", "Pasi Kuala Ba'u"),
        ("12.04.28", "Ma'U"),
        ("x", None, -2.5, 7, 1000.0),
        ("11.1", 4174.211),
    ]
    first = rows[0]
    assert isinstance(first, DumpRow)
    assert (first.table, first.columns, first.line) == ("wilayah", ("kode", "nama"), 7)
    last = rows[-1]
    assert isinstance(last, DumpRow) and last.table == "luas" and last.line == 11


def test_truncated_file_keeps_earlier_rows_and_names_the_line() -> None:
    cut = DUMP[: DUMP.index("Ma\\'U") + 3]  # breaks off inside a string on line 9
    rows = list(iter_dump_rows(cut, "cut.sql"))
    good = [r for r in rows if isinstance(r, DumpRow)]
    problems = [r for r in rows if isinstance(r, RowProblem)]
    assert [r.values[0] for r in good] == ["11", "11.01.02.2018"]
    assert len(problems) == 1
    assert problems[0].file == "cut.sql" and problems[0].line == 9
    assert "never closes" in problems[0].message


def test_statement_without_semicolon_at_end_is_reported() -> None:
    rows = list(iter_dump_rows("INSERT INTO t (a) VALUES ('1'),", "t.sql"))
    assert isinstance(rows[0], DumpRow)
    assert isinstance(rows[-1], RowProblem) and "end of file" in rows[-1].message


def test_garbage_inside_a_row_is_reported_with_its_line() -> None:
    text = "INSERT INTO t (a,b) VALUES\n('1','a'),\n('2' 'b');"
    rows = list(iter_dump_rows(text, "t.sql"))
    assert isinstance(rows[0], DumpRow)
    problem = rows[-1]
    assert isinstance(problem, RowProblem)
    assert problem.line == 3 and "expected ',' or ')'" in problem.message
