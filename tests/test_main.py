"""``python -m rnet``: --help, ``demo`` and ``run``, each in a subprocess."""

import re
import socket

import pytest

from helpers import DATA, Process, free_port, run_python

ACCEPTED = re.compile(r"server accepted connection request from  \('127\.0\.0\.1', (\d+)\)")


def transcript(out):
    """The demo's output as ``(label, text)`` pairs, from lines ``label | text``."""
    pairs = []
    for line in out.splitlines():
        label, sep, text = line.partition(" | ")
        assert sep, f"unlabelled line {line!r}"
        pairs.append((label.strip(), text))
    return pairs


def assert_demo_round_trip(out, message):
    """Both sides' lecture lines for ``message`` are in the demo's output, in causal order."""
    lines = transcript(out)
    server = [text for label, text in lines if label == "server"]
    client = [text for label, text in lines if label == "client"]
    assert server[0] == "server waits for connection"
    assert ACCEPTED.fullmatch(server[1]), server
    assert server[2:] == ["server waits for data", f"server received  {message.encode()!r}"]
    assert client[0] == "client is connected"
    assert client[1:] == [
        f"Give message : {message}",
        f"client received  {message.encode()!r}",
    ]
    # The client prints its reply only after the server received the message.
    assert lines.index(("server", server[-1])) < lines.index(("client", client[-1]))
    assert lines[-1] == ("demo", "done: the client got its message back")


def test_help_mentions_both_commands():
    result = run_python(["-m", "rnet", "--help"])
    assert result.returncode == 0, result.stderr
    assert "usage: python -m rnet" in result.stdout
    assert re.search(r"^\s+demo\s+\S", result.stdout, re.M)
    assert re.search(r"^\s+run\s+\S", result.stdout, re.M)


@pytest.mark.parametrize(("command", "words"), [("demo", "--port"), ("run", "SCRIPT")])
def test_subcommand_help(command, words):
    result = run_python(["-m", "rnet", command, "--help"])
    assert result.returncode == 0, result.stderr
    assert f"usage: python -m rnet {command}" in result.stdout
    assert words in result.stdout


def test_no_command_is_a_usage_error():
    result = run_python(["-m", "rnet"])
    assert result.returncode == 2
    assert "usage:" in result.stderr


def test_demo():
    result = run_python(["-m", "rnet", "demo"])
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "rnet._rnet" in transcript(result.stdout)[0][1]
    assert_demo_round_trip(result.stdout, "hello there!")


def test_demo_on_a_given_port_with_a_given_message():
    port = free_port()
    args = [
        "-m",
        "rnet",
        "demo",
        "--host",
        "127.0.0.1",
        "--port",
        port,
        "--message",
        "bonjour à tous",
    ]
    result = run_python(args)
    assert result.returncode == 0, result.stderr
    assert "busy" not in result.stdout
    assert_demo_round_trip(result.stdout, "bonjour à tous")


def test_demo_refuses_a_message_longer_than_the_buffer():
    result = run_python(["-m", "rnet", "demo", "--message", "x" * 81])
    assert result.returncode == 2
    assert "at most 80 bytes" in result.stderr
    assert result.stdout == ""


def test_demo_moves_to_a_free_port_when_busy():
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen(1)
        busy = blocker.getsockname()[1]
        result = run_python(["-m", "rnet", "demo", "--host", "127.0.0.1", "--port", busy])
    assert result.returncode == 0, result.stderr
    notice = [text for label, text in transcript(result.stdout) if "busy" in text]
    assert len(notice) == 1, result.stdout
    match = re.fullmatch(rf"port {busy} is busy; using free port (\d+)", notice[0])
    assert match, notice
    port = int(match[1])
    assert port != busy
    assert_demo_round_trip(result.stdout, "hello there!")


# ---------------------------------------------------------------------------
# run


def test_run_lecture_pair_on_rnet():
    # The unmodified "from socket import *" lecture programs, run through rnet.
    port = free_port()
    env = {"RNET_PORT": port}
    server_args = ["-m", "rnet", "run", DATA / "lecture_server.py"]
    with Process(server_args, env={**env, "RNET_HOST": "127.0.0.1"}) as server:
        server.wait_for_line("server waits for connection")
        client = run_python(
            ["-m", "rnet", "run", DATA / "lecture_client.py"], input="hello there!\n", env=env
        )
        rc, out, err = server.finish()

    assert client.returncode == 0, client.stderr
    assert client.stdout.splitlines() == [
        "Give message : client received  b'hello there!'",
        "socket class from module rnet",
    ]
    assert rc == 0, err
    lines = out.splitlines()
    assert lines[0] == "server waits for connection"
    assert ACCEPTED.fullmatch(lines[1]), lines
    assert lines[2:] == [
        "server waits for data",
        "server received  b'hello there!'",
        "socket class from module rnet",
    ]


