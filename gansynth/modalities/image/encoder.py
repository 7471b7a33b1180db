"""ImageEncoder: image arrays or tensors in any common layout to NCHW floats
in [-1, 1] (the generator's tanh range), and back to the same form."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from ..protocol import Block, EncodedSpec

__all__ = ["LAYOUTS", "ImageEncoder", "padded_size"]

LAYOUTS = ("NCHW", "NHWC", "NHW")
MIN_SIZE, MAX_SIZE = 8, 64
CHANNELS = (1, 3)


def padded_size(height: int, width: int) -> int:
    """The square power-of-two side the networks work at: the smallest one
    that holds the image (28x28 -> 32, 8x8 -> 8, 20x12 -> 32)."""
    return 1 << (max(height, width) - 1).bit_length()


def _guess_layout(shape, name="X") -> str:
    if len(shape) == 3:
        return "NHW"
    first, last = shape[1] in CHANNELS, shape[3] in CHANNELS
    if first and not last:
        return "NCHW"
    if last and not first:
        return "NHWC"
    if first and last:
        raise ValueError(
            f"{name} of shape {tuple(shape)} could be NCHW or NHWC; pass layout='NCHW' "
            "or layout='NHWC'."
        )
    raise ValueError(
        f"{name} of shape {tuple(shape)} has no axis of 1 or 3 channels at position 1 "
        f"(NCHW) or 3 (NHWC); images have 1 (grey) or 3 (RGB) channels."
    )


class ImageEncoder:
    """Encode images for a GAN and decode its samples in the form given.

    Takes NumPy arrays or torch tensors of shape (N, C, H, W), (N, H, W, C)
    or (N, H, W), uint8 (0-255) or floating point (0-1), with 1 or 3
    channels and sides from 8 to 64 pixels. Encoding scales the values to
    [-1, 1] and pads each image by replicating its border to a square,
    power-of-two side (:func:`padded_size`), which the networks need; decoding
    crops the centre back, clips to the range and restores the container,
    layout and dtype (uint8 values rounded).

    Parameters
    ----------
    layout : {"auto", "NCHW", "NHWC", "NHW"}, default="auto"
        The axes of ``X``; "auto" reads them from the shape (a 3-D array is
        NHW; a 4-D one is NCHW or NHWC by where its 1 or 3 channels are).

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth.modalities.image import ImageEncoder
    >>> images = np.random.default_rng(0).integers(0, 256, (4, 28, 28), dtype=np.uint8)
    >>> enc = ImageEncoder().fit(images)
    >>> enc.transform(images).shape, enc.spec_.sample_shape
    ((4, 1, 32, 32), (1, 32, 32))
    >>> bool((enc.inverse_transform(enc.transform(images)) == images).all())
    True
    """

    def __init__(self, layout="auto"):
        self.layout = layout

    # -- checks -----------------------------------------------------------------
    def check(self, X, *, name="X"):
        """``X`` as a NumPy array in its layout, after the checks of images."""
        is_tensor = isinstance(X, torch.Tensor)
        if is_tensor:
            values = X.detach().cpu().numpy()
        else:
            try:
                values = np.asarray(X)
            except ValueError:  # NumPy refuses ragged lists of images
                sizes = sorted({np.shape(image) for image in X})
                raise ValueError(
                    f"{name} holds images of different sizes {sizes[:4]}; resize "
                    "them to one size first."
                ) from None
        if values.dtype == object or values.dtype.kind not in "uif":
            raise ValueError(
                f"{name} must hold numbers (uint8 0-255 or floats 0-1); got dtype "
                f"{values.dtype}."
            )
        if values.ndim not in (3, 4):
            raise ValueError(
                f"{name} must be images of shape (N, C, H, W), (N, H, W, C) or "
                f"(N, H, W); got an array of shape {values.shape}."
            )
        if values.shape[0] == 0:
            raise ValueError(f"{name} holds no image (shape {values.shape}).")
        layout = self.layout
        if layout == "auto":
            layout = _guess_layout(values.shape, name)
        if (values.ndim == 3) != (layout == "NHW"):
            raise ValueError(
                f"layout={layout!r} does not fit {name} of shape {values.shape}."
            )
        return values, layout, is_tensor

    def _nchw(self, values, layout) -> np.ndarray:
        if layout == "NHW":
            values = values[:, None]
        elif layout == "NHWC":
            values = values.transpose(0, 3, 1, 2)
        channels, height, width = values.shape[1:]
        if channels not in CHANNELS:
            raise ValueError(
                f"Images must have 1 or 3 channels; got {channels} (layout {layout})."
            )
        if not (MIN_SIZE <= height <= MAX_SIZE and MIN_SIZE <= width <= MAX_SIZE):
            raise ValueError(
                f"Image sides must be {MIN_SIZE} to {MAX_SIZE} pixels; got "
                f"{height}x{width}."
            )
        return values

    def unit_nchw(self, X, *, name="X") -> np.ndarray:
        """``X`` checked, as float32 (N, C, H, W) in [0, 1], unpadded; errors
        name the argument ``name``."""
        values, layout, _ = self.check(X, name=name)
        return self._scaled(self._nchw(values, layout), name)

    def _scaled(self, values, name="X") -> np.ndarray:
        if values.dtype == np.uint8:
            return values.astype(np.float32) / 255.0
        if values.dtype.kind in "iu":
            raise ValueError(
                f"Integer images must be uint8 (0-255); got dtype {values.dtype}."
            )
        if not np.isfinite(values).all():
            raise ValueError(f"{name} holds NaN or infinite pixel values.")
        low, high = float(values.min()), float(values.max())
        if low < 0.0 or high > 1.0:
            raise ValueError(
                f"Float images must lie in [0, 1]; {name} ranges over "
                f"[{low:g}, {high:g}] "
                "(divide 0-255 values by 255, or pass uint8)."
            )
        return values.astype(np.float32)

    # -- fit / transform ----------------------------------------------------
    def fit(self, X):
        values, layout, is_tensor = self.check(X)
        nchw = self._nchw(values, layout)
        self.layout_, self.is_tensor_ = layout, is_tensor
        self.dtype_ = str(values.dtype)
        self.channels_, self.height_, self.width_ = (int(s) for s in nchw.shape[1:])
        side = padded_size(self.height_, self.width_)
        self.spec_ = EncodedSpec(
            (Block("pixels", "continuous", self.channels_ * side * side),),
            shape=(self.channels_, side, side),
        )
        self._scaled(values)  # range checks at fit time too
        return self

    def transform(self, X) -> np.ndarray:
        values, layout, _ = self.check(X)
        nchw = self._nchw(values, layout)
        if nchw.shape[1:] != (self.channels_, self.height_, self.width_):
            raise ValueError(
                f"X has images of {nchw.shape[1:]} (C, H, W); fitted on "
                f"{(self.channels_, self.height_, self.width_)}."
            )
        scaled = torch.from_numpy(self._scaled(nchw)) * 2.0 - 1.0
        side = self.spec_.shape[-1]
        top, left = (side - self.height_) // 2, (side - self.width_) // 2
        pad = (left, side - self.width_ - left, top, side - self.height_ - top)
        if any(pad):
            scaled = F.pad(scaled, pad, mode="replicate")
        return scaled.numpy()

    def inverse_transform(self, Z):
        Z = np.asarray(Z, dtype=np.float32).reshape(-1, *self.spec_.shape)
        side = self.spec_.shape[-1]
        top, left = (side - self.height_) // 2, (side - self.width_) // 2
        crop = Z[:, :, top : top + self.height_, left : left + self.width_]
        unit = np.clip((crop + 1.0) / 2.0, 0.0, 1.0)
        if self.dtype_ == "uint8":
            out = np.rint(unit * 255.0).astype(np.uint8)
        else:
            out = unit.astype(self.dtype_)
        if self.layout_ == "NHW":
            out = out[:, 0]
        elif self.layout_ == "NHWC":
            out = out.transpose(0, 2, 3, 1)
        out = np.ascontiguousarray(out)
        return torch.from_numpy(out) if self.is_tensor_ else out

    # -- persistence ----------------------------------------------------------
    def get_state(self):
        meta = {
            "layout": self.layout, "layout_": self.layout_,
            "is_tensor": self.is_tensor_, "dtype": self.dtype_,
            "chw": [self.channels_, self.height_, self.width_],
            "spec": self.spec_.to_json(),
        }  # fmt: skip
        return {}, meta

    @classmethod
    def from_state(cls, arrays, meta):
        enc = cls(meta["layout"])
        enc.layout_, enc.is_tensor_, enc.dtype_ = (
            meta["layout_"], meta["is_tensor"], meta["dtype"]
        )  # fmt: skip
        enc.channels_, enc.height_, enc.width_ = meta["chw"]
        enc.spec_ = EncodedSpec.from_json(meta["spec"])
        return enc
