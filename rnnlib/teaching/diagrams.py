"""Figures of notebook 02: the unrolled graph, the contribution matrix and truncated BPTT.

    draw_unrolled_graph       x_t -> h_t -> o_t -> l_t, shared W_xh / W_hh / W_hy on every edge
    plot_contribution_matrix  ||C[t, k]|| as a heat map (loss step t against path step k)
    plot_contribution_by_lag  ||C[t, k]|| against the lag t - k
    plot_truncation_error     how far truncated gradients are from the full one, against K
    plot_truncation_costs     stored states and backward matrix products, against K
    plot_contribution_triangle  the signed C[t, k] of a one-unit network, with row and column sums
    plot_window_convergence   relative error and 1 - cos of truncated gradients, on log axes, against K

The numbers behind the cost figure are measured in ``rnnlib.costs``. Titles, labels and annotations are in
the notebook's language (``i18n.tr``, catalog ``messages/ko/diagrams.json``); curve labels are the caller's.

matplotlib is imported inside each function. Shapes: T steps, B batch, H hidden.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .._validate import check_array, check_positive_int
from .i18n import tr

#: legend entry of the points at K >= T, where truncated_bptt and chunked_bptt hand over to rnn_backward
#: (the English text; the legend shows it in the notebook's language, the lines keep it as their gid)
HANDOVER_LABEL = "K ≥ T: rnn_backward"
_MARKERS = ("s", "^", "D", "o")


def _check_axes(ax: object) -> None:
    if ax is not None and not hasattr(ax, "plot"):
        raise ValueError(f"ax: expected a matplotlib Axes or None, got {type(ax).__name__}")


def draw_unrolled_graph(T: int = 4, *, highlight: tuple[int, int] | None = None, blocks: int | None = None,
                        ax=None):
    """The RNN unrolled over T steps as a computational graph.

    Nodes: h_0 (the initial state, ``h_init``), and x_t, h_t, o_t, y_t, l_t = l(y_t, o_t) for the steps
    t = 1..T, counted from 1 as in the lecture (``X[t-1]`` is x_t); Loss = sum_t l_t.
    Every edge carries the weight it uses: the same W_xh, W_hh, W_hy at every step.
    ``highlight=(t, k)`` (1 <= k <= t <= T) draws in the accent colour the path of C[t, k]:
    from the loss at step t down to h_t, back through the states to h_k, and the
    immediate edge W_hh into h_k (h_{k-1} held fixed).

    ``blocks=K`` shades the blocks of ``chunked_bptt`` (K steps each) and marks each block boundary on the
    W_hh edge that crosses it: the state flows on, the gradient stops there.

    Inputs: T in 1..8; highlight; blocks in 1..T - 1 or None; ax (None: a new figure). Returns: the Axes.
    """
    import matplotlib.pyplot as plt

    from .style import COLORS

    T = check_positive_int("T", T)
    if T > 8:
        raise ValueError(f"T: expected at most 8 steps (the drawing gets unreadable), got {T}")
    if highlight is not None:
        if (not isinstance(highlight, tuple) or len(highlight) != 2
                or not all(isinstance(i, (int, np.integer)) and not isinstance(i, bool) for i in highlight)):
            raise ValueError(f"highlight: expected a pair of integers (t, k) or None, got {highlight!r}")
        if not 1 <= highlight[1] <= highlight[0] <= T:
            raise ValueError(f"highlight: expected steps (t, k) with 1 <= k <= t <= T={T}, got {highlight!r}")
    if blocks is not None:
        if isinstance(blocks, bool) or not isinstance(blocks, (int, np.integer)) or not 1 <= blocks < T:
            raise ValueError(f"blocks: expected a block length K with 1 <= K < T={T} or None, got {blocks!r}")
    _check_axes(ax)
    if ax is None:
        _, ax = plt.subplots(figsize=(1.7 * T + 2.2, 5.6))

    dx, y_x, y_h, y_o, y_l, y_L = 1.7, 0.0, 1.5, 3.0, 4.4, 5.6
    xs = [dx * (t + 1) for t in range(T)]
    accent = COLORS["accent"]
    on_path_h: set[int] = set()
    if highlight is not None:
        t_hl, k_hl = highlight
        on_path_h = set(range(k_hl - 1, t_hl))                # array positions of h_k .. h_t

    def node(x: float, y: float, text: str, *, kind: str = "state", hot: bool = False) -> None:
        face = {"state": "#dbe9f6", "input": "#eeeeee", "output": "#e3f1df", "loss": "#fbe3d6"}[kind]
        style = "round,pad=0.35" if kind == "loss" else "circle,pad=0.25"
        ax.text(x, y, text, ha="center", va="center", fontsize=11, zorder=3,
                bbox=dict(boxstyle=style, fc=face, ec=accent if hot else "0.3", lw=2.2 if hot else 1.0))

    def edge(x0: float, y0: float, x1: float, y1: float, label: str = "", *, hot: bool = False,
             side: str = "left", dashed: bool = False) -> None:
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0), zorder=2,
                    arrowprops=dict(arrowstyle="-|>", color=accent if hot else "0.35", lw=2.4 if hot else 1.1,
                                    shrinkA=15, shrinkB=15, ls="--" if dashed else "-"))
        if label:
            mx, my = (x0 + x1) / 2, (y0 + y1) / 2
            if side == "left":
                ax.text(mx - 0.1, my, label, ha="right", va="center", fontsize=9,
                        color=accent if hot else "0.15")
            else:
                ax.text(mx, my + 0.12, label, ha="center", va="bottom", fontsize=9,
                        color=accent if hot else "0.15")

    node(0.0, y_h, r"$h_0$", kind="input")
    for t, x in enumerate(xs):                       # position t holds step t + 1
        hot_l = highlight is not None and t + 1 == highlight[0]
        node(x, y_x, rf"$x_{{{t + 1}}}$", kind="input")
        node(x, y_h, rf"$h_{{{t + 1}}}$", hot=t in on_path_h)
        node(x, y_o, rf"$o_{{{t + 1}}}$", kind="output", hot=hot_l)
        node(x + 0.62, y_o + 0.55, rf"$y_{{{t + 1}}}$", kind="input")
        node(x, y_l, rf"$\ell_{{{t + 1}}}$", kind="loss", hot=hot_l)
        edge(x, y_x, x, y_h, r"$W_{xh}$")
        edge(x, y_h, x, y_o, r"$W_{hy}$", hot=hot_l)
        edge(x, y_o, x, y_l, hot=hot_l)
        edge(x + 0.62, y_o + 0.55, x, y_l, dashed=True)
        edge(x, y_l, dx * (T + 1) / 2, y_L, hot=hot_l)
        prev = 0.0 if t == 0 else xs[t - 1]
        # the edge into h_t is on the path when h_t lies strictly after h_k (a Jacobian factor)
        # or when t == k (the immediate partial d+h_k/dW_hh, h_{k-1} held fixed)
        edge(prev, y_h, x, y_h, r"$W_{hh}$", side="top", hot=t in on_path_h)
    node(dx * (T + 1) / 2, y_L, r"$Loss=\sum_t \ell_t$", kind="loss", hot=highlight is not None)
    if blocks is not None:
        for start in range(0, T, blocks):                 # block b holds steps start + 1 .. start + blocks
            end = min(start + blocks, T)
            ax.axvspan(xs[start] - dx / 2 + 0.1, xs[end - 1] + dx / 2 - 0.1, ymin=0.03, ymax=0.97,
                       color=COLORS["accent"] if (start // blocks) % 2 else "0.5", alpha=0.08, zorder=0)
            if start > 0:                                # the W_hh edge from h_start into h_(start + 1)
                bx = (xs[start - 1] + xs[start]) / 2
                ax.text(bx, y_h - 0.05, "✕", ha="center", va="center", fontsize=15, color=accent, zorder=4)
                ax.text(bx, y_x - 0.35, tr("✕ gradient\nstops"), ha="center", va="top", fontsize=8, color=accent)

    ax.set_xlim(-0.7, dx * T + 1.2)
    ax.set_ylim(-1.0 if blocks is not None else -0.6, y_L + 0.6)
    ax.set_aspect("equal")
    ax.axis("off")
    title = tr("The RNN unrolled over T = {T} steps: the same weights on every edge", T=T)
    if highlight is not None:
        t_hl, k_hl = highlight
        title += "\n" + tr("highlighted: the path of C[{t}, {k}], from the loss at step {t} back to {state}",
                           t=t_hl, k=k_hl, state=rf"$h_{{{k_hl}}}$")
    if blocks is not None:
        title += "\n" + tr("chunked_bptt with K = {K}: the state flows on across a block boundary (✕), "
                           "the gradient does not", K=blocks)
    ax.set_title(title)
    return ax


def _check_contributions(C: object) -> np.ndarray:
    C = check_array("C", C, (("T", None), ("T", None)))
    if C.shape[0] != C.shape[1]:
        raise ValueError(f"C: expected a square array of shape (T, T) from rnnlib.contributions, got shape {C.shape}")
    if np.any(C < 0):
        raise ValueError("C: expected norms >= 0 (rnnlib.contributions without full=True), got negative entries")
    return C


def plot_contribution_matrix(C: np.ndarray, *, ax=None):
    """Heat map of ||C[t, k]|| on a log colour scale; k > t (no such path) and zeros are masked (white).

    Inputs: C (T, T) from ``rnnlib.contributions`` (norms; entry [t - 1, k - 1] is C[t, k]); ax.
    The axes count steps from 1, as the lecture does. Returns: the matplotlib Axes.
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import LogNorm

    C = _check_contributions(C)
    _check_axes(ax)
    T = C.shape[0]
    t, k = np.indices(C.shape)
    shown = np.ma.masked_where((k > t) | (C <= 0), C)
    if shown.count() == 0:
        raise ValueError("C: expected some positive entries with k <= t, got none")
    vmax = float(shown.max())
    vmin = max(float(shown.min()), vmax * 1e-15)
    if ax is None:
        _, ax = plt.subplots(figsize=(5.6, 4.6))
    cmap = plt.get_cmap("viridis").with_extremes(bad="white")
    im = ax.imshow(shown, norm=LogNorm(vmin=vmin, vmax=vmax), cmap=cmap, origin="upper",   # steps from 1
                   extent=(0.5, T + 0.5, T + 0.5, 0.5), interpolation="nearest")
    ax.figure.colorbar(im, ax=ax, label=tr(r"$\|C[t,k]\|_F$ (log scale)"))
    ax.set_xlabel(tr(r"path step $k$: the state $h_k$ where the path meets $W_{hh}$"))
    ax.set_ylabel(tr(r"loss step $t$ of $\ell_t$"))
    ax.set_title(tr("Contribution matrix (white: k > t, no path)"))
    ax.grid(False)
    return ax


