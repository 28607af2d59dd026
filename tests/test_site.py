"""The course website (``make html``), built from the stored outputs and read in a real browser, offline.

The site is built into a temporary directory with the flags of ``make html`` (warnings are errors),
served on 127.0.0.1, and every page is opened in Debian's Chromium through Playwright, launched as
in tests/test_browser.py. Every request that leaves 127.0.0.1 is refused: the external badge
images of the notebooks' first cell fail quietly, anything else fails the test. On every page:
no console error, every maths expression typeset by the vendored MathJax, every image loaded,
every internal link (and its #anchor) resolves. On every slider: the keyboard moves it and the
image becomes the frame drawn for the value shown.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from test_browser import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, _require_browser

from rnnlib.teaching import course

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
#: the flags of the Makefile's html target (test_make_html_builds_with_these_flags checks it)
SPHINX_FLAGS = ["-W", "--keep-going", "-q", "-b", "html", "-c", "docs"]
#: the only requests allowed to leave the site, and to fail: the badge images of rnnlib.teaching.course
BADGE_IMAGES = set(re.findall(r"!\[[^\]]*\]\((https://[^)]+)\)", course.badges_markdown("00_index.ipynb")))


def _course_site():
    """docs/_ext/course_site.py, the extension that stages the pages and draws the frames."""
    pytest.importorskip("sphinx", reason="make html needs the docs extra: pip install -e '.[docs]'")
    sys.path.insert(0, str(ROOT / "docs" / "_ext"))
    try:
        import course_site
    finally:
        sys.path.remove(str(ROOT / "docs" / "_ext"))
    return course_site


# --- without building -----------------------------------------------------------------------------------


def test_the_badge_images_are_known():
    assert len(BADGE_IMAGES) == 2 and all(url.startswith("https://") for url in BADGE_IMAGES)


def test_site_url_follows_the_repository_setting(monkeypatch):
    owner, name = course.REPOSITORY.split("/")
    assert course.site_url() == f"https://{owner.lower()}.github.io/{name}/"
    monkeypatch.setattr(course, "REPOSITORY", "Some-One/some-one.github.io")
    assert course.site_url() == "https://some-one.github.io/"
    monkeypatch.setattr(course, "REPOSITORY", "Some-One/a-fork")
    assert course.site_url() == "https://some-one.github.io/a-fork/"


def test_readme_links_the_site_and_make_html_builds_with_these_flags():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"<{course.site_url()}>" in readme, "README: run make badges"
    assert "make html" in readme
    recipe = re.search(r"^html:.*\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(), re.M)
    assert recipe, "the Makefile has no html target"
    assert " ".join(SPHINX_FLAGS) in recipe.group(1)


def test_explorer_cells_are_found_with_their_settings():
    site = _course_site()
    assert site.explorer_call("scalar = widgets.scalar_explorer()\nscalar") == ("scalar", {})
    assert site.explorer_call("c = widgets.cliff_explorer(clip='norm', lr=2.0)") == ("cliff", {"clip": "norm",
                                                                                               "lr": 2.0})
    assert site.explorer_call("c = widgets.contribution_explorer()") is None     # no slider on the site
    assert site.explorer_call("x = 1") is None
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("m = widgets.matrix_explorer(sigma_max=0.5)")])
    [(index, slider)] = site.explorer_cells(nb)
    assert index == 0 and slider.settings == {}
    assert slider.grid.values[slider.start] == 0.5


# --- the built site ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site built as ``make html`` builds it; yields its directory."""
    pytest.importorskip("sphinx", reason="make html needs the docs extra: pip install -e '.[docs]'")
    tmp = tmp_path_factory.mktemp("site")
    src, out = tmp / "src", tmp / "html"
    src.mkdir()
    start = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "sphinx", *SPHINX_FLAGS, "-d", str(tmp / "doctrees"), str(src),
                          str(out)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, f"make html failed:\n{run.stdout[-3000:]}\n{run.stderr[-5000:]}"
    assert not run.stderr.strip(), f"the build printed warnings or errors:\n{run.stderr[-5000:]}"
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"site built in {time.monotonic() - start:.1f} s: {len(list(out.rglob('*.html')))} pages, "
          f"{size / 2**20:.1f} MiB")
    return out


