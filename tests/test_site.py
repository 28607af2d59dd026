"""The course website (``make html``), built from the stored outputs and read in a real browser, offline.

The site is built into a temporary directory with the flags of ``make html`` (warnings are errors),
served on 127.0.0.1, and every page is opened in Debian's Chromium through Playwright, launched as
in tests/test_browser.py. Any request that leaves 127.0.0.1 fails the test. Every test that needs the
built site has the marker ``site`` and runs in ``make test-site`` (which .ci/run calls): building it takes
longer than the rest of make test. make test keeps the checks of the site's inputs (explorer cells, prompts,
badges). On every page (desktop): no console error, every maths expression typeset by the vendored MathJax,
every image loaded, every internal link (and its #anchor) resolves. On every slider: each control moves by
keyboard or click and the image becomes the frame drawn for the positions shown.

The same target checks every page at 390 x 844 and 1280 x 800, in light and dark
(emulated ``prefers-color-scheme``): nothing wider than the screen, WCAG AA contrast of every text
measured from computed colours, alt text, ``lang``, ``aria-valuetext``, the phone menus open, the
first load of each page ≤ 2 MB compressed, and every "Predict first" prompt's moves made with the
page's own controls, in both editions.
"""

from __future__ import annotations

import functools
import gzip
import html
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
#: the badge images of rnnlib.teaching.course: on other sites, so the site shows plain links instead
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
    assert site.explorer_call("c = widgets.contribution_explorer()") == ("contribution", {})
    assert site.explorer_call("x = 1") is None
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("m = widgets.matrix_explorer(sigma_max=0.8, H=8)")])
    [(index, slider)] = site.explorer_cells(nb)
    assert index == 0 and slider.settings == (("H", 8),)
    names = [g.control for g in slider.grids]
    assert slider.grids[names.index("sigma_max")].values[slider.start[names.index("sigma_max")]] == 0.8


def test_the_site_names_the_sheared_matrix_as_the_explorer_does():
    from rnnlib.teaching import _views

    assert _course_site().SHEARED == _views.SHEARED


def test_a_slider_plan_shares_frames_where_a_control_is_disabled():
    """Scalar: with f = linear the input scale cannot matter (the explorer disables it), so the three positions
    of s share one frame there; with tanh each s has its own. Every frame is drawn by exactly one sweep."""
    site = _course_site()
    slider = site.Slider("scalar", (), (0, 1, 9))
    frame_of, masks, reasons, plan = slider.plan()
    combos = slider.combos()
    n_w = len(site.GRIDS["scalar"][2].values)
    assert len(set(frame_of)) == n_w + 3 * n_w
    linear = [frame_of[i] for i, c in enumerate(combos) if c[0] == 0 and c[2] == 5]
    tanh = [frame_of[i] for i, c in enumerate(combos) if c[0] == 1 and c[2] == 5]
    assert len(set(linear)) == 1 and len(set(tanh)) == 3
    assert all(m == 0b010 for m, c in zip(masks, combos) if c[0] == 0) and "input_scale" in reasons
    drawn = [n for *_, numbers in plan for n in numbers]
    assert sorted(drawn) == list(range(len(set(frame_of))))
    assert all(control == "w" for control, *_ in plan)


def test_every_slider_starts_where_the_live_explorer_starts():
    """Each control's grid holds the value the notebook's explorer starts at (no nearest-value stand-in)."""
    import nbformat

    from rnnlib.teaching import _views

    site = _course_site()
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for index, slider in site.explorer_cells(nb):
            _, settings = site.explorer_call(nb.cells[index].source)
            defaults = _views.VIEWS[slider.explorer].defaults
            for grid, start in zip(slider.grids, slider.start):
                live = settings.get(grid.control, defaults[grid.control])
                assert grid.values[start] == live, (path.name, slider.explorer, grid.control, live)


def test_the_site_knows_the_exercises_placeholder():
    from rnnlib.teaching import exercises

    assert _course_site().NOT_YET == exercises.NOT_YET


def test_prompts_go_to_their_explorer():
    """A "Predict first" paragraph just above an explorer cell is that explorer's; one further down that sends
    the reader back (03's sheared matrix) belongs to the last explorer above it."""
    import nbformat

    site = _course_site()
    nb = nbformat.read(ROOT / "notebooks" / "03_vanishing_exploding_gradients.ipynb", as_version=4)
    cells = site.explorer_cells(nb)
    found = site.prompts(nb, cells)
    by_name = {slider.explorer: found[i] for i, slider in cells}
    assert [len(by_name[n]) for n in ("scalar", "matrix", "contribution")] == [1, 2, 1]
    assert "sheared" in by_name["matrix"][1]


# --- the built site ---------------------------------------------------------------------------------------


