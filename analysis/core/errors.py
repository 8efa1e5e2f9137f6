"""The one exception type for bad input.

Every loader raises :class:`InputError` with the file (relative to the repository root), and where
known the sheet, row and column, what was expected and what was found. The command line turns it
into a one-paragraph message and exit code 2, never a traceback from deep inside pandas.
"""

from __future__ import annotations

from pathlib import Path

from analysis.core.paths import rel


class InputError(ValueError):
    """Bad input: names where it is and what was expected."""

    def __init__(
        self,
        file: Path | str | None,
        problem: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        expected: str | None = None,
        found: object = None,
    ):

        self.file = rel(file) if file is not None else None
        self.sheet, self.row, self.column = sheet, row, column
        self.problem, self.expected, self.found = problem, expected, found
        where = []
        if self.file:
            where.append(self.file)
        if sheet is not None:
            where.append(f"sheet {sheet!r}")
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        msg = (", ".join(where) + ": " if where else "") + problem
        if expected is not None:
            msg += f"; expected {expected}"
        if found is not None:
            msg += f"; found {found!r}"
        super().__init__(msg)
