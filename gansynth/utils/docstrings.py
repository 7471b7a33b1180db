"""Parameter descriptions shared by several docstrings, written once.

The idea of imbalanced-learn's ``Substitution``: a docstring holds a marker
such as ``%(synthetic)s`` and :func:`fill_doc` replaces it when the module is
imported, so ``help()``, Sphinx and numpydoc's validation all see the full
text. Plain ``str.replace`` is used, so a ``%`` elsewhere in a docstring is
left alone.
"""

from __future__ import annotations

import textwrap

__all__ = ["fill_doc"]

# Each entry is indented for a module-level function's docstring.
SHARED = {
    "real_training": (
        "real : DataFrame or array-like of shape (n_rows, n_columns)\n"
        "        The real training data. Arrays get columns named "
        "``0 .. n_columns-1``."
    ),
    "synthetic": (
        "synthetic : DataFrame or array-like of shape (n_synthetic, n_columns)\n"
        "        The generated data, with the columns of ``real`` (in any order)."
    ),
    "discrete_columns": (
        "discrete_columns : list or None, default=None\n"
        "        Columns to treat as discrete whatever their dtype."
    ),
}

# The parameters every estimator shares (BaseGAN's) but ``loss``, whose
# default each estimator states itself, for class docstrings; written at
# their final indentation minus the docstring's four spaces.
_GAN_PARAMS = """\
epochs : int or "auto", default="auto"
    Passes over the data; an epoch is ``max(1, n_rows // batch_size_)``
    generator steps, each after ``n_critic`` discriminator steps. "auto"
    is the modality's budget (``Modality.auto_budget``): for tables, 3,000
    generator steps or 100 epochs, whichever is longer, so that a small
    table is not starved (400 rows make one step per epoch).
batch_size : int or "auto", default="auto"
    Rows per batch. "auto" is 256, or every row when there are fewer,
    rounded down to a multiple of ``pac``; an int larger than the number
    of rows is clipped to it with a warning.
latent_dim : int, default=32
    Size of the generator's noise vector.
generator_lr, discriminator_lr : float, default=2e-4
    Adam learning rates.
n_critic : int or "auto", default="auto"
    Discriminator steps per generator step; "auto" is the modality's
    choice for the loss where it has one (tables: 3 for "wgan-gp"), else
    the loss's: 5 for "wgan" and "wgan-gp", 1 for the others.
gp_weight : float, default=10.0
    Gradient-penalty weight of "wgan-gp".
ema : float or None, default=0.99
    Decay of the exponential moving average of the generator weights used
    for sampling; ``None`` samples from the raw generator.
device : str or torch.device, default="auto"
    "auto" picks CUDA, then MPS, then the CPU, at fit time.
amp : bool, default=False
    Use bf16 autocast on CUDA (ignored with a warning elsewhere). Not yet
    run on a GPU: untested.
compile : bool, default=False
    Wrap the networks in ``torch.compile`` on CUDA (ignored with a warning
    elsewhere). Not yet run on a GPU: untested.
random_state : int, RandomState instance or None, default=None
    Seeds initialisation, batches and noise; the same seed, data and device
    give the same samples.
verbose : bool, default=False
    Show a progress bar.
callbacks : list of Callback or None, default=None
    Extra trainer callbacks (early stopping, checkpoints, ...).
warm_start : bool, default=False
    Continue training the fitted networks on the next ``fit``.
class_balance : bool, default=False
    With ``y``: draw training rows so that every class (and the
    unlabelled rows, as one group) is equally frequent in batches; the
    generator then sees rare classes as often as common ones.
"""
SHARED["gan_params"] = textwrap.indent(_GAN_PARAMS.strip(), "    ").lstrip()


def _entries(text: str) -> dict:
    """The parameter entries of ``text`` by their first line's name."""
    entries, name = {}, None
    for line in text.strip().splitlines():
        if not line.startswith(" "):
            name = line.split(" :")[0]
            entries[name] = []
        entries[name].append(line)
    return {key: "\n".join(lines) for key, lines in entries.items()}


def _shared_entries(names) -> str:
    text = "\n".join(_ENTRIES[name] for name in names)
    return textwrap.indent(text, "    ").lstrip()


# Pieces of the shared parameters, for estimators whose first ones differ
# (ImageGAN's defaults): the latent size, and every one after the rates.
_ENTRIES = _entries(_GAN_PARAMS)
_AFTER_RATES = list(_ENTRIES)[list(_ENTRIES).index("n_critic") :]
SHARED["gan_latent_dim"] = _shared_entries(["latent_dim"])
SHARED["gan_params_after_rates"] = _shared_entries(_AFTER_RATES)


def fill_doc(obj):
    """Replace the ``%(name)s`` markers of ``obj.__doc__`` by ``SHARED[name]``.

    Examples
    --------
    >>> from gansynth.utils.docstrings import fill_doc
    >>> @fill_doc
    ... def f(real, synthetic):
    ...     '''Parameters
    ...     ----------
    ...     %(synthetic)s
    ...     '''
    >>> "with the columns of ``real``" in f.__doc__
    True
    """
    doc = obj.__doc__ or ""
    for name, text in SHARED.items():
        doc = doc.replace(f"%({name})s", text)
    if "%(" in doc:
        raise KeyError(f"{obj.__qualname__}: unknown docstring marker in {doc!r}")
    obj.__doc__ = doc
    return obj