def _site_inputs_key() -> str:
    """A hash of everything a build reads: the notebooks of both editions, docs/, the package, pyproject, and
    the Python and Sphinx versions. The same key means the same site."""
    import hashlib

    import sphinx

    digest = hashlib.sha256(f"{sys.version}|{sphinx.__version__}|{SPHINX_FLAGS}".encode())
    files = [ROOT / "pyproject.toml", *sorted((ROOT / "notebooks").rglob("*.ipynb")),
             *sorted((ROOT / "docs").rglob("*")), *sorted((ROOT / "rnnlib").rglob("*"))]
    for f in files:
        if f.is_file() and not any(part.startswith(".") or part == "__pycache__" for part in f.parts[-3:]):
            digest.update(str(f.relative_to(ROOT)).encode() + b"\0" + f.read_bytes())
    return digest.hexdigest()[:16]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site built as ``make html`` builds it; yields its directory. ``make test`` asks for it in both of its
    pytest runs, and ``make test-site`` once more: a build is kept in build/test-site/ under the hash of its
    inputs, and a later run with the same inputs reads that one (the first build of a session is a full one)."""
    pytest.importorskip("sphinx", reason="make html needs the docs extra: pip install -e '.[docs]'")
    key = _site_inputs_key()
    home = ROOT / "build" / "test-site" / key
    if (home / "complete").is_file():
        return home / "html"
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
    import shutil

    try:                                     # keep it for the next run with the same inputs (best effort)
        if home.parent.exists():
            shutil.rmtree(home.parent)       # older keys: stale
        shutil.copytree(out, home / "html")
        (home / "complete").write_text(key)
        return home / "html"
    except OSError:
        return out


def _sliders(page_html: str) -> list[dict]:
    """The data of every slider block in a built page (explorer added)."""
    found = []
    for block in re.findall(r'<figure class="course-slider".*?</figure>', page_html, re.S):
        data = json.loads(html.unescape(re.search(r'data-slider="([^"]*)"', block).group(1)))
        data["explorer"] = re.search(r'data-explorer="(\w+)"', block).group(1)
        data["src"] = re.search(r'<img class="course-slider-frame" src="([^"]+)"', block).group(1)
        found.append(data)
    return found


@pytest.mark.site
def test_every_page_is_built_with_its_sliders(site):
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    expected = {f"notebooks/{p.stem}.html" for p in NOTEBOOKS} | {
        "index.html", "glossary.html", "references.html", "api.html", "search.html", "genindex.html"}
    assert expected <= pages, sorted(expected - pages)
    assert (site / "_static" / "mathjax" / "tex-chtml.js").is_file()
    assert not list(site.rglob("fontawesome.js")), "the 1.5 MB icon script is back"
    leaked = [p.name for p in site.rglob("*.html") if str(ROOT) in p.read_text(encoding="utf-8")]
    assert not leaked, f"pages that show this machine's path {ROOT}: {leaked}"
    site_module = _course_site()
    import nbformat

    for path in NOTEBOOKS:
        built = (site / "notebooks" / f"{path.stem}.html").read_text(encoding="utf-8")
        wanted = [s.explorer for _, s in site_module.explorer_cells(nbformat.read(path, as_version=4))]
        assert [s["explorer"] for s in _sliders(built)] == wanted, path.name
        assert f'href="{course.colab_url(path.name)}"' in built, f"{path.name}: no Colab link"
        assert f'href="{course.binder_url(path.name).replace("&", "&amp;")}"' in built, f"{path.name}: no Binder link"
        assert "rnnlib.setup_notebook()" not in built, f"{path.name}: the setup cell is shown"
        assert not any(url in built for url in BADGE_IMAGES), f"{path.name}: a badge image from another site"
        assert f'href="{path.name}" download' in built and (site / "notebooks" / path.name).is_file(), path.name
        assert "not attempted yet" not in built, f"{path.name}: an exercise placeholder is shown"
    notebook_03 = (site / "notebooks" / "03_vanishing_exploding_gradients.html").read_text(encoding="utf-8")
    assert [s["explorer"] for s in _sliders(notebook_03)] == ["scalar", "matrix", "contribution"]
    references = (site / "references.html").read_text(encoding="utf-8")
    linked = set(re.findall(r'href="(https://(?:doi\.org|arxiv\.org)/[^"]+)"', references))
    assert len(linked) >= 10, sorted(linked)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert all(words in home for words in ("Who it is for", "What to know first", "Where to start"))
    assert len(re.findall(r"about \d+ min", home)) == len(NOTEBOOKS), "the home page's reading times"


@pytest.mark.site
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


_PREV_NEXT = re.compile(r'<a class="(left-prev|right-next)"\s+href="([^"#]+)')


def _chain(site: Path, page: Path) -> list[str]:
    """The pages a page's previous/next links lead to, relative to the site."""
    text = page.read_text(encoding="utf-8")
    return [(page.parent / href).resolve().relative_to(site.resolve()).as_posix()
            for _, href in _PREV_NEXT.findall(text)]


@pytest.mark.site
def test_each_edition_in_its_own_language_and_chain(site):
    """lang per page, the Korean chrome on Korean pages, and previous/next never leaving an edition."""
    for path in NOTEBOOKS:
        english, korean = site / "notebooks" / f"{path.stem}.html", site / "notebooks" / "ko" / f"{path.stem}.html"
        assert '<html lang="en"' in english.read_text(encoding="utf-8"), path.name
        text = korean.read_text(encoding="utf-8")
        assert '<html lang="ko"' in text, path.name
        for words in ("목차", "검색", *(["이전"] if path != NOTEBOOKS[0] else []), "다음"):
            assert words in text, f"ko/{path.name}: no {words}"
        for words in ("Skip to main content", "Toggle primary sidebar", ">Contents<", "Search..."):
            assert words not in text, f"ko/{path.name}: the theme's English {words!r}"
        assert all(t.startswith("notebooks/ko/") for t in _chain(site, korean)), _chain(site, korean)
        assert all(t.startswith("notebooks/") and "/ko/" not in t or t == "index.html"
                   for t in _chain(site, english)), _chain(site, english)
    for page in ("api.html", "glossary.html", "references.html"):
        assert all(not t.startswith("notebooks/") for t in _chain(site, site / page)), page
    assert len(_chain(site, site / "notebooks" / "ko" / "02_bptt_unrolled_chain_rule.html")) == 2