def plot_contribution_by_lag(C: np.ndarray, *, ax=None):
    """||C[t, k]|| against the lag t - k: every entry as a dot, the median per lag as a line.

    Inputs: C (T, T) from ``rnnlib.contributions`` (norms); ax. Returns: the matplotlib Axes.
    """
    import matplotlib.pyplot as plt

    from .style import COLORS

    C = _check_contributions(C)
    _check_axes(ax)
    T = C.shape[0]
    if ax is None:
        _, ax = plt.subplots()
    lags, medians = [], []
    for lag in range(T):
        values = np.diagonal(C, -lag)
        values = values[values > 0]
        if values.size == 0:
            continue
        ax.scatter(np.full(values.size, lag), values, s=6, color=COLORS["vanish"], alpha=0.35, lw=0)
        lags.append(lag)
        medians.append(float(np.median(values)))
    if not lags:
        raise ValueError("C: expected some positive entries with k <= t, got none")
    ax.plot(lags, medians, color=COLORS["accent"], lw=2, label=tr("median over t"))
    ax.scatter([], [], s=6, color=COLORS["vanish"], label=tr(r"one $\|C[t,k]\|_F$"))
    ax.set_yscale("log")
    ax.set_xlabel(tr(r"lag $t-k$: steps between the loss and the state $h_k$"))
    ax.set_ylabel(tr(r"$\|C[t,k]\|_F$ (log scale)"))
    ax.set_title(tr("Contributions fade with the lag"))
    ax.legend(loc="upper right")
    return ax


