"""Daemon threads inside rnet calls when the interpreter exits.

CPython ends a daemon thread that retakes the GIL during finalization with
pthread_exit(), a forced unwind through rnet's frames (cpython#87135). It must
pass through them: a wheel whose unwinder differs from glibc's (zig's bundled
libunwind, see build.rs) crashed here with SIGSEGV.
"""

from helpers import run_python

PROGRAM = """
import threading
import time

import rnet

a, b = rnet.socketpair()
b.settimeout(0.001)


def spin():
    while True:  # until the interpreter ends this daemon thread
        try:
            b.recv(1)
        except TimeoutError:
            pass


for _ in range(4):
    threading.Thread(target=spin, daemon=True).start()
time.sleep(0.1)
print("main thread done")
"""


def test_exit_with_daemon_threads_in_rnet_calls(tmp_path):
    script = tmp_path / "daemons.py"
    script.write_text(PROGRAM)
    for _ in range(5):  # the crash hit four runs in five
        result = run_python([script])
        assert result.returncode == 0, (result.returncode, result.stderr)
        assert result.stdout == "main thread done\n"
