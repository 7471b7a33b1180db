"""BaseGAN: the scikit-learn contract shared by every gansynth estimator.

Subclasses name their modality (``_make_modality``) and their input checks
(``_validate_input``); everything else (parameter validation, labels, device,
seeding, the trainer, sampling, persistence) is written once here.
"""

from __future__ import annotations

import copy
import logging
import numbers
import warnings

import numpy as np
import pandas as pd
import torch
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from .training import (
    HISTORY_COLUMNS,
    AdversarialTrainer,
    DivergenceError,
    ProgressBar,
    TrainerConfig,
)
from .training.losses import get_loss
from .utils.devices import resolve_device
from .utils.labels import encode_labels, resolve_sample_labels
from .utils.validation import InstanceOf, Interval, Options, validate_params

__all__ = ["BaseGAN"]

logger = logging.getLogger("gansynth")

# Rows per generator call in ``sample``: cache-sized chunks sampled 1.7x faster
# than chunks of 65k rows on a CPU (measured on mlc_churn, one thread).
_SAMPLE_CHUNK = 4_096
_AUTO_BATCH = 256  # batch_size="auto": this many rows, or all rows if fewer


def _is_loss_object(value) -> bool:
    return callable(getattr(value, "discriminator_loss", None)) and callable(
        getattr(value, "generator_loss", None)
    )


def _is_device(value) -> bool:
    return isinstance(value, str | torch.device)


def _is_callback_list(value) -> bool:
    return isinstance(value, list | tuple)


