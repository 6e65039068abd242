"""
Tuning the threshold to an alert budget
=======================================

A fraud team can review so many alerts a day. What matters then is how much
fraud the top of the ranking holds, and the threshold should flag exactly as
many transactions as the team can review, not the share that
``contamination`` guessed at fitting time.

:func:`~skfraud.metrics.tune_threshold` picks the threshold on labelled
validation rows, without refitting, for an alert budget (``"alert_rate"`` or
``"n_alerts"``), a target recall or precision, or the best F1; and
:func:`~skfraud.metrics.set_offset` moves the fitted detector's ``offset_``
there, so that ``predict`` flags those rows. This example does it on
synthetic card transactions from :func:`~skfraud.datasets.make_transactions`
(2 % fraud), with a budget of 1 % of the transactions.
"""

# %%
# Train, validation and test rows
# -------------------------------
# The detector trains without labels; the validation rows, with their
# labels, only choose the threshold; the test rows check it.
from sklearn.model_selection import train_test_split

from skfraud.datasets import make_transactions

X, y = make_transactions(20000, random_state=0, return_X_y=True)
X_train, X_rest, y_train, y_rest = train_test_split(
    X, y, test_size=0.5, stratify=y, random_state=0
)
X_val, X_test, y_val, y_test = train_test_split(
    X_rest, y_rest, test_size=0.5, stratify=y_rest, random_state=0
)

# %%
# A detector and its default threshold
# ------------------------------------
# With ``contamination="auto"`` the autoencoder flags the rows whose
# reconstruction error lies above the upper Tukey fence of the training
# errors: a rule that needs no guess of the fraud rate, but knows nothing of
# the review capacity.
from sklearn.pipeline import make_pipeline

from skfraud import AutoEncoderDetector
from skfraud.preprocessing import make_preprocessor

model = make_pipeline(
    make_preprocessor(), AutoEncoderDetector(max_epochs=20, random_state=0)
)
model.fit(X_train)
default_threshold = -model[-1].offset_
print(f"default threshold flags {(model.predict(X_test) == -1).mean():.1%} of test")

# %%
# The threshold for a 1 % alert budget
# ------------------------------------
# ``tune_threshold`` returns a :class:`~skfraud.metrics.ThresholdResult` with
# what the threshold achieves on the validation rows.
from skfraud.metrics import set_offset, tune_threshold

budget = tune_threshold(model, X_val, y_val, objective="alert_rate", target=0.01)
print(
    f"validation: {budget.n_alerts} alerts, precision {budget.precision:.2f}, "
    f"recall {budget.recall:.2f}"
)
set_offset(model, budget.offset)

flagged = model.predict(X_test) == -1
print(
    f"test: {flagged.sum()} alerts ({flagged.mean():.2%}), "
    f"precision {y_test[flagged].mean():.2f}, "
    f"recall {flagged[y_test == 1].mean():.2f}"
)

# %%
# The two thresholds on the test scores
# -------------------------------------
# Left: the anomaly scores of the test rows by class, with the default
# threshold and the budget threshold. Right: for budgets from 0.25 % to 5 %
# of the rows, the share of the fraud that the alerts catch and the share of
# the alerts that are fraud.
import matplotlib.pyplot as plt
import numpy as np

from skfraud.plotting import ScoreDistributionDisplay

fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5))
ScoreDistributionDisplay.from_estimator(
    model,
    X_test,
    y_test,
    threshold=budget.threshold,
    log_scale=True,
    ax=left,
    name="AutoEncoderDetector",
    threshold_kw={"label": "1 % alert budget"},
)
left.axvline(default_threshold, color="grey", linestyle="--", label="default")
left.legend()

rates = np.array([0.0025, 0.005, 0.01, 0.02, 0.03, 0.05])
results = [
    tune_threshold(model, X_test, y_test, objective="alert_rate", target=rate)
    for rate in rates
]
right.plot(100 * rates, [r.recall for r in results], "o-", label="recall")
right.plot(100 * rates, [r.precision for r in results], "s-", label="precision")
right.axvline(1, color="grey", linestyle=":")
right.set(xlabel="Alert budget (% of transactions)", ylim=(0, 1.05))
right.set_title("What each budget catches (test rows)")
right.legend()
fig.tight_layout()
plt.show()

# %%
# The same function tunes for other goals: ``objective="recall",
# target=0.8`` gives the fewest alerts that catch 80 % of the validation
# fraud, ``objective="precision", target=0.5`` the most fraud caught while
# at least half the alerts are fraud, ``objective="f1"`` the best F1. To
# choose ``contamination`` in a grid search instead, score ``predict`` with
# :func:`~skfraud.metrics.get_anomaly_scorer` names ``"f1"``,
# ``"precision"`` or ``"recall"``.
