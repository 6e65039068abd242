"""Data for skfraud: loaders of public benchmark sets and a synthetic generator.

The loaders read files from a data folder (``data_home``, else the
``SKFRAUD_DATA`` environment variable, else ``~/skfraud_data``), check each
file's SHA-256 and download it from its public origin only when asked to
(``download_if_missing=True``). :func:`make_transactions` needs no file.
"""

from skfraud.datasets._adbench import list_adbench, load_adbench
from skfraud.datasets._base import get_data_home
from skfraud.datasets._creditcard import load_creditcard
from skfraud.datasets._kddcup99 import load_kddcup99
from skfraud.datasets._odds import load_odds
from skfraud.datasets._synthetic import make_transactions
from skfraud.datasets._vehicle_insurance import load_vehicle_insurance

__all__ = [
    "get_data_home",
    "list_adbench",
    "load_adbench",
    "load_creditcard",
    "load_kddcup99",
    "load_odds",
    "load_vehicle_insurance",
    "make_transactions",
]
