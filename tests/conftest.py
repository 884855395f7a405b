"""Shared fixtures: the two implementations every differential test runs on."""

import socket

import pytest

import rnet

IMPLS = {"stdlib": socket, "rnet": rnet}


@pytest.fixture(params=list(IMPLS), ids=list(IMPLS))
def mod(request):
    """The module under test: the stdlib `socket`, then `rnet`."""
    return IMPLS[request.param]
