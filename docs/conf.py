"""Sphinx configuration of the course website (``make html``).

The pages are built from the notebooks' stored outputs (nothing is executed) into a staging
directory by the ``course_site`` extension in ``_ext/``: the five notebooks, the glossary and the
references of 00, the pages in ``pages/``, and the kernel-free sliders whose frames it draws at
build time with ``rnnlib.teaching.widgets.render_frames``. Maths is rendered by a MathJax copied from the
``sphinx-mathjax-offline`` package, so a reader's browser fetches nothing from another site.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))

from rnnlib import __version__  # noqa: E402
from rnnlib.teaching import course  # noqa: E402

project = "Recurrent Neural Networks, part 2"
author = "the rnnlib course"
copyright = "the rnnlib course authors (MIT licence)"
release = version = __version__
language = "en"

extensions = ["myst_nb", "sphinx.ext.autodoc", "sphinx_copybutton", "course_site"]
copybutton_exclude = ".linenos, .gp, .go"     # copy the code, not prompts or printed output

# the stored outputs are the pages: never execute a notebook here
nb_execution_mode = "off"
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3
suppress_warnings = ["mystnb.unknown_mime_type"]

exclude_patterns = ["_build", "**.ipynb_checkpoints"]
templates_path = ["_templates"]
html_static_path = ["_static"]
html_css_files = ["course-site.css"]
html_favicon = "_static/favicon.svg"    # a recurrent unit and its loop (the social cards: course_site.social_card)
html_js_files = ["course-sliders.js"]

html_theme = "sphinx_book_theme"
html_title = "RNNs, part 2: long-term dependency, BPTT, vanishing and exploding gradients"
html_baseurl = course.site_url()
html_show_sourcelink = False
html_copy_source = False
html_last_updated_fmt = None
html_theme_options = {
    "repository_url": f"https://github.com/{course.REPOSITORY}",
    "repository_branch": course.RELEASE,   # the header's launch buttons open the release the page links open
    "use_issues_button": True,
    "use_repository_button": True,
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "use_download_button": False,       # each notebook page links its own .ipynb (course_site: the top links)
    "launch_buttons": {"colab_url": "https://colab.research.google.com", "binderhub_url": "https://mybinder.org",
                       "notebook_interface": "jupyterlab"},
    "path_to_docs": "",                 # the staged pages sit where the notebooks sit in the repository
}
html_context = {"default_mode": "auto"}   # follow the reader's system (prefers-color-scheme)

# MathJax 3 from the package sphinx-mathjax-offline, copied into _static/mathjax by course_site
mathjax_path = "mathjax/tex-chtml.js"
mathjax3_config = {"options": {"enableMenu": False}}

autodoc_member_order = "bysource"
autodoc_typehints = "none"
autodoc_preserve_defaults = True   # defaults as written in the source, never a path of the machine that built the site
autodoc_default_options = {"members": True, "show-inheritance": False}
