"""The one-hot + min-max preprocessing recipe."""

import pickle

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import IsolationForest
from sklearn.model_selection import StratifiedKFold, cross_validate
from sklearn.pipeline import make_pipeline

from skfraud.metrics import get_anomaly_scorer
from skfraud.preprocessing import make_preprocessor


@pytest.fixture
def mixed():
    """Every dtype family a transaction table brings."""
    return pd.DataFrame(
        {
            "merchant": ["shop", "fuel", None, "shop"],
            "channel": pd.Series(["web", "pos", "web", "atm"], dtype=object),
            "country": pd.Categorical(["FR", "DE", "FR", "US"]),
            "is_foreign": [True, False, True, False],
            "card_present": pd.array([True, None, False, True], dtype="boolean"),
            "device": pd.array(["ios", "android", "ios", "web"], dtype="string"),
            "n_items": [1, 3, 2, 5],
            "amount": [10.0, 250.0, 40.0, 90.0],
            "age_days": pd.array([100, 20, None, 400], dtype="Int64"),
            "timestamp": pd.to_datetime(["2024-01-01"] * 4),
            "since_last": pd.to_timedelta([1, 2, 3, 4], unit="h"),
        }
    )


def selected(preprocessor, name):
    return next(cols for n, _, cols in preprocessor.transformers_ if n == name)


def test_auto_selects_columns_by_dtype(mixed):
    # pandas 3 infers its own string dtype for "merchant", pandas 2 object:
    # either is categorical.
    preprocessor = make_preprocessor(sparse_output=False).fit(mixed)
    assert isinstance(preprocessor, ColumnTransformer)
    assert selected(preprocessor, "categorical") == [
        "merchant",
        "channel",
        "country",
        "is_foreign",
        "card_present",
        "device",
    ]
    assert selected(preprocessor, "numeric") == ["n_items", "amount", "age_days"]
    names = preprocessor.get_feature_names_out().tolist()
    assert "merchant_fuel" in names
    assert "amount" in names
    assert not any(name.startswith(("timestamp", "since_last")) for name in names)


def test_missing_category_is_its_own_column(mixed):
    preprocessor = make_preprocessor(sparse_output=False).fit(mixed)
    names = preprocessor.get_feature_names_out().tolist()
    Z = preprocessor.transform(mixed)
    assert Z[2, names.index("merchant_nan")] == 1.0


def test_numeric_columns_scaled_to_unit_range(mixed):
    preprocessor = make_preprocessor(sparse_output=False).fit(mixed)
    names = preprocessor.get_feature_names_out().tolist()
    Z = preprocessor.transform(mixed)
    amount = Z[:, names.index("amount")]
    np.testing.assert_allclose(amount, [0.0, 1.0, 30 / 240, 80 / 240])
    n_items = Z[:, names.index("n_items")]
    assert (n_items.min(), n_items.max()) == (0.0, 1.0)


def test_values_beyond_training_range_are_not_clipped(mixed):
    new = mixed.iloc[:1].copy()
    new["amount"] = 2410.0
    preprocessor = make_preprocessor(sparse_output=False).fit(mixed)
    names = preprocessor.get_feature_names_out().tolist()
    assert preprocessor.transform(new)[0, names.index("amount")] == pytest.approx(10.0)

    clipped = make_preprocessor(sparse_output=False, clip=True).fit(mixed)
    assert clipped.transform(new)[0, names.index("amount")] == 1.0


def test_unknown_categories_encode_as_zeros(mixed):
    preprocessor = make_preprocessor(sparse_output=False).fit(mixed)
    names = preprocessor.get_feature_names_out().tolist()
    new = mixed.iloc[:1].copy()
    new["merchant"] = "casino"
    new["device"] = pd.array(["blackberry"], dtype="string")
    Z = preprocessor.transform(new)
    for column in ("merchant", "device"):
        block = [i for i, name in enumerate(names) if name.startswith(column + "_")]
        assert Z[0, block].sum() == 0.0
    assert Z[0, names.index("channel_web")] == 1.0

    strict = make_preprocessor(handle_unknown="error").fit(mixed)
    with pytest.raises(ValueError, match="unknown categor"):
        strict.transform(new)


def test_sparse_output_with_many_categories():
    rng = np.random.default_rng(0)
    X = pd.DataFrame(
        {
            "merchant": [f"m{i}" for i in rng.integers(0, 50, size=200)],
            "amount": rng.uniform(0, 100, size=200),
        }
    )
    Z = make_preprocessor().fit_transform(X)
    assert sp.issparse(Z)
    assert Z.format == "csr"
    dense = make_preprocessor(sparse_output=False).fit_transform(X)
    assert isinstance(dense, np.ndarray)
    np.testing.assert_allclose(Z.toarray(), dense)