def _content_pages(site: Path) -> list[Path]:
    """The pages a reader reads (not search and the indices Sphinx makes)."""
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.parts
                  and p.name not in ("search.html", "genindex.html", "py-modindex.html"))


@pytest.mark.site
def test_every_page_links_its_source_and_a_new_issue(site):
    """An edit link to the file the page is made from (a Korean page: its catalog, from which its notebook is
    built), on the branch rnnlib.teaching.course names, and a new-issue link naming the page: in the page's
    language, built from course.REPOSITORY alone."""
    site_module = _course_site()
    repository = f"https://github.com/{course.REPOSITORY}/"
    for page in _content_pages(site):
        name = page.relative_to(site).with_suffix("").as_posix()
        text = page.read_text(encoding="utf-8")
        links = re.search(r'<p class="course-page-links"><a href="([^"]+)" title="[^"]+">([^<]+)</a> · '
                          r'<a href="([^"]+)">([^<]+)</a></p>', text)
        assert links, f"{name}: no edit and issue links"
        edit, edit_words, issue, issue_words = (html.unescape(g) for g in links.groups())
        source = site_module.page_source(name)
        assert (ROOT / source).exists(), f"{name}: {source} is not in the repository"
        kind = "tree" if (ROOT / source).is_dir() else "edit"
        assert edit == f"{repository}{kind}/{course.BRANCH}/{source}", (name, edit)
        assert issue.startswith(f"{repository}issues/new?title="), (name, issue)
        assert unquote(issue).count(f"{course.site_url()}{name}.html") == 1, (name, unquote(issue))
        korean = name.startswith("notebooks/ko/")
        assert (edit_words, issue_words) == (("이 페이지의 번역 고치기", "이 페이지의 문제 알리기") if korean
                                             else ("Edit this page", "Report a problem with this page")), name
        if korean:
            assert source == f"locale/ko/LC_MESSAGES/{page.stem}.po", name
        elif name.startswith("notebooks/"):
            assert source == f"notebooks/{page.stem}.ipynb", name


@pytest.mark.site
def test_the_sidebar_lists_both_editions_then_the_reference(site):
    """On every page, an English and a 한국어 section with each edition's notebooks in order (the page itself
    linked as the current one), then the reference pages, their caption in the page's language."""
    for page in _content_pages(site):
        text = page.read_text(encoding="utf-8")
        nav = text[text.find('<nav class="bd-links bd-docs-nav'):]
        nav = nav[:nav.find("</nav>")]
        here = page.relative_to(site).as_posix()
        captions = re.findall(r'<span class="caption-text">([^<]+)</span>', nav)
        assert captions == ["English", "한국어", "참고 자료" if "/ko/" in here else "Reference"], (here, captions)
        for section, folder in zip(nav.split('<p aria-level="2" class="caption"')[1:3], ("", "ko/")):
            linked = [(page.parent / href).resolve().relative_to(site.resolve()).as_posix() if href != "#" else here
                      for href in re.findall(r'<li class="toctree-l1[^"]*"><a class="[^"]*" href="([^"]+)"', section)]
            assert linked == [f"notebooks/{folder}{p.stem}.html" for p in NOTEBOOKS], (here, folder, linked)


@pytest.mark.site
def test_each_page_has_a_description_a_social_card_and_the_icon(site):
    """Open Graph and a meta description in the page's language; the card is this site's own 1200 x 630 PNG;
    the favicon is linked and shipped; the copy button speaks Korean on a Korean page."""
    site_module = _course_site()
    for page in _content_pages(site):
        text = page.read_text(encoding="utf-8")
        name = page.relative_to(site).with_suffix("").as_posix()
        language = "ko" if name.startswith("notebooks/ko/") else "en"
        meta = {k: html.unescape(v) for k, v in re.findall(r'<meta (?:name|property)="([^"]+)" content="([^"]*)"',
                                                           text)}
        assert meta["description"] == meta["og:description"] == site_module.PAGE_WORDS[language]["description"]
        title = html.unescape(re.search(r"<title>(.*?)</title>", text, re.S).group(1))
        assert meta["og:title"] and meta["og:title"] in title, (name, meta["og:title"], title)
        assert meta["og:url"] == f"{course.site_url()}{name}.html"
        assert meta["og:image"] == course.site_url() + site_module.CARDS[language]
        assert meta["og:locale"] == {"en": "en_US", "ko": "ko_KR"}[language]
        assert meta["twitter:card"] == "summary_large_image"
        assert re.search(r'<link rel="icon" href="(\.\./)*_static/favicon\.svg"', text), name
        if language == "ko":
            assert re.search("[가-힣]", meta["description"]) and re.search("[가-힣]", meta["og:title"]), name
    for card in site_module.CARDS.values():
        png = (site / card).read_bytes()
        assert site_module.png_size(png) == (1200, 630), card
        assert len(png) < 150_000, f"{card}: {len(png)} bytes"
    assert (site / "_static" / "favicon.svg").read_text(encoding="utf-8").startswith("<svg")
    copy = (site / "_static" / "copybutton.js").read_text(encoding="utf-8")
    assert "'ko': {" in copy and "클립보드에 복사" in copy