def test_lecture_pair_without_rnet_uses_the_stdlib():
    # Control: the same files under plain python report the stdlib, so the
    # check above can tell the two apart.
    port = free_port()
    env = {"RNET_PORT": port}
    with Process([DATA / "lecture_server.py"], env={**env, "RNET_HOST": "127.0.0.1"}) as server:
        server.wait_for_line("server waits for connection")
        client = run_python([DATA / "lecture_client.py"], input="hi\n", env=env)
        rc, out, err = server.finish()
    assert rc == 0, err
    assert out.splitlines()[-1] == "socket class from module socket"
    assert client.stdout.splitlines()[-1] == "socket class from module socket"


def which_socket(out):
    """which_socket.py's report as a dict."""
    return dict(line.split(": ", 1) for line in out.splitlines())


def test_run_gives_rnet_to_the_script_only():
    result = run_python(["-m", "rnet", "run", DATA / "which_socket.py", "one", "--two", "-h"])
    assert result.returncode == 0, result.stderr
    assert which_socket(result.stdout) == {
        "argv": "['one', '--two', '-h']",
        "script socket module": "rnet",
        "script socket class module": "rnet",
        "user module socket module": "rnet",
        "smtplib preloaded": "False",
        "smtplib socket module": "socket",
        "socketserver socket class module": "socket",
        "sys.modules socket": "socket",
    }


def test_which_socket_without_rnet():
    result = run_python([DATA / "which_socket.py"])
    assert result.returncode == 0, result.stderr
    report = which_socket(result.stdout)
    assert report["script socket module"] == "socket"
    assert report["user module socket module"] == "socket"


def test_run_sets_argv0_and_runs_as_main(tmp_path):
    script = tmp_path / "probe.py"
    script.write_text(
        "import sys\n"
        "print(sys.argv[0])\n"
        "print(__name__)\n"
        "print(sys.path[0])\n"
        "if __name__ == '__main__':\n"
        "    sys.exit(int(sys.argv[1]))\n"
    )
    result = run_python(["-m", "rnet", "run", script, "3"], cwd=tmp_path.parent)
    assert result.returncode == 3, result.stderr
    assert result.stdout.splitlines() == [str(script), "__main__", str(tmp_path)]


def test_run_reports_the_scripts_exception(tmp_path):
    script = tmp_path / "broken.py"
    script.write_text("from socket import *\nraise ValueError('broken on purpose')\n")
    result = run_python(["-m", "rnet", "run", script])
    assert result.returncode == 1
    assert str(script) in result.stderr
    assert result.stderr.rstrip().splitlines()[-1] == "ValueError: broken on purpose"


def test_run_missing_script(tmp_path):
    result = run_python(["-m", "rnet", "run", tmp_path / "nowhere.py"])
    assert result.returncode == 2
    assert "no such file" in result.stderr


def test_demo_leaves_its_port_free_for_the_lecture_server():
    # The lecture's tcp_server.py sets no SO_REUSEADDR: right after the demo,
    # a plain bind of the demo's port must work (no TIME_WAIT on the server side).
    port = free_port()
    result = run_python(["-m", "rnet", "demo", "--host", "127.0.0.1", "--port", port])
    assert result.returncode == 0, result.stderr
    assert "busy" not in result.stdout
    with socket.socket() as lecture_server:
        lecture_server.bind(("127.0.0.1", port))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "70000"], "argument --port: invalid port '70000': a port is 0 to 65535"),
        (["--port", "eleven"], "argument --port: invalid port 'eleven': a port is 0 to 65535"),
        (["--host", "192.0.2.1"], "--host '192.0.2.1': [Errno 99] Cannot assign requested address"),
    ],
)
def test_demo_options_fail_in_one_line(args, message):
    result = run_python(["-m", "rnet", "demo", *args])
    assert result.returncode == 2
    assert result.stderr == f"python -m rnet demo: error: {message}\n"


def test_version():
    from importlib.metadata import version

    result = run_python(["-m", "rnet", "--version"])
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"rnet {version('rnet')}\n"


def test_run_usage_shows_args_optional():
    result = run_python(["-m", "rnet", "run", "--help"])
    assert "(SCRIPT | -m MODULE) [ARGS ...]" in result.stdout


def test_run_verbose_banner(tmp_path):
    script = tmp_path / "hello.py"
    script.write_text("print('hello')\n")
    result = run_python(["-m", "rnet", "run", "-v", script])
    assert result.returncode == 0, result.stderr
    assert result.stdout == "hello\n"
    banner = result.stderr.splitlines()
    assert len(banner) == 1 and "on rnet's Rust core" in banner[0] and str(script) in banner[0]


