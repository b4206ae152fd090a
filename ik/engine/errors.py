"""Errors the engine raises about its input, worded for the person who supplied it."""

from __future__ import annotations


class InputError(Exception):
    """Bad input: a malformed file, a missing column, a value that cannot be read.

    The message is Swedish and says what is wrong; `row` (1-based, counting the header as
    row 1 where a file has one) and `column` say where, when known.
    """

    def __init__(
        self,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        problems: tuple[InputProblem, ...] = (),
    ) -> None:
        self.message = message
        self.row = row
        self.column = column
        self.problems = problems
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"rad {self.row}")
        if self.column:
            where.append(f"kolumn {self.column}")
        return f"{self.message} ({', '.join(where)})" if where else self.message


class InputProblem:
    """One bad row among several, listed when rows are skipped or when a file is refused."""

    __slots__ = ("row", "column", "value", "message")

    def __init__(self, row: int, column: str, value: str, message: str) -> None:
        self.row, self.column, self.value, self.message = row, column, value, message

    def __str__(self) -> str:
        return f"Rad {self.row}, kolumn {self.column}: {self.message} ({self.value!r})"

    def __repr__(self) -> str:
        return f"InputProblem({self.row!r}, {self.column!r}, {self.value!r}, {self.message!r})"
