"""The preprocessing recipe for tabular fraud data.

Deep detectors need every column numeric and on a comparable scale. The
recipe one-hot encodes the categorical columns and min-max scales the
numeric ones, choosing the columns by dtype, so that the same
``make_pipeline(make_preprocessor(), detector)`` works on any transaction
table.
"""

import numbers

import numpy as np
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder

from skfraud._detector_scores import DetectorScores

__all__ = ["DetectorScores", "make_preprocessor"]

# "string" selects both pandas string dtypes (pandas 3's default "str" and
# the nullable "string"); bool also selects the nullable "boolean".
_CATEGORICAL_DTYPES = (object, "string", "category", bool)
# timedelta64 counts as "number" for pandas, but a scaler cannot take it.
_NUMERIC_DTYPES = ("number",)
_NUMERIC_EXCLUDED_DTYPES = ("timedelta",)


class _ColumnsByDtype:
    """Column selector: the columns of the given dtypes minus ``exclude``.

    Used when one side of the split is a list of names and the other is
    ``"auto"``, so that a column listed as categorical (say an integer
    merchant code) is not also scaled as a number.
    """

    def __init__(self, dtype_include, dtype_exclude, exclude):
        self.dtype_include = dtype_include
        self.dtype_exclude = dtype_exclude or None
        self.exclude = exclude

    def __call__(self, X):
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


def _selector(columns, dtype_include, dtype_exclude, other):
    if not (isinstance(columns, str) and columns == "auto"):
        return columns
    if isinstance(other, list) and other:
        return _ColumnsByDtype(list(dtype_include), list(dtype_exclude), other)
    return make_column_selector(
        dtype_include=list(dtype_include), dtype_exclude=list(dtype_exclude) or None
    )


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
):
    """Build the ColumnTransformer that prepares tabular data for a detector.

    Categorical columns are one-hot encoded with
    :class:`~sklearn.preprocessing.OneHotEncoder`; numeric columns are
    scaled to [0, 1] on the training data with
    :class:`~sklearn.preprocessing.MinMaxScaler`.

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

    Returns
    -------
    preprocessor : ColumnTransformer
        Unfitted, with the transformers named ``"categorical"`` and
        ``"numeric"``.

    Notes
    -----
    Missing values are not imputed: the encoder treats a missing category
    as a category of its own, and the scaler passes NaN through, which
    skfraud's detectors reject. Put an imputer first if numeric columns have
    gaps. ``"auto"`` selection needs a pandas DataFrame; with a NumPy array,
    pass lists of column positions.

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

    encoder = OneHotEncoder(
        handle_unknown=handle_unknown,
        drop=drop,
        min_frequency=min_frequency,
        max_categories=max_categories,
        sparse_output=bool(sparse_output),
    )
    scaler = MinMaxScaler(clip=clip)
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
