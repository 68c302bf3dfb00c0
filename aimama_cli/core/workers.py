"""Worker processes that end with the command that started them, silently.

A command killed (kill -9, a closed terminal) while its forked workers run would leave them
orphaned: they would finish their part for no one and print a traceback into the terminal when
the answer could not be sent.  Ctrl-C reaches every process of the terminal's group: each worker
would print its own KeyboardInterrupt traceback beside the command's one-line "interrupted".
"""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import os
import queue
import signal
import sys
import threading
from multiprocessing import connection

from aimama_cli.core.errors import UsageError

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


class WorkerLost(UsageError):
    """A worker process ended without an answer: stopped from outside (kill, out of memory)."""

    def __init__(self, i: int, code: int | None):
        # code None: the worker ran to its end but could not send its answer (not picklable)
        super().__init__("worker.lost" if code is not None else "worker.unsent", worker=i, code=code)


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def can_fork() -> bool:
    """Whether workers can be forked here (they inherit what they read, rather than being sent it)."""
    return "fork" in multiprocessing.get_all_start_methods()


def in_processes(work, count: int, meanwhile=None) -> list:
    """``[work(0), ..., work(count - 1)]``, each worked out in a process forked for it (``work``
    and what it reads are inherited, not sent); an exception a worker raises is raised here.
    ``meanwhile()``, if given, is called here once the workers have started."""
    with _Forked(lambda i, send: send(work(i)), count) as forked:
        if meanwhile:
            meanwhile()
        waiting = {reader: i for i, reader in enumerate(forked.readers)}
        answers = {}
        while waiting:
            for reader in connection.wait(list(waiting)):
                i = waiting.pop(reader)
                answers[i] = forked.receive(i)
        return [answers[i] for i in range(count)]


def streamed(function, jobs: list, count: int, chunk: int = 256):
    """``function(job)`` for each of ``jobs``, in order, worked out by ``count`` forked
    processes: the jobs in chunks, chunk k by process k % count, each chunk's answers sent back
    as one message and yielded here as they come."""
    chunks = [jobs[k:k + chunk] for k in range(0, len(jobs), chunk)]

    def work(i, send):
        with _SentBehind(send) as post:
            for k in range(i, len(chunks), count):
                post([function(job) for job in chunks[k]])

    with _Forked(work, count) as forked:
        for k in range(len(chunks)):
            yield from forked.receive(k % count)


class _SentBehind:
    """Answers sent by a thread of the worker, so that it goes on to its next chunk while the
    command takes in the last.  Sent directly, a chunk's answer (more than the pipe's 64 KiB)
    held the worker until the command had read all of it, and the command reads the workers in
    turn: each waited for the other's chunk too (the workers of a cold province check were busy
    71 % of the time).  At most ``ahead`` answers wait; one that cannot be sent ends the worker."""

    _END = object()

    def __init__(self, send, ahead: int = 2):
        self.send, self.box, self.failed = send, queue.Queue(maxsize=ahead), []
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self.post

    def post(self, answer) -> None:
        while not self.failed:
            try:
                self.box.put(answer, timeout=0.5)
                return
            except queue.Full:
                continue
        raise self.failed[0]

    def _run(self) -> None:
        while (answer := self.box.get()) is not self._END:
            try:
                self.send(answer)
            except BaseException as exc:  # (the command has gone: the worker ends with it)
                self.failed.append(exc)
                return

    def __exit__(self, kind, *_exc) -> None:
        # what was posted goes first, also before an error: the two must not share the pipe at once
        with contextlib.suppress(Exception):
            self.post(self._END)
            self.thread.join()
        if self.failed and kind is None:
            raise self.failed[0]


class _Forked:
    """``count`` processes forked to run ``target(i, send)``, each with a pipe of its own back
    here, killed and reaped on leaving however it is left (an answer, an error, Ctrl-C, a
    consumer that stopped early).  Not a multiprocessing pool: a pool's workers share a queue
    lock, which a worker stopped by Ctrl-C (or one the pool started again meanwhile) could leave
    held, and the interrupted command then waited for it for ever."""

    def __init__(self, target, count: int):
        self.target, self.count = target, count
        self.processes: list = []
        self.readers: list = []

    def __enter__(self) -> "_Forked":
        context = multiprocessing.get_context("fork")
        try:
            for i in range(self.count):
                reader, writer = context.Pipe(duplex=False)
                self.readers.append(reader)
                process = context.Process(target=_serve, args=(os.getpid(), self.target, i, writer), daemon=True)
                process.start()
                self.processes.append(process)
                writer.close()  # the worker's end: the reader sees EOF once the worker has gone
        except BaseException:
            self.__exit__()
            raise
        return self

    def receive(self, i: int):
        """Worker ``i``'s next answer (the exception it raised is raised here)."""
        try:
            done, answer = self.readers[i].recv()
        except (EOFError, OSError):  # OSError: it died in the middle of an answer (its sending thread)
            self.processes[i].join()
            raise WorkerLost(i, self.processes[i].exitcode) from None
        if not done:
            raise answer
        return answer

    def __exit__(self, *_exc) -> None:
        for process in self.processes:
            if process.is_alive():
                process.kill()
        for process in self.processes:
            process.join()
        for reader in self.readers:
            reader.close()


def _serve(parent: int, target, i: int, writer) -> None:
    _follow(parent)
    try:
        target(i, lambda answer: writer.send((True, answer)))
    except Exception as exc:  # (SystemExit, Ctrl-C's in a worker, ends it quietly)
        try:
            writer.send((False, exc))
        except Exception:  # an exception that cannot be pickled
            writer.send((False, WorkerLost(i, None)))
