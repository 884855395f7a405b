"""README.md's commands stay true: CI runs the test command verbatim, and the
commands a student copies (demo, --help, the broadcast block) run as written."""

import inspect
import os
import pathlib
import re
import signal
import subprocess
import sys

from helpers import python_env

ROOT = pathlib.Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def section(title):
    return README.split(f"## {title}", 1)[1].split("\n## ", 1)[0]


def sh_blocks(title):
    return re.findall(r"```sh\n(.+?)\n```", section(title), re.S)


def readme_commands():
    return sh_blocks("Quick start")


def test_set_up_names_a_venv_and_the_minimum_rust():
    venv, demo, tests = readme_commands()
    assert venv == "python3 -m venv .venv && . .venv/bin/activate"
    cargo = (ROOT / "Cargo.toml").read_text()
    rust = re.search(r'^rust-version = "([\d.]+)"', cargo, re.M)[1]
    assert f"Rust ≥ {rust}" in section("Quick start")


def test_two_commands_install_then_run():
    _, demo, tests = readme_commands()
    assert demo == "pip install . && python -m rnet demo"
    assert tests.startswith("pip install '.[test]' && ") and "pytest" in tests


def test_ci_runs_the_readme_test_command_verbatim():
    ci_lines = (ROOT / ".ci" / "run").read_text().splitlines()
    assert readme_commands()[2] in ci_lines


def run_shell(commands, timeout=60):
    """Run README ``commands`` in bash from the checkout, ``python`` being this one."""
    script = re.sub(r"^python ", f"{sys.executable} ", commands, flags=re.M)
    with subprocess.Popen(
        ["bash", "-e", "-c", script],
        cwd=ROOT,
        env=python_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its background jobs share its process group
    ) as proc:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise
    return proc.returncode, out, err


def test_the_demo_command_runs():
    _, demo, _ = readme_commands()
    rc, out, err = run_shell(demo.split(" && ", 1)[1])
    assert rc == 0, err
    assert "client is connected" in out and "done: the client got its message back" in out


def test_the_run_section_help_command_runs():
    block = sh_blocks("Running unmodified socket programs")[0]
    assert "python -m rnet --help" in block.splitlines()
    rc, out, err = run_shell("python -m rnet --help")
    assert rc == 0, err
    assert "run" in out and "demo" in out


def test_the_broadcast_block_runs_in_order():
    blocks = sh_blocks("UDP, broadcast and multicast examples")
    block = next(b for b in blocks if "broadcast_listener.py" in b)
    # A free port for the README's 12345, so parallel runs cannot collide.
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("", 0))
        port = probe.getsockname()[1]
    rc, out, err = run_shell(block.replace("12345", str(port)))
    assert rc == 0, f"stdout: {out}\nstderr: {err}"
    assert "received 'replay from server'" in out
    assert out.count("received 'announcement") == 3, out
    assert "listener stopped after 3 datagram(s)" in out
    assert "Address already in use" not in err


def test_help_rnet_lists_the_functions_and_the_commands():
    import pydoc

    import rnet

    text = pydoc.render_doc(rnet, renderer=pydoc.plaintext)
    description = " ".join(text.split("PACKAGE CONTENTS")[0].split())
    for command in ("python -m rnet demo", "python -m rnet run SCRIPT", "RNET_NOTES=0"):
        assert command in description
    functions = text.split("\nFUNCTIONS\n", 1)[1].split("\nDATA\n", 1)[0]
    for name in rnet.__all__:
        obj = getattr(rnet, name)
        if callable(obj) and not isinstance(obj, type):
            assert re.search(rf"^    {name}\(", functions, re.M), name
            assert name in description, name


def test_bind_and_connect_docstrings_keep_the_stdlibs_sentence():
    import socket

    import rnet

    for name in ("bind", "connect"):
        ours, theirs = getattr(rnet.socket, name).__doc__, getattr(socket.socket, name).__doc__
        assert inspect.cleandoc(ours) == inspect.cleandoc(theirs)
        assert "(host, port)" in getattr(rnet.socket, name).__doc__


def wheel_command():
    text = (ROOT / "README.md").read_text()
    section = text.split("## One wheel for a whole lab", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section, re.S)[0]


def test_the_wheel_command_is_manylinux2014_and_ci_runs_it_verbatim():
    command = wheel_command()
    assert "--zig" in command and "--compatibility manylinux2014" in command
    assert command in (ROOT / ".ci" / "run").read_text().splitlines()