def _sliders(page_html: str) -> list[tuple[str, list[str], list[str], int]]:
    """(explorer, values, frames, start) of every slider in a built page."""
    found = []
    for block in re.findall(r'<figure class="course-slider".*?</figure>', page_html, re.S):
        explorer = re.search(r'data-explorer="(\w+)"', block).group(1)
        values = json.loads(re.search(r"data-values='([^']*)'", block).group(1))
        frames = json.loads(re.search(r"data-frames='([^']*)'", block).group(1))
        start = int(re.search(r'type="range"[^>]*value="(\d+)"', block).group(1))
        found.append((explorer, values, frames, start))
    return found


def test_every_page_is_built_with_its_sliders(site):
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    expected = {f"notebooks/{p.stem}.html" for p in NOTEBOOKS} | {
        "index.html", "glossary.html", "references.html", "api.html", "search.html", "genindex.html"}
    assert expected <= pages, sorted(expected - pages)
    assert (site / "_static" / "mathjax" / "tex-chtml.js").is_file()
    site_module = _course_site()
    import nbformat

    for path in NOTEBOOKS:
        built = (site / "notebooks" / f"{path.stem}.html").read_text(encoding="utf-8")
        wanted = [s.explorer for _, s in site_module.explorer_cells(nbformat.read(path, as_version=4))]
        assert [s[0] for s in _sliders(built)] == wanted, path.name
        assert f'href="{course.colab_url(path.name)}"' in built, f"{path.name}: no Colab link"
        assert f'href="{course.binder_url(path.name).replace("&", "&amp;")}"' in built, f"{path.name}: no Binder link"
    notebook_03 = (site / "notebooks" / "03_vanishing_exploding_gradients.html").read_text(encoding="utf-8")
    assert [s[0] for s in _sliders(notebook_03)] == ["scalar", "matrix"]


def test_each_edition_links_its_twin_and_the_glossary_page_has_its_table(site):
    # the language switch: every English notebook page links its Korean twin and back
    for path in NOTEBOOKS:
        english = (site / "notebooks" / f"{path.stem}.html").read_text(encoding="utf-8")
        korean = (site / "notebooks" / "ko" / f"{path.stem}.html").read_text(encoding="utf-8")
        assert f'href="ko/{path.stem}.html"' in english, path.name
        assert f'href="../{path.stem}.html"' in korean, path.name
    glossary = (site / "glossary.html").read_text(encoding="utf-8")
    from rnnlib.teaching.glossary import GLOSSARY

    assert "<table" in glossary and all(term in glossary for term in ("기울기 클리핑", "장기 의존성"))
    assert len(re.findall(r"<tr", glossary)) == len(GLOSSARY.terms) + 1          # every term, and the header


def test_each_frame_is_the_live_explorers_picture_at_its_value(site):
    """Frame files match their positions: the pictures at w = 0.90 and 1.50 are those the live explorer
    shows there when its slider is moved along the grid from the left (render_frames over the grid)."""
    from rnnlib.teaching import widgets

    page = site / "notebooks" / "03_vanishing_exploding_gradients.html"
    explorer, values, frames, start = _sliders(page.read_text(encoding="utf-8"))[0]
    assert explorer == "scalar" and values[start] == "0.90" and values[0] == "-2.00" and values[-1] == "2.00"
    live = widgets.render_frames("scalar", "w", [float(v) for v in values])
    for value in ("0.90", "1.50"):
        i = values.index(value)
        assert (page.parent / frames[i]).resolve().read_bytes() == live[i], value
    pictures = {(page.parent / f).resolve().read_bytes() for f in frames}
    assert len(pictures) == len(frames), "two positions of the slider show the same picture"


