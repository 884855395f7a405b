"""Differential testing: run one body on the stdlib `socket` and on `rnet`.

`outcome()` reduces a call to what a program can observe: the value, or the
exception's class, args, errno and message. `same()` asserts both modules give
the same observation.
"""

import socket

import rnet


def outcome(fn):
    """('ok', value) or ('raise', class name, errno, str(exc), notes-free args)."""
    try:
        return ("ok", fn())
    except Exception as exc:  # the observation is the point
        return ("raise", type(exc).__name__, getattr(exc, "errno", None), str(exc), exc.args)


def same(body):
    """Run `body(module)` on socket and rnet; assert equal outcomes; return it."""
    expected = outcome(lambda: body(socket))
    actual = outcome(lambda: body(rnet))
    assert actual == expected, f"stdlib: {expected!r}\nrnet:   {actual!r}"
    return actual
