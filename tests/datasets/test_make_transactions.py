"""The synthetic transaction generator."""

import time

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import IsolationForest
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder

from skfraud.datasets import make_transactions

CATEGORICAL = [
    "merchant_category",
    "channel",
    "entry_mode",
    "card_type",
    "country",
    "device_type",
]


@pytest.fixture(scope="module")
def transactions():
    return make_transactions(20000, random_state=0)


def test_columns_and_dtypes(transactions):
    X = transactions.data
    assert X.shape == (20000, 15)
    assert transactions.feature_names == list(X.columns)
    assert transactions.categorical_features == CATEGORICAL
    for name in X.columns:
        if name in CATEGORICAL:
            assert pd.api.types.is_string_dtype(X[name]), name
        else:
            assert pd.api.types.is_numeric_dtype(X[name]), name
    assert not X.isna().any().any()
    assert transactions.frame.shape == (20000, 16)
    assert transactions.target.name == "is_fraud"
    assert transactions.target.dtype == np.int64


def test_values_are_plausible(transactions):
    X = transactions.data
    assert X["hour"].between(0, 23).all()
    assert X["customer_age"].between(18, 90).all()
    assert (X["amount"] > 0).all()
    assert (X["account_age_days"] >= 1).all()
    assert (X["device_age_days"] <= X["account_age_days"]).all()
    assert (X["txn_count_24h"] >= 1).all()
    online = X["channel"] == "online"
    assert (online == (X["entry_mode"] == "ecommerce")).mean() > 0.95
    assert (online == (X["device_type"] != "terminal")).all()
    home = X["country"] == "US"
    assert X.loc[~home, "distance_from_home_km"].min() >= 500


def test_class_balance(transactions):
    y = transactions.target
    assert int(y.sum()) == 400
    assert transactions.fraud_type.value_counts().to_dict() == {
        "legitimate": 19600,
        "card_testing": 160,
        "account_takeover": 140,
        "skimming": 100,
    }
    assert ((transactions.fraud_type != "legitimate") == (y == 1)).all()


@pytest.mark.parametrize(
    ("n_samples", "fraud_rate", "n_fraud"),
    [(1, 0.02, 0), (7, 0.5, 4), (1000, 0.0, 0), (1000, 0.1, 100), (333, 0.05, 17)],
)
def test_fraud_count(n_samples, fraud_rate, n_fraud):
    X, y = make_transactions(
        n_samples, fraud_rate=fraud_rate, random_state=1, return_X_y=True
    )
    assert len(X) == len(y) == n_samples
    assert int(y.sum()) == n_fraud


def test_deterministic_for_a_seed():
    first = make_transactions(2000, random_state=42)
    second = make_transactions(2000, random_state=42)
    pd.testing.assert_frame_equal(first.frame, second.frame)
    other = make_transactions(2000, random_state=43)
    assert not first.frame.equals(other.frame)


def test_generator_and_randomstate_seeds():
    from_generator = make_transactions(500, random_state=np.random.default_rng(3))
    again = make_transactions(500, random_state=np.random.default_rng(3))
    pd.testing.assert_frame_equal(from_generator.frame, again.frame)
    from_state = make_transactions(500, random_state=np.random.RandomState(3))
    again = make_transactions(500, random_state=np.random.RandomState(3))
    pd.testing.assert_frame_equal(from_state.frame, again.frame)


@pytest.mark.parametrize("random_state", [None, 0])
def test_global_rng_untouched(random_state):
    # The legacy global state is exactly what must stay untouched.
    before = np.random.get_state()
    make_transactions(1000, random_state=random_state)
    after = np.random.get_state()
    assert before[0] == after[0]
    np.testing.assert_array_equal(before[1], after[1])
    assert before[2:] == after[2:]


def test_arrays_and_return_X_y():
    bunch = make_transactions(300, random_state=0, as_frame=False)
    assert isinstance(bunch.data, np.ndarray)
    assert bunch.data.dtype == object
    assert bunch.data.shape == (300, 15)
    assert bunch.frame is None
    assert isinstance(bunch.target, np.ndarray)
    assert isinstance(bunch.fraud_type, np.ndarray)
    X, y = make_transactions(300, random_state=0, return_X_y=True)
    np.testing.assert_array_equal(X.to_numpy(dtype=object), bunch.data)
    np.testing.assert_array_equal(y.to_numpy(), bunch.target)


def test_fraud_overlaps_legitimate_column_by_column(transactions):
    X, y = transactions.data, transactions.target
    fraud, legit = X[y == 1], X[y == 0]
    for name in X.columns:
        if name in CATEGORICAL:
            # Every value a fraud row takes is also taken by genuine rows.
            assert set(fraud[name]) <= set(legit[name]), name
            rate = y.groupby(X[name]).mean()
            score = X[name].map(rate).astype(float)
        else:
            inside = fraud[name].between(legit[name].min(), legit[name].max())
            assert inside.mean() > 0.9, name
            score = X[name].astype(float)
        auc = roc_auc_score(y, score)
        # No single column ranks the fraud well on its own.
        assert max(auc, 1 - auc) < 0.9, name


def test_isolation_forest_beats_chance(transactions):
    X, y = transactions.data, transactions.target
    numeric = [name for name in X.columns if name not in CATEGORICAL]
    encode = ColumnTransformer(
        [
            ("categorical", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL),
            ("numeric", MinMaxScaler(), numeric),
        ]
    )
    features = encode.fit_transform(X)
    forest = IsolationForest(n_estimators=100, random_state=0).fit(features)
    precision = average_precision_score(y, -forest.score_samples(features))
    chance = y.mean()
    assert precision > 10 * chance


def test_fast():
    start = time.perf_counter()
    make_transactions(20000, random_state=0)
    assert time.perf_counter() - start < 1.0


def test_descr(transactions):
    assert "400 fraud" in transactions.DESCR
    assert "card_testing 160" in transactions.DESCR


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_samples": 0}, "n_samples must be an integer >= 1"),
        ({"n_samples": -5}, "n_samples must be an integer >= 1"),
        ({"n_samples": 10.5}, "n_samples must be an integer >= 1"),
        ({"n_samples": True}, "n_samples must be an integer >= 1"),
        ({"fraud_rate": -0.1}, r"fraud_rate must be a float in \[0, 0.5\]"),
        ({"fraud_rate": 0.6}, r"fraud_rate must be a float in \[0, 0.5\]"),
        ({"fraud_rate": "high"}, r"fraud_rate must be a float in \[0, 0.5\]"),
        ({"random_state": -1}, "random_state must be a non-negative integer"),
        ({"random_state": "seed"}, "random_state must be None"),
        ({"as_frame": "yes"}, "as_frame must be True or False"),
        ({"return_X_y": 1}, "return_X_y must be True or False"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_transactions(**kwargs)