@pytest.fixture(scope="module")
def served(site):
    """The built site over HTTP on 127.0.0.1; yields its base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    class Server(http.server.ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            pass              # a page left while its frames preload closes the connection: not an error

    server = Server(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


_IMAGES = """async () => {
    const bad = [];
    for (const img of document.querySelectorAll('img')) {
        if (new URL(img.src, location.href).origin !== location.origin) continue;   // external badges
        img.loading = 'eager';
        try { await img.decode(); } catch (e) {}
        if (!(img.naturalWidth > 0)) bad.push(img.getAttribute('src'));
    }
    return bad;
}"""

_MATHS = """async () => {
    const maths = document.querySelectorAll('.math');
    if (!maths.length) return {maths: 0};
    if (!window.MathJax || !window.MathJax.startup) return {maths: maths.length, untypeset: ['MathJax did not load']};
    await window.MathJax.startup.promise;
    return {maths: maths.length,
            untypeset: [...maths].filter(m => !m.querySelector('mjx-container')).map(m => m.textContent.slice(0, 80)),
            errors: document.querySelectorAll('mjx-merror').length};
}"""


@pytest.mark.browser
def test_every_page_in_chromium_offline(site, served):
    _require_browser()
    from playwright.sync_api import expect, sync_playwright

    base = served
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if "_static" not in p.parts)
    external_images, blocked = set(), []
    ids: dict[Path, set[str]] = {}

    def route(r):
        url = r.request.url
        if url.startswith(base):
            r.continue_()
            return
        if url in BADGE_IMAGES:
            external_images.add(url)          # the badges: fail quietly
        else:
            blocked.append(url)
        r.abort()

    def anchors(path: Path) -> set[str]:
        if path not in ids:
            ids[path] = set(re.findall(r'\bid="([^"]+)"', path.read_text(encoding="utf-8")))
        return ids[path]

    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            context.route("**/*", route)
            page = context.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            expect.set_options(timeout=TIMEOUT_MS)
            errors: list[str] = []
            page.on("console", lambda m: errors.append(f"{m.text} ({m.location.get('url', '')})")
                    if m.type == "error" and m.location.get("url", "") not in external_images else None)
            page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
            sliders_moved = 0
            for name in pages:
                errors.clear()
                page.goto(base + name, wait_until="load")
                maths = page.evaluate(_MATHS)
                if maths["maths"]:
                    if maths["untypeset"] or maths["errors"]:
                        problems.append(f"{name}: maths not typeset {maths}")
                broken = page.evaluate(_IMAGES)
                if broken:
                    problems.append(f"{name}: images not loaded {broken}")
                for href in page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)"):
                    if not href.startswith(base):
                        continue
                    parts = urlsplit(href)
                    target = site / unquote(parts.path[len(urlsplit(base).path):])
                    if target.is_dir():
                        target = target / "index.html"
                    if not target.is_file():
                        problems.append(f"{name}: broken link {href}")
                    elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in anchors(
                            target):
                        problems.append(f"{name}: no anchor #{parts.fragment} in {target.relative_to(site)}")
                sliders_moved += _move_sliders(page, expect, name)
                if errors:
                    problems.append(f"{name}: console errors {errors}")

            # search works offline: the index is a local file
            page.goto(base + "search.html?q=gradient", wait_until="load")
            expect(page.locator("#search-results li").first).to_be_visible()
            assert page.locator("#search-results li").count() > 3
        finally:
            browser.close()
    if blocked:
        problems.append(f"pages asked for something outside the site: {sorted(set(blocked))}")
    assert not problems, "\n".join(problems)
    assert sliders_moved >= 2, "03's two sliders were not found"


def _move_sliders(page, expect, name: str) -> int:
    """Move every slider of the page by keyboard; the image must become the frame of the value shown."""
    figures = page.locator("figure.course-slider")
    for i in range(figures.count()):
        figure = figures.nth(i)
        slider, image = figure.locator("input[type=range]"), figure.locator("img.course-slider-frame")
        output = figure.locator("output")
        values = json.loads(slider.get_attribute("data-values"))
        frames = json.loads(slider.get_attribute("data-frames"))
        start = int(slider.input_value())
        assert image.get_attribute("src") == frames[start] and output.inner_text() == values[start], name
        slider.scroll_into_view_if_needed()
        slider.focus()
        moves = [("ArrowRight", start + 1), ("ArrowLeft", start), ("End", len(values) - 1), ("Home", 0)]
        if start == len(values) - 1:
            moves = [("ArrowLeft", start - 1), *moves[2:]]
        for key, position in moves:
            before = image.get_attribute("src")
            page.keyboard.press(key)
            expect(slider).to_have_value(str(position))
            expect(output).to_have_text(values[position])
            expect(image).to_have_attribute("src", frames[position])
            assert frames[position] != before, f"{name}: {key} did not change the frame"
            page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    return figures.count()