def _check_curves(name: str, curves: object, n: int) -> dict[str, np.ndarray]:
    if not isinstance(curves, Mapping) or not curves:
        raise ValueError(f"{name}: expected a non-empty mapping label -> array of length {n}, got {curves!r}")
    return {label: check_array(f"{name}[{label!r}]", v, (("len(Ks)", n),)) for label, v in curves.items()}


def _check_convergence(Ks: object, T: object, rel_errors: object, cosines: object) -> tuple:
    """Ks, T and the two label -> (n,) mappings of a truncation-error figure, checked: (Ks, T, errs, coss)."""
    Ks = _check_Ks(Ks)
    T = check_positive_int("T", T)
    errs = _check_curves("rel_errors", rel_errors, Ks.size)
    coss = _check_curves("cosines", cosines, Ks.size)
    if set(errs) != set(coss):
        raise ValueError(f"cosines: expected the labels of rel_errors {sorted(errs)}, got {sorted(coss)}")
    return Ks, T, errs, coss


def _check_Ks(Ks: object) -> np.ndarray:
    Ks = check_array("Ks", Ks, (("n", None),))
    if np.any(Ks < 1) or np.any(Ks != np.round(Ks)) or np.any(np.diff(Ks) <= 0):
        raise ValueError(f"Ks: expected increasing positive integers, got {Ks.tolist()}")
    return Ks


