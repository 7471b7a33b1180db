"""Save and load fitted estimators as one safetensors file: tensors + JSON.

Nothing in the file is executed on load: the estimator class is looked up in
a registry that the estimator modules fill (:func:`register_estimator`), never
imported by name; each estimator supplies its own fitted state
(``_get_fitted_state``) and rebuilds its networks from it with its modality's
builders (``_set_fitted_state``), and the weights are copied in.
"""

from __future__ import annotations

import json

import numpy as np
import torch
from safetensors import SafetensorError, safe_open
from safetensors.torch import load_file, save_file
from sklearn.utils.validation import check_is_fitted

from .modalities.protocol import Modality
from .training.distributed import barrier, is_main_process
from .training.losses import loss_from_config, loss_to_config

__all__ = [
    "PersistenceMixin",
    "array_from_json",
    "array_to_json",
    "load_model",
    "load_networks",
    "register_estimator",
    "save_model",
    "with_prefix",
    "without_prefix",
]

FORMAT_VERSION = "2"
_ESTIMATORS: dict[str, type] = {}


def register_estimator(cls):
    """Let :func:`load_model` rebuild ``cls`` (a class decorator)."""
    _ESTIMATORS[cls.__name__] = cls
    return cls


def array_to_json(values):
    if values is None:
        return None
    values = np.asarray(values)
    return {"dtype": values.dtype.str, "values": values.tolist()}


def array_from_json(data):
    if data is None:
        return None
    return np.asarray(data["values"], dtype=np.dtype(data["dtype"]))


def with_prefix(prefix: str, arrays: dict) -> dict:
    return {f"{prefix}.{key}": value for key, value in arrays.items()}


def without_prefix(prefix: str, arrays: dict) -> dict:
    start = len(prefix) + 1
    return {k[start:]: v for k, v in arrays.items() if k.startswith(prefix + ".")}


def _jsonable_params(estimator) -> dict:
    # The networks' shape as fitted (``_architecture_``), not as set since: a
    # file must rebuild the networks whose weights it holds.
    params = {**estimator.get_params(deep=False),
              **getattr(estimator, "_architecture_", {})}  # fmt: skip
    if "loss" in params:
        params["loss"] = loss_to_config(params["loss"])
    if "callbacks" in params:
        params["callbacks"] = None  # callbacks are code
    if not isinstance(params.get("random_state"), int | type(None)):
        params["random_state"] = None
    if "device" in params and not isinstance(params["device"], str):
        params["device"] = str(params["device"])
    return _tuples_marked(params)


def _tuples_marked(value):
    """JSON has no tuples: mark them, at any depth (``modality_params``)."""
    if isinstance(value, tuple):
        return {"__tuple__": [_tuples_marked(v) for v in value]}
    if isinstance(value, list):
        return [_tuples_marked(v) for v in value]
    if isinstance(value, dict):
        return {key: _tuples_marked(v) for key, v in value.items()}
    return value


def _tuples_restored(value):
    if isinstance(value, dict):
        if set(value) == {"__tuple__"}:
            return tuple(_tuples_restored(v) for v in value["__tuple__"])
        return {key: _tuples_restored(v) for key, v in value.items()}
    if isinstance(value, list):
        return [_tuples_restored(v) for v in value]
    return value


def save_model(estimator, path) -> None:
    """Write a fitted estimator to ``path`` (see the module docstring)."""
    modality = estimator._make_modality()
    if type(modality).encoder_from_state is Modality.encoder_from_state:
        # Refused here, not when loading: the file would hold a model that
        # no one can load.
        raise modality._not_implemented(
            "encoder_from_state",
            "to load a saved model, so save refuses (pickle keeps such a model)",
        )
    modules, arrays, fitted = estimator._get_fitted_state()
    tensors, seen = {}, set()
    for name, module in modules.items():
        for key, value in module.state_dict().items():
            value = value.detach().cpu().contiguous()
            # A module may be part of two networks (an auxiliary network that
            # fits part of the generator); safetensors wants one name a memory.
            if value.numel() and value.untyped_storage().data_ptr() in seen:
                value = value.clone()
            seen.add(value.untyped_storage().data_ptr())
            tensors[f"{name}.{key}"] = value
    for key, value in arrays.items():
        # A copy: safetensors refuses two names for one memory (an encoder
        # may keep the same array under two names, as min-max scaling does).
        tensors[f"arrays.{key}"] = torch.from_numpy(
            np.array(value, copy=True, order="C")
        )
    metadata = {
        "gansynth_format": FORMAT_VERSION,
        "class": type(estimator).__name__,
        "params": json.dumps(_jsonable_params(estimator)),
        "fitted": json.dumps(fitted),
        "networks": json.dumps(sorted(modules)),
    }
    save_file(tensors, str(path), metadata=metadata)


