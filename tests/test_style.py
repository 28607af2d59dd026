"""The regime colours stay apart for readers with a colour-vision deficiency.

Each colour is passed through Machado, Oliveira & Fernandes (2009)'s simulation of full deuteranopia and
protanopia (a 3 x 3 matrix on linear sRGB), then compared in CIELAB: every pair of regime colours must stay
more than ``MIN_DELTA_E`` apart (CIE76). The course's former palette (green against red) fails this test
under deuteranopia (Delta E 7), which is why the palette is Okabe-Ito's.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from rnnlib.teaching.style import COLORS, REGIME_COLORS

#: Machado et al. (2009), severity 1.0, applied to linear RGB.
SIMULATIONS = {
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "normal vision": np.eye(3),
}
#: The smallest CIELAB distance between two regime colours (a just noticeable difference is about 2.3;
#: 20 is a clear difference at a glance, for thin lines too).
MIN_DELTA_E = 20.0


def _linear(hex_colour: str) -> np.ndarray:
    c = np.array([int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(rgb_linear: np.ndarray) -> np.ndarray:
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ np.clip(
        rgb_linear, 0.0, 1.0)
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a: str, b: str, simulation: np.ndarray) -> float:
    return float(np.linalg.norm(_lab(simulation @ _linear(a)) - _lab(simulation @ _linear(b))))


@pytest.mark.parametrize("vision", sorted(SIMULATIONS))
def test_regime_colours_stay_apart(vision):
    for (r1, c1), (r2, c2) in itertools.combinations(REGIME_COLORS.items(), 2):
        assert delta_e(c1, c2, SIMULATIONS[vision]) > MIN_DELTA_E, f"{vision}: {r1} and {r2} look alike"


@pytest.mark.parametrize("vision", sorted(SIMULATIONS))
def test_the_gated_line_stands_apart_from_every_regime(vision):
    for regime, colour in REGIME_COLORS.items():
        assert delta_e(COLORS["gate"], colour, SIMULATIONS[vision]) > MIN_DELTA_E / 2, regime


def test_the_simulation_catches_a_red_green_palette():
    assert delta_e("#2ca02c", "#d62728", SIMULATIONS["deuteranopia"]) < MIN_DELTA_E      # the former palette
