"""Lookups give the stdlib's answers wherever they run.

rnet runs a lookup on the caller's thread when no helper thread buys anything
(a worker thread, which never runs Python's signal handlers; an answer from
local files) and on a helper otherwise; these tests check that the answers
do not depend on that choice: from the main thread, from worker threads, in a
process confined to one CPU (where a spinning hand-over once cost 400 µs a
lookup), and in children of fork() made from the main thread and from a
worker thread. The cases are in lookup_cases.py; no timing is asserted.
"""

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import lookup_cases
import pytest
from lookup_cases import CASES, compare, on_thread

PROGRAM = Path(__file__).resolve().parent / "lookup_cases.py"
LIMIT = 120  # seconds: the bound on each program below


def check(expected, got):
    assert all(g == expected for g in got), f"stdlib: {expected!r}\nrnet:   {got!r}"


@pytest.mark.parametrize("name", CASES)
def test_main_thread(name):
    check(*compare(name, rounds=3))


@pytest.mark.parametrize("name", CASES)
def test_worker_thread(name):
    check(*on_thread(lambda: compare(name, rounds=3)))


def test_many_worker_threads_at_once():
    """4 threads walk every case at once, each from its own offset."""
    names = list(CASES)
    expected = {n: compare(n)[0] for n in names}
    start = threading.Barrier(4, timeout=30)
    wrong = []

    def walk(offset):
        start.wait()
        for i in range(len(names) * 3):
            name = names[(offset + i) % len(names)]
            _, got = compare(name)
            if got[0] != expected[name]:
                wrong.append((name, got[0], expected[name]))

    pool = [threading.Thread(target=walk, args=(i * 5,)) for i in range(4)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(timeout=LIMIT)
    assert not any(t.is_alive() for t in pool)
    assert wrong == []


def run_cases(*argv, pin=False):
    """lookup_cases.py's JSON lines, the program run (pinned to one CPU when
    `pin`) to completion within LIMIT seconds."""
    cmd = [sys.executable, str(PROGRAM), *argv]
    if pin:
        cpu = str(min(os.sched_getaffinity(0)))
        if shutil.which("taskset"):
            cmd = ["taskset", "-c", cpu, *cmd]
        else:
            code = (
                f"import os, sys; os.sched_setaffinity(0, {{{cpu}}}); os.execv({cmd[0]!r}, {cmd!r})"
            )
            cmd = [sys.executable, "-c", code]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=LIMIT)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[-1] == "done", done.stdout[-2000:]
    return [json.loads(line) for line in lines[:-1]]


def results_by_thread(lines):
    out = {}
    for line in lines:
        if "case" in line:
            out.setdefault(line["where"], []).append(line)
    return out


def assert_all_same(results):
    for where in ("main", "worker"):
        got = results.get(where, [])
        assert {r["case"] for r in got} == set(CASES), where
        wrong = [r for r in got if not r["same"]]
        assert wrong == [], wrong


def test_process_on_one_cpu():
    """Under taskset -c N every lookup finishes and gives the stdlib's answer,
    from the main thread and from a worker, 20 calls each."""
    lines = run_cases("20", pin=True)
    assert lines[0] == {"cpus": 1}
    assert_all_same(results_by_thread(lines))


def test_fork_children_resolve():
    """Children forked from a worker thread and from the main thread look up
    from their main thread and from a worker thread of their own."""
    lines = run_cases("2", "fork")
    statuses = [line["child_status"] for line in lines if "child_status" in line]
    assert statuses == [0, 0]
    # Two children, each reporting both thread kinds.
    cases = [line for line in lines if "case" in line]
    assert len(cases) == 2 * 2 * len(CASES)
    wrong = [r for r in cases if not r["same"]]
    assert wrong == []


def test_fork_children_on_one_cpu():
    lines = run_cases("2", "fork", pin=True)
    assert lines[0] == {"cpus": 1}
    assert [line["child_status"] for line in lines if "child_status" in line] == [0, 0]
    assert [r for r in lines if "case" in r and not r["same"]] == []


def test_cases_use_only_local_names():
    """The names looked up are ones /etc/hosts answers (a guard for this file)."""
    from helpers import hosts_file_names

    assert {"localhost", lookup_cases.LOCAL_NAME} <= hosts_file_names()