@pytest.mark.site
def test_wide_figures_and_sliders_take_the_margin_on_a_desktop(site):
    """A cell whose figure is drawn wider than the desktop column, and every slider, is tagged full-width;
    every notebook figure opens at full size (its pixel size given, loaded when near)."""
    site_module = _course_site()
    for page in sorted((site / "notebooks").rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        figures = re.findall(r'<div class="cell ([^"]*)docutils container">(?:(?!<div class="cell ).)*?'
                             r'<img alt="[^"]*" src="([^"]+_images/[^"]+)" width="(\d+)" height="(\d+)" '
                             r'loading="lazy" class="course-figure" tabindex="0" role="button"', text, re.S)
        assert len(figures) == text.count('class="course-figure"'), page.name
        for classes, src, width, _ in figures:
            assert site_module.png_size((page.parent / src).read_bytes())[0] == int(width)
            assert ("tag_full-width" in classes) == (int(width) > site_module.WIDE_FIGURE), (page.name, src)
        for block in re.findall(r'<div class="cell ([^"]*)docutils container">(?:(?!<div class="cell ).)*?'
                                r'<figure class="course-slider"', text, re.S):
            assert "tag_full-width" in block, page.name
    # a wide cell in view folds the page's contents under an arrow the theme's CSS draws from the icon font
    from fontTools.ttLib import TTFont

    drawn = site_module.icons_in_stylesheets(site)
    assert 0xF107 in drawn, "the book theme's arrow by Contents"
    fonts = set()
    for font in (site / "_static" / "vendor" / "fontawesome" / "webfonts").glob("*.woff2"):
        fonts |= set(TTFont(font).getBestCmap())
    assert drawn <= fonts, sorted(hex(c) for c in drawn - fonts)
    sheets = [sheet.read_text(encoding="utf-8") for sheet in (site / "_static" / "styles").glob("*.css")]
    declared = {m for text in sheets for m in re.findall(r"@font-face\{[^}]*?font-family:\s*([^;}]+)", text)}
    named = {m for text in sheets for m in re.findall(r"font-family:\s*(Font Awesome[^;},]+)", text)}
    assert named <= declared, f"icon fonts no page declares: {named - declared}"


@pytest.mark.site
def test_each_frame_is_the_live_explorers_picture_at_its_value(site):
    """Frame files match their positions: with f = linear and s = 0.2, the pictures at w = 0.90 and 1.50 are
    those the live explorer shows there when w is moved along the grid from the left (render_frames over the
    grid), as the site serves them (quantised)."""
    from rnnlib.teaching import widgets

    site_module = _course_site()
    page = site / "notebooks" / "03_vanishing_exploding_gradients.html"
    data = _sliders(page.read_text(encoding="utf-8"))[0]
    assert data["explorer"] == "scalar" and [g["label"] for g in data["grids"]] == ["f", "s", "w"]
    f, s, w = (g["values"] for g in data["grids"])
    live = widgets.render_frames("scalar", "w", [float(v) for v in w], nonlinearity="linear", input_scale=0.2)
    sizes = [len(f), len(s), len(w)]

    def frame(i_f, i_s, i_w):
        number = data["frames"][(i_f * sizes[1] + i_s) * sizes[2] + i_w]
        return (page.parent / f"{data['base']}{number:03d}.png").resolve().read_bytes()

    for value in ("0.90", "1.50"):
        assert frame(f.index("linear"), s.index("0.20"), w.index(value)) == site_module.quantise(live[w.index(value)])
    pictures = {(page.parent / f"{data['base']}{n:03d}.png").resolve().read_bytes() for n in set(data["frames"])}
    assert len(pictures) == len(set(data["frames"])), "two frames of the slider are the same picture"
    assert frame(0, 0, 9) == frame(0, 2, 9), "f = linear: the input scale cannot change the picture"
    assert frame(1, 0, 9) != frame(1, 2, 9), "f = tanh: the input scale must change the picture"


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


@pytest.mark.site
def test_every_page_in_chromium_offline(site, served):
    _require_browser()
    from playwright.sync_api import expect, sync_playwright

    base = served
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if "_static" not in p.parts)
    blocked = []
    ids: dict[Path, set[str]] = {}

    def route(r):
        url = r.request.url
        if url.startswith(base):
            r.continue_()
            return
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
                    if m.type == "error" else None)
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
                if name.startswith("notebooks/"):
                    page.wait_for_function("document.querySelectorAll('button.copybtn').length > 0")
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


def _frame_src(data: dict, positions: list[int]) -> str:
    """The frame a slider block must show at these control positions."""
    i = 0
    for grid, position in zip(data["grids"], positions):
        i = i * len(grid["values"]) + position
    return f"{data['base']}{data['frames'][i]:03d}.png"


