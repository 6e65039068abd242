"""The preprocessing recipe for tabular fraud data.

Deep detectors need every column numeric and on a comparable scale. The
recipe one-hot encodes the categorical columns and min-max scales the
numeric ones, choosing the columns by dtype, so that the same
``make_pipeline(make_preprocessor(), detector)`` works on any transaction
table.
"""

import numbers

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, MinMaxScaler, OneHotEncoder
from sklearn.utils.validation import _num_samples

__all__ = ["make_preprocessor"]

# "string" selects both pandas string dtypes (pandas 3's default "str" and
# the nullable "string"); bool also selects the nullable "boolean".
_CATEGORICAL_DTYPES = (object, "string", "category", bool)
# timedelta64 counts as "number" for pandas, but a scaler cannot take it.
_NUMERIC_DTYPES = ("number",)
_NUMERIC_EXCLUDED_DTYPES = ("timedelta",)
_NUMERIC_STRATEGIES = ("median", "mean", "most_frequent")
_CATEGORICAL_STRATEGIES = ("category", "most_frequent")


def _check_has_rows(X):
    # The column selectors see X before any encoder does: without rows, the
    # encoder would fail on a shape that names no column.
    if _num_samples(X) == 0:
        raise ValueError(
            f"make_preprocessor() got X with no rows (shape {X.shape}); "
            "fitting needs at least one row."
        )


class _ColumnsByDtype:
    """Column selector: the columns of the given dtypes minus ``exclude``.

    ``exclude`` holds the columns listed on the other side of the split, so
    that a column listed as categorical (say an integer merchant code) is
    not also scaled as a number.
    """

    def __init__(self, dtype_include, dtype_exclude, exclude):
        self.dtype_include = dtype_include
        self.dtype_exclude = dtype_exclude or None
        self.exclude = exclude

    def __call__(self, X):
        _check_has_rows(X)
        selected = make_column_selector(
            dtype_include=self.dtype_include, dtype_exclude=self.dtype_exclude
        )(X)
        return [column for column in selected if column not in self.exclude]

    def __repr__(self):
        return (
            f"{type(self).__name__}(dtype_include={self.dtype_include!r}, "
            f"exclude={self.exclude!r})"
        )


def _check_columns(columns, name):
    if isinstance(columns, str):
        if columns != "auto":
            raise ValueError(
                f"{name} must be 'auto' or a list of columns, got {columns!r}; "
                f"for a single column pass [{columns!r}]."
            )
        return columns
    if callable(columns):
        return columns
    try:
        return list(columns)
    except TypeError:
        raise TypeError(
            f"{name} must be 'auto', a list of columns or a callable selector, "
            f"got {type(columns).__name__}."
        ) from None


class _ListedColumns:
    """Column selector for the columns a user listed, checking X first."""

    def __init__(self, columns):
        self.columns = columns

    def __call__(self, X):
        _check_has_rows(X)
        return self.columns(X) if callable(self.columns) else self.columns

    def __repr__(self):
        return f"{type(self).__name__}({self.columns!r})"


def _selector(columns, dtype_include, dtype_exclude, other):
    if not (isinstance(columns, str) and columns == "auto"):
        return _ListedColumns(columns)
    exclude = other if isinstance(other, list) else []
    return _ColumnsByDtype(list(dtype_include), list(dtype_exclude), exclude)


def _missing_as_nan(X):
    """Every missing marker (None, NaN, pandas' NA) as NaN, in object columns.

    The encoder and the imputer both read NaN as missing, but pandas' NA of
    the nullable dtypes breaks their comparisons.
    """
    if sp.issparse(X):
        return X
    if isinstance(X, pd.DataFrame):
        return X.astype(object).where(X.notna(), np.nan)
    X = np.array(X, dtype=object)
    X[pd.isna(X)] = np.nan
    return X


def _check_choice(value, name, choices):
    if not (isinstance(value, str) and value in choices):
        options = ", ".join(repr(choice) for choice in choices)
        raise ValueError(f"{name} must be one of {options}, got {value!r}.")


def _check_bool(value, name):
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be a bool, got {value!r}.")