def plot_truncation_error(Ks: Sequence[int], rel_errors: Mapping[str, np.ndarray], cosines: Mapping[str, np.ndarray],
                          T: int):
    """Two panels against the window K: the relative error ||G_K - G|| / ||G|| (log scale)
    and the cosine similarity of the truncated gradient G_K with the full one G = dLoss/dW_hh.

    Inputs: Ks (n,) increasing; rel_errors and cosines, label -> (n,) arrays with the same
    labels; T, the sequence length (marked: K >= T is full BPTT, error exactly 0, not drawn
    on the log axis; the points at K >= T are drawn apart from the curve, see ``_plot_split``).
    Returns: the matplotlib Figure.
    """
    import matplotlib.pyplot as plt

    Ks, T, errs, coss = _check_convergence(Ks, T, rel_errors, cosines)
    if any(np.any(e < 0) for e in errs.values()):
        raise ValueError("rel_errors: expected values >= 0, got negative entries")
    fig, (a0, a1) = plt.subplots(1, 2, figsize=(10, 3.8))
    for i, (label, e) in enumerate(errs.items()):
        style = dict(color=f"C{i % 10}", marker=_MARKERS[i % len(_MARKERS)], ms=6, lw=1.5)
        keep = e > 0
        _plot_split(a0, Ks[keep], e[keep], T, label=label, **style)
        _plot_split(a1, Ks, coss[label], T, label=label, **style)
    for a in (a0, a1):
        _k_axis(a, Ks, T)
    a0.set_yscale("log")
    a0.set_ylabel(tr(r"$\|G_K - G\|_F \,/\, \|G\|_F$ (log scale)"))
    a0.set_title(tr(r"Relative error of $G = \partial Loss/\partial W_{hh}$ (0 for K ≥ T: not drawn)"))
    a1.set_ylabel(tr(r"cosine similarity of $G_K$ and $G$"))
    a1.set_title(tr("Direction of the truncated gradient"))
    _legend(a0, "lower left")
    _legend(a1, "lower right")
    fig.tight_layout()
    return fig


