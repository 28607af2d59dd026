"""Every explorer of notebooks 03 and 04 in a real JupyterLab, driven in headless Chromium through Playwright.

Starts ``jupyter lab`` from this Python on 127.0.0.1 (a free port, a token, a temporary root
holding a copy of notebooks/ and a generated notebook that builds each explorer with rnnlib alone),
runs it at 1280 x 800, then checks: every enabled slider and toggle changes the picture; no control
shows a "null" tooltip and every control has one; a disabled control says why; w = 0.5 and 0.9 are
drawn on the same y-range with different slopes; and the time from a key press to the new image
(median at most 100 ms, printed per explorer). Screenshots go to test-artifacts/ at the repository root.

Needs Debian's Chromium at /usr/bin/chromium (``apt-get update && apt-get install -y chromium``)
and the ``playwright`` package (``make setup``); Playwright never downloads a browser here.
Without them the test is skipped, except when the environment variable CI is set: then it fails.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
NOTEBOOK = "03_vanishing_exploding_gradients.ipynb"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
TIMEOUT_MS = 60_000


def _require_browser() -> None:
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"Chromium at {CHROMIUM} (apt-get update && apt-get install -y chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package (make setup, or pip install playwright; no browser download needed)")
    if missing:
        message = "browser test needs " + " and ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(message + " - CI is set, so it must run here")
        pytest.skip(message)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on 127.0.0.1 serving a copy of notebooks/; yields (base url, token)."""
    _require_browser()
    tmp = tmp_path_factory.mktemp("lab")
    root = tmp / "root"
    shutil.copytree(ROOT / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    # the kernel is this very Python (where rnnlib is installed), whatever other kernels the machine has
    spec = tmp / "jupyter-path" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (ipykernel)", "language": "python",
    }))
    # every cell kept in the page (no windowing), and no news prompt over the notebook
    settings = {"notebook-extension/tracker": {"windowingMode": "none"},
                "apputils-extension/notification": {"fetchNews": "false"}}
    for name, values in settings.items():
        path = tmp / "settings" / "@jupyterlab" / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    env = {**os.environ, "JUPYTER_PATH": str(tmp / "jupyter-path"), "JUPYTER_CONFIG_DIR": str(tmp / "config"),
           "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"), "JUPYTER_DATA_DIR": str(tmp / "data"),
           "IPYTHONDIR": str(tmp / "ipython"), "JUPYTER_PLATFORM_DIRS": "1"}
    env.pop("MPLBACKEND", None)
    port, token = _free_port(), secrets.token_hex(16)
    log = open(tmp / "lab.log", "w")  # closed in the teardown below
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
           f"--LabApp.user_settings_dir={tmp / 'settings'}", f"--LabApp.workspaces_dir={tmp / 'workspaces'}",
           "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")    # CI and containers run as root
    proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"jupyter lab exited with {proc.returncode}:\n{(tmp / 'lab.log').read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"jupyter lab did not answer within 60 s:\n{(tmp / 'lab.log').read_text()[-3000:]}")
            time.sleep(0.25)
        yield base, token, root
    finally:
        proc.terminate()              # the server shuts its kernels down on SIGTERM
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


def _slider(explorer, label: str):
    """The horizontal slider whose description is exactly ``label``, inside one explorer."""
    return explorer.locator(".widget-hslider").filter(
        has=explorer.page.locator(".widget-label", has_text=re.compile(rf"^{re.escape(label)}$")))


#: The explorers of notebooks 03 and 04, built by the generated notebook in this order.
EXPLORERS = ("scalar", "matrix", "contribution", "cliff", "leak")
DONE = "every explorer built"
#: Sliders that set the axes (they update on release; the first visit of a value draws its axes).
HEAVY = ("T", "H")

#: Records, in the page, when each explorer's picture changes (performance.now(), per image).
WATCH = """() => {
  window.__changes = [];
  document.querySelectorAll('img.widget-image').forEach((img, i) => {
    new MutationObserver(() => window.__changes.push([i, performance.now()]))
      .observe(img, {attributes: true, attributeFilter: ['src']});
  });
}"""