def _positions(figure) -> list[int]:
    return figure.evaluate("""f => [...f.querySelectorAll('[data-control]')].map(c =>
        Number((c.querySelector('input[type=range]') || c.querySelector('input:checked')).value))""")


def _set(page, figure, data: dict, label: str, value: str) -> None:
    """Move one control of a slider block as a reader does: click a radio button, or the keyboard on a range."""
    k = [g["label"] for g in data["grids"]].index(label)
    position = data["grids"][k]["values"].index(value)
    control = figure.locator(f'[data-control="{k}"]')
    if control.locator("input[type=range]").count():
        slider = control.locator("input[type=range]")
        slider.focus()
        page.keyboard.press("Home")
        for _ in range(position):
            page.keyboard.press("ArrowRight")
    else:
        control.locator(f'input[value="{position}"]').check()


def _move_sliders(page, expect, name: str) -> int:
    """Move every control of every slider block (keyboard on ranges, clicks on radios); the image must become
    the frame of the positions shown, the readout and aria-valuetext the value."""
    figures = page.locator("figure.course-slider")
    for i in range(figures.count()):
        figure = figures.nth(i)
        data = json.loads(figure.get_attribute("data-slider"))
        image = figure.locator("img.course-slider-frame")
        figure.scroll_into_view_if_needed()
        assert image.get_attribute("src") == _frame_src(data, _positions(figure)), name
        for k, grid in enumerate(data["grids"]):
            control = figure.locator(f'[data-control="{k}"]')
            for value in (grid["values"][-1], grid["values"][0]):
                _set(page, figure, data, grid["label"], value)
                expect(image).to_have_attribute("src", _frame_src(data, _positions(figure)))
                slider = control.locator("input[type=range]")
                if slider.count():
                    expect(control.locator("output")).to_have_text(value)
                    expect(slider).to_have_attribute("aria-valuetext", f"{grid['label']} = {value}")
                page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    return figures.count()


# --- make test-site: every page on a phone and a desktop, light and dark ---------------------------------

#: each prompt's moves on the site: (the words of the notebook's prompt they follow, the moves: control label ->
#: value as the page shows it). The test checks the words are in the prompt the page shows, then makes each move
#: with the page's own controls.
MOVES = {
    "03_vanishing_exploding_gradients": {
        "scalar": [("before you move w from 0.9 to 0.5", [{"f": "linear", "w": "0.90"}, {"w": "0.50"}]),
                   ("Then pick tanh, w = 1.5 and s = 0", [{"f": "tanh"}, {"w": "1.50"}, {"s": "0.00"}])],
        "matrix": [("Take a Gaussian $W_{hh}$ with tanh",
                    [{"W_hh": "gaussian", "f": "tanh", "σ_max": "0.80"}, {"σ_max": "2.00"}]),
                   ("Then try the sigmoid around its edge $1/\\gamma = 4$",
                    [{"f": "sigmoid", "σ_max": "3.50"}, {"σ_max": "4.00"}, {"σ_max": "4.50"}]),
                   ("*sheared, ρ = 0.9*", [{"W_hh": "sheared, ρ = 0.9"}]),
                   ("With f = linear and T = 300, before you raise the shear from 0 to 0.5",
                    [{"f": "linear", "T": "300", "shear": "0.00"}, {"shear": "0.50"}])],
        "contribution": [("Before you move w from 0.9 to 1.1", [{"w": "0.90"}, {"w": "1.10"}])],
    },
    "04_taming_gradients": {
        "cliff": [("switch clipping from none to norm", [{"clipping": "none"}, {"clipping": "norm"}]),
                  ("Then try element-wise and a threshold of 3", [{"clipping": "elementwise"}, {"threshold": "3.00"}]),
                  ("keep the threshold at 3 and raise the learning rate to 3", [{"learning rate": "3.00"}])],
        "leak": [("Before you move z from 0.05 to 0.5", [{"z": "0.05"}, {"z": "0.50"}]),
                 ("And at z = 1", [{"z": "1.00"}])],
    },
}

