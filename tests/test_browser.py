"""Notebook 03 in a real JupyterLab, driven in headless Chromium through Playwright.

Starts ``jupyter lab`` from this Python on 127.0.0.1 (a free port, a token, a temporary root
holding a copy of notebooks/), opens 03, runs all cells, then moves the sliders by keyboard and
by mouse and checks that the readout and the picture change and that no widget fails to display.
A screenshot goes to test-artifacts/ at the repository root.

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
        yield base, token
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


def test_notebook_03_sliders_in_jupyterlab(lab):
    from playwright.sync_api import expect, sync_playwright

    base, token = lab
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(TIMEOUT_MS)
            expect.set_options(timeout=TIMEOUT_MS)
            page.goto(f"{base}/lab/tree/notebooks/{NOTEBOOK}?reset&token={token}")
            expect(page.locator(".jp-NotebookPanel .jp-Cell").first).to_be_visible()
            expect(page.get_by_text(re.compile(r"Python 3 \(ipykernel\) \| Idle"))).to_be_visible()

            # Run > Run All Cells, then wait for the last cell's output
            page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
            page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
            expect(page.get_by_text("Exercise 3: correct.")).to_be_visible(timeout=120_000)

            explorers = page.locator(".widget-vbox").filter(has=page.locator("img.widget-image"))
            expect(explorers).to_have_count(3)
            scalar, matrix, contrib = explorers.nth(0), explorers.nth(1), explorers.nth(2)
            for box in (scalar, matrix, contrib):
                img = box.locator("img.widget-image")
                expect(img).to_have_attribute("src", re.compile(r"."))
                assert img.evaluate("el => el.naturalWidth") > 0

            # the w slider, across |w| = 1 by keyboard: 0.90 -> 0.95 -> 1.00 -> 1.05 (PageUp = 5 steps)
            w = _slider(scalar, "w")
            readout, handle = w.locator(".widget-readout"), w.locator(".noUi-handle")
            img = scalar.locator("img.widget-image")
            regime = scalar.locator(".widget-html")
            expect(readout).to_have_text("0.90")
            expect(regime).to_contain_text("vanishing")
            handle.scroll_into_view_if_needed()
            for expected in ("0.95", "1.00", "1.05"):
                src = img.get_attribute("src")
                handle.focus()
                page.keyboard.press("PageUp")
                expect(readout).to_have_text(expected)
                expect(img).not_to_have_attribute("src", src)
            expect(regime).to_contain_text("exploding")
            for _ in range(3):
                page.keyboard.press("ArrowLeft")
            expect(readout).to_have_text("1.02")
            page.keyboard.press("PageDown")
            expect(readout).to_have_text("0.97")
            expect(regime).to_contain_text("vanishing")

            # and by mouse: drag the handle to the right, past 1
            src, text = img.get_attribute("src"), readout.inner_text()
            box = handle.bounding_box()
            track = w.locator(".noUi-target").bounding_box()
            x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            page.mouse.move(x, y)
            page.mouse.down()
            page.mouse.move(x + 0.15 * track["width"], y, steps=8)
            page.mouse.up()
            expect(readout).not_to_have_text(text)
            expect(img).not_to_have_attribute("src", src)
            assert float(readout.inner_text()) > 1.2
            expect(regime).to_contain_text("exploding")

            # every slider of every explorer changes the picture (the scalar one under tanh: a linear
            # unit's Jacobian ignores the input scale and bias)
            scalar.locator("button", has_text=re.compile(r"^tanh$")).click()
            for box in (scalar, matrix, contrib):
                img = box.locator("img.widget-image")
                handles = box.locator(".noUi-handle")
                for i in range(handles.count()):
                    src = img.get_attribute("src")
                    handles.nth(i).scroll_into_view_if_needed()
                    handles.nth(i).focus()
                    page.keyboard.press("PageUp")
                    expect(img).not_to_have_attribute("src", src)

            matrix_regime = matrix.locator(".widget-html")
            sigma = _slider(matrix, "σ_max")
            sigma.locator(".noUi-handle").focus()
            for _ in range(4):                                   # 1.75 -> 0.75: below 1/gamma for tanh
                page.keyboard.press("PageDown")
            expect(sigma.locator(".widget-readout")).to_have_text("0.75")
            expect(matrix_regime).to_contain_text("vanishing is guaranteed")

            for name, box in (("contribution", contrib), ("matrix", matrix)):
                box.scroll_into_view_if_needed()
                page.screenshot(path=str(ARTIFACTS / f"notebook03_{name}_explorer.png"))
            scalar.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "notebook03_scalar_explorer.png"))
            assert page.get_by_text("Error displaying widget").count() == 0
            assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
        finally:
            browser.close()
