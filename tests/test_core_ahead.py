"""Jobs computed ahead in a forked child give the same results as computed here, and errors surface here."""

from __future__ import annotations

import os
import threading

import pytest

from casebook.ahead import Ahead, can_fork

pytestmark = pytest.mark.skipif(not can_fork(), reason="needs Linux, one thread and two cores")


def where(value: int) -> tuple[int, int]:
    return value, os.getpid()


def test_forked_jobs_are_computed_by_the_child_and_delivered_in_any_order() -> None:
    jobs = {n: (lambda n=n: where(n)) for n in range(200)}
    ahead = Ahead(jobs, fork=True)
    first = [150, 3, 199]  # out of order; asked again below, when they are computed here
    results = [(n, *ahead.get(n)) for n in [*first, *range(200)]]
    ahead.close()
    assert [asked for asked, _, _ in results] == [value for _, value, _ in results]
    computed_here = [asked for asked, _, pid in results if pid == os.getpid()]
    assert computed_here == [3, 150, 199]
    assert ahead.child_cpu_s > 0


def test_without_fork_jobs_run_here_and_only_when_asked() -> None:
    ran: list[int] = []
    ahead = Ahead({n: (lambda n=n: ran.append(n) or where(n)) for n in range(3)}, fork=False)
    assert ahead.get(2) == (2, os.getpid()) and ran == [2]
    ahead.close()


def test_a_failing_job_fails_here_with_its_own_error_and_earlier_results_still_arrive() -> None:
    def fail() -> tuple[int, int]:
        raise ValueError("Vorlage kaputt")

    ahead = Ahead({1: lambda: where(1), 2: fail, 3: lambda: where(3)}, fork=True)
    assert ahead.get(1)[1] != os.getpid()
    with pytest.raises(ValueError, match="Vorlage kaputt"):
        ahead.get(2)
    assert ahead.get(3) == (3, os.getpid())  # the child stopped at the error; the rest is computed here
    ahead.close()


def test_a_result_that_cannot_be_sent_is_computed_here() -> None:
    ahead = Ahead({"lock": threading.Lock, "value": lambda: where(7)}, fork=True)  # a lock cannot be pickled
    assert isinstance(ahead.get("lock"), type(threading.Lock()))
    assert ahead.get("value") == (7, os.getpid())
    ahead.close()


def test_close_ends_a_child_that_is_still_working_and_leaves_no_process_behind() -> None:
    ahead = Ahead({n: (lambda n=n: where(n)) for n in range(100_000)}, fork=True)
    assert ahead.get(0)[0] == 0
    child = ahead._child
    ahead.close()
    ahead.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)  # already reaped: no zombie left


def test_no_fork_while_another_thread_runs() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not can_fork()  # as in `mkdocs serve`, whose server threads run during rebuilds
    finally:
        stop.set()
        thread.join()