def test_sparse_threshold_decides_the_stacked_output(mixed):
    # Six categorical and three numeric columns: density is far above 0.3.
    assert isinstance(make_preprocessor().fit_transform(mixed), np.ndarray)
    assert sp.issparse(make_preprocessor(sparse_threshold=1.0).fit_transform(mixed))
    assert make_preprocessor().sparse_threshold == 0.3
    assert make_preprocessor(sparse_output=False).sparse_threshold == 0.0


def test_numeric_only_and_categorical_only_frames():
    numeric = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [0, 5, 10]})
    Z = make_preprocessor().fit_transform(numeric)
    assert isinstance(Z, np.ndarray)
    assert Z.shape == (3, 2)
    # One category per row out of four: density 0.25, below the 0.3 default.
    categorical = pd.DataFrame({"c": ["w", "x", "y", "z"]})
    Z = make_preprocessor().fit_transform(categorical)
    assert sp.issparse(Z)
    assert Z.shape == (4, 4)


def test_listed_categorical_columns_are_not_also_scaled():
    X = pd.DataFrame({"mcc": [5411, 5812, 5411], "amount": [1.0, 2.0, 3.0]})
    preprocessor = make_preprocessor(categorical=["mcc"], sparse_output=False).fit(X)
    assert selected(preprocessor, "numeric") == ["amount"]
    assert preprocessor.get_feature_names_out().tolist() == [
        "mcc_5411",
        "mcc_5812",
        "amount",
    ]

    X["code"] = ["7", "8", "9"]
    preprocessor = make_preprocessor(numeric=["amount"], sparse_output=False).fit(X)
    assert selected(preprocessor, "categorical") == ["code"]


def test_column_positions_on_numpy_arrays():
    X = np.array([["a", 1.0], ["b", 3.0]], dtype=object)
    preprocessor = make_preprocessor(categorical=[0], numeric=[1], sparse_output=False)
    np.testing.assert_allclose(
        preprocessor.fit_transform(X), [[1.0, 0.0, 0.0], [0.0, 1.0, 1.0]]
    )


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"categorical": "merchant"}, ValueError, "\\['merchant'\\]"),
        ({"numeric": 3}, TypeError, "'auto', a list"),
        ({"sparse_threshold": 1.5}, ValueError, "sparse_threshold"),
        ({"sparse_output": "yes"}, TypeError, "sparse_output"),
    ],
)
def test_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        make_preprocessor(**kwargs)


def test_clone_and_pickle_keep_the_selection(mixed):
    preprocessor = make_preprocessor(categorical=["n_items"], sparse_output=False)
    expected = preprocessor.fit_transform(mixed)
    np.testing.assert_allclose(clone(preprocessor).fit_transform(mixed), expected)
    restored = pickle.loads(pickle.dumps(preprocessor))
    np.testing.assert_allclose(restored.transform(mixed), expected)


def test_pipeline_with_detector_and_anomaly_scorer():
    rng = np.random.default_rng(0)
    n_normal, n_fraud = 300, 15
    X = pd.DataFrame(
        {
            "merchant": rng.choice(["shop", "fuel", "food"], size=n_normal + n_fraud),
            "amount": np.r_[
                rng.normal(50, 10, size=n_normal), rng.uniform(500, 900, size=n_fraud)
            ],
        }
    )
    X.loc[n_normal:, "merchant"] = "wire"
    y = np.r_[np.zeros(n_normal, dtype=int), np.ones(n_fraud, dtype=int)]
    model = make_pipeline(make_preprocessor(), IsolationForest(random_state=0))
    result = cross_validate(
        model,
        X,
        y,
        cv=StratifiedKFold(n_splits=3, shuffle=True, random_state=0),
        scoring={"roc_auc": get_anomaly_scorer("roc_auc")},
    )
    assert result["test_roc_auc"].min() > 0.95


@pytest.fixture
def gaps():
    """Missing values in every form pandas gives them."""
    return pd.DataFrame(
        {
            "amount": [10.0, np.nan, 30.0, 50.0, 1000.0],
            "age_days": pd.array([5, 7, None, 9, 11], dtype="Int64"),
            "device": pd.array(["ios", None, "ios", "web", "ios"], dtype="string"),
            "merchant": ["shop", "fuel", None, "shop", "shop"],
        }
    )


