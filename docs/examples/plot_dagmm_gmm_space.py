"""
DAGMM's Gaussian-mixture space on KDD Cup 99
============================================

:class:`~skfraud.DAGMMDetector` compresses each row to a short code ``z_c``
and appends two numbers that say how badly the row was reconstructed: the
relative Euclidean distance ``||x - x_hat|| / ||x||`` and the cosine
similarity between ``x`` and ``x_hat``. A Gaussian mixture fitted in that
space gives every row a *sample energy* (a negative log-density); the higher
the energy, the more anomalous the row.

This example follows the DAGMM paper's KDD Cup 99 protocol on a sample of the
data: the paper's 118 preprocessed features, the ``normal.`` connections as
the anomaly class (about 20 %), training on half of the other rows only
(``train_on="normal"``), and flagging the 20 % of the rows with the highest
energy (``contamination=0.2``). Then it draws the mixture space with
:class:`~skfraud.plotting.GMMSpaceDisplay`.
"""

# %%
# The data
# --------
# ``form="dagmm"`` is the paper's preprocessing of the 10 % subset: one-hot
# categorical columns and min-max scaled numeric ones. Without the data file
# the example falls back to synthetic transactions, preprocessed by
# :func:`~skfraud.preprocessing.make_preprocessor`.
import numpy as np
from sklearn.model_selection import train_test_split

from skfraud.datasets import load_kddcup99, make_transactions
from skfraud.preprocessing import make_preprocessor

try:
    X, y = load_kddcup99(
        form="dagmm",
        anomaly="normal",
        n_samples=10000,
        random_state=0,
        as_frame=False,
        return_X_y=True,
    )
    data_name = "KDD Cup 99"
except FileNotFoundError as error:
    print(f"{error}\nUsing synthetic transactions instead.")
    frame, y = make_transactions(10000, fraud_rate=0.2, random_state=0, return_X_y=True)
    X = make_preprocessor(sparse_output=False).fit_transform(frame)
    y = y.to_numpy()
    data_name = "Synthetic transactions"

X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.5, stratify=y, random_state=0
)
print(f"{X.shape[1]} features, {y.mean():.1%} anomalies")

# %%
# Training on the normal rows
# ---------------------------
# ``train_on="normal"`` trains the networks on the training rows with
# ``y == 0`` only, as the paper does; ``offset_`` is still set on all of
# ``X_train``. The other settings are the paper's KDD network, with its
# one-number code (the default, ``latent_dim="auto"``, sizes the code to the
# table), for few epochs.
from skfraud import DAGMMDetector

dagmm = DAGMMDetector(
    latent_dim=1, train_on="normal", contamination=0.2, max_epochs=30, random_state=0
)
dagmm.fit(X_train, y_train)

flagged = dagmm.predict(X_test) == -1
precision = y_test[flagged].mean()
recall = flagged[y_test == 1].mean()
print(f"flagged {flagged.mean():.1%} of the test rows")
print(f"precision {precision:.3f}, recall {recall:.3f}")

# %%
# The mixture space
# -----------------
# :meth:`~skfraud.DAGMMDetector.gmm_input` returns each row's coordinates
# ``[z_c, relative distance, cosine similarity]``; the display plots a sample
# of the test rows there, coloured by label, with the mixture's component
# means (``means_``).
import matplotlib.pyplot as plt

from skfraud.plotting import GMMSpaceDisplay

rng = np.random.default_rng(0)
shown = rng.choice(len(X_test), size=2000, replace=False)
display = GMMSpaceDisplay.from_estimator(
    dagmm, X_test[shown], y_test[shown], name=f"{data_name}: DAGMM mixture space"
)
# Under this protocol y = 1 marks the anomalies, not fraud: name them so.
handles, _ = display.ax_.get_legend_handles_labels()
display.ax_.legend(handles, ["y = 0", "y = 1 (anomaly)", "mixture means"])
display.ax_.view_init(elev=20, azim=-60)
plt.show()

# %%
# The energy of each row
# ----------------------
# The same rows, by anomaly score (``-score_samples``, the sample energy).
# The vertical line is the threshold that ``contamination=0.2`` set.
from skfraud.plotting import ScoreDistributionDisplay

ScoreDistributionDisplay.from_estimator(dagmm, X_test, y_test, name="DAGMMDetector")
plt.show()