#: WCAG AA: every text against what is drawn behind it (computed colours, opacity and ancestors' backgrounds)
_CONTRAST = """() => {
    const rgba = (s) => {
        const m = s.match(/[\\d.]+/g).map(Number);
        return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1];
    };
    const over = (top, below) => {
        const a = top[3];
        return [0, 1, 2].map(i => top[i] * a + below[i] * (1 - a)).concat(1);
    };
    const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
                         return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
    const behind = (el) => {
        const layers = [];
        for (let e = el; e; e = e.parentElement) {
            const st = getComputedStyle(e);
            if (st.backgroundImage !== 'none' && !st.backgroundImage.startsWith('linear-gradient')) return null;
            const c = rgba(st.backgroundColor);
            if (c[3] > 0) layers.push(c);
            if (c[3] >= 1) break;
        }
        let bg = [255, 255, 255, 1];
        for (const c of layers.reverse()) bg = over(c, bg);
        return bg;
    };
    const bad = [];
    let checked = 0;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const seen = new Set();
    while (walker.nextNode()) {
        const el = walker.currentNode.parentElement;
        if (!el || seen.has(el) || !walker.currentNode.textContent.trim()) continue;
        seen.add(el);
        const hidden = 'mjx-container, script, style, noscript, [aria-hidden=true], .visually-hidden, .sr-only, '
                       + 'dialog:not([open])';
        if (el.closest(hidden)) continue;
        const r = el.getBoundingClientRect();
        if (r.width < 1 || r.height < 1) continue;
        const st = getComputedStyle(el);
        if (st.visibility !== 'visible' || st.display === 'none') continue;
        let opacity = 1;
        for (let e = el; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
        if (opacity === 0) continue;
        const bg = behind(el);
        if (!bg) continue;
        const fg0 = rgba(st.color);
        const fg = over([fg0[0], fg0[1], fg0[2], fg0[3] * opacity], bg);
        const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
        const ratio = (a + 0.05) / (b + 0.05);
        const size = parseFloat(st.fontSize), bold = Number(st.fontWeight) >= 700;
        const need = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
        checked++;
        if (ratio < need) bad.push(`${ratio.toFixed(2)} < ${need}: <${el.tagName.toLowerCase()} `
                                   + `class="${el.className}"> "${el.textContent.trim().slice(0, 40)}"`);
    }
    return {checked, bad: bad.slice(0, 12), count: bad.length};
}"""

#: how many slider frames this page has fetched so far (its own resource timing entries)
_FRAMES_FETCHED = ("() => performance.getEntriesByType('resource')"
                   ".filter(e => e.name.includes('/_static/frames/')).length")
_COMPRESSIBLE = {".html", ".js", ".css", ".json", ".svg", ".txt", ".map", ".inv"}


#: what a page shows on this screen: its width, language, mode, alt texts, slider readouts, the printed outputs
#: and the code lines of at most 88 characters that scroll sideways, the copy buttons' tooltips, the figures
_SCREEN = """() => {
    const sideways = (e) => e.scrollWidth > e.clientWidth + 1;
    const longest = (pre) => Math.max(...pre.textContent.replace(/\\n$/, '').split('\\n').map(l => l.length));
    return {
        wide: document.documentElement.scrollWidth, lang: document.documentElement.lang,
        theme: document.documentElement.dataset.theme,
        alts: [...document.querySelectorAll('.bd-article img:not(.toggler)')].map(i => i.getAttribute('alt') || ''),
        ranges: [...document.querySelectorAll('figure.course-slider input[type=range]')]
            .map(i => i.getAttribute('aria-valuetext') || ''),
        outputs: [...document.querySelectorAll('div.cell_output pre')].filter(sideways)
            .map(p => p.textContent.slice(0, 60)),
        code: [...document.querySelectorAll('div.cell_input pre')].filter(p => longest(p) <= 88 && sideways(p))
            .map(p => p.textContent.slice(0, 60)),
        copy: [...new Set([...document.querySelectorAll('button.copybtn')].map(b => b.dataset.tooltip))],
        figures: [...document.querySelectorAll('img.course-figure')].map(i => ({
            src: i.getAttribute('src'), drawn: Number(i.getAttribute('width')),
            shown: i.getBoundingClientRect().width}))};
}"""


def _smallest_style_pt() -> float:
    """The smallest text the course style gives a figure (tick labels, legends, axis labels, titles), in points."""
    import matplotlib as mpl
    from matplotlib.font_manager import font_scalings

    from rnnlib.teaching.style import RC

    base = float(RC.get("font.size", mpl.rcParamsDefault["font.size"]))
    sizes = [RC.get(k, mpl.rcParamsDefault[k]) for k in ("axes.labelsize", "axes.titlesize", "legend.fontsize",
                                                         "xtick.labelsize", "ytick.labelsize")]
    return min([base] + [base * font_scalings[v] if isinstance(v, str) else float(v) for v in sizes])


def _png_dpi(path: Path) -> float:
    """The resolution a PNG was saved at (its pHYs chunk; matplotlib writes the figure's dpi)."""
    data = path.read_bytes()
    i = data.find(b"pHYs")
    return int.from_bytes(data[i + 4:i + 8], "big") * 0.0254 if i > 0 else 72.0


def _weight(site: Path, base: str, urls: set[str]) -> int:
    """Bytes a server that compresses text would send for these URLs of the site (gzip -6 for text)."""
    total = 0
    for url in urls:
        path = site / unquote(urlsplit(url).path[len(urlsplit(base).path):])
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            continue
        data = path.read_bytes()
        total += len(gzip.compress(data, 6)) if path.suffix in _COMPRESSIBLE else len(data)
    return total


