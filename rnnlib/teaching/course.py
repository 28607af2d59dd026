"""The course's one place for its public repository, and the notebooks' setup helper.

A fork changes ``REPOSITORY`` (and ``BRANCH``) here and runs ``make badges``: every
notebook's Colab and Binder badges and its Colab install cell are rewritten from it.
The badges and the install cell name ``RELEASE``, the tag of the release the notebooks belong
to, so a notebook a learner saved keeps running against the library it was written for
(CONTRIBUTING.md: how a release is cut).
"""

from __future__ import annotations

import re

#: GitHub owner/name of the course repository.
REPOSITORY = "rnnlib-course/rnn-long-term-dependency"
#: The branch the website's repository button opens.
BRANCH = "main"
#: The tag of this release ("v" + the version in pyproject.toml): what the badges open and Colab installs.
RELEASE = "v0.3.0"

#: Oldest versions the course is tested with (Colab's are newer than these).
MINIMUM_VERSIONS = {"numpy": "2.0", "matplotlib": "3.7", "ipywidgets": "7.6"}   # as in pyproject.toml


def colab_url(notebook: str) -> str:
    """Open ``notebooks/<notebook>`` of this release of the course repository in Google Colab."""
    return f"https://colab.research.google.com/github/{REPOSITORY}/blob/{RELEASE}/notebooks/{notebook}"


def binder_url(notebook: str) -> str:
    """Open ``notebooks/<notebook>`` of this release in JupyterLab on Binder."""
    return f"https://mybinder.org/v2/gh/{REPOSITORY}/{RELEASE}?labpath=notebooks%2F{notebook.replace('/', '%2F')}"


def site_url() -> str:
    """The course website that the Pages workflow publishes: GitHub Pages of the course repository."""
    owner, name = REPOSITORY.split("/")
    host = f"{owner.lower()}.github.io"
    return f"https://{host}/" if name.lower() == host else f"https://{host}/{name}/"


def badges_markdown(notebook: str) -> str:
    """The badge row at the top of a notebook."""
    return (
        f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({colab_url(notebook)}) "
        f"[![Binder](https://mybinder.org/badge_logo.svg)]({binder_url(notebook)})"
    )


def setup_cell_source(language: str = "en") -> str:
    """The first code cell of every notebook: install on Colab (silent elsewhere), inline plots, checks, and
    the edition's language (the Korean notebooks pass ``language="ko"``)."""
    from .i18n import tr

    return (
        tr("# Setup. Colab opens this file alone, so there we install the course library first.", language=language)
        + "\n"
        "import sys\n"
        "\n"
        'if "google.colab" in sys.modules:\n'
        f'    %pip install --quiet "rnnlib[widgets] @ git+https://github.com/{REPOSITORY}@{RELEASE}"\n'
        "\n"
        "%matplotlib inline\n"
        "import rnnlib\n"
        "\n"
        + ("rnnlib.setup_notebook()" if language == "en" else f'rnnlib.setup_notebook(language="{language}")')
    )


def _version_tuple(version: str) -> tuple[int, ...]:
    """(2, 0) from '2.0.0rc1', (1, 10) from '1.10rc2': the leading numbers of each dotted part."""
    parts = []
    for piece in version.split(".")[:3]:
        match = re.match(r"\d+", piece)
        if match is None:
            break
        parts.append(int(match.group()))
        if match.end() < len(piece):       # '0rc1': a pre-release tag ends the release numbers
            break
    return tuple(parts)


def setup_notebook(language: str = "en") -> None:
    """Check the installed versions against the course's minimums, set the plotting style and the language.

    ``language`` ("en" or "ko") is the one every later message, readout and figure of this kernel is written
    in (rnnlib.teaching.i18n); Korean figures draw Hangul with the course's Hangul font. Prints one stable line (no
    version numbers, which differ between machines); raises ImportError naming the package to upgrade when
    one is too old, ValueError for a language the course does not speak.
    """
    import importlib

    from .i18n import HANGUL_FONT, check_language, figure_rc, set_language, tr

    check_language(language)
    for name, minimum in MINIMUM_VERSIONS.items():
        try:
            module = importlib.import_module(name)
        except ImportError:
            raise ImportError(f"the course needs {name} >= {minimum}: pip install '{name}>={minimum}'") from None
        if _version_tuple(module.__version__) < _version_tuple(minimum):
            raise ImportError(
                f"the course needs {name} >= {minimum}, found {module.__version__}: pip install -U '{name}>={minimum}'"
            )
    import matplotlib as mpl

    from .style import use_style

    use_style()
    if language == "en" and list(mpl.rcParams["font.family"])[:1] == [HANGUL_FONT]:
        mpl.rcParams["font.family"] = mpl.rcParamsDefault["font.family"]   # a Korean setup earlier in this kernel
    mpl.rcParams.update(figure_rc(language))
    set_language(language)
    print(tr("rnnlib is ready: numpy, matplotlib and ipywidgets are recent enough."))
