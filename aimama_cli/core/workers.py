"""Worker processes that end with the command that started them, silently.

A command killed (kill -9, a closed terminal) while its forked workers run would leave them
orphaned: they would finish their part for no one and print a traceback into the terminal when
the answer could not be sent.  Ctrl-C reaches every process of the terminal's group: each worker
would print its own KeyboardInterrupt traceback beside the command's one-line "interrupted".
"""

from __future__ import annotations

import functools
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1  # linux/prctl.h: the signal a process gets when its parent dies


def follower():
    """A pool's ``initializer``: each worker ends, silently, when this process does."""
    return functools.partial(_follow, os.getpid())


def _follow(parent: int) -> None:
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:  # (a command run in the background ignores it)
        signal.signal(signal.SIGINT, _leave)
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):  # no prctl to be found: the parent's pid is still checked
            pass
    if os.getppid() != parent:  # the command died before the worker could ask to follow it
        os._exit(0)


def _leave(_signum, _frame) -> None:
    """Ctrl-C in a worker: the command answers it; the worker goes without a word.  SystemExit,
    not os._exit: unwinding lets go of the pool's queue lock, which the command needs to end the
    pool (a worker waiting for work holds it)."""
    raise SystemExit(128 + signal.SIGINT)
