"""
Reason codes for alerts
=======================

An analyst reviewing an alert wants to know why it fired. The anomaly score
of :class:`~skfraud.AutoEncoderDetector`, :class:`~skfraud.VAEDetector` and
:class:`~skfraud.MemAEDetector` is a sum over the features the detector sees,
so it splits into one contribution per feature
(``feature_contributions``). :func:`skfraud.explain.reason_codes` turns the
largest of them into named reasons per row; in a Pipeline the names are the
columns after preprocessing, such as ``channel_online`` for a one-hot column.

The synthetic transactions of :func:`~skfraud.datasets.make_transactions`
plant three fraud schemes, so the reasons can be checked against the scheme
behind each alert.
"""

# %%
# A detector on synthetic transactions
# ------------------------------------
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline

from skfraud import AutoEncoderDetector
from skfraud.datasets import make_transactions
from skfraud.explain import reason_codes
from skfraud.preprocessing import make_preprocessor

data = make_transactions(20000, random_state=0)
X_train, X_test, type_train, type_test = train_test_split(
    data.data, data.fraud_type, test_size=0.3, random_state=0
)
model = make_pipeline(
    make_preprocessor(), AutoEncoderDetector(max_epochs=20, random_state=0)
)
model = model.fit(X_train)

# %%
# The top alerts and their reasons
# --------------------------------
# One row per transaction: the anomaly score, then the three features that
# add most to it, each with its contribution.
reasons = reason_codes(model, X_test, n_reasons=3)
reasons["fraud_type"] = type_test
top = reasons.sort_values("anomaly_score", ascending=False).head(200)
top.head(8)

# %%
# The first reason by fraud scheme
# --------------------------------
# Among the 200 highest-scored test transactions: which input column the
# first reason comes from (``country`` for ``country_RO``), per fraud scheme
# and for the genuine transactions that made it to the top.
import matplotlib.pyplot as plt
import pandas as pd


def source_column(feature):
    """The input column behind a feature name after one-hot encoding."""
    for column in data.categorical_features:
        if feature.startswith(f"{column}_"):
            return column
    return feature


top["reason_1_column"] = top["reason_1"].map(source_column)
counts = pd.crosstab(top["reason_1_column"], top["fraud_type"])
counts = counts.loc[counts.sum(axis=1).sort_values().index]
ax = counts.plot.barh(stacked=True, figsize=(7, 4.5))
ax.set(xlabel="Alerts among the top 200", ylabel="Column of the first reason")
ax.set_title("Reason codes of the top alerts")
plt.tight_layout()
plt.show()

# %%
# Many of the top alerts are genuine transactions with a category that is
# rare in the training data, such as a country or an entry mode seen a few
# times. A reconstruction-based detector finds what is rare, not only what
# is fraud; the reason codes show the analyst which it is. Alerts whose
# reasons combine several columns (a jewelry purchase, abroad, at night) are
# the fraud schemes the generator plants.