def _explorers_notebook(root: Path) -> str:
    """A notebook that builds every explorer of 03 and 04 with rnnlib alone (no other cell of the course)."""
    import nbformat

    cells = [nbformat.v4.new_code_cell("%matplotlib inline\nfrom rnnlib.teaching import widgets")]
    cells += [nbformat.v4.new_code_cell(f"x_{name} = widgets.{name}_explorer()\nx_{name}") for name in EXPLORERS]
    cells.append(nbformat.v4.new_code_cell(f"print({DONE!r})"))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    name = "explorers_under_test.ipynb"
    nbformat.write(nb, root / "notebooks" / name)
    return name


def _png(img) -> bytes:
    import base64

    src = img.get_attribute("src")
    if src.startswith("data:"):
        return base64.b64decode(src.split(",", 1)[1])
    return img.evaluate("""async el => { const r = await fetch(el.src); const b = new Uint8Array(await r.arrayBuffer());
                           return Array.from(b); }""")


def _pixels(data) -> object:
    import io

    import numpy as np
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(bytes(data))).convert("RGB"))


def test_every_explorer_in_jupyterlab(lab):
    from playwright.sync_api import expect, sync_playwright

    base, token, root = lab
    ARTIFACTS.mkdir(exist_ok=True)
    name = _explorers_notebook(root)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.set_default_timeout(TIMEOUT_MS)
            expect.set_options(timeout=TIMEOUT_MS)
            page.goto(f"{base}/lab/tree/notebooks/{name}?reset&token={token}")
            expect(page.locator(".jp-NotebookPanel .jp-Cell").first).to_be_visible()
            expect(page.get_by_text(re.compile(r"Python 3 \(ipykernel\) \| Idle"))).to_be_visible()
            page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
            page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
            expect(page.get_by_text(DONE, exact=True)).to_be_visible(timeout=120_000)

            boxes = page.locator(".widget-vbox").filter(has=page.locator("img.widget-image"))
            try:
                expect(boxes).to_have_count(len(EXPLORERS))
            except AssertionError:
                page.screenshot(path=str(ARTIFACTS / "explorers_missing.png"), full_page=True)
                raise
            explorers = {n: boxes.nth(i) for i, n in enumerate(EXPLORERS)}
            for box in explorers.values():
                img = box.locator("img.widget-image")
                expect(img).to_have_attribute("src", re.compile(r"."))
                assert img.evaluate("el => el.naturalWidth") > 0
                assert box.bounding_box()["width"] <= 1280 - 60, "the explorer must fit a 1280-pixel screen"
            page.evaluate(WATCH)

            # no label or control anywhere shows a "null" tooltip; every control of every explorer has one
            nulls = page.locator("[title='null']")
            assert nulls.count() == 0, [nulls.nth(i).evaluate("e => e.outerHTML")[:200] for i in range(nulls.count())]
            for n, box in explorers.items():
                controls = box.locator(".widget-hslider, .widget-toggle-buttons, .widget-dropdown, "
                                       ".rnnlib-label")
                for i in range(controls.count()):
                    titles = controls.nth(i).evaluate(
                        "el => [el, ...el.querySelectorAll('[title]')].map(e => e.getAttribute('title'))"
                        ".filter(t => t !== null)")
                    label = controls.nth(i).inner_text()[:20]
                    assert titles and all(t != "null" for t in titles), (n, label, titles)
                    assert max(len(t) for t in titles) > 10, (n, label, titles)

            # a disabled control says why: s and b of the scalar explorer's linear unit
            scalar = explorers["scalar"]
            s_slider = _slider(scalar, "input scale s")
            expect(s_slider.locator(".noUi-target")).to_have_attribute("disabled", re.compile(".*"))
            assert "linear unit" in s_slider.locator(".widget-label").get_attribute("title")
            expect(scalar).to_contain_text("disabled for a linear unit")

            # w = 0.5 and w = 0.9 (linear, T = 100): the same axes (the tick labels do not move), other slopes
            w = _slider(scalar, "w")
            readout, handle = w.locator(".widget-readout"), w.locator(".noUi-handle")
            img = scalar.locator("img.widget-image")
            expect(readout).to_have_text("0.90")
            at_09 = _pixels(_png(img))
            handle.focus()
            for _ in range(8):
                page.keyboard.press("PageDown")                      # 0.90 -> 0.50 in steps of 0.05
            expect(readout).to_have_text("0.50")
            expect(scalar.locator(".widget-html").last).to_contain_text("10^-30.1")
            at_05 = _pixels(_png(img))
            axis = slice(0, 62)                                      # the y tick labels, left of the plot
            assert (at_05[:, axis] == at_09[:, axis]).all(), "the y-range moved with w"
            assert (at_05[:, 70:520] != at_09[:, 70:520]).any(axis=2).sum() > 500, "the slope did not change"
            for _ in range(8):
                page.keyboard.press("PageUp")
            expect(readout).to_have_text("0.90")

            # every enabled slider of every explorer changes the picture; key press to new image, timed
            latencies = {}
            scalar.locator("button", has_text=re.compile(r"^tanh$")).click()
            expect(s_slider.locator(".noUi-target")).not_to_have_attribute("disabled", re.compile(".*"))
            for n, box in explorers.items():
                img = box.locator("img.widget-image")
                index = EXPLORERS.index(n)
                handles = box.locator(".noUi-handle")
                for i in range(handles.count()):
                    if handles.nth(i).locator("xpath=ancestor::*[contains(@class,'noUi-target')]").get_attribute(
                            "disabled") is not None:
                        continue
                    slider = handles.nth(i).locator("xpath=ancestor::*[contains(@class,'widget-hslider')]")
                    heavy = slider.locator(".widget-label").inner_text().strip() in HEAVY
                    for key in ("PageUp", "PageDown"):
                        src = img.get_attribute("src")
                        handles.nth(i).scroll_into_view_if_needed()
                        handles.nth(i).focus()
                        t0 = page.evaluate("performance.now()")
                        page.keyboard.press(key)
                        expect(img).not_to_have_attribute("src", src)
                        t1 = page.evaluate(f"Math.max(...window.__changes.filter(c => c[0] == {index})"
                                           ".map(c => c[1]))")
                        latencies.setdefault((n, heavy), []).append(t1 - t0)
                # every button of every toggle changes the picture too
                for b in range(box.locator(".widget-toggle-buttons button").count()):
                    button = box.locator(".widget-toggle-buttons button").nth(b)
                    if "mod-active" in (button.get_attribute("class") or "") or button.is_disabled():
                        continue
                    src = img.get_attribute("src")
                    button.click()
                    expect(img).not_to_have_attribute("src", src)

            # the matrix explorer's menu: the sheared matrix enables the shear and disables sigma_max, saying why
            matrix = explorers["matrix"]
            matrix.locator("select").select_option(label=[o for o in matrix.locator("select option").all_inner_texts()
                                                           if o.startswith("sheared")][0])
            expect(_slider(matrix, "σ_max").locator(".noUi-target")).to_have_attribute("disabled", re.compile(".*"))
            expect(matrix).to_contain_text("ρ is held")
            src = matrix.locator("img.widget-image").get_attribute("src")
            _slider(matrix, "shear").locator(".noUi-handle").focus()
            page.keyboard.press("PageUp")
            expect(matrix.locator("img.widget-image")).not_to_have_attribute("src", src)

            for n, box in explorers.items():
                box.scroll_into_view_if_needed()
                page.screenshot(path=str(ARTIFACTS / f"explorer_{n}.png"))
            assert page.get_by_text("Error displaying widget").count() == 0
            assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
            assert page.locator("[title='null']").count() == 0
        finally:
            browser.close()

    import statistics

    live = [t for (_, heavy), ts in latencies.items() for t in ts if not heavy]
    for (n, heavy), ts in sorted(latencies.items()):
        what = "T / H (new axes, drawn once)" if heavy else "live controls"
        print(f"key press to new image, {n}, {what}: median {statistics.median(ts):.0f} ms, max {max(ts):.0f} ms "
              f"over {len(ts)} presses")
    print(f"key press to new image, live controls of all explorers: median {statistics.median(live):.0f} ms "
          f"over {len(live)} presses")
    assert statistics.median(live) <= 100.0, "key press to new image: median above 100 ms"
