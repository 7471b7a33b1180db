"""BaseGAN: the scikit-learn contract shared by every gansynth estimator.

Subclasses name their modality (``_make_modality``) and their input checks
(``_validate_input``); everything else (parameter validation, labels, device,
seeding, the trainer, sampling, persistence) is written once here.
"""

from __future__ import annotations

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
from .utils.devices import resolve_device, seeded_rng
from .utils.labels import encode_labels, resolve_sample_labels
from .utils.torch_state import TorchModulesPickleMixin, evaluating
from .utils.validation import (
    DEVICE,
    RANDOM_STATE,
    InstanceOf,
    Interval,
    Options,
    validate_params,
)

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


def _is_callback_list(value) -> bool:
    return isinstance(value, list | tuple)


class BaseGAN(TorchModulesPickleMixin, BaseEstimator):
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
        "device": DEVICE,
        "amp": [Options((False, True))],
        "compile": [Options((False, True))],
        "random_state": RANDOM_STATE,
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

        with seeded_rng(device, seed):
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
        shift=None,
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
        shift : tuple (direction, alpha), optional
            Move every latent vector by ``alpha * direction`` before decoding,
            for example along a direction found by :meth:`latent_direction`.

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
        if shift is not None:
            z = z + self._check_shift(shift)
        X_new = self._generate(z, codes, noise_seed, rng, conditions)
        if return_y:
            return X_new, self.classes_[codes]
        return X_new

    def _check_shift(self, shift) -> torch.Tensor:
        if not isinstance(shift, tuple | list) or len(shift) != 2:
            raise ValueError(f"shift must be a pair (direction, alpha); got {shift!r}.")
        direction, alpha = shift
        direction = np.asarray(direction, dtype=np.float32)
        if direction.shape != (self.latent_dim_,):
            raise ValueError(
                f"The direction of shift must have shape ({self.latent_dim_},); "
                f"got {direction.shape}."
            )
        if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real):
            raise ValueError(f"The alpha of shift must be a number; got {alpha!r}.")
        return float(alpha) * torch.from_numpy(direction)

    def _generate(self, z, codes, noise_seed, rng, conditions=None):
        """Decode latent vectors (and label codes or label weights) into the
        user's container, honouring discrete-column ``conditions``."""
        n_samples = z.shape[0]
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
        return self.encoder_.inverse_transform(encoded)

    # -- controllable generation ---------------------------------------------
    def interpolate(self, y_from=None, y_to=None, n_steps=10, z=None, *,
                    random_state=None):  # fmt: skip
        """Walk between two classes, or between two latent points.

        A class walk blends the label inputs of the generator linearly from
        ``y_from`` to ``y_to`` (its label embeddings, or the one-hots) while
        the latent vector is held; a latent walk follows the great circle
        between two latent vectors (see :func:`gansynth.latent.slerp`). Both
        at once is allowed.

        Parameters
        ----------
        y_from, y_to : class label, optional
            The classes at the two ends (conditional models; required there).
            The same class twice gives a pure latent walk.
        n_steps : int, default=10
            Rows on the path, both ends included.
        z : array-like of shape (latent_dim,) or (2, latent_dim), optional
            One latent vector to hold, or the two end points. ``None`` holds one
            random vector.
        random_state : int, RandomState instance or None, default=None
            Seeds the random latent vector and the generator's own noise;
            ``None`` uses the estimator's ``random_state``.

        Returns
        -------
        X_path : same container as the training data
            ``n_steps`` rows, the first generated at ``y_from`` and the first
            latent point, the last at ``y_to`` and the last latent point.

        Examples
        --------
        >>> import numpy as np
        >>> from gansynth import TabularGAN
        >>> rng = np.random.default_rng(0)
        >>> X = np.concatenate([rng.normal(-2, 0.3, (100, 2)),
        ...                     rng.normal(2, 0.3, (100, 2))])
        >>> y = np.repeat([0, 1], 100)
        >>> gan = TabularGAN(epochs=2, pac=2, random_state=0).fit(X, y)
        >>> gan.interpolate(0, 1, n_steps=5).shape
        (5, 2)
        """
        from .latent import interpolation_path

        check_is_fitted(self, "generator_")
        rng = check_random_state(
            self.random_state if random_state is None else random_state
        )
        path, t = interpolation_path(z, n_steps, self.latent_dim_, rng)
        codes = None
        if self.classes_ is None:
            if y_from is not None or y_to is not None:
                raise ValueError(
                    "This model was fitted without y; interpolate between latent "
                    "points (z with two rows) with y_from=y_to=None."
                )
        else:
            if y_from is None or y_to is None:
                raise ValueError(
                    "This model is class-conditional: give both y_from and y_to "
                    f"(classes seen in fit: {self.classes_.tolist()})."
                )
            ends = resolve_sample_labels(
                [y_from, y_to], None, self.classes_, self.class_prior_, rng
            )
            weights = np.zeros((n_steps, self.n_labels_), dtype=np.float32)
            weights[:, ends[0]] += 1.0 - t
            weights[:, ends[1]] += t
            codes = weights
        noise_seed = int(rng.randint(np.iinfo(np.int32).max))
        return self._generate(torch.from_numpy(path), codes, noise_seed, rng)

    def latent_direction(
        self, attribute_scores, *, y=None, differentiable=False, n_samples=256,
        n_steps=30, step_size=0.2, max_norm=3.0, sigma=0.5, n_pairs=8,
        random_state=None,
    ):  # fmt: skip
        """Find a direction in latent space along which a score rises.

        Gradient steps on one shift ``d`` shared by a batch of latent vectors
        raise the mean score of the generated rows; the generator is frozen
        (only ``z`` moves). The unit direction returned goes to
        ``sample(..., shift=(direction, alpha))``. Directions are entangled:
        moving along one usually changes other attributes too, so measure
        them (see :doc:`/user_guide/imbalanced`).

        Parameters
        ----------
        attribute_scores : callable
            With ``differentiable=False`` (the default): a function of generated
            rows in the container of ``fit`` (a DataFrame or an array) returning
            one score per row, such as ``lambda X: clf.predict_proba(X)[:, 1]``
            of a fitted classifier; its gradient is estimated by antithetic
            Gaussian smoothing. With ``differentiable=True``: a function of the
            generator's raw output tensor (the encoded rows, see
            ``encoder_.spec_``) returning a tensor of scores; autograd gives the
            gradient.
        y : class label, optional
            For a conditional model, generate rows of this class while searching
            (default: classes drawn with the training frequencies).
        differentiable : bool, default=False
            See ``attribute_scores``.
        n_samples : int, default=256
            Latent vectors in the batch.
        n_steps : int, default=30
            Adam steps on the shift.
        step_size : float, default=0.2
            Adam's learning rate.
        max_norm : float, default=3.0
            Largest norm of the shift during the search.
        sigma : float, default=0.5
            Smoothing scale of the gradient estimate (``differentiable=False``).
        n_pairs : int, default=8
            Antithetic pairs per gradient estimate (``differentiable=False``).
        random_state : int, RandomState instance or None, default=None
            Seeds the batch and the estimate; ``None`` uses the estimator's.

        Returns
        -------
        direction : ndarray of shape (latent_dim,)
            A unit vector.

        Examples
        --------
        >>> import numpy as np
        >>> from gansynth import TabularGAN
        >>> rng = np.random.default_rng(0)
        >>> X = rng.normal(size=(200, 2))
        >>> gan = TabularGAN(epochs=2, pac=2, random_state=0).fit(X)
        >>> direction = gan.latent_direction(lambda rows: rows[:, 0], n_steps=3)
        >>> direction.shape, round(float(np.linalg.norm(direction)), 6)
        ((32,), 1.0)
        """
        from .latent import find_latent_direction

        check_is_fitted(self, "generator_")
        if not callable(attribute_scores):
            raise ValueError(
                "attribute_scores must be a callable returning one score per "
                f"generated row; got {type(attribute_scores).__name__}."
            )
        for name, value in (("n_samples", n_samples), ("n_steps", n_steps),
                            ("n_pairs", n_pairs)):  # fmt: skip
            if isinstance(value, bool) or not isinstance(value, numbers.Integral):
                raise ValueError(f"{name} must be a positive int; got {value!r}.")
            if value < 1:
                raise ValueError(f"{name} must be a positive int; got {value!r}.")
        for name, value in (("step_size", step_size), ("max_norm", max_norm),
                            ("sigma", sigma)):  # fmt: skip
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise ValueError(f"{name} must be a positive number; got {value!r}.")
            if not value > 0:
                raise ValueError(f"{name} must be a positive number; got {value!r}.")
        rng = check_random_state(
            self.random_state if random_state is None else random_state
        )
        codes = None
        if self.classes_ is not None:
            codes = resolve_sample_labels(
                y, n_samples, self.classes_, self.class_prior_, rng
            )
        elif y is not None:
            raise ValueError("This model was fitted without y; leave y=None.")
        noise_seed = int(rng.randint(np.iinfo(np.int32).max))
        context_rng = np.random.RandomState(noise_seed)
        context = None
        if getattr(self, "conditions_", None) is not None:
            context, _ = self.conditions_.sampling_context(
                n_samples, None, context_rng, self.encoder_
            )

        def evaluate(z, grad):
            if grad:
                return attribute_scores(self._forward(z, codes, noise_seed, context))
            # The same generator noise and conditions for every evaluation.
            X = self._generate(z, codes, noise_seed, np.random.RandomState(noise_seed))
            scores = np.asarray(attribute_scores(X), dtype=np.float64)
            if scores.shape != (z.shape[0],):
                raise ValueError(
                    "attribute_scores must return one score per row, shape "
                    f"({z.shape[0]},); got shape {scores.shape}."
                )
            return scores

        direction, _, _ = find_latent_direction(
            evaluate, self.latent_dim_, n_samples=n_samples, n_steps=n_steps,
            step_size=step_size, max_norm=max_norm, sigma=sigma, n_pairs=n_pairs,
            differentiable=bool(differentiable), rng=rng,
        )  # fmt: skip
        return direction

    def _sampling_net(self) -> torch.nn.Module:
        """The generator that samples: the EMA average when there is one."""
        if self.generator_ema_ is not None:
            return self.generator_ema_
        return self.generator_

    def _forward(self, z, codes, seed, context=None):
        """The generator's raw output with autograd on (frozen weights)."""
        device = torch.device(self.device_)
        args = [z.to(device)]
        args.append(None if codes is None else torch.as_tensor(codes, device=device))
        if context is not None:
            args.append(torch.as_tensor(context, device=device))
        with evaluating(self._sampling_net(), frozen=True) as net:
            with seeded_rng(device, seed):
                return net(*args).float()

    def _decode(self, z: torch.Tensor, codes, seed: int, context=None) -> np.ndarray:
        device = torch.device(self.device_)
        out = []
        # Generators may draw noise of their own (Gumbel-softmax): a seeded,
        # forked RNG makes samples reproducible and leaves the global RNG.
        with (
            evaluating(self._sampling_net()) as net,
            torch.no_grad(),
            seeded_rng(device, seed),
        ):
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
