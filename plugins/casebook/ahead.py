"""Work computed ahead in a forked process while the build goes on in this one.

`mkdocs build` spends most of its time converting Markdown, on one core. The
pages of the knowledge base do not depend on that work, so a child forked
once every file is known renders them in the order MkDocs will ask for them
and sends each result back through a pipe; reading one costs a small part of
rendering it.

The child is only a shortcut: whatever it did not deliver (it failed, or was
never given that key) is computed here when asked for, exactly as without a
child. An error therefore surfaces in this process, with its usual message,
and the child never logs, so `--strict` counts every warning.
"""

from __future__ import annotations

import os
import select
import signal
import sys
import threading
import warnings
from collections.abc import Callable, Hashable, Mapping
from multiprocessing.connection import Connection, Pipe
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
# Results taken from the pipe per call beyond the one asked for, if ready: a full pipe
# stops the child until the next call, and the caller asks for one result at a time.
TAKE_READY = 16


def can_fork() -> bool:
    """Forking is safe while this process runs one thread (not so in `mkdocs serve`'s rebuilds) and pays off with a second core.

    Linux only: on macOS, system libraries are not safe to use after fork, which
    is why Python's multiprocessing stopped forking there.
    """
    return (sys.platform == "linux" and threading.active_count() == 1
            and len(os.sched_getaffinity(0)) > 1)


class Ahead(Generic[K, V]):
    """The results of ``jobs``, computed in a forked child in the order given when ``fork`` is true, else on demand."""

    def __init__(self, jobs: Mapping[K, Callable[[], V]], fork: bool) -> None:
        self._jobs = jobs
        self._delivered: dict[K, V] = {}
        self._child: int | None = None
        self._results: Connection | None = None
        self.child_cpu_s = 0.0  # CPU time the child used, known once it has ended
        if fork and jobs:
            reader, writer = Pipe(duplex=False)
            with warnings.catch_warnings():
                # Python 3.13 warns of any second thread; can_fork saw to Python's, and those of
                # C libraries (OpenBLAS under numpy) quiesce themselves around fork.
                warnings.filterwarnings("ignore", r"This process \(pid=\d+\) is multi-threaded", DeprecationWarning)
                self._child = os.fork()
            if self._child == 0:
                reader.close()
                _compute_and_exit(jobs, writer)
            writer.close()
            self._results = reader
            self._ready = select.poll()  # Connection.poll builds a selector per call, costly at thousands of calls
            self._ready.register(reader.fileno(), select.POLLIN)

    def __contains__(self, key: object) -> bool:
        return key in self._jobs

    def get(self, key: K) -> V:
        """The result for ``key``: from the child when it delivered it, else computed here (raising what the job raises)."""
        while key not in self._delivered and self._receive():
            pass
        for _ in range(TAKE_READY):
            if self._results is None or not self._ready.poll(0) or not self._receive():
                break
        if key in self._delivered:
            return self._delivered.pop(key)
        return self._jobs[key]()

    def _receive(self) -> bool:
        """Takes the child's next result; False once the child has ended."""
        if self._results is None:
            return False
        try:
            key, value = self._results.recv()
        except EOFError:  # the child has finished or failed
            self.close()
            return False
        self._delivered[key] = value
        return True

    def close(self) -> None:
        """Ends the child, if still running, and records its CPU time; safe to call more than once."""
        if self._results is not None:
            self._results.close()
            self._results = None
        if self._child:
            os.kill(self._child, signal.SIGTERM)  # harmless once it has exited: it stays a zombie until waited for
            _, _, usage = os.wait4(self._child, 0)
            self.child_cpu_s = usage.ru_utime + usage.ru_stime
            self._child = None


def _compute_and_exit(jobs: Mapping[K, Callable[[], V]], results: Connection) -> None:
    """The child's whole life: compute every job in order, send each result, exit without running this process' cleanup."""
    try:
        for key, job in jobs.items():
            results.send((key, job()))
    except BaseException:  # the parent meets the same error when it computes that job itself
        pass
    finally:
        os._exit(0)