def _plot_split(ax, Ks: np.ndarray, v: np.ndarray, T: int, *, label: str, **style) -> None:
    """One method's curve against K, cut at K = T.

    For K < T the truncated function truncates: a line with filled markers. For K >= T it
    hands the whole job over to ``rnn_backward``: hollow markers on a dotted line of their
    own, never joined to the K < T part (a line across K = T would suggest a gradual change).
    ``_legend`` names them once, as ``HANDOVER_LABEL``.
    """
    below = Ks < T
    color = style.pop("color", None)
    if np.any(below):
        (line,) = ax.plot(Ks[below], v[below], label=label, color=color, **style)
        color = line.get_color()
        label = "_nolegend_"
    if np.any(~below):
        handover = dict(style, ls=":", lw=1.0, mfc="white")
        (line,) = ax.plot(Ks[~below], v[~below], label=label, color=color, **handover)
        line.set_gid(HANDOVER_LABEL)


def _legend(ax, loc: str) -> None:
    """The legend of an Axes drawn with ``_plot_split``: one entry per method, then one
    hollow-marker entry for the hand-over points at K >= T when the Axes has any."""
    if any(line.get_gid() == HANDOVER_LABEL for line in ax.lines):
        # the label is HANDOVER_LABEL, in the notebook's language
        ax.plot([], [], ls=":", lw=1.0, color="0.35", marker="o", ms=6, mfc="white", label=tr("K ≥ T: rnn_backward"))
    ax.legend(loc=loc)


def _k_axis(ax, Ks: np.ndarray, T: int) -> None:
    """Log-2 K axis with the tried K values as plain tick labels and K = T marked."""
    from matplotlib.ticker import NullLocator

    ax.set_xscale("log", base=2)
    # labels that would overlap give way: first K = T (named by its marker line), then any K but T - 1
    # (where the window is exact for the weights)
    labelled: list[float] = []
    for k in sorted(Ks, key=lambda k: (k != T - 1, k == T, k)):
        if all(abs(np.log2(k / other)) >= 0.5 for other in labelled):
            labelled.append(k)
    ax.set_xticks(Ks, [f"{k:g}" if k in labelled else "" for k in Ks])
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xlim(Ks[0] / 1.4, Ks[-1] * 1.4)
    ax.axvline(T, color="0.5", ls=":", lw=1)
    ax.text(T, 1.0, f" K = T = {T}", transform=ax.get_xaxis_transform(), va="top", ha="left", fontsize=8,
            color="0.3")
    ax.set_xlabel(tr("truncation window K (steps, log scale)"))


def _plain_log_y(ax) -> None:
    """Log y axis labelled 1, 2, 5, 10, 20, ... instead of powers of ten."""
    from matplotlib.ticker import FormatStrFormatter, LogLocator, NullFormatter

    ax.set_yscale("log")
    ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.yaxis.set_major_formatter(FormatStrFormatter("%g"))
    ax.yaxis.set_minor_formatter(NullFormatter())


def plot_truncation_costs(Ks: Sequence[int], states: Mapping[str, np.ndarray], products: Mapping[str, np.ndarray],
                          T: int):
    """Two panels against the window K: hidden states kept in memory, and backward
    matrix products by W_hh (both log scale), one line per method.

    Inputs: Ks (n,) increasing; states and products, label -> (n,) arrays, the first label
    the reference (full BPTT, drawn as a pale band under the others); T, the sequence length
    (marked; for K >= T the truncated functions hand over to ``rnn_backward``, and their
    points there are drawn apart from their curves). Returns: the matplotlib Figure.
    """
    import matplotlib.pyplot as plt

    Ks = _check_Ks(Ks)
    T = check_positive_int("T", T)
    st = _check_curves("states", states, Ks.size)
    pr = _check_curves("products", products, Ks.size)
    for name, curves in (("states", st), ("products", pr)):
        if any(np.any(v <= 0) for v in curves.values()):
            raise ValueError(f"{name}: expected counts > 0 (drawn on a log axis), got a value <= 0")
    fig, (a0, a1) = plt.subplots(1, 2, figsize=(10, 3.8))
    # the first curve is the reference (full BPTT): a wide pale band underneath, so a method
    # with the same counts (chunked products) stays visible on top of it
    reference = dict(color="0.55", lw=6, alpha=0.4, solid_capstyle="butt", zorder=1)
    for ax, curves in ((a0, st), (a1, pr)):
        for i, (label, v) in enumerate(curves.items()):
            if i == 0:
                ax.plot(Ks, v, label=label, **reference)
            else:
                _plot_split(ax, Ks, v, T, label=label, color=f"C{(i - 1) % 10}",
                            marker=_MARKERS[(i - 1) % len(_MARKERS)], ms=6, lw=1.5, zorder=3)
        _k_axis(ax, Ks, T)
        _plain_log_y(ax)
    a0.set_ylabel(tr("hidden states kept (log scale)"))
    a0.set_title(tr("Memory: states a streaming\nimplementation keeps"))
    full = float(next(iter(st.values()))[0])              # the reference's level: full BPTT keeps T + 1 states
    ticks = [t for t in a0.get_yticks() if a0.get_ylim()[0] <= t <= a0.get_ylim()[1] and t != full]
    a0.set_yticks(ticks + [full])
    a0.set_yticklabels([f"{t:g}" for t in ticks] + [f"{full:g} = T + 1"])
    _legend(a0, "lower right")
    a1.set_ylabel(tr(r"products by $W_{hh}$ (log scale)"))
    a1.set_title(tr("Work: products by $W_{hh}$ in\none backward pass"))
    _legend(a1, "upper left")
    fig.tight_layout()
    return fig


