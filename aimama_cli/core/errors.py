"""Exit codes and the errors that map onto them, in one place."""

from __future__ import annotations

OK = 0
PROBLEMS = 1  # the records have problems, or a change was refused (nothing written)
USAGE = 2  # usage error, unknown id, unreadable input
INTERNAL = 3  # unexpected internal error (one line; details in a log file)
INTERRUPTED = 130


class AimamaError(Exception):
    """An expected failure, shown to the user as one line from the message catalog."""

    exit_code = USAGE

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params

    def __reduce__(self):  # sent from a worker process whole: its parameters, not its key alone
        return _restored, (type(self), self.args, self.__dict__)

    def render(self) -> str:
        from aimama_cli.core.i18n import t
        from aimama_cli.messages import MESSAGES

        # a record kind an error names ("unknown child id") is shown as its label: 儿童
        params = {name: t(f"diff.kind.{value}") if name == "kind" and f"diff.kind.{value}" in MESSAGES
                  else value for name, value in self.params.items()}
        return t(self.key, **params)

    def details(self) -> list[str]:
        """Lines shown before the one-line message (e.g. the problems a change would cause)."""
        return []


def _restored(cls, args: tuple, state: dict) -> AimamaError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class UsageError(AimamaError):
    exit_code = USAGE


class Refused(AimamaError):
    """A change that would break a rule; nothing was written.  ``problems`` are what it would
    have broken (``texts``: the refused content, to show the lines); the command line shows
    them as ``check`` does (an error knows nothing of how it is shown)."""

    exit_code = PROBLEMS

    def __init__(self, key: str, problems=(), root=None, texts=None, **params):
        super().__init__(key, **params)
        self.problems, self.root, self.texts = list(problems), root, texts or {}
