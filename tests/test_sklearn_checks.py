"""scikit-learn's estimator checks, where they apply to a generator.

A generator has ``fit`` and ``sample`` but no ``predict``/``transform``/
``score``, so scikit-learn runs only its fit-side checks (parameters, clone,
input validation, ``n_features_in_``, fit idempotence, pickling of the fitted
object); the checks of prediction methods skip themselves. The sampling side
is covered by our own generator checks in ``test_estimator_contract.py``.
"""

from sklearn.utils.estimator_checks import parametrize_with_checks

from gansynth import TabularGAN

from .conftest import FAST

# Checks expected to fail, with the reason.
EXPECTED_FAILED = {
    "TabularGAN": {
        "check_dtype_object": (
            "TabularGAN reads an object array as a table of categories instead of "
            "casting it to float; the check's dict entry is refused with a "
            "ValueError naming the column (not hashable), not the TypeError of a "
            "float cast that the check expects."
        ),
    },
}


@parametrize_with_checks(
    [TabularGAN(random_state=0, **{**FAST, "batch_size": 8})],
    expected_failed_checks=lambda est: EXPECTED_FAILED[type(est).__name__],
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