def make_preprocessor(
    *,
    categorical="auto",
    numeric="auto",
    sparse_output=True,
    sparse_threshold=0.3,
    handle_unknown="ignore",
    drop=None,
    min_frequency=None,
    max_categories=None,
    clip=False,
    remainder="drop",
    verbose_feature_names_out=False,
    impute=True,
    numeric_strategy="median",
    categorical_strategy="category",
    add_indicator=False,
):
    """Build the ColumnTransformer that prepares tabular data for a detector.

    Categorical columns are one-hot encoded with
    :class:`~sklearn.preprocessing.OneHotEncoder`; numeric columns are
    scaled to [0, 1] on the training data with
    :class:`~sklearn.preprocessing.MinMaxScaler`. Missing values are filled
    first (``impute=True``), since the detectors, like most of
    scikit-learn's outlier detectors, reject NaN.

    Parameters
    ----------
    categorical : "auto", list or callable, default="auto"
        Columns to one-hot encode. ``"auto"`` selects, in a pandas
        DataFrame, the columns of dtype object, string (pandas 3's ``str``
        and the nullable ``string``), category and bool (numpy and nullable
        ``boolean``). A list of column names (or integer positions for a
        NumPy array), or a callable as ``make_column_selector`` returns, is
        used as given.

    numeric : "auto", list or callable, default="auto"
        Columns to min-max scale. ``"auto"`` selects the numeric columns
        (integers and floats, numpy or nullable; not bool, not timedelta).
        When one of ``categorical`` / ``numeric`` is a list and the other is
        ``"auto"``, the automatic side leaves out the listed columns, so an
        integer code listed as categorical is not scaled as well.

    sparse_output : bool, default=True
        Whether the one-hot encoder returns a sparse matrix. If False, the
        output is always a dense ndarray.

    sparse_threshold : float in [0, 1], default=0.3
        Passed to :class:`~sklearn.compose.ColumnTransformer` when
        ``sparse_output=True``: the stacked output is a sparse CSR matrix if
        its share of non-zero values is below this, else a dense ndarray.
        Many categories give a sparse output; a few categories next to many
        numeric columns a dense one. Use 1.0 to always get a sparse matrix
        when there is a categorical column. Ignored if ``sparse_output=False``.

    handle_unknown : {"ignore", "infrequent_if_exist", "warn", "error"}, \
default="ignore"
        What the encoder does with a category not seen in ``fit``. With
        ``"ignore"`` the row is encoded as all zeros in that column's block,
        so scoring new data never fails on a new merchant or country.

    drop : {"first", "if_binary"} or None, default=None
        Passed to the encoder. The default keeps one column per category,
        which is what reconstruction-based detectors should see; dropping a
        category makes unknown categories look like the dropped one.

    min_frequency, max_categories : int, float or None, default=None
        Passed to the encoder to group rare categories into one
        "infrequent" column.

    clip : bool, default=False
        Passed to :class:`~sklearn.preprocessing.MinMaxScaler`. Left False
        so that values beyond the training range stay beyond [0, 1] at
        scoring time: an amount ten times the largest seen in training is
        exactly what a detector must notice, and clipping would turn it into
        the training maximum.

    remainder : {"drop", "passthrough"} or estimator, default="drop"
        What happens to the columns neither selected as categorical nor as
        numeric (e.g. datetimes).

    verbose_feature_names_out : bool, default=False
        If False, output feature names are the original ones
        (``"amount"``, ``"country_FR"``), which keeps per-feature reason
        codes readable; :meth:`get_feature_names_out` raises if two would
        collide, in which case pass True to prefix them with
        ``"categorical__"`` / ``"numeric__"``.

    impute : bool, default=True
        Fill missing values (None, NaN, pandas' NA) before encoding and
        scaling, as ``numeric_strategy`` and ``categorical_strategy`` say.
        If False, a missing category is still a category of its own (except
        pandas' NA, which the encoder rejects) and NaN in numeric columns
        reaches the detector, which rejects it.

    numeric_strategy : {"median", "mean", "most_frequent"}, default="median"
        The value, learnt per column on the training rows, that replaces a
        missing number (:class:`~sklearn.impute.SimpleImputer`). The median
        is not pulled by the extreme amounts that fraud data holds. A column
        without any value in training is filled with 0. Ignored if
        ``impute=False``.

    categorical_strategy : {"category", "most_frequent"}, default="category"
        ``"category"`` encodes a missing category as a category of its own
        (a one-hot column ending in ``_nan``): in transaction data a missing
        field is often a signal. ``"most_frequent"`` replaces it with the
        most frequent category of the training rows. Ignored if
        ``impute=False``.

    add_indicator : bool, default=False
        Add a 0/1 column per numeric column that had missing values in
        training, marking the rows where it was filled (named
        ``"missingindicator_<column>"``). Ignored if ``impute=False``.

    Returns
    -------
    preprocessor : ColumnTransformer
        Unfitted, with the transformers named ``"categorical"`` and
        ``"numeric"``: the encoder and the scaler, each behind its imputer
        in a :class:`~sklearn.pipeline.Pipeline` when ``impute=True``.

    Notes
    -----
    ``"auto"`` selection needs a pandas DataFrame; with a NumPy array, pass
    lists of column positions. Fitting on X without rows raises a
    ``ValueError``.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn.ensemble import IsolationForest
    >>> from sklearn.pipeline import make_pipeline
    >>> from skfraud.preprocessing import make_preprocessor
    >>> X = pd.DataFrame({"amount": [10.0, 20.0, 30.0],
    ...                   "country": ["FR", "DE", "FR"]})
    >>> preprocessor = make_preprocessor(sparse_output=False)
    >>> preprocessor.fit_transform(X)
    array([[0. , 1. , 0. ],
           [1. , 0. , 0.5],
           [0. , 1. , 1. ]])
    >>> preprocessor.get_feature_names_out().tolist()
    ['country_DE', 'country_FR', 'amount']
    >>> new = pd.DataFrame({"amount": [300.0], "country": ["US"]})
    >>> preprocessor.transform(new)
    array([[ 0. ,  0. , 14.5]])
    >>> model = make_pipeline(make_preprocessor(), IsolationForest(random_state=0))
    >>> model.fit(X).score_samples(new).shape
    (1,)

    Missing amounts take the training median, missing countries become a
    category of their own:

    >>> gaps = pd.DataFrame({"amount": [10.0, None, 30.0],
    ...                      "country": ["FR", None, "FR"]})
    >>> make_preprocessor(sparse_output=False).fit_transform(gaps)
    array([[1. , 0. , 0. ],
           [0. , 1. , 0.5],
           [1. , 0. , 1. ]])
    """
    categorical = _check_columns(categorical, "categorical")
    numeric = _check_columns(numeric, "numeric")
    if not isinstance(sparse_output, bool | np.bool_):
        raise TypeError(f"sparse_output must be a bool, got {sparse_output!r}.")
    if not (
        isinstance(sparse_threshold, numbers.Real)
        and not isinstance(sparse_threshold, bool)
        and 0 <= sparse_threshold <= 1
    ):
        raise ValueError(
            f"sparse_threshold must be a float in [0, 1], got {sparse_threshold!r}."
        )
    _check_bool(impute, "impute")
    _check_bool(add_indicator, "add_indicator")
    _check_choice(numeric_strategy, "numeric_strategy", _NUMERIC_STRATEGIES)
    _check_choice(categorical_strategy, "categorical_strategy", _CATEGORICAL_STRATEGIES)

    encoder = OneHotEncoder(
        handle_unknown=handle_unknown,
        drop=drop,
        min_frequency=min_frequency,
        max_categories=max_categories,
        sparse_output=bool(sparse_output),
    )
    scaler = MinMaxScaler(clip=clip)
    if impute:
        categorical_steps = [
            FunctionTransformer(_missing_as_nan, feature_names_out="one-to-one")
        ]
        if categorical_strategy == "most_frequent":
            categorical_steps.append(SimpleImputer(strategy="most_frequent"))
        encoder = make_pipeline(*categorical_steps, encoder)
        numeric_imputer = SimpleImputer(
            strategy=numeric_strategy,
            add_indicator=bool(add_indicator),
            keep_empty_features=True,
        )
        scaler = make_pipeline(numeric_imputer, scaler)
    return ColumnTransformer(
        [
            (
                "categorical",
                encoder,
                _selector(categorical, _CATEGORICAL_DTYPES, (), numeric),
            ),
            (
                "numeric",
                scaler,
                _selector(
                    numeric, _NUMERIC_DTYPES, _NUMERIC_EXCLUDED_DTYPES, categorical
                ),
            ),
        ],
        remainder=remainder,
        sparse_threshold=float(sparse_threshold) if sparse_output else 0.0,
        verbose_feature_names_out=verbose_feature_names_out,
    )
