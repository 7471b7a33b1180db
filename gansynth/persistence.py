"""Save and load fitted estimators as one safetensors file: tensors + JSON.

Nothing in the file is executed on load: the networks are rebuilt from the
saved parameters by gansynth's own builders and the weights copied in; the
estimator class is looked up in a fixed registry, never imported by name.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import torch
from safetensors import safe_open
from safetensors.torch import load_file, save_file

from .training.losses import get_loss, loss_from_config, loss_to_config

__all__ = ["load_model", "save_model"]

FORMAT_VERSION = "1"
_NETWORKS = ("generator_", "discriminator_", "generator_ema_")


def _registry():
    from .conditional import ConditionalGAN
    from .tabular import TabularGAN

    return {cls.__name__: cls for cls in (TabularGAN, ConditionalGAN)}


def _jsonable_params(estimator) -> dict:
    params = estimator.get_params(deep=False)
    params["loss"] = loss_to_config(params["loss"])
    params["callbacks"] = None
    if not isinstance(params["random_state"], int | type(None)):
        params["random_state"] = None
    if not isinstance(params["device"], str):
        params["device"] = str(params["device"])
    tuples = [key for key, value in params.items() if isinstance(value, tuple)]
    for key in tuples:
        params[key] = list(params[key])
    params["__tuples__"] = tuples  # JSON has no tuples; remember which were
    return params


def _array_to_json(values):
    if values is None:
        return None
    values = np.asarray(values)
    return {"dtype": values.dtype.str, "values": values.tolist()}


def _array_from_json(data):
    if data is None:
        return None
    return np.asarray(data["values"], dtype=np.dtype(data["dtype"]))


def save_model(estimator, path) -> None:
    """Write a fitted estimator to ``path`` (see module docstring)."""
    tensors = {}
    for name in _NETWORKS:
        module = getattr(estimator, name)
        if module is None:
            continue
        for key, value in module.state_dict().items():
            tensors[f"{name}.{key}"] = value.detach().cpu().contiguous()
    conditions = getattr(estimator, "conditions_", None)
    if conditions is not None:
        tensors["conditions_.counts"] = torch.from_numpy(conditions.counts)
    enc_arrays, enc_meta = estimator.encoder_.get_state()
    for key, value in enc_arrays.items():
        tensors[f"encoder_.{key}"] = torch.from_numpy(np.ascontiguousarray(value))
    fitted = {
        "classes_": _array_to_json(estimator.classes_),
        "class_prior_": _array_to_json(estimator.class_prior_),
        "n_labels_": estimator.n_labels_,
        "n_features_in_": estimator.n_features_in_,
        "feature_names_in_": _array_to_json(
            getattr(estimator, "feature_names_in_", None)
        ),
        "n_epochs_": estimator.n_epochs_,
        "n_critic_": estimator.n_critic_,
        "batch_size_": estimator.batch_size_,
        "latent_dim_": estimator.latent_dim_,
        "n_samples_fit_": estimator.n_samples_fit_,
        "modality_": getattr(estimator, "modality_", None),
        "device_": estimator.device_,
        "has_ema": estimator.generator_ema_ is not None,
        "history_": estimator.history_.to_dict(orient="list"),
    }
    metadata = {
        "gansynth_format": FORMAT_VERSION,
        "class": type(estimator).__name__,
        "params": json.dumps(_jsonable_params(estimator)),
        "fitted": json.dumps(fitted),
        "encoder": json.dumps(enc_meta),
    }
    save_file(tensors, str(path), metadata=metadata)


def load_model(path, *, device="cpu"):
    """Read a model written by :func:`save_model` onto ``device``."""
    with safe_open(str(path), framework="pt") as handle:
        metadata = handle.metadata() or {}
    if metadata.get("gansynth_format") != FORMAT_VERSION:
        raise ValueError(
            f"{path} is not a gansynth model file of format {FORMAT_VERSION} "
            f"(found format {metadata.get('gansynth_format')!r})."
        )
    registry = _registry()
    cls_name = metadata["class"]
    if cls_name not in registry:
        raise ValueError(f"{path} holds an unknown estimator class {cls_name!r}.")
    tensors = load_file(str(path), device="cpu")
    params = json.loads(metadata["params"])
    params["loss"] = loss_from_config(params["loss"])
    for key in params.pop("__tuples__"):
        params[key] = tuple(params[key])
    estimator = registry[cls_name](**params)
    fitted = json.loads(metadata["fitted"])
    if fitted.get("modality_") is not None:
        estimator.modality_ = fitted["modality_"]  # picks the modality to build

    enc_arrays = {
        k.split(".", 1)[1]: v.numpy()
        for k, v in tensors.items()
        if k.startswith("encoder_.")
    }
    modality = estimator._make_modality()
    encoder = modality.encoder_from_state(enc_arrays, json.loads(metadata["encoder"]))
    n_labels = fitted["n_labels_"]
    target = torch.device(device)
    nets = {
        "generator_": modality.build_generator(
            fitted["latent_dim_"], encoder.spec_, n_labels
        ),
        "discriminator_": modality.build_discriminator(encoder.spec_, n_labels),
    }
    if fitted["has_ema"]:
        nets["generator_ema_"] = modality.build_generator(
            fitted["latent_dim_"], encoder.spec_, n_labels
        )
    for name, module in nets.items():
        prefix = f"{name}."
        state = {
            k[len(prefix) :]: v for k, v in tensors.items() if k.startswith(prefix)
        }
        module.load_state_dict(state)
        setattr(estimator, name, module.to(target))
    if not fitted["has_ema"]:
        estimator.generator_ema_ = None
    estimator.encoder_ = encoder
    estimator.conditions_ = None
    if "conditions_.counts" in tensors:
        # The modality that made the conditions rebuilds them from the counts.
        counts = tensors["conditions_.counts"].numpy()
        estimator.conditions_ = modality.make_conditions(encoder.spec_, counts=counts)
    estimator.classes_ = _array_from_json(fitted["classes_"])
    estimator.class_prior_ = _array_from_json(fitted["class_prior_"])
    estimator.n_labels_ = n_labels
    estimator.n_features_in_ = fitted["n_features_in_"]
    names = _array_from_json(fitted["feature_names_in_"])
    if names is not None:
        estimator.feature_names_in_ = names.astype(object)
    estimator.n_epochs_ = fitted["n_epochs_"]
    estimator.n_critic_ = fitted["n_critic_"]
    estimator.batch_size_ = fitted["batch_size_"]
    estimator.latent_dim_ = fitted["latent_dim_"]
    estimator._architecture_ = estimator._architecture()  # the networks built here
    estimator.n_samples_fit_ = fitted["n_samples_fit_"]
    estimator.device_ = str(target)
    estimator.history_ = pd.DataFrame(fitted["history_"])
    get_loss(estimator.loss)  # the saved loss must still resolve
    return estimator