def test_numeric_gaps_take_the_training_median(gaps):
    preprocessor = make_preprocessor(sparse_output=False).fit(gaps)
    names = preprocessor.get_feature_names_out().tolist()
    Z = preprocessor.transform(gaps)
    assert not np.isnan(Z).any()
    # median of 10, 30, 50, 1000 is 40; min-max over 10..1000
    assert Z[1, names.index("amount")] == pytest.approx(30 / 990)
    # median of 5, 7, 9, 11 is 8; min-max over 5..11
    assert Z[2, names.index("age_days")] == pytest.approx(3 / 6)

    mean = make_preprocessor(sparse_output=False, numeric_strategy="mean").fit(gaps)
    assert mean.transform(gaps)[1, names.index("amount")] == pytest.approx(
        (272.5 - 10) / 990
    )


def test_missing_categories_are_a_category_or_the_most_frequent(gaps):
    preprocessor = make_preprocessor(sparse_output=False).fit(gaps)
    names = preprocessor.get_feature_names_out().tolist()
    Z = preprocessor.transform(gaps)
    assert Z[1, names.index("device_nan")] == 1.0
    assert Z[2, names.index("merchant_nan")] == 1.0

    frequent = make_preprocessor(
        sparse_output=False, categorical_strategy="most_frequent"
    ).fit(gaps)
    names = frequent.get_feature_names_out().tolist()
    assert not any(name.endswith("_nan") for name in names)
    Z = frequent.transform(gaps)
    assert Z[1, names.index("device_ios")] == 1.0
    assert Z[2, names.index("merchant_shop")] == 1.0


def test_add_indicator_marks_the_filled_numbers(gaps):
    preprocessor = make_preprocessor(sparse_output=False, add_indicator=True)
    Z = preprocessor.fit_transform(gaps)
    names = preprocessor.get_feature_names_out().tolist()
    np.testing.assert_array_equal(
        Z[:, names.index("missingindicator_amount")], [0, 1, 0, 0, 0]
    )
    np.testing.assert_array_equal(
        Z[:, names.index("missingindicator_age_days")], [0, 0, 1, 0, 0]
    )


def test_a_column_empty_in_training_is_filled_with_zero():
    X = pd.DataFrame({"amount": [1.0, 2.0, 3.0], "empty": [np.nan] * 3})
    Z = make_preprocessor(sparse_output=False).fit_transform(X)
    np.testing.assert_array_equal(Z, [[0.0, 0.0], [0.5, 0.0], [1.0, 0.0]])


def test_detector_pipeline_fits_and_scores_rows_with_gaps(gaps):
    from skfraud import AutoEncoderDetector

    model = make_pipeline(
        make_preprocessor(),
        AutoEncoderDetector(max_epochs=2, batch_size=8, random_state=0),
    )
    scores = model.fit(gaps).score_samples(gaps)
    assert scores.shape == (5,) and np.isfinite(scores).all()


def test_without_imputation_gaps_pass_through(gaps):
    preprocessor = make_preprocessor(sparse_output=False, impute=False)
    Z = preprocessor.fit_transform(gaps[["amount", "merchant"]])
    assert np.isnan(Z).sum() == 1


@pytest.mark.parametrize(
    "X",
    [
        pd.DataFrame({"amount": [], "merchant": []}),
        pd.DataFrame(),
        pd.DataFrame({"amount": pd.Series([], dtype=float)}),
    ],
    ids=["object columns", "no columns", "float column"],
)
@pytest.mark.parametrize("numeric", ["auto", ["amount"]])
def test_no_rows_is_a_clear_error(X, numeric):
    if isinstance(numeric, list) and "amount" not in X:
        X = X.assign(amount=pd.Series([], dtype=float))
    preprocessor = make_preprocessor(numeric=numeric)
    with pytest.raises(ValueError, match="X with no rows"):
        preprocessor.fit(X)
    model = make_pipeline(make_preprocessor(numeric=numeric), IsolationForest())
    with pytest.raises(ValueError, match="X with no rows"):
        model.fit(X)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"impute": "yes"}, TypeError, "impute must be a bool"),
        ({"add_indicator": 1}, TypeError, "add_indicator must be a bool"),
        ({"numeric_strategy": "constant"}, ValueError, "numeric_strategy must be"),
        ({"categorical_strategy": "mode"}, ValueError, "categorical_strategy"),
    ],
)
def test_bad_imputation_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        make_preprocessor(**kwargs)