def test_run_module(tmp_path):
    (tmp_path / "mod_probe.py").write_text(
        "import socket, sys\nprint(__name__, socket.__name__, sys.argv[1:])\n"
    )
    result = run_python(["-m", "rnet", "run", "-m", "mod_probe", "a", "-v"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "__main__ rnet ['a', '-v']\n"


def test_run_missing_module(tmp_path):
    result = run_python(["-m", "rnet", "run", "-m", "no_such_module_here"], cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == "python -m rnet run: No module named no_such_module_here\n"


def plain_and_rnet(script, **kwargs):
    """``python SCRIPT`` and ``python -m rnet run SCRIPT``, both completed."""
    return run_python([script], **kwargs), run_python(["-m", "rnet", "run", script], **kwargs)


def test_traceback_starts_in_the_script_as_plain_python(tmp_path):
    (tmp_path / "helper_mod.py").write_text("def fail():\n    raise ValueError('deep')\n")
    script = tmp_path / "tb.py"
    script.write_text("import helper_mod\nhelper_mod.fail()\n")
    plain, ours = plain_and_rnet(script)
    assert ours.returncode == plain.returncode == 1
    assert ours.stderr == plain.stderr
    assert "runpy" not in ours.stderr and "rnet" not in ours.stderr


def test_socket_error_traceback_has_no_rnet_frames(tmp_path):
    script = tmp_path / "refused.py"
    port = free_port()
    script.write_text(f"import socket\ns = socket.socket()\ns.connect(('127.0.0.1', {port}))\n")
    plain, ours = plain_and_rnet(script)
    assert ours.returncode == plain.returncode == 1
    # Exactly the stdlib's traceback, then rnet's note.
    assert ours.stderr.splitlines()[:-1] == plain.stderr.splitlines()
    assert ours.stderr.splitlines()[-1].startswith("rnet: nothing listens at")


def test_syntax_error_shows_the_students_line_first(tmp_path):
    script = tmp_path / "syntax.py"
    script.write_text("x = (1,\ny = 2 +\n")
    plain, ours = plain_and_rnet(script)
    assert ours.returncode == plain.returncode == 1
    assert ours.stderr == plain.stderr
    assert ours.stderr.startswith(f'  File "{script}"')


def test_ctrl_c_ends_as_plain_python(tmp_path):
    script = tmp_path / "wait.py"
    script.write_text(
        "import atexit, socket\n"
        "atexit.register(print, 'atexit ran')\n"
        "s = socket.socket()\n"
        "s.bind(('127.0.0.1', 0))\n"
        "s.listen()\n"
        "print('ready', flush=True)\n"
        "s.accept()\n"
    )
    ends = []
    for args in ([script], ["-m", "rnet", "run", script]):
        with Process(args) as proc:
            proc.wait_for_line("ready")
            proc.send_signal()
            ends.append(proc.finish())
    (plain_rc, plain_out, plain_err), (rc, out, err) = ends
    assert rc == plain_rc == -2  # killed by SIGINT, as the shell sees a Ctrl-C'd python
    assert out == plain_out == "ready\natexit ran\n"
    # The signal may land on line 6 or 7: either way the traceback starts in the script.
    assert err.startswith(f'Traceback (most recent call last):\n  File "{script}", line ')
    assert err.rstrip().endswith("KeyboardInterrupt")
    assert "rnet" not in err and "runpy" not in err


def test_broken_pipe_on_stdout_ends_quietly(tmp_path):
    import subprocess
    import sys

    script = tmp_path / "many.py"
    script.write_text("for i in range(1_000_000):\n    print(i)\n")
    with subprocess.Popen(
        [sys.executable, "-m", "rnet", "run", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        assert proc.stdout.readline() == b"0\n"
        proc.stdout.close()  # what `| head -1` does
        try:
            _, err = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    assert err == b""
    assert proc.returncode == 1


@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
def test_multiprocessing_children_run_on_rnet(tmp_path, method):
    script = tmp_path / "children.py"
    script.write_text(
        "import multiprocessing, socket\n"
        "def child(queue):\n"
        "    queue.put((socket.__name__, type(socket.socket()).__module__))\n"
        "if __name__ == '__main__':\n"
        f"    ctx = multiprocessing.get_context({method!r})\n"
        "    queue = ctx.Queue()\n"
        "    p = ctx.Process(target=child, args=(queue,))\n"
        "    p.start()\n"
        "    print(queue.get(timeout=20))\n"
        "    p.join(20)\n"
        "    print(p.exitcode)\n"
    )
    result = run_python(["-m", "rnet", "run", script], timeout=40)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["('rnet', 'rnet')", "0"]
