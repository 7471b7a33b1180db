"""The registry of modalities: names to :class:`~gansynth.modalities.Modality`
subclasses. gansynth's own modalities register here the way a user's do."""

from __future__ import annotations

from .protocol import Modality

__all__ = ["detect_modality", "get_modality", "modality_names", "register_modality"]

_REGISTRY: dict[str, type[Modality]] = {}


def register_modality(cls: type[Modality], *, replace: bool = False):
    """Make a modality available by its ``name`` (usable as a decorator).

    Parameters
    ----------
    cls : subclass of Modality
        The modality; its ``name`` class attribute is the registry key.
    replace : bool, default=False
        Allow replacing a modality already registered under that name.

    Returns
    -------
    cls : subclass of Modality
        The same class, so that ``@register_modality`` decorates it.

    Examples
    --------
    >>> from gansynth.modalities import Modality, get_modality, register_modality
    >>> class Points(Modality):
    ...     name = "doc-points"
    >>> register_modality(Points, replace=True) is get_modality("doc-points")
    True
    """
    if not (isinstance(cls, type) and issubclass(cls, Modality)):
        raise TypeError(
            f"register_modality expects a subclass of gansynth.modalities.Modality; "
            f"got {cls!r}."
        )
    if not isinstance(cls.name, str) or not cls.name:
        raise ValueError(
            f"{cls.__name__}.name must be a non-empty string, the registry key; "
            f"got {cls.name!r}."
        )
    if cls.name in ("auto",):
        raise ValueError("'auto' is reserved: it asks for detection from the data.")
    previous = _REGISTRY.get(cls.name)
    if previous is not None and previous is not cls and not replace:
        raise ValueError(
            f"A modality named {cls.name!r} is already registered "
            f"({previous.__module__}.{previous.__qualname__}); pick another name "
            "or pass replace=True."
        )
    _REGISTRY[cls.name] = cls
    return cls


def modality_names() -> list[str]:
    """The registered names, in the order of registration."""
    return list(_REGISTRY)


def get_modality(name: str) -> type[Modality]:
    """The modality class registered as ``name``.

    Parameters
    ----------
    name : str
        The registry name.

    Returns
    -------
    cls : subclass of Modality
        The registered class.

    Examples
    --------
    >>> from gansynth.modalities import get_modality
    >>> get_modality("tabular").__name__
    'TabularModality'
    """
    if not isinstance(name, str) or name not in _REGISTRY:
        raise ValueError(
            f"Unknown modality {name!r}; registered modalities: {modality_names()}. "
            "A modality of your own must be registered with "
            "gansynth.modalities.register_modality before it is used or loaded."
        )
    return _REGISTRY[name]


def detect_modality(X) -> str:
    """The name of the modality that ``modality="auto"`` picks for ``X``.

    The first registered modality, in registration order, whose ``accepts``
    says yes: the built-ins are registered first, so registering a modality
    of your own never changes what ``"auto"`` picks for data they take.

    Parameters
    ----------
    X : object
        Training data.

    Returns
    -------
    name : str
        The registry name.

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth.modalities import detect_modality
    >>> detect_modality(np.zeros((5, 3)))
    'tabular'
    """
    for name, cls in _REGISTRY.items():
        if cls.accepts(X):
            return name
    shape = getattr(X, "shape", None)
    described = "; ".join(
        f"{name}: {cls.description or 'only when asked for by name'}"
        for name, cls in _REGISTRY.items()
    )
    raise ValueError(
        f"No registered modality takes X of shape {shape} automatically "
        f"({described}). Pass modality=<name> to choose one."
    )
