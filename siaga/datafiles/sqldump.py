"""Read the rows of the INSERT statements in a MySQL dump without a MySQL server.

The shared code lists and boundaries come as MySQL dumps. Only ``INSERT INTO t (cols) VALUES
(...), (...);`` matters; every other statement is skipped. A truncated file yields the rows read
so far and then one problem naming the line where the text stops making sense.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from siaga.datafiles.problems import DataFileError, RowProblem

Value = str | int | float | None

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
    |(?P<comment>/\*.*?\*/|--[^\n]*|\#[^\n]*)
    |(?P<str>'(?:[^'\\]|\\.|'')*')
    |(?P<num>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)
    |(?P<punct>[(),;])
    |(?P<word>[A-Za-z_][A-Za-z0-9_$]*|`[^`]*`|"[^"]*")
    |(?P<other>[^\s'"`(),;]+)
    """,
    re.S | re.X,
)
_SCALAR = r"'(?:[^'\\]|\\.|'')*'|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|NULL"
# A whole well-formed row in one match: the fast path for the common case.
_TUPLE = re.compile(rf"\(\s*(?:(?:{_SCALAR})\s*,\s*)*(?:{_SCALAR})\s*\)", re.S)
_VALUE = re.compile(_SCALAR, re.S)
_SPACE = re.compile(r"(?:\s+|/\*.*?\*/|--[^\n]*|\#[^\n]*)*", re.S)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "Z": "\x1a"}
_ESCAPE = re.compile(r"\\(.)|''", re.S)


@dataclass(frozen=True, slots=True)
class DumpRow:
    """One tuple of an INSERT statement, with the line it starts on."""

    table: str
    columns: tuple[str, ...]
    values: tuple[Value, ...]
    line: int


def _unquote_string(token: str) -> str:
    body = token[1:-1]
    if "\\" not in body and "''" not in body:
        return body
    return _ESCAPE.sub(lambda m: "'" if m.group(0) == "''" else _ESCAPES.get(m[1], m[1]), body)


def _identifier(token: str) -> str:
    return token.strip('`"')


class _Tokens:
    """A cursor over the tokens of a dump that tracks line numbers."""

    def __init__(self, text: str, name: str) -> None:
        self.text, self.name, self.pos, self.line = text, name, 0, 1

    def next(self) -> tuple[str, str, int] | None:
        """Return (kind, text, line) of the next significant token, or None at the end."""
        while self.pos < len(self.text):
            match = _TOKEN.match(self.text, self.pos)
            if match is None:
                raise self._stuck()
            start_line = self.line
            token = match.group()
            self.line += token.count("\n")
            self.pos = match.end()
            kind = match.lastgroup or ""
            if kind not in ("ws", "comment"):
                return kind, token, start_line
        return None

    def skip_space(self) -> int:
        """Skip blanks and comments; return the line the next token starts on."""
        match = _SPACE.match(self.text, self.pos)
        if match is not None and match.end() > self.pos:
            self.line += match.group().count("\n")
            self.pos = match.end()
        return self.line

    def fast_tuple(self) -> tuple[Value, ...] | None:
        """Return the values of a well-formed row at the cursor, or None (cursor unmoved)."""
        match = _TUPLE.match(self.text, self.pos)
        if match is None:
            return None
        body = match.group()
        self.line += body.count("\n")
        self.pos = match.end()
        return tuple(_scalar_text(m.group()) for m in _VALUE.finditer(body, 1))

    def _stuck(self) -> DataFileError:
        char = self.text[self.pos]
        if char == "'":
            what = "a string that never closes (is the file truncated?)"
        elif self.text.startswith("/*", self.pos):
            what = "a comment that never closes (is the file truncated?)"
        else:
            what = f"unexpected character {char!r}"
        return DataFileError(self.name, f"line {self.line}: {what}")


_SCALARS = {"str", "num", "word"}


def _scalar(kind: str, token: str) -> Value:
    if kind == "str":
        return _unquote_string(token)
    if kind == "num":
        return float(token) if any(c in token for c in ".eE") else int(token)
    if token.upper() == "NULL":
        return None
    raise ValueError(token)


def _scalar_text(token: str) -> Value:
    if token.startswith("'"):
        return _unquote_string(token)
    if token == "NULL":
        return None
    return float(token) if any(c in token for c in ".eE") else int(token)


