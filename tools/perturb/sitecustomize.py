"""Installs the last-bit perturbation (perturb_hook.py) at start-up when RNNLIB_PERTURB_SEED is set.

Only the perturbation check puts this folder on PYTHONPATH; without RNNLIB_PERTURB_SEED it does nothing
(it does not even import numpy).
"""

import os

if os.environ.get("RNNLIB_PERTURB_SEED", "").strip():
    import perturb_hook

    perturb_hook.install_from_environment()