@pytest.mark.site
def test_every_page_on_every_screen(site, served):
    """Every page at 390 x 844 and 1280 x 800, light and dark: no overflow (no printed output scrolls
    sideways, nor on a desktop a code line of 88 characters), AA contrast, alt text, lang, aria-valuetext, the
    copy button in the page's language, the phone menus open, first load ≤ 2 MB compressed, nothing from
    another site. Figures: the course style's smallest text at least 11 CSS px on the desktop; on the phone a
    tapped figure shows at the size it was drawn, that text at least 8 CSS px, inside its box."""
    _require_browser()
    from playwright.sync_api import sync_playwright

    base = served
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if "_static" not in p.parts)
    problems, blocked, weights = [], [], {}
    smallest_pt, text_px = _smallest_style_pt(), {}
    requested: set[str] = set()

    def route(r):
        url = r.request.url
        if url.startswith(base):
            requested.add(url.split("?")[0])
            r.continue_()
        else:
            blocked.append(url)
            r.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            for width, height in ((390, 844), (1280, 800)):
                for scheme in ("light", "dark"):
                    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)

                    context.route("**/*", route)
                    page = context.new_page()
                    page.set_default_timeout(TIMEOUT_MS)
                    where = f"{width}x{height} {scheme}"
                    for name in pages:
                        requested.clear()
                        page.goto(base + name, wait_until="load")
                        page.wait_for_load_state("networkidle")
                        if scheme == "light":
                            weights[(name, width)] = _weight(site, base, requested)
                        frames = page.evaluate(_FRAMES_FETCHED)
                        blocks = page.locator("figure.course-slider").count()
                        if frames > blocks:
                            problems.append(f"{name} {where}: {frames} slider frames before any slider is seen")
                        state = page.evaluate(_SCREEN)
                        if state["wide"] > width:
                            problems.append(f"{name} {where}: {state['wide']} px wide")
                        if state["theme"] != scheme:
                            problems.append(f"{name} {where}: the page is {state['theme']}")
                        korean = name.startswith("notebooks/ko/")
                        if state["lang"] != ("ko" if korean else "en"):
                            problems.append(f"{name}: lang={state['lang']!r}")
                        for alt in state["alts"]:
                            if len(alt) < 8 or re.search(r"[0-9a-f]{16}|\.png", alt):
                                problems.append(f"{name}: alt text {alt!r}")
                        for text in state["ranges"]:
                            if not re.fullmatch(r".+ = -?\d+\.\d+", text):
                                problems.append(f"{name}: slider aria-valuetext {text!r}")
                        if state["outputs"]:
                            problems.append(f"{name} {where}: outputs that scroll sideways {state['outputs'][:3]}")
                        if width > 1000 and state["code"] and not korean:
                            problems.append(f"{name} {where}: code within 88 columns scrolls {state['code'][:3]}")
                        if state["copy"] and state["copy"] != (["복사"] if korean else ["Copy"]):
                            problems.append(f"{name}: copy button tooltip {state['copy']}")
                        for figure in state["figures"] if scheme == "light" else ():
                            dpi = _png_dpi((site / name).parent / figure["src"])
                            px = smallest_pt * dpi / 72 * figure["shown"] / figure["drawn"]
                            text_px[(name, width, figure["src"])] = px
                            if width > 1000 and px < 11:
                                problems.append(f"{name} {where}: figure text {px:.1f} CSS px {figure}")
                        if state["figures"] and width < 992 and scheme == "light":     # tapped: full size
                            image = page.locator("img.course-figure").first
                            image.scroll_into_view_if_needed()
                            image.click()
                            zoomed = page.evaluate("""() => ({page: document.documentElement.scrollWidth,
                                img: document.querySelector('img.course-figure').getBoundingClientRect().width,
                                pressed: document.querySelector('img.course-figure').getAttribute('aria-pressed')})""")
                            drawn = state["figures"][0]["drawn"]
                            px = smallest_pt * _png_dpi((site / name).parent / state["figures"][0]["src"]) / 72
                            if abs(zoomed["img"] - drawn) > 1 or zoomed["page"] > width or px < 8:
                                problems.append(f"{name} {where}: a tapped figure is not full size in its box "
                                                f"{zoomed}, drawn {drawn} px, text {px:.1f} CSS px")
                            if zoomed["pressed"] != "true":
                                problems.append(f"{name}: a tapped figure does not say it is pressed")
                            image.press("Enter")                   # the keyboard's way back
                            if page.evaluate("document.querySelector('img.course-figure')"
                                             ".getBoundingClientRect().width") > width:
                                problems.append(f"{name} {where}: Enter does not bring a figure back")
                        contrast = page.evaluate(_CONTRAST)
                        if contrast["count"]:
                            problems.append(f"{name} {where}: {contrast['count']} texts below AA {contrast['bad']}")
                        if blocks and width > 1000 and scheme == "light" and "/ko/" not in name:
                            page.locator("figure.course-slider").last.scroll_into_view_if_needed()
                            page.wait_for_timeout(1000)             # first visit in this context: nothing cached
                            if page.evaluate(_FRAMES_FETCHED) <= frames + 1:
                                problems.append(f"{name}: a slider in view did not fetch its nearby frames")
                        if blocks and width < 992 and scheme == "light":      # a frame at full size, in its box
                            image = page.locator("figure.course-slider img").first
                            image.scroll_into_view_if_needed()
                            image.click()
                            zoomed = page.evaluate("""() => ({page: document.documentElement.scrollWidth,
                                img: document.querySelector('figure.course-slider img')
                                    .getBoundingClientRect().width})""")
                            if zoomed["img"] < 900 or zoomed["page"] > width:
                                problems.append(f"{name} {where}: a tapped frame is not full size in its box {zoomed}")
                            image.click()
                        if width > 1000 and name.startswith("notebooks/") and scheme == "light":
                            page.evaluate("window.scrollTo(0, 0)")
                            toggle = page.locator(".primary-toggle:visible").first
                            hidden = ("document.getElementById('pst-primary-sidebar')"
                                      ".classList.contains('pst-sidebar-hidden')")
                            toggle.click()
                            if not page.evaluate(hidden):
                                problems.append(f"{name} {where}: the header's ☰ does not hide the sidebar")
                            toggle.click()
                        if width < 992 and name.startswith("notebooks/") and scheme == "light":
                            for kind in ("primary", "secondary"):
                                page.evaluate("window.scrollTo(0, 0)")
                                page.locator(f".{kind}-toggle:visible").first.click()
                                opened = page.evaluate(f"document.getElementById('pst-{kind}-sidebar-modal').open")
                                if not opened:
                                    problems.append(f"{name} {where}: the {kind} menu does not open")
                                page.keyboard.press("Escape")
                    context.close()
        finally:
            browser.close()
    heavy = {k: v for k, v in weights.items() if v > 2_000_000}
    for width in (390, 1280):
        sizes = [px for (_, w, _), px in text_px.items() if w == width]
        if sizes:
            print(f"figure text at {width} px ({smallest_pt:g} pt): {min(sizes):.1f} to {max(sizes):.1f} CSS px over "
                  f"{len(sizes)} figures")
    print("first load, compressed (kB), at 390 / 1280 px:")
    for name in pages:
        print(f"  {name}: {weights.get((name, 390), 0) / 1e3:.0f} / {weights.get((name, 1280), 0) / 1e3:.0f}")
    if heavy:
        problems.append(f"first load over 2 MB compressed: {heavy}")
    if blocked:
        problems.append(f"requests to other sites: {sorted(set(blocked))[:10]}")
    assert not problems, "\n".join(problems[:60])


