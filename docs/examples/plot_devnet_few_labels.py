"""
DevNet with 30 labelled frauds
==============================

Investigations leave a few confirmed frauds behind, far too few to train a
classifier well. :class:`~skfraud.DevNetDetector` (deviation network) puts
them to use: it learns an anomaly score that keeps the unlabelled rows near
a Gaussian reference and pushes every labelled fraud at least five reference
standard deviations above it.

On the vehicle-insurance claims, this example labels 30 of the training
frauds and treats every other training row as unlabelled (``y == 0``, which
hides the remaining frauds). It compares DevNet with an
:class:`~sklearn.ensemble.IsolationForest` that uses no label and with a
gradient-boosting classifier trained on the same 30 labels.
"""

# %%
# Thirty labels
# -------------
# A stratified 70 / 30 split; in the training part only 30 frauds keep
# ``y = 1``. Without the data file the example falls back to synthetic
# transactions.
import numpy as np
from sklearn.model_selection import train_test_split

from skfraud.datasets import load_vehicle_insurance, make_transactions

try:
    X, y = load_vehicle_insurance(return_X_y=True)
    data_name = "Vehicle insurance claims"
except FileNotFoundError as error:
    print(f"{error}\nUsing synthetic transactions instead.")
    X, y = make_transactions(15000, fraud_rate=0.06, random_state=0, return_X_y=True)
    data_name = "Synthetic transactions"

X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, stratify=y, random_state=0
)
rng = np.random.default_rng(0)
labelled = rng.choice(np.flatnonzero(y_train == 1), size=30, replace=False)
y_few = np.zeros(len(y_train), dtype=int)
y_few[labelled] = 1
print(f"{len(y_train)} training rows, {int(y_train.sum())} frauds, 30 labelled")

# %%
# Three models
# ------------
# DevNet reads ``y`` as 1 = known fraud, 0 = unlabelled. Its training batches
# are half labelled frauds (drawn with replacement) and half unlabelled rows.
# The classifier sees the same labels; IsolationForest none.
from sklearn.ensemble import HistGradientBoostingClassifier, IsolationForest
from sklearn.pipeline import make_pipeline

from skfraud import DevNetDetector
from skfraud.preprocessing import make_preprocessor

devnet = make_pipeline(make_preprocessor(), DevNetDetector(random_state=0))
devnet.fit(X_train, y_few)
forest = make_pipeline(make_preprocessor(), IsolationForest(random_state=0))
forest.fit(X_train)
boosting = make_pipeline(
    make_preprocessor(sparse_output=False),
    HistGradientBoostingClassifier(random_state=0),
)
boosting = boosting.fit(X_train, y_few)

# %%
# Precision-recall on the test rows
# ---------------------------------
# The detectors go through :func:`~skfraud.plotting.plot_detector_curves`; the
# classifier's fraud probabilities through
# :meth:`AnomalyPrecisionRecallDisplay.from_predictions
# <skfraud.plotting.AnomalyPrecisionRecallDisplay.from_predictions>`, which
# takes any score where higher means more likely fraud.
import matplotlib.pyplot as plt

from skfraud.plotting import AnomalyPrecisionRecallDisplay, plot_detector_curves

fig, ax = plt.subplots(figsize=(6, 4.5))
plot_detector_curves(
    {"DevNetDetector (30 labels)": devnet, "IsolationForest (no label)": forest},
    X_test,
    y_test,
    ax=ax,
    plot_chance_level=False,
)
AnomalyPrecisionRecallDisplay.from_predictions(
    y_test,
    boosting.predict_proba(X_test)[:, 1],
    name="Gradient boosting (30 labels)",
    ax=ax,
    plot_chance_level=True,
)
ax.set_title(f"{data_name}: test split")
plt.show()

# %%
# With 30 labels DevNet ranks the test frauds clearly above the unsupervised
# forest, which stays near the fraud rate, and about as well as the
# classifier trained on the same labels.
# DevNet is one single model. For a few confirmed frauds the user guide
# recommends :class:`~skfraud.ensemble.FewLabelDetector`, which averages the
# ranks of PReNet, Deep SAD and two bagged tree models
# (:ref:`what_do_you_have`), and compares them all on the suite of 34 data
# sets (:ref:`few_labels`).
