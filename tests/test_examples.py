"""The lecture's programs in examples/, each run as a subprocess on rnet.

Servers bind 127.0.0.1 on a free port (RNET_HOST/RNET_PORT); clients keep the
lecture's 'localhost'. Output is compared with the lecture's text line by line.
"""

import ast
import contextlib
import re
import signal
import socket

import pytest

from helpers import EXAMPLES, Process, free_port, run_python, wait_for_port

ACCEPTED = re.compile(r"server accepted connection request from  \('127\.0\.0\.1', (\d+)\)")
ECHOES = re.compile(r"(.+) echoes (b'.*') to \('127\.0\.0\.1', \d+\)")
CRLF = b"\r\n"


def server_env(port, **extra):
    """Environment for an example server: loopback only, on ``port``."""
    return {"RNET_HOST": "127.0.0.1", "RNET_PORT": port, **extra}


def serve_one(server, port, client_args, *, typed=None, client_env=None, **server_extra):
    """Run example ``server`` on ``port`` and, once it waits for a connection,
    the client ``client_args`` (typing ``typed``; finding the port in RNET_PORT
    unless ``client_env`` says otherwise); return the client's CompletedProcess
    and the server's ``(rc, out, err)``."""
    if client_env is None:
        client_env = {"RNET_PORT": port}
    with Process([EXAMPLES / server], env=server_env(port, **server_extra)) as proc:
        proc.wait_for_line("server waits for connection")
        client = run_python(client_args, input=typed, env=client_env)
        return client, proc.finish()


def assert_accepted_line(line, server_port):
    """``line`` is the lecture's accept line, naming a client port other than the server's."""
    match = ACCEPTED.fullmatch(line)
    assert match, line
    assert 0 < int(match[1]) < 65536 and int(match[1]) != server_port


# ---------------------------------------------------------------------------
# tcp_server.py / tcp_client.py


@pytest.mark.parametrize("message", ["hello there!", "a longer message, still under 80 bytes"])
def test_tcp_server_and_client(message):
    port = free_port()
    client, (rc, out, err) = serve_one(
        "tcp_server.py",
        port,
        [EXAMPLES / "tcp_client.py"],
        typed=message + "\n",
    )

    assert client.returncode == 0, client.stderr
    assert client.stdout == f"Give message : client received  {message.encode()!r}\n"
    assert client.stderr == ""
    assert rc == 0, err
    assert err == ""
    lines = out.splitlines()
    assert len(lines) == 4, out
    assert lines[0] == "server waits for connection"
    assert_accepted_line(lines[1], port)
    assert lines[2] == "server waits for data"
    assert lines[3] == f"server received  {message.encode()!r}"


def test_tcp_server_prints_the_lecture_text():
    # The exact lecture transcript for the lecture's message, spaces included.
    port = free_port()
    _, (rc, out, _) = serve_one(
        "tcp_server.py",
        port,
        [EXAMPLES / "tcp_client.py"],
        typed="hello there!\n",
    )
    assert rc == 0
    client_port = ACCEPTED.search(out)[1]
    assert out == (
        "server waits for connection\n"
        f"server accepted connection request from  ('127.0.0.1', {client_port})\n"
        "server waits for data\n"
        "server received  b'hello there!'\n"
    )


def test_tcp_client_without_server_fails():
    port = free_port()
    client = run_python([EXAMPLES / "tcp_client.py"], input="hello\n", env={"RNET_PORT": port})
    assert client.returncode == 1
    assert "ConnectionRefusedError" in client.stderr


# ---------------------------------------------------------------------------
# line_server.py / line_client.py


@pytest.mark.parametrize(
    ("student", "expected_id", "expected_name"),
    [
        ({}, b"123456789", b"Ada Lovelace"),
        (
            {"RNET_STUDENT_ID": "20240042", "RNET_STUDENT_NAME": "Grace Hopper"},
            b"20240042",
            b"Grace Hopper",
        ),
    ],
)
def test_line_protocol(student, expected_id, expected_name):
    port = free_port()
    requests = ["id", "name", "ID", "hello", "id"]
    answers = [expected_id, expected_name, b"ERROR", b"ERROR", expected_id]
    client, (rc, out, err) = serve_one(
        "line_server.py",
        port,
        [EXAMPLES / "line_client.py", "localhost", port, *requests],
        client_env={},  # the port only on the command line
        **student,
    )

    assert client.returncode == 0, client.stderr
    assert client.stdout.splitlines() == [
        f"client sent  {request}  and received  {answer + CRLF!r}"
        for request, answer in zip(requests, answers, strict=True)
    ]
    assert rc == 0, err
    lines = out.splitlines()
    assert lines[0] == "server waits for connection"
    assert_accepted_line(lines[1], port)
    assert lines[2:-1] == [
        f"server received  {request.encode()!r}  and sends  {answer + CRLF!r}"
        for request, answer in zip(requests, answers, strict=True)
    ]
    assert lines[-1] == "server closes the connection"