def _read_tuple(tokens: _Tokens, start_line: int) -> tuple[Value, ...]:
    values: list[Value] = []
    while True:
        tok = tokens.next()
        if tok is None:
            raise DataFileError(
                tokens.name, f"line {start_line}: row ends at end of file (truncated?)"
            )
        kind, text, line = tok
        if kind not in _SCALARS or (kind == "word" and text.upper() != "NULL"):
            raise DataFileError(tokens.name, f"line {line}: expected a value, found {text[:20]!r}")
        values.append(_scalar(kind, text))
        sep = tokens.next()
        if sep is None:
            raise DataFileError(
                tokens.name, f"line {start_line}: row ends at end of file (truncated?)"
            )
        if sep[1] == ")":
            return tuple(values)
        if sep[1] != ",":
            raise DataFileError(
                tokens.name, f"line {sep[2]}: expected ',' or ')', found {sep[1][:20]!r}"
            )


def _skip_statement(tokens: _Tokens) -> None:
    depth = 0
    while (tok := tokens.next()) is not None:
        if tok[1] == "(":
            depth += 1
        elif tok[1] == ")":
            depth -= 1
        elif tok[1] == ";" and depth <= 0:
            return


def _insert_header(tokens: _Tokens) -> tuple[str, tuple[str, ...]]:
    """Parse `INTO name [(cols)] VALUES`; return the table and its columns."""
    into, name = tokens.next(), tokens.next()
    if into is None or name is None or into[1].upper() != "INTO":
        raise DataFileError(tokens.name, f"line {tokens.line}: expected INSERT INTO table")
    columns: list[str] = []
    tok = tokens.next()
    if tok is not None and tok[1] == "(":
        while (tok := tokens.next()) is not None and tok[1] != ")":
            if tok[1] != ",":
                columns.append(_identifier(tok[1]))
        tok = tokens.next()
    if tok is None or tok[1].upper() not in ("VALUES", "VALUE"):
        raise DataFileError(tokens.name, f"line {tokens.line}: expected VALUES after INSERT INTO")
    return _identifier(name[1]), tuple(columns)


def _next_tuple(tokens: _Tokens) -> tuple[Value, ...]:
    values = tokens.fast_tuple()
    if values is not None:
        return values
    tok = tokens.next()  # the slow path, which says precisely what is wrong
    if tok is None:
        raise DataFileError(
            tokens.name, f"line {tokens.line}: INSERT ends at end of file (truncated?)"
        )
    if tok[1] != "(":
        raise DataFileError(
            tokens.name, f"line {tok[2]}: expected '(' starting a row, found {tok[1][:20]!r}"
        )
    return _read_tuple(tokens, tok[2])


def _insert_rows(tokens: _Tokens) -> Iterator[DumpRow]:
    table, columns = _insert_header(tokens)
    while True:
        line = tokens.skip_space()
        yield DumpRow(table, columns, _next_tuple(tokens), line)
        sep = tokens.next()
        if sep is None:
            raise DataFileError(
                tokens.name, f"line {tokens.line}: INSERT ends at end of file (truncated?)"
            )
        if sep[1] == ";":
            return
        if sep[1] != ",":
            raise DataFileError(
                tokens.name,
                f"line {sep[2]}: expected ',' or ';' after a row, found {sep[1][:20]!r}",
            )


def iter_dump_rows(text: str, name: str) -> Iterator[DumpRow | RowProblem]:
    """Yield every INSERT row of the dump text, then a RowProblem if the text breaks off.

    The rows before a broken spot are good and are yielded; nothing after it is trusted.
    """
    tokens = _Tokens(text, name)
    try:
        while (tok := tokens.next()) is not None:
            if tok[0] == "word" and tok[1].upper() == "INSERT":
                yield from _insert_rows(tokens)
            elif tok[1] != ";":
                _skip_statement(tokens)
    except DataFileError as exc:
        message = str(exc).split(": ", 1)[1]
        line = tokens.line
        if message.startswith("line "):
            head, message = message.split(": ", 1)
            line = int(head[5:])
        yield RowProblem(name, line, message)


def read_dump(path: Path) -> Iterator[DumpRow | RowProblem]:
    """Yield the INSERT rows of a dump file (see iter_dump_rows); raise DataFileError if unread."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise DataFileError(path, "file not found") from exc
    except UnicodeDecodeError as exc:
        raise DataFileError(path, f"not UTF-8 text (byte {exc.start})") from exc
    return iter_dump_rows(text, str(path))
