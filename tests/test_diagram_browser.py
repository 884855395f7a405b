"""The diagram as a browser shows it: headless Chromium renders the SVG and the
HTML page of the lecture exchange, and the screenshot must be the drawing (its
colours, arrows and text), not a blank page or the browser's error page.

Needs Debian's ``chromium`` (``.ci/run`` installs it and sets
RNET_REQUIRE_CHROMIUM, so CI fails rather than skips without it) and Pillow.
"""

import re

import pytest

from rnet import _diagram

from helpers import run_python
from test_trace import lecture_pair
from tracing import screenshot

Image = pytest.importorskip("PIL.Image")


def rgb(hex_colour):
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


def load(png):
    """The screenshot as an RGB image, its file closed."""
    with Image.open(png) as img:
        return img.convert("RGB")


def share(img, colour, tolerance=40):
    """The fraction of pixels within ``tolerance`` (per channel) of ``colour``."""
    target = rgb(colour)
    counts = img.getcolors(maxcolors=img.width * img.height)
    near = sum(
        n for n, p in counts if all(abs(a - b) <= tolerance for a, b in zip(p, target, strict=True))
    )
    return near / (img.width * img.height)


def size_of(svg_text):
    m = re.search(r'<svg[^>]* width="(\d+)" height="(\d+)"', svg_text)
    return int(m[1]), int(m[2])


def assert_is_the_drawing(png):
    img = load(png)
    checks = [
        ("not blank", "#ffffff", 6, lambda f: f < 0.9),
        # The process boxes' fill covers much of the picture...
        ("first process box", _diagram.PROC_FILL[0], 4, lambda f: f > 0.10),
        ("second process box", _diagram.PROC_FILL[1], 4, lambda f: f > 0.05),
        # ... the data arrows (blue), the handshake (green), the waiting bar
        # (orange) and dark text are all there.
        ("data arrows", _diagram.COLORS["data"], 40, lambda f: f > 0.0002),
        ("handshake arrow", _diagram.COLORS["handshake"], 40, lambda f: f > 0.0001),
        ("waiting bar", _diagram.BLOCK_FILL, 12, lambda f: f > 0.0005),
        ("text", "#1d2733", 60, lambda f: f > 0.005),
        # Chromium's XML error page is a pink box of its own colour: not here.
        ("no error box", "#fddddd", 8, lambda f: f < 0.01),
    ]
    for what, colour, tolerance, ok in checks:
        fraction = share(img, colour, tolerance)
        assert ok(fraction), f"{png}: {what}: {fraction:.5f} of the pixels are {colour}"


@pytest.mark.timeout(180)
def test_svg_and_html_render_in_chromium(tmp_path):
    strace, ctrace, _ = lecture_pair(tmp_path)
    svg, html = tmp_path / "lecture.svg", tmp_path / "lecture.html"
    result = run_python(["-m", "rnet", "diagram", strace, ctrace, "-o", svg, "-o", html])
    assert result.returncode == 0, result.stderr
    width, height = size_of(svg.read_text())
    shot = screenshot(svg.as_uri(), width, height, tmp_path / "svg.png")
    assert load(shot).size == (width, height)
    assert_is_the_drawing(shot)
    page = screenshot(html.as_uri(), width + 40, height + 90, tmp_path / "html.png")
    assert_is_the_drawing(page)
    # The page's heading is above the drawing.
    top = load(page).crop((0, 0, 600, 40))
    assert share(top, "#1d2733", 60) > 0.01


def test_a_broken_svg_is_not_taken_for_a_drawing(tmp_path):
    # The check above must be able to fail: a truncated SVG renders as
    # Chromium's error page, which it rejects.
    strace, ctrace, _ = lecture_pair(tmp_path)
    from rnet._tracefile import read_traces

    text = _diagram.render_svg(read_traces([strace, ctrace]))
    broken = tmp_path / "broken.svg"
    broken.write_text(text[: len(text) // 2])
    width, height = size_of(text)
    shot = screenshot(broken.as_uri(), width, height, tmp_path / "broken.png")
    with pytest.raises(AssertionError):
        assert_is_the_drawing(shot)
