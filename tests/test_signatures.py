"""Signatures as CPython's: positional-only parameters refuse keywords, and
setsockopt's optional fourth argument follows CPython's three parse forms.
The names are typeshed's (rnet/_rnet.pyi); stubtest checks them in CI."""

import socket

import pytest

import rnet

from diff import same

# Positional-only in CPython: keywords are a TypeError (PyO3's wording, the
# stdlib's class, as README says of arity errors).
KEYWORD_CALLS = {
    "bind": lambda s: s.bind(address=("127.0.0.1", 0)),
    "connect": lambda s: s.connect(address=("127.0.0.1", 9)),
    "connect_ex": lambda s: s.connect_ex(address=("127.0.0.1", 9)),
    "setblocking": lambda s: s.setblocking(flag=True),
    "settimeout": lambda s: s.settimeout(value=1.0),
    "settimeout-timeout": lambda s: s.settimeout(timeout=1.0),
    "shutdown": lambda s: s.shutdown(how=socket.SHUT_RDWR),
    "getsockopt": lambda s: s.getsockopt(socket.SOL_SOCKET, optname=socket.SO_TYPE),
    "setsockopt": lambda s: s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, value=1),
}


@pytest.mark.parametrize("name", list(KEYWORD_CALLS))
def test_positional_only_methods_refuse_keywords(mod, name):
    with mod.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        with pytest.raises(TypeError):
            KEYWORD_CALLS[name](s)


def test_setdefaulttimeout_refuses_keywords(mod):
    with pytest.raises(TypeError):
        mod.setdefaulttimeout(timeout=1.0)
    assert mod.getdefaulttimeout() is None


def test_positional_calls_still_work():
    with rnet.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setblocking(True)
        s.settimeout(2.0)
        s.bind(("127.0.0.1", 0))
        assert s.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE) == socket.SOCK_STREAM
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    rnet.setdefaulttimeout(None)


SETSOCKOPT_TAILS = [
    (1,),
    (1, None),
    (None, 4),
    (None, None),
    (None, -1),
    (None, 1.5),
    (None, 4, 5),
    (b"ab",),
    ("x",),
    (None,),
]


@pytest.mark.parametrize("tail", SETSOCKOPT_TAILS, ids=repr)
def test_setsockopt_forms(tail):
    def body(mod):
        with mod.socket() as s:
            return s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, *tail)

    same(body)