@pytest.mark.site
def test_the_copy_button_speaks_the_pages_language(site, served):
    """The copy button's tooltip and what it says after a copy, on an English and a Korean page."""
    _require_browser()
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            context.grant_permissions(["clipboard-read", "clipboard-write"])
            page = context.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            for folder, before, after in (("", "Copy", "Copied!"), ("ko/", "복사", "복사 완료!")):
                page.goto(f"{served}notebooks/{folder}{NOTEBOOKS[2].stem}.html", wait_until="load")
                button = page.locator("button.copybtn").first
                expect(button).to_have_attribute("data-tooltip", before)
                button.scroll_into_view_if_needed()
                button.click()
                expect(button).to_have_attribute("data-tooltip", after)
        finally:
            browser.close()


@pytest.mark.site
def test_every_prompt_can_be_followed_with_the_pages_controls(site, served):
    """Each "Predict first" prompt's moves, made with the page's own controls in both editions: every move
    reaches its value, leaves the moved controls enabled, and shows a loaded frame that changes with it."""
    _require_browser()
    import nbformat
    from playwright.sync_api import expect, sync_playwright

    site_module = _course_site()
    for stem, explorers in MOVES.items():
        nb = nbformat.read(ROOT / "notebooks" / f"{stem}.ipynb", as_version=4)
        cells = site_module.explorer_cells(nb)
        said = site_module.prompts(nb, cells)
        text = {slider.explorer: " ".join(said[i]) for i, slider in cells}
        assert set(explorers) == set(text), f"{stem}: explorers with prompts {sorted(text)}"
        for explorer, steps in explorers.items():
            for words, _ in steps:
                assert words in text[explorer], f"{stem} {explorer}: the prompt no longer says {words!r}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.set_default_timeout(TIMEOUT_MS)
            for stem, explorers in MOVES.items():
                for folder in ("", "ko/"):
                    page.goto(f"{served}notebooks/{folder}{stem}.html", wait_until="load")
                    figures = page.locator("figure.course-slider")
                    for i in range(figures.count()):
                        figure = figures.nth(i)
                        explorer = figure.get_attribute("data-explorer")
                        data = json.loads(figure.get_attribute("data-slider"))
                        assert figure.locator(".course-slider-prompt").count() >= 1, f"{folder}{stem} {explorer}"
                        labels = [g["label"] for g in data["grids"]]
                        image = figure.locator("img.course-slider-frame")
                        figure.scroll_into_view_if_needed()
                        language = "ko" if folder else "en"
                        for words, english_moves in explorers[explorer]:
                            # a Korean page names its controls and options as the Korean live explorer does
                            moves = [{site_module.page_label(label, language): site_module.page_value(value, language)
                                      for label, value in move.items()} for move in english_moves]
                            for move in moves:
                                before = image.get_attribute("src")
                                changed = False
                                for label, value in move.items():
                                    k = labels.index(label)
                                    changed |= _positions(figure)[k] != data["grids"][k]["values"].index(value)
                                    _set(page, figure, data, label, value)
                                positions = _positions(figure)
                                for label, value in move.items():
                                    k = labels.index(label)
                                    assert data["grids"][k]["values"][positions[k]] == value, (stem, words, label)
                                    assert "course-slider-off" not in (figure.locator(f'[data-control="{k}"]')
                                                                       .get_attribute("class")), (stem, words, label)
                                expect(image).to_have_attribute("src", _frame_src(data, positions))
                                if changed:
                                    assert image.get_attribute("src") != before, (stem, words, move)
                                page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                                                       arg=image.element_handle())
        finally:
            browser.close()
