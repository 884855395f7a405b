"""Helpers for the trace and diagram tests: run programs traced, read their traces."""

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest


def traced(trace, script, *args):
    """Arguments for ``python`` running ``script`` under ``rnet run --trace-file trace``."""
    return ["-m", "rnet", "run", "--trace-file", str(trace), str(script), *map(str, args)]


def records(path):
    """Every JSON object of a trace file, checking each line is whole and of version 1."""
    raw = Path(path).read_bytes()
    assert raw.endswith(b"\n"), f"{path} ends mid-line"
    out = [json.loads(line) for line in raw.splitlines()]
    assert all(r["v"] == 1 for r in out)
    assert out[0]["kind"] == "trace"
    return out


def events(path):
    """The events (not the header) of a trace file, in the order written."""
    return [r for r in records(path) if r["kind"] == "event"]


def calls(evs, sid=None):
    """The call names of ``evs`` (of one socket if ``sid`` is given)."""
    return [e["call"] for e in evs if sid is None or e.get("sid") == sid]


def by_sid(evs):
    """Events grouped by socket: {sid: [events]}."""
    out = {}
    for e in evs:
        if e.get("sid") is not None:
            out.setdefault(e["sid"], []).append(e)
    return out


def chromium():
    """The headless browser's path; skip (or fail under CI) when it is missing."""
    import os

    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("RNET_REQUIRE_CHROMIUM"):
        pytest.fail("chromium is required (RNET_REQUIRE_CHROMIUM is set) but not installed")
    pytest.skip("chromium is not installed (apt-get install chromium)")


def screenshot(url, width, height, out, attempts=3):
    """A PNG of ``url`` as headless Chromium renders it at ``width`` x ``height``.

    A browser that crashes on a loaded machine is started again (at most
    ``attempts`` times in all); the last failure's output is in the error.
    """
    browser = chromium()
    Path(out).unlink(missing_ok=True)
    errors = ""
    for _ in range(attempts):
        with tempfile.TemporaryDirectory() as profile:
            done = subprocess.run(
                [
                    browser,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--hide-scrollbars",
                    "--no-first-run",
                    "--disable-extensions",
                    f"--user-data-dir={profile}",
                    f"--window-size={width},{height}",
                    f"--screenshot={out}",
                    url,
                ],
                capture_output=True,
                text=True,
                timeout=90,
                stdin=subprocess.DEVNULL,
            )
        if done.returncode == 0 and Path(out).exists():
            return out
        errors = f"exit {done.returncode}: {done.stderr[-2000:]}"
    raise AssertionError(f"chromium made no screenshot of {url}: {errors}")


def python():
    return sys.executable
