"""numpydoc validation of the public API (imbalanced-learn keeps the same test)."""

import inspect

import pytest

numpydoc_validate = pytest.importorskip("numpydoc.validate")

import gansynth  # noqa: E402
from gansynth import datasets, metrics, modalities, training  # noqa: E402

# Checks we do not enforce: extended summaries, "See Also" sections, return
# names for simple functions, and examples on every method (classes and
# functions have them).
IGNORED = {
    "ES01",
    "SA01",
    "RT02",
    "EX01",
    "GL08",
    "PR02",
    "RT01",
    "YD01",
    "SS05",
    "GL01",
    "GL02",
}


def _public_objects():
    seen = []
    for module in (gansynth, training, modalities, datasets, metrics):
        for name in module.__all__:
            obj = getattr(module, name)
            if not (inspect.isclass(obj) or inspect.isfunction(obj)):
                continue
            if getattr(obj, "_is_protocol", False):  # typing.Protocol: an interface
                continue
            qualname = f"{obj.__module__}.{obj.__qualname__}"
            if qualname not in seen:
                seen.append(qualname)
    return seen


PUBLIC = _public_objects()
WITH_EXAMPLES = [
    "gansynth.tabular.TabularGAN",
    "gansynth.training.trainer.AdversarialTrainer",
    "gansynth.plotting.plot_history",
    "gansynth.datasets.toy.make_gaussian_ring",
    "gansynth.metrics.modes.mode_coverage",
    "gansynth.training.losses.get_loss",
]


@pytest.mark.parametrize("name", PUBLIC)
def test_public_docstring_is_valid(name):
    result = numpydoc_validate.validate(name)
    errors = [(code, msg) for code, msg in result["errors"] if code not in IGNORED]
    assert not errors, f"{name}: {errors}"


@pytest.mark.parametrize("name", WITH_EXAMPLES)
def test_main_entry_points_have_examples(name):
    doc = numpydoc_validate.Validator(
        numpydoc_validate.get_doc_object(numpydoc_validate.Validator._load_obj(name))
    )
    assert doc.examples, f"{name} has no Examples section"