def test_line_client_default_requests():
    port = free_port()
    client, (rc, _, err) = serve_one("line_server.py", port, [EXAMPLES / "line_client.py"])
    assert rc == 0, err
    assert client.stdout.splitlines() == [
        "client sent  id  and received  b'123456789\\r\\n'",
        "client sent  name  and received  b'Ada Lovelace\\r\\n'",
    ]


def recv_until(sock, count, terminator=b"\r\n", limit=100):
    """Bytes from ``sock`` until ``terminator`` came ``count`` times (at most ``limit`` recvs)."""
    data = b""
    for _ in range(limit):
        if data.count(terminator) >= count:
            return data
        chunk = sock.recv(1024)
        if not chunk:
            break
        data += chunk
    raise AssertionError(f"only {data!r} before the server stopped")


def test_line_server_reassembles_split_and_joined_requests():
    # Requests split over two sends, and two in one send, are still answered line by line.
    port = free_port()
    with Process([EXAMPLES / "line_server.py"], env=server_env(port)) as server:
        server.wait_for_line("server waits for connection")
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(b"i")
            server.wait_for_line("server accepted")
            sock.sendall(b"d\r\nna")
            assert recv_until(sock, 1) == b"123456789\r\n"
            sock.sendall(b"me\r\nbogus\r\nid\r\n")
            assert recv_until(sock, 3) == b"Ada Lovelace\r\nERROR\r\n123456789\r\n"
        rc, _, err = server.finish()
    assert rc == 0, err


# ---------------------------------------------------------------------------
# password_server.py / password_client.py


@pytest.mark.parametrize(
    ("typed", "verdict"),
    [
        ("open sesame", "access granted"),
        ("open sesam", "access denied"),
        ("open sesame!", "access denied"),
        ("swordfish", "access denied"),
    ],
)
def test_password_dialogue(typed, verdict):
    port = free_port()
    client, (rc, out, err) = serve_one(
        "password_server.py",
        port,
        [EXAMPLES / "password_client.py"],
        typed=typed + "\n",
    )

    assert client.returncode == 0, client.stderr
    assert client.stdout == f"Give password : {verdict}\n"
    assert rc == 0, err
    lines = out.splitlines()
    assert lines[0] == "server waits for connection"
    assert_accepted_line(lines[1], port)
    assert lines[2:] == ["server waits for password", f"server answers  {verdict}"]


def test_password_is_configurable():
    port = free_port()
    client, (rc, _, err) = serve_one(
        "password_server.py",
        port,
        [EXAMPLES / "password_client.py"],
        typed="swordfish\n",
        RNET_PASSWORD="swordfish",
    )
    assert rc == 0, err
    assert client.stdout == "Give password : access granted\n"


# ---------------------------------------------------------------------------
# threaded_server.py / threaded_client.py

N_CLIENTS = 20


def test_threaded_server_twenty_concurrent_clients():
    port = free_port()
    env = server_env(port, RNET_MAX_CONNECTIONS=N_CLIENTS)
    messages = [f"message {i} from client {i}" for i in range(N_CLIENTS)]
    with Process([EXAMPLES / "threaded_server.py"], env=env) as server:
        server.wait_for_line("server waits for connections")
        with contextlib.ExitStack() as stack:
            # All clients are started before any is waited for.
            clients = [
                stack.enter_context(
                    Process([EXAMPLES / "threaded_client.py", "localhost", port, message])
                )
                for message in messages
            ]
            results = [client.finish() for client in clients]
        rc, out, err = server.finish()

    for message, (client_rc, client_out, client_err) in zip(messages, results, strict=True):
        assert client_rc == 0, client_err
        assert client_out == f"client received  {message.encode()!r}\n"
    assert rc == 0, err
    lines = out.splitlines()
    accepted = [line for line in lines if line.startswith("server accepted")]
    assert len(accepted) == N_CLIENTS
    for line in accepted:
        assert_accepted_line(line, port)
    # Each message was echoed, whole, by a thread of its own.
    echoed = {}
    for line in lines:
        if match := ECHOES.fullmatch(line):
            echoed[match[1]] = echoed.get(match[1], b"") + ast.literal_eval(match[2])
    assert sorted(echoed.values()) == sorted(m.encode() for m in messages)
    assert lines[-1] == f"server stops after {N_CLIENTS} connections"


