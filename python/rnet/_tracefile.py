"""Reading rnet trace files (JSON Lines, see ``_trace``), with one-line errors.

A file that is missing, empty, cut off in the middle of a line, not JSON, not
an rnet trace or of another format version raises ``TraceFileError`` whose
message names the file and the line, e.g.
``server.jsonl line 17: the line is cut off (the program was killed while writing it?)``.
"""

import json
import os

from ._trace import VERSION

__all__ = ["TraceFileError", "read_traces"]

_EVENT_KEYS = ("pid", "t", "call")


class TraceFileError(Exception):
    """A trace file that cannot be read; the message is one line naming file and line."""


def read_traces(paths):
    """Every record of the trace files ``paths``, in file order.

    Each record is the JSON object as written, plus ``_file`` (the path as
    given) and ``_line`` (its line number).
    """
    records = []
    seen = set()
    for path in paths:
        path = os.fspath(path)
        real = os.path.realpath(path)
        if real not in seen:  # the same file named twice is one trace
            seen.add(real)
            records.extend(_read(path))
    return records


def _read(path):
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        raise TraceFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise TraceFileError(f"{path}: is a directory, not a trace file") from None
    except OSError as exc:
        raise TraceFileError(f"{path}: cannot read: {exc.strerror}") from None
    if not raw.strip():
        raise TraceFileError(f"{path}: empty: no trace records (did the program use rnet?)")
    lines = raw.split(b"\n")
    last = len(lines) if lines[-1] else len(lines) - 1
    out = []
    for number, line in enumerate(lines[:last], start=1):
        if not line.strip():
            continue
        where = f"{path} line {number}"
        try:
            rec = json.loads(line)
        except (ValueError, UnicodeDecodeError) as exc:
            if number == last and not raw.endswith(b"\n"):
                raise TraceFileError(
                    f"{where}: the line is cut off (the program was killed while writing it?)"
                ) from None
            raise TraceFileError(f"{where}: not JSON ({exc})") from None
        if not isinstance(rec, dict) or "v" not in rec or "kind" not in rec:
            raise TraceFileError(f"{where}: not an rnet trace record")
        if rec["v"] != VERSION:
            raise TraceFileError(
                f"{where}: trace format version {rec['v']!r}; this rnet reads version {VERSION}"
            )
        if rec["kind"] == "event":
            missing = [k for k in _EVENT_KEYS if k not in rec]
            if missing:
                raise TraceFileError(f"{where}: the event has no {', '.join(missing)}")
            if not isinstance(rec["t"], (int, float)):
                raise TraceFileError(f"{where}: 't' is not a number")
        elif rec["kind"] != "trace":
            raise TraceFileError(f"{where}: unknown record kind {rec['kind']!r}")
        rec["_file"] = path
        rec["_line"] = number
        out.append(rec)
    return out
