"""rnnlib: a vanilla RNN, backpropagation through time and the analysis of its gradients, in numpy.

The library of the course "Recurrent Neural Networks, part 2: long-term dependency,
backpropagation through time, and vanishing/exploding gradients".

Two layers. The modules of ``rnnlib`` hold the maths of the lecture note and its experiments (the
forward pass, BPTT, Jacobian products, gradient checking, tasks, training); ``rnnlib.teaching`` holds the
course machinery that uses them (explorers, figures, diagrams, exercises, glossary, source listings, notebook
setup). The maths never imports the course layer (tests/test_layout.py). Importing rnnlib loads numpy only.
Shapes everywhere: T steps, B batch, D input, H hidden, O output.
"""

from ._moved import install as _install_old_paths
from .activations import GAMMA, NONLINEARITIES, activate, derivative_from_output, log_derivative
from .bptt import chunked_bptt, contributions, loss_and_grads, rnn_backward, truncated_bptt
from .gradcheck import check_gradients, numerical_gradient, rel_error
from .jacobian import (
    cache_log_derivatives,
    forward_log_derivatives,
    influence_log10_norms,
    jacobian_log10_norms,
    pascanu_log10_bound,
    scalar_log10_jacobian,
    singular_values,
    spectral_norm,
    spectral_radius,
)
from .rnn import (
    Params,
    RNNCache,
    init_params,
    output_backward,
    output_forward,
    output_loss,
    preactivations,
    predict,
    rnn_forward,
    rnn_step_backward,
    rnn_step_forward,
    softmax_cross_entropy,
    squared_error,
)

__version__ = "0.3.0"

_install_old_paths()             # the course layer's old paths (rnnlib.widgets, ...) until the next release

#: Names of the course layer reached from ``rnnlib`` itself: ``rnnlib.setup_notebook()`` opens every notebook.
_COURSE_NAMES = {"setup_notebook": "rnnlib.teaching.course"}


def __getattr__(name: str):
    """``rnnlib.setup_notebook`` (PEP 562): the notebooks' entry point, imported from ``rnnlib.teaching.course``
    when first asked for, so that ``import rnnlib`` loads numpy only. The one lazy hook from the maths layer to
    the course layer that tests/test_layout.py allows in this file."""
    if name in _COURSE_NAMES:
        import importlib

        value = getattr(importlib.import_module(_COURSE_NAMES[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "GAMMA", "NONLINEARITIES", "Params", "RNNCache", "__version__", "activate", "cache_log_derivatives",
    "check_gradients", "chunked_bptt", "contributions", "derivative_from_output", "forward_log_derivatives",
    "influence_log10_norms", "init_params", "jacobian_log10_norms", "log_derivative", "loss_and_grads",
    "numerical_gradient", "output_backward", "output_forward", "output_loss", "pascanu_log10_bound",
    "preactivations", "predict",
    "rel_error", "rnn_backward", "rnn_forward", "rnn_step_backward", "rnn_step_forward",
    "scalar_log10_jacobian", "setup_notebook", "singular_values", "softmax_cross_entropy",
    "spectral_norm", "spectral_radius", "squared_error", "truncated_bptt",
]