class BaseGAN(BaseEstimator):
    """Shared machinery of the gansynth estimators; not used directly.

    Attributes
    ----------
    generator_, discriminator_ : torch.nn.Module
        The trained networks.
    generator_ema_ : torch.nn.Module or None
        The exponential moving average of the generator, used for sampling.
    encoder_ : object
        The modality's fitted encoder.
    history_ : pandas.DataFrame
        One row per epoch: losses, penalty, mean D(real)/D(fake), gradient
        norms and seconds.
    classes_ : ndarray or None
        Class labels seen in ``fit`` (``None`` without ``y``).
    n_epochs_ : int
        Epochs trained in total (warm starts add up).
    device_ : str
        The device used, resolved from ``device``.
    n_critic_ : int
        Discriminator steps per generator step, resolved from ``n_critic``.
    batch_size_ : int
        Rows per batch, resolved from ``batch_size``.
    """

    _parameter_constraints: dict = {
        "loss": [
            Options(("bce", "bce-minimax", "lsgan", "wgan", "wgan-gp", "hinge")),
            InstanceOf("a loss object", _is_loss_object),
        ],
        "epochs": [Interval(numbers.Integral, 1, None)],
        "batch_size": [Options(("auto",)), Interval(numbers.Integral, 1, None)],
        "latent_dim": [Interval(numbers.Integral, 1, None)],
        "generator_lr": [Interval(numbers.Real, 0, None, closed="neither")],
        "discriminator_lr": [Interval(numbers.Real, 0, None, closed="neither")],
        "n_critic": [Options(("auto",)), Interval(numbers.Integral, 1, None)],
        "gp_weight": [Interval(numbers.Real, 0, None)],
        "ema": [Options((None,)), Interval(numbers.Real, 0, 1, closed="left")],
        "device": [InstanceOf("'auto', a device name or a torch.device", _is_device)],
        "amp": [Options((False, True))],
        "compile": [Options((False, True))],
        "random_state": [
            Options((None,)),
            Interval(numbers.Integral, 0, 2**32 - 1),
            InstanceOf(
                "a numpy RandomState", lambda v: isinstance(v, np.random.RandomState)
            ),
        ],
        "verbose": [Options((False, True, 0, 1))],
        "callbacks": [
            Options((None,)),
            InstanceOf("a list of callbacks", _is_callback_list),
        ],
        "warm_start": [Options((False, True))],
        "class_balance": [Options((False, True))],
    }

    # -- hooks for subclasses ------------------------------------------------
    def _make_modality(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def _validate_input(self, X, *, reset: bool):  # pragma: no cover - abstract
        """Check ``X`` (setting ``n_features_in_`` etc. when ``reset``)."""
        raise NotImplementedError

    # -- fit ----------------------------------------------------------------
    def _validate_params(self):
        validate_params(
            type(self).__name__, self.get_params(deep=False), self._constraints()
        )

    @classmethod
    def _constraints(cls):
        merged = {}
        for klass in reversed(cls.__mro__):
            merged.update(getattr(klass, "_parameter_constraints", {}))
        return merged

    def fit(self, X, y=None):
        """Learn the distribution of ``X`` (class-conditional when ``y`` is given).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,), optional
            Class labels; with them the model is class-conditional. Rows with
            ``y == -1`` are unlabelled: they still teach the model p(X).

        Returns
        -------
        self : object
            The fitted estimator.
        """
        self._validate_params()
        warm = bool(self.warm_start) and hasattr(self, "generator_")
        X = self._validate_input(X, reset=not warm)
        n_rows = X.shape[0]
        if warm:
            self._check_warm_start(y)
        if y is None:
            classes, codes, n_unlabelled = None, None, 0
        else:
            classes, codes, n_unlabelled = encode_labels(y, n_rows)
        n_labels = 0 if classes is None else len(classes) + (1 if n_unlabelled else 0)
        device = resolve_device(self.device)
        loss = get_loss(self.loss, gp_weight=self.gp_weight)
        modality = self._make_modality()
        config = self._trainer_config(
            loss, device, n_rows, getattr(modality, "batch_multiple", 1)
        )

        encoder = self.encoder_ if warm else modality.make_encoder().fit(X)
        encoded = encoder.transform(X)
        data = torch.as_tensor(encoded, device=device)
        make_conditions = getattr(modality, "make_conditions", None)
        conditions = None if make_conditions is None else make_conditions(
            encoder.spec_, encoded
        )  # fmt: skip
        labels = None if codes is None else torch.as_tensor(codes, device=device)
        seed = int(
            check_random_state(self.random_state).randint(np.iinfo(np.int32).max)
        )
        callbacks = list(self.callbacks or [])
        if self.verbose:
            callbacks.append(ProgressBar())

        # Seed a forked copy of torch's RNG: initialisation, batches and noise
        # are reproducible, and the user's global RNG state is left untouched.
        fork_devices = [device.index or 0] if device.type == "cuda" else []
        with torch.random.fork_rng(devices=fork_devices):
            torch.manual_seed(seed)
            if warm:
                G = self.generator_.to(device)
                D = self.discriminator_.to(device)
                ema = self.generator_ema_
                ema = None if ema is None else ema.to(device)
                start = self.n_epochs_
            else:
                G = modality.build_generator(self.latent_dim, encoder.spec_, n_labels)
                D = modality.build_discriminator(encoder.spec_, n_labels)
                G, D, ema, start = G.to(device), D.to(device), None, 0
            trainer = AdversarialTrainer(
                G, D, loss, config, callbacks=callbacks, ema_generator=ema,
                start_epoch=start,
            )  # fmt: skip
            error = None
            weights = self._row_weights(codes, device)
            sampler = (
                None
                if conditions is None
                else conditions.training_sampler(data, weights)
            )
            try:
                trainer.fit(data, labels, sampler, None if sampler else weights)
            except DivergenceError as exc:
                error = exc  # the trainer restored the last good weights

        previous = [self.history_] if warm else []
        self.generator_ = trainer.generator
        self.discriminator_ = trainer.discriminator
        self.generator_ema_ = trainer.ema_generator
        self.encoder_ = encoder
        self.conditions_ = conditions
        self.device_ = str(device)
        self.n_critic_ = config.n_critic
        self.batch_size_ = config.batch_size
        self.latent_dim_ = self.latent_dim
        if not warm:
            self._architecture_ = self._architecture()
        self.n_samples_fit_ = n_rows
        if not warm:
            self.classes_ = classes
            self.n_labels_ = n_labels
            self.class_prior_ = _class_prior(classes, codes)
        new = pd.DataFrame(trainer.history, columns=list(HISTORY_COLUMNS))
        self.history_ = pd.concat([*previous, new], ignore_index=True)
        self.n_epochs_ = start + len(trainer.history)
        if error is not None:
            raise error
        return self

    def _row_weights(self, codes, device):
        """``class_balance``: weights making every label slot equally likely."""
        if not self.class_balance:
            return None
        if codes is None:
            raise ValueError(
                "class_balance=True balances the classes of y; fit was called "
                "without y."
            )
        counts = np.bincount(codes)
        return torch.as_tensor(1.0 / counts[codes], dtype=torch.float32, device=device)

    def _trainer_config(self, loss, device, n_rows, multiple=1) -> TrainerConfig:
        # ``multiple``: the critic may score packs of rows (PacGAN), so a batch
        # must hold whole packs.
        if n_rows < multiple:
            raise ValueError(
                f"{type(self).__name__} packs {multiple} rows per critic input and "
                f"needs at least {multiple} rows; got n_samples={n_rows}. Lower pac."
            )
        batch_size = self.batch_size
        if batch_size == "auto":
            batch_size = min(_AUTO_BATCH, n_rows)
            batch_size -= batch_size % multiple
        else:
            if batch_size % multiple:
                raise ValueError(
                    f"batch_size={batch_size} must be a multiple of pac={multiple}, "
                    "because the critic scores packs of rows."
                )
            if batch_size > n_rows:
                clipped = n_rows - n_rows % multiple
                warnings.warn(
                    f"batch_size={batch_size} is larger than the {n_rows} training "
                    f"rows; using batch_size={clipped}.",
                    UserWarning,
                    stacklevel=3,
                )
                batch_size = clipped
        amp, compile_ = self._resolve_cuda_only(device)
        auto_critic = getattr(loss, "default_n_critic", 1)
        return TrainerConfig(
            epochs=self.epochs,
            batch_size=batch_size,
            latent_dim=self.latent_dim,
            generator_lr=self.generator_lr,
            discriminator_lr=self.discriminator_lr,
            betas=tuple(getattr(loss, "default_betas", (0.5, 0.999))),
            n_critic=auto_critic if self.n_critic == "auto" else self.n_critic,
            ema_decay=self.ema or None,
            amp=amp,
            compile=compile_,
        )

    def _resolve_cuda_only(self, device):
        amp, compile_ = bool(self.amp), bool(self.compile)
        if device.type != "cuda":
            for name, on in (("amp", amp), ("compile", compile_)):
                if on:
                    warnings.warn(
                        f"{name}=True applies on CUDA only; training on {device.type} "
                        f"without it.",
                        UserWarning,
                        stacklevel=3,
                    )
            return False, False
        return amp, compile_

    def _architecture(self) -> dict:
        """The parameters that shape the encoder and the networks: a warm start
        cannot honour a change to them, so it refuses one."""
        names = ("latent_dim", *getattr(self, "_architecture_params", ()))
        return {name: getattr(self, name) for name in names}

    def _check_warm_start(self, y):
        for name, value in self._architecture().items():
            fitted = self._architecture_[name]
            if value != fitted and not (
                isinstance(value, tuple | list) and list(value) == list(fitted or [])
            ):
                raise ValueError(
                    f"warm_start=True continues the encoder and networks built with "
                    f"{name}={fitted!r}; got {name}={value!r}. Set it back, or set "
                    "warm_start=False to train new networks."
                )
        conditional = self.classes_ is not None
        if (y is not None) != conditional:
            raise ValueError(
                "warm_start=True continues the fitted model, which was fitted "
                f"{'with' if conditional else 'without'} y; fit again "
                f"{'with' if conditional else 'without'} y, or set warm_start=False."
            )
        if y is not None:
            classes, _, n_unl = encode_labels(y, len(y))
            if not np.array_equal(classes, self.classes_) or (
                len(classes) + (1 if n_unl else 0) > self.n_labels_
            ):
                raise ValueError(
                    f"warm_start=True needs the classes seen before, "
                    f"{self.classes_.tolist()}; got {classes.tolist()}."
                )

    # -- sample -------------------------------------------------------------
    def sample(
        self,
        n_samples=None,
        *,
        y=None,
        return_y=False,
        random_state=None,
        z=None,
        conditions=None,
    ):
        """Generate new samples.

        Parameters
        ----------
        n_samples : int, optional
            Number of samples. Defaults to ``len(y)`` for an array ``y``, the
            total of a dict ``y``, or else the number of rows seen in ``fit``.
        y : class label, array-like or dict, optional
            For a conditional model: one class for every row, one class per row,
            or ``{class: count}``. ``None`` draws classes with the training
            frequencies.
        return_y : bool, default=False
            Also return the class of each row (conditional models).
        random_state : int, RandomState instance or None, default=None
            Seeds the noise (and the drawn classes). ``None`` uses the
            estimator's ``random_state``, as ``GaussianMixture.sample`` does, so
            pass a different value to draw different rows.
        z : array-like of shape (n_samples, latent_dim), optional
            Latent vectors to decode instead of random noise.
        conditions : dict, optional
            ``{column: value}`` for discrete columns (models trained with
            conditions, such as :class:`~gansynth.TabularGAN` on a table with
            discrete columns): every row satisfies every condition.

        Returns
        -------
        X_new : same container as the training data
            ``n_samples`` rows with the columns and dtypes seen in ``fit``.
        y_new : ndarray of shape (n_samples,)
            Only with ``return_y=True``.
        """
        check_is_fitted(self, "generator_")
        if n_samples is not None and (
            isinstance(n_samples, bool)
            or not isinstance(n_samples, numbers.Integral)
            or n_samples < 1
        ):
            raise ValueError(
                f"The 'n_samples' parameter of {type(self).__name__}.sample must be "
                f"an int in the range [1, inf) or None. Got {n_samples!r} instead."
            )
        rng = check_random_state(
            self.random_state if random_state is None else random_state
        )
        conditional = self.classes_ is not None
        if not conditional and (y is not None or return_y):
            raise ValueError(
                "This model was fitted without y, so it cannot sample given y or "
                "return y; fit it with class labels for conditional sampling."
            )
        if z is not None:
            z = np.asarray(z, dtype=np.float32)
            if z.ndim != 2 or z.shape[1] != self.latent_dim_:
                raise ValueError(
                    f"z must have shape (n_samples, {self.latent_dim_}); got {z.shape}."
                )
            if n_samples is not None and n_samples != z.shape[0]:
                raise ValueError(
                    f"n_samples={n_samples} disagrees with z, which has "
                    f"{z.shape[0]} rows."
                )
            n_samples = z.shape[0]
        if n_samples is None and not (isinstance(y, dict) or np.ndim(y) == 1):
            n_samples = self.n_samples_fit_
        codes = None
        if conditional:
            codes = resolve_sample_labels(
                y, n_samples, self.classes_, self.class_prior_, rng
            )
            n_samples = len(codes)
        noise_seed = int(rng.randint(np.iinfo(np.int32).max))
        if z is None:
            gen = torch.Generator().manual_seed(noise_seed)
            z = torch.randn(n_samples, self.latent_dim_, generator=gen)
        else:
            z = torch.from_numpy(z)
        if conditions is not None and not isinstance(conditions, dict):
            raise ValueError(
                "conditions must be a dict {column: value}; got "
                f"{type(conditions).__name__}."
            )
        context, fixed = None, []
        if getattr(self, "conditions_", None) is not None:
            context, fixed = self.conditions_.sampling_context(
                n_samples, conditions, rng, self.encoder_
            )
        elif conditions:
            raise ValueError(
                "conditions need a model trained with conditions on discrete "
                f"columns; this {type(self).__name__} has none."
            )
        encoded = self._decode(z, codes, noise_seed, context)
        for columns, one_hot in fixed:
            encoded[:, columns] = one_hot
        X_new = self.encoder_.inverse_transform(encoded)
        if return_y:
            return X_new, self.classes_[codes]
        return X_new

    def _decode(self, z: torch.Tensor, codes, seed: int, context=None) -> np.ndarray:
        net = (
            self.generator_ema_ if self.generator_ema_ is not None else self.generator_
        )
        device = torch.device(self.device_)
        was_training = net.training
        net.eval()
        out = []
        # Generators may draw noise of their own (Gumbel-softmax): seed a
        # forked RNG so that samples are reproducible and the global RNG stays.
        fork_devices = [device.index or 0] if device.type == "cuda" else []
        try:
            with torch.no_grad(), torch.random.fork_rng(devices=fork_devices):
                torch.manual_seed(seed)
                for start in range(0, z.shape[0], _SAMPLE_CHUNK):
                    zb = z[start : start + _SAMPLE_CHUNK].to(device)
                    lb = cb = None
                    if codes is not None:
                        lb = torch.as_tensor(
                            codes[start : start + _SAMPLE_CHUNK], device=device
                        )
                    if context is not None:
                        cb = torch.as_tensor(
                            context[start : start + _SAMPLE_CHUNK], device=device
                        )
                    args = (zb, lb) if cb is None else (zb, lb, cb)
                    out.append(net(*args).float().cpu().numpy())
        finally:
            net.train(was_training)
        return (
            np.concatenate(out)
            if out
            else np.zeros((0, self.encoder_.spec_.dim), np.float32)
        )

    # -- persistence ---------------------------------------------------------
    def save(self, path) -> None:
        """Write the fitted model to one safetensors file (tensors + JSON).

        Loading such a file runs no code, unlike a pickle. Callbacks are not
        saved (they are code); the loaded model has ``callbacks=None``.

        Parameters
        ----------
        path : str or path-like
            Destination file, conventionally ``*.safetensors``.
        """
        from .persistence import save_model

        check_is_fitted(self, "generator_")
        save_model(self, path)

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
        estimator : BaseGAN
            The fitted estimator, of the class that was saved.
        """
        from .persistence import load_model

        model = load_model(path, device=device)
        if not isinstance(model, cls):
            raise TypeError(
                f"{path} holds a {type(model).__name__}, not a {cls.__name__}."
            )
        return model

    def __getstate__(self):
        state = dict(super().__getstate__())  # keeps scikit-learn's version tag
        for key, value in state.items():
            if isinstance(value, torch.nn.Module):
                # Pickle CPU copies so that a GPU-fitted model unpickles anywhere.
                state[key] = copy.deepcopy(value).cpu()
        return state

    def __setstate__(self, state):
        super().__setstate__(state)
        device = getattr(self, "device_", None)
        if device is None:
            return
        target = torch.device(device)
        if target.type == "cuda" and not torch.cuda.is_available():
            logger.info("CUDA is not available: the model was moved to the CPU.")
            self.device_ = "cpu"
            return
        for value in self.__dict__.values():
            if isinstance(value, torch.nn.Module):
                value.to(target)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = False
        tags.input_tags.allow_nan = False
        tags.non_deterministic = False
        return tags


def _class_prior(classes, codes):
    """Frequencies of the labelled classes (unlabelled rows excluded)."""
    if classes is None:
        return None
    labelled = codes[codes < len(classes)]
    return np.bincount(labelled, minlength=len(classes)) / len(labelled)
