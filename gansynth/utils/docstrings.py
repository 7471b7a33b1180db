"""Parameter descriptions shared by several docstrings, written once.

The idea of imbalanced-learn's ``Substitution``: a docstring holds a marker
such as ``%(synthetic)s`` and :func:`fill_doc` replaces it when the module is
imported, so ``help()``, Sphinx and numpydoc's validation all see the full
text. Plain ``str.replace`` is used, so a ``%`` elsewhere in a docstring is
left alone.
"""

from __future__ import annotations

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
