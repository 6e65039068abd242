"""The benchmark's data sets load with their published sizes and preprocess."""

import numpy as np
import pytest

from skfraud.benchmark import DATASETS, SUITES, load_dataset, preprocess
from skfraud.datasets import list_adbench

SIZES = {
    "thyroid": (3772, 93),
    "arrhythmia": (452, 66),
    "kdd": (494021, 97278),
    "kdd_raw": (494021, 97278),
    "vehicle": (15420, 923),
    "creditcard": (1722, 492),
}


@pytest.mark.parametrize("name", list(SIZES))
def test_real_data_sets_load_with_their_published_counts(data_dir, name):
    X, y = load_dataset(name, data_dir)
    assert (len(X), int(y.sum())) == SIZES[name]
    assert set(np.unique(y)) == {0, 1}


def test_every_data_set_but_the_synthetic_one_is_real():
    assert set(DATASETS) == {*SIZES, *list_adbench(), "synthetic"}


def test_the_adbench_suite_holds_every_adbench_set_and_the_shared_ones():
    suite = SUITES["adbench"]
    assert len(suite) == len(set(suite)) == 34
    assert set(suite) == {*list_adbench(), *SIZES} - {"kdd_raw"}


def test_adbench_sets_are_min_max_scaled_on_the_fitted_rows(data_dir):
    X, y = load_dataset("4_breastw", data_dir)
    assert (len(X), int(y.sum())) == (683, 239)
    X_model = preprocess("4_breastw", X, np.arange(300))
    assert X_model.shape == (683, 9)
    assert X_model[:300].min() == 0.0 and X_model[:300].max() == 1.0


def test_vehicle_claims_are_one_hot_encoded_without_the_row_id(data_dir):
    X, y = load_dataset("vehicle", data_dir)
    assert "PolicyNumber" not in X.columns
    X_model = preprocess("vehicle", X, np.arange(1000))
    assert X_model.dtype == np.float32 and len(X_model) == len(y)
    # 24 categorical columns become many more one-hot ones.
    assert X_model.shape[1] > 100
    assert X_model[:1000].min() == 0.0 and X_model[:1000].max() == 1.0


def test_the_dagmm_kdd_file_is_passed_as_it_is():
    # Already scaled with the attack rows' range: normal rows may exceed 1.
    X = np.random.default_rng(0).uniform(-0.1, 20.0, size=(50, 118))
    X_model = preprocess("kdd", X, np.arange(10))
    np.testing.assert_array_equal(X_model, X.astype(np.float32))