def plot_contribution_triangle(C: np.ndarray, *, ax=None, digits: int = 3):
    """The swap of sums as a table: the signed pieces C[t, k] of a one-unit network, with row and column sums.

    Each row t is one loss term l_t and its paths back (the literal double sum, outer sum over t); each
    column k is one state h_k and every later loss reaching it (BPTT's order, delta_k). The row sums and the
    column sums are printed in the margins; both add up to the same gradient, printed in the corner.

    Inputs: C (T, T) real, entry [t - 1, k - 1] the scalar C[t, k] (for H = 1:
    ``rnnlib.contributions(dH, cache, full=True)[:, :, 0, 0]``), zero for k > t; ax; digits, the
    decimals printed. Returns: the matplotlib Axes.
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import TwoSlopeNorm

    C = check_array("C", C, (("T", None), ("T", None)))
    if C.shape[0] != C.shape[1]:
        raise ValueError(f"C: expected a square array of shape (T, T), got shape {C.shape}")
    T = C.shape[0]
    t, k = np.indices(C.shape)
    if np.any(C[k > t] != 0):
        raise ValueError("C: expected zeros above the diagonal (k > t: no path), got non-zero entries")
    _check_axes(ax)
    if ax is None:
        _, ax = plt.subplots(figsize=(1.25 * T + 3.2, 0.9 * T + 2.2))
    vmax = float(np.max(np.abs(C))) or 1.0
    shown = np.ma.masked_where(k > t, C)
    cmap = plt.get_cmap("PuOr").with_extremes(bad="white")
    ax.imshow(shown, cmap=cmap, norm=TwoSlopeNorm(0.0, -vmax, vmax), extent=(0.5, T + 0.5, T + 0.5, 0.5),
              interpolation="nearest")
    fmt = f"{{:+.{digits}f}}"
    for i in range(T):
        for j in range(T):
            if j <= i:
                dark = abs(C[i, j]) > 0.6 * vmax
                ax.text(j + 1, i + 1, fmt.format(C[i, j]), ha="center", va="center", fontsize=9,
                        color="white" if dark else "black")
            else:
                ax.text(j + 1, i + 1, tr("no path"), ha="center", va="center", fontsize=7, color="0.6")
    margin = dict(ha="center", va="center", fontsize=9, fontweight="bold")
    for i in range(T):
        ax.text(T + 1.15, i + 1, fmt.format(C[i].sum()), **margin)
        ax.text(i + 1, T + 1.0, fmt.format(C[:, i].sum()), **margin)
    ax.text(T + 1.15, T + 1.0, fmt.format(C.sum()), color="#d55e00", **margin)
    ax.text(T + 1.15, 0.3, tr("row sum:\nall paths\nof loss $\\ell_t$"), ha="center", va="bottom", fontsize=8)
    ax.text(0.35, T + 1.0, tr("column sum:\nall paths\ninto $h_k$"), ha="right", va="center", fontsize=8)
    ax.set_xlim(-0.9, T + 1.8)
    ax.set_ylim(T + 1.5, -0.2)
    ax.set_xticks(range(1, T + 1), [f"k = {j}" for j in range(1, T + 1)])
    ax.set_yticks(range(1, T + 1), [f"t = {i}" for i in range(1, T + 1)])
    ax.set_xlabel(tr(r"path step $k$: the state $h_k$ where the path meets $W_{hh}$ (columns: BPTT's order)"))
    ax.set_ylabel(tr(r"loss step $t$ (rows: the literal sum)"))
    ax.set_title(tr("C[t, k] of a one-unit network, T = {T}: rows and columns add to the same\n{gradient} (corner)",
                    T=T, gradient=r"$\partial Loss/\partial W_{hh}$"))
    ax.grid(False)
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.tick_params(length=0)
    return ax


def plot_window_convergence(Ks: Sequence[int], rel_errors: Mapping[str, np.ndarray],
                            cosines: Mapping[str, np.ndarray], T: int, *, floor: float = 1e-16):
    """Two log panels against the window K: the relative error ||G_K - G|| / ||G|| and 1 - cos(G_K, G).

    Values at or below ``floor`` (exact, or equal up to rounding) are drawn on the floor line with a
    hollow down-pointing marker. K = T - 1 is marked: there the per-term window keeps every path into a
    weight (full BPTT for the weights); from K = T both variants hand over to ``rnn_backward``.

    Inputs: Ks (n,) increasing; rel_errors and cosines, label -> (n,) arrays with the same labels;
    T, the sequence length; floor > 0. Returns: the matplotlib Figure.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullLocator

    Ks, T, errs, coss = _check_convergence(Ks, T, rel_errors, cosines)
    if not floor > 0:
        raise ValueError(f"floor: expected a positive number, got {floor!r}")
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.0))
    panels = ((axes[0], errs, tr(r"$\|G_K - G\|_F \,/\, \|G\|_F$ (log scale)"),
               tr(r"Relative error of the truncated $G_K$")),
              (axes[1], {label: 1.0 - c for label, c in coss.items()}, tr(r"$1 - \cos(G_K, G)$ (log scale)"),
               tr(r"Direction: $1 - \cos$ of $G_K$ and $G$")))
    for ax, curves, ylabel, title in panels:
        for i, (label, v) in enumerate(curves.items()):
            color, marker = f"C{i % 10}", _MARKERS[i % len(_MARKERS)]
            above = v > floor
            ax.plot(Ks[above], v[above], color=color, marker=marker, ms=6, lw=1.5, label=label)
            if np.any(~above):
                ax.plot(Ks[~above], np.full(int(np.sum(~above)), floor), ls="none", marker="v", ms=8,
                        mfc="white", color=color)
        ax.plot([], [], ls="none", marker="v", ms=8, mfc="white", color="0.35",
                label=tr("≤ {floor:.0e}: exact up to rounding", floor=floor))
        ax.axhline(floor, color="0.7", lw=0.8)
        ax.set_yscale("log")
        ax.set_ylim(floor / 10, None)
        ax.set_xscale("log", base=2)
        ticks = [int(K) for K in Ks if K != T]
        ax.xaxis.set_minor_locator(NullLocator())
        ax.set_xlim(Ks[0] / 1.4, Ks[-1] * 1.4)
        ticks = [K for K in ticks if K != T - 1]
        ax.set_xticks(ticks + [T - 1], [f"{K}" for K in ticks] + [f"\n{T - 1} = T − 1"])
        ax.axvline(T - 1, color="#d55e00", ls="--", lw=1,
                   label=tr("K = T − 1: the window is full BPTT for the weights"))
        ax.set_xlabel(tr("truncation window K (steps back, log scale); sequence of T = {T} steps", T=T))
        ax.set_ylabel(ylabel)
        ax.set_title(title)
    # one legend under both panels (their entries are the same): no curve runs through its text
    fig.legend(*axes[0].get_legend_handles_labels(), loc="lower center", ncol=2)
    fig.tight_layout(rect=(0, 0.14, 1, 1))
    return fig
