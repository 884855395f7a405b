"""Smoke test of an installed rnet wheel, run by .ci/run in a fresh venv with
no Rust on PATH: the wheel's own core is imported, and a TCP round trip,
a lookup and a constant of the running interpreter work."""

import pathlib
import socket
import sys

import rnet

core = pathlib.Path(rnet._rnet.__file__)
assert core.is_relative_to(sys.prefix), f"core outside the venv: {core}"
assert core.name == "_rnet.abi3.so", core.name
assert rnet.__version__ and rnet.__version__[0].isdigit(), rnet.__version__

with rnet.create_server(("127.0.0.1", 0)) as server:
    port = server.getsockname()[1]
    with rnet.create_connection(("127.0.0.1", port), timeout=5) as client:
        conn, _ = server.accept()
        with conn:
            client.sendall(b"ping")
            assert conn.recv(4) == b"ping"

assert rnet.getaddrinfo("127.0.0.1", 80, type=rnet.SOCK_STREAM)[0][4] == ("127.0.0.1", 80)
assert rnet.AF_INET is socket.AF_INET
# A name of a later CPython is there exactly when the stdlib has it.
assert hasattr(rnet, "TCP_INQ") == hasattr(socket, "TCP_INQ")
print(f"smoke: rnet {rnet.__version__} on Python {sys.version.split()[0]}: ok")