def load_model(path, *, device="cpu"):
    """Read a model written by :func:`save_model` onto ``device``."""
    try:
        with safe_open(str(path), framework="pt") as handle:
            metadata = handle.metadata() or {}
    except SafetensorError as error:
        raise ValueError(
            f"{path} is not a safetensors file, so not a model that save wrote "
            f"({error})."
        ) from None
    if metadata.get("gansynth_format") != FORMAT_VERSION:
        raise ValueError(
            f"{path} is not a gansynth model file of format {FORMAT_VERSION} "
            f"(found format {metadata.get('gansynth_format')!r})."
        )
    cls_name = metadata["class"]
    if cls_name not in _ESTIMATORS:
        raise ValueError(
            f"{path} holds an unknown estimator class {cls_name!r}; known: "
            f"{sorted(_ESTIMATORS)}."
        )
    tensors = load_file(str(path), device="cpu")
    params = _tuples_restored(json.loads(metadata["params"]))
    if "loss" in params:
        params["loss"] = loss_from_config(params["loss"])
    cls = _ESTIMATORS[cls_name]
    params = {**getattr(cls, "_params_since", {}), **params}
    estimator = cls(**params)
    states = {
        name: without_prefix(name, tensors) for name in json.loads(metadata["networks"])
    }
    arrays = {k: v.numpy() for k, v in without_prefix("arrays", tensors).items()}
    fitted = json.loads(metadata["fitted"])
    estimator._set_fitted_state(states, arrays, fitted, torch.device(device))
    return estimator


def load_networks(builders: dict, states: dict, device) -> dict:
    """Build each network with ``builders[name]()`` and copy its saved
    weights in; initialisation runs under a forked RNG, so loading leaves the
    user's torch RNG alone."""
    modules = {}
    with torch.random.fork_rng(devices=[]):
        for name, build in builders.items():
            module = build()
            try:
                module.load_state_dict(states[name])
            except RuntimeError as error:
                raise ValueError(
                    f"The saved weights of {name} do not fit the network this "
                    "version of gansynth builds (a file from a version whose "
                    f"networks differ?); refit the model. {error}"
                ) from error
            modules[name] = module.to(device).eval()
    return modules


class PersistenceMixin:
    """``save`` and ``load`` for an estimator that supplies its fitted state
    (``_get_fitted_state`` and ``_set_fitted_state``)."""

    def save(self, path) -> None:
        """Write the fitted model to one safetensors file (tensors + JSON).

        Loading such a file runs no code, unlike a pickle. Callbacks are not
        saved (they are code); the loaded model has ``callbacks=None``. In a
        distributed run (under ``torchrun``) only rank 0 writes; the other
        ranks hold the same model, write nothing, and return once the file
        is written, so that any rank may load it next.

        Parameters
        ----------
        path : str or path-like
            Destination file, conventionally ``*.safetensors``.
        """
        check_is_fitted(self, "generator_")
        if is_main_process():
            save_model(self, path)
        barrier()

    @classmethod
    def load(cls, path, *, device="cpu"):
        """Read a model written by :meth:`save`.

        Parameters
        ----------
        path : str or path-like
            The file.
        device : str or torch.device, default="cpu"
            Where to put the networks; a GPU-fitted model loads on a CPU.

        Returns
        -------
        estimator : object
            The fitted estimator, of the class that was saved.
        """
        model = load_model(path, device=device)
        if not isinstance(model, cls):
            raise TypeError(
                f"{path} holds a {type(model).__name__}, not a {cls.__name__}."
            )
        return model
