"""The one value every check produces."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from aimama_cli.core.i18n import t
from aimama_cli.core.text import masked_numbers

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """A problem found in one file. ``params`` fill the catalog message of ``code``.

    Problems are cached in the record index, so they hold the message parameters, not the
    rendered text: the language is chosen when they are reported.
    """

    file: str
    line: int
    column: int
    code: str
    severity: str = ERROR
    record: str | None = None
    field: str | None = None
    params: tuple = dataclasses.field(default=(), compare=False)

    @property
    def message(self) -> str:
        return t(self.code, **self.shown_params())

    @property
    def hint(self) -> str | None:
        return self.texts()[1]

    def texts(self) -> tuple[str, str | None]:
        """The message and the hint (None if the code has none), its parameters shown once."""
        params, key = self.shown_params(), f"{self.code}.hint"
        hint = t(key, **params)
        return t(self.code, **params), None if hint.startswith(key) else hint

    def shown_params(self) -> dict:
        """The parameters as a message quotes them: an ID number or a mobile number in a quoted
        value is masked, as the excerpt under the message is (a commit id is not a number)."""
        return {name: masked_numbers(value) if isinstance(value, str) and name != "commit" else value
                for name, value in self.params}

    def as_dict(self) -> dict:
        message, hint = self.texts()
        return {
            "code": self.code,
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "record": self.record,
            "field": self.field,
            "message": message,
            "hint": hint,
        }

    def to_tuple(self) -> tuple:
        return (self.file, self.line, self.column, self.code, self.severity, self.record,
                self.field, self.params)

    @classmethod
    def from_tuple(cls, row) -> "Problem":
        return cls(*row[:7], params=tuple(tuple(p) for p in row[7]))


def make(code: str, file: str, line: int = 1, column: int = 1, /, *, severity: str = ERROR,
         record: str | None = None, field: str | None = None, **params) -> Problem:
    return Problem(file, line, column, code, severity, record, field,
                   tuple(sorted((k, _plain(v)) for k, v in params.items())))


def _plain(value):
    """Parameters must survive marshal (the index cache): keep only plain values."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def field_name(path: tuple) -> str | None:
    """A problem's field, as Problem.field names it: ('entries', 3, 'child') -> 'entries[3].child'."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text or None


def field_path(name: str | None) -> tuple:
    """The inverse of :func:`field_name`."""
    if not name:
        return ()
    steps: list = []
    for part in name.replace("[", ".[").split("."):
        if part.startswith("["):
            steps.append(int(part[1:-1]))
        elif part:
            steps.append(part)
    return tuple(steps)