def test_threaded_server_serves_clients_at_the_same_time():
    # Twenty connections are opened in order, then answered in reverse order:
    # the last client must get its echo while the first is still connected and
    # silent, which a server serving one client at a time cannot do.
    port = free_port()
    env = server_env(port, RNET_MAX_CONNECTIONS=N_CLIENTS)
    with Process([EXAMPLES / "threaded_server.py"], env=env) as server:
        server.wait_for_line("server waits for connections")
        with contextlib.ExitStack() as stack:
            socks = [
                stack.enter_context(socket.create_connection(("127.0.0.1", port), timeout=10))
                for _ in range(N_CLIENTS)
            ]
            for i in reversed(range(N_CLIENTS)):
                message = f"client {i} speaks".encode()
                socks[i].sendall(message)
                assert recv_until(socks[i], 1, terminator=b"speaks") == message
            for sock in socks:
                sock.shutdown(socket.SHUT_WR)
                assert sock.recv(80) == b""
        rc, out, err = server.finish()
    assert rc == 0, err
    assert out.splitlines()[-1] == f"server stops after {N_CLIENTS} connections"


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_threaded_server_stops_on_signal(signum):
    port = free_port()
    with Process([EXAMPLES / "threaded_server.py"], env=server_env(port)) as server:
        server.wait_for_line("server waits for connections")
        # One client stays connected and silent: its thread is blocked in recv().
        with socket.create_connection(("127.0.0.1", port), timeout=10) as idle:
            idle.sendall(b"still here")
            assert recv_until(idle, 1, terminator=b"here") == b"still here"
            server.send_signal(signum)
            rc, out, err = server.finish(timeout=5)
    assert rc == 0, err
    assert err == ""
    assert "server interrupted" in out.splitlines()
    assert out.splitlines()[-1] == "server stops after 1 connections"


# ---------------------------------------------------------------------------
# http_client.py

ROMEO = (
    "But soft what light through yonder window breaks\n"
    "It is the east and Juliet is the sun\n"
    "Arise fair sun and kill the envious moon\n"
    "Who is already sick and pale with grief\n"
)


@pytest.fixture
def http_server(tmp_path):
    """``python -m http.server`` on 127.0.0.1 serving tmp_path; yields its port."""
    port = free_port()
    args = ["-m", "http.server", "--bind", "127.0.0.1", "--directory", tmp_path, port]
    with Process(args) as server:
        wait_for_port(port, process=server)
        yield port


def test_http_client_gets_romeo(tmp_path, http_server):
    # Longer than one 512-byte recv(), so the loop must run until b''.
    body = (ROMEO * 8).encode()
    (tmp_path / "romeo.txt").write_bytes(body)
    client = run_python(
        [EXAMPLES / "http_client.py", "127.0.0.1", http_server, "/romeo.txt"], text=False
    )
    assert client.returncode == 0, client.stderr
    head, sep, received = client.stdout.partition(b"\r\n\r\n")
    assert sep
    assert head.startswith(b"HTTP/1.0 200 OK\r\n")
    assert f"Content-Length: {len(body)}".encode() in head.split(b"\r\n")
    assert received == body


def test_http_client_reports_missing_page(tmp_path, http_server):
    client = run_python([EXAMPLES / "http_client.py", "127.0.0.1", http_server, "/juliet.txt"])
    assert client.returncode == 0, client.stderr
    assert client.stdout.startswith("HTTP/1.0 404 ")


@pytest.mark.parametrize(
    ("server", "client", "typed", "expected"),
    [
        ("tcp_server.py", "tcp_client.py", "hi\n", "client received  b'hi'"),
        ("line_server.py", "line_client.py", None, "and received  b'123456789\\r\\n'"),
        ("password_server.py", "password_client.py", "open sesame\n", "access granted"),
    ],
)
def test_host_and_port_from_the_command_line(server, client, typed, expected):
    # The README: host and port come from the command line (over the environment).
    port = free_port()
    decoy = {"RNET_HOST": "192.0.2.1", "RNET_PORT": "1"}  # would fail if read
    with Process([EXAMPLES / server, "127.0.0.1", port], env=decoy) as proc:
        proc.wait_for_line("server waits for connection")
        result = run_python([EXAMPLES / client, "127.0.0.1", port], input=typed, env=decoy)
        rc, out, err = proc.finish()
    assert result.returncode == 0, result.stderr
    assert rc == 0, err
    assert expected in result.stdout
