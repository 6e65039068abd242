"""Synthetic mixed-type card transactions with planted fraud schemes."""

import numbers

import numpy as np
import pandas as pd

from skfraud._docstrings import fill_texts
from skfraud._random import check_generator
from skfraud.datasets._base import _as_output, _check_bool

FEATURE_NAMES = (
    "amount",
    "merchant_category",
    "channel",
    "entry_mode",
    "card_type",
    "country",
    "distance_from_home_km",
    "hour",
    "device_type",
    "device_age_days",
    "txn_count_24h",
    "declined_24h",
    "avg_amount_30d",
    "customer_age",
    "account_age_days",
)
CATEGORICAL_FEATURES = (
    "merchant_category",
    "channel",
    "entry_mode",
    "card_type",
    "country",
    "device_type",
)
_INTEGER_FEATURES = (
    "hour",
    "device_age_days",
    "txn_count_24h",
    "declined_24h",
    "customer_age",
    "account_age_days",
)

# Share of the fraud rows that each scheme contributes.
FRAUD_SCHEMES = {"card_testing": 0.40, "account_takeover": 0.35, "skimming": 0.25}
LEGITIMATE = "legitimate"

HOME_COUNTRY = "US"
# Destinations of the home market's customers, and those the fraud comes from:
# every country appears in both, with different weights.
_TRAVEL_COUNTRIES = {
    "CA": 0.22, "MX": 0.18, "GB": 0.12, "FR": 0.10, "DE": 0.08, "ES": 0.08,
    "BR": 0.05, "TH": 0.05, "CN": 0.05, "RO": 0.03, "NG": 0.04,
}  # fmt: skip
_FRAUD_COUNTRIES = {
    "CA": 0.06, "MX": 0.10, "GB": 0.10, "FR": 0.06, "DE": 0.06, "ES": 0.06,
    "BR": 0.12, "TH": 0.10, "CN": 0.10, "RO": 0.12, "NG": 0.12,
}  # fmt: skip
# Rough range of great-circle distances (km) from a home-market address.
_COUNTRY_DISTANCE_KM = {
    "CA": (500, 3500), "MX": (1000, 3500), "GB": (5500, 8500),
    "FR": (6000, 9000), "DE": (6500, 9000), "ES": (6000, 9000),
    "BR": (6500, 10000), "TH": (13000, 15500), "CN": (10500, 13500),
    "RO": (7500, 10000), "NG": (8500, 11000),
}  # fmt: skip

_CATEGORY_BY_CHANNEL = {
    "in_store": {
        "grocery": 0.28, "restaurant": 0.20, "fuel": 0.14, "pharmacy": 0.08,
        "retail": 0.18, "entertainment": 0.06, "electronics": 0.04, "jewelry": 0.02,
    },
    "online": {
        "retail": 0.30, "digital_goods": 0.20, "travel": 0.15, "electronics": 0.12,
        "entertainment": 0.10, "restaurant": 0.08, "grocery": 0.05,
    },
    "atm": {"cash_withdrawal": 1.0},
}  # fmt: skip
# Median ticket (in the home currency) of a customer with an average basket.
_MEDIAN_AMOUNT = {
    "grocery": 38.0, "restaurant": 28.0, "fuel": 42.0, "pharmacy": 18.0,
    "retail": 48.0, "entertainment": 30.0, "electronics": 160.0, "jewelry": 220.0,
    "digital_goods": 11.0, "travel": 320.0,
}  # fmt: skip
_ATM_AMOUNTS = np.array([20, 40, 60, 80, 100, 120, 160, 200, 300, 400, 500, 600, 800])
_ATM_LEGIT_P = np.array(
    [0.10, 0.16, 0.12, 0.12, 0.16, 0.06, 0.06, 0.10, 0.05, 0.035, 0.02, 0.01, 0.005]
)
_ATM_SKIMMING_P = np.array(
    [0.0, 0.0, 0.0, 0.02, 0.05, 0.03, 0.05, 0.15, 0.20, 0.20, 0.15, 0.10, 0.05]
)
_TYPICAL_BASKET = 45.0
_ENTRY_MODES = {
    "in_store": {"contactless": 0.50, "chip": 0.43, "magstripe": 0.06, "manual": 0.01},
    "online": {"ecommerce": 0.96, "manual": 0.04},
    "atm": {"chip": 0.93, "magstripe": 0.07},
}

# Hour-of-day profiles of genuine card-present and online spending.
_HOURS_IN_STORE = np.array(
    [0.4, 0.2, 0.1, 0.1, 0.1, 0.3, 1.0, 2.5, 4.0, 5.0, 5.5, 6.5,
     8.0, 7.0, 6.0, 6.0, 6.5, 7.5, 8.0, 6.5, 4.5, 3.0, 1.8, 0.9]
)  # fmt: skip
_HOURS_ONLINE = np.array(
    [1.5, 0.9, 0.5, 0.3, 0.3, 0.4, 0.9, 2.0, 3.0, 3.5, 4.0, 4.5,
     5.0, 4.5, 4.2, 4.2, 4.5, 5.0, 5.5, 6.5, 7.5, 7.5, 6.0, 3.5]
)  # fmt: skip
_HOURS_ONLINE = _HOURS_ONLINE / _HOURS_ONLINE.sum()
_HOURS_IN_STORE = _HOURS_IN_STORE / _HOURS_IN_STORE.sum()


@fill_texts()
def make_transactions(
    n_samples=20000,
    *,
    fraud_rate=0.02,
    random_state=None,
    as_frame=True,
    return_X_y=False,
):
    """Generate synthetic card transactions with planted fraud.

    Every row is one card payment of a customer of a home-market (``"US"``)
    issuer: what was bought, how and where, the customer and the recent
    activity on the card. Fraud rows come from three schemes, each a joint
    pattern over several columns; no single column separates them from the
    genuine rows, whose distributions they overlap.

    - ``card_testing`` (40 % of the fraud): bursts of tiny online payments,
      mostly digital goods, from a device new to the account, around the
      clock, with many transactions and declines in the last 24 hours.
    - ``account_takeover`` (35 %): large online purchases of electronics,
      jewelry, travel or gift cards, often from abroad or far from home, at
      night, from a new device, on young accounts of older customers.
    - ``skimming`` (25 %): cloned debit cards used card-present, mostly for
      large ATM withdrawals abroad, read from the magnetic stripe.

    Parameters
    ----------
    n_samples : int, default=20000
        Number of transactions.
    fraud_rate : float, default=0.02
        Fraction of fraud rows, in [0, 0.5]. The number of fraud rows is
        ``round(fraud_rate * n_samples)``, split between the schemes in the
        proportions above.
    random_state : int, numpy.random.Generator, numpy.random.RandomState or \
None, default=None
        Seed of the private generator. The same integer gives the same data.
        NumPy's global random state is never used or changed.
    as_frame : bool, default=True
        If True, ``data`` is a DataFrame whose categorical columns have
        pandas' string dtype and ``target`` a Series. If False, ``data`` is
        an object array (the columns mix strings and numbers).
    %(return_X_y_param)s

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the attributes:

        data : DataFrame or ndarray of shape (n_samples, 15)
            The transactions.
        target : Series or ndarray of shape (n_samples,)
            ``is_fraud``: 1 for fraud, 0 for a genuine transaction.
        frame : DataFrame of shape (n_samples, 16) or None
            ``data`` and ``target`` together (only when ``as_frame=True``).
        fraud_type : Series or ndarray of shape (n_samples,)
            The scheme behind each row: ``"legitimate"``, ``"card_testing"``,
            ``"account_takeover"`` or ``"skimming"``. Not a feature.
        feature_names : list of str
            The 15 column names.
        categorical_features : list of str
            The six string-valued columns.
        target_names : list of str
            ``["is_fraud"]``.
        DESCR : str
            Description of the data.

    %(X_y_tuple)s

    Examples
    --------
    >>> from skfraud.datasets import make_transactions
    >>> X, y = make_transactions(1000, random_state=0, return_X_y=True)
    >>> X.shape, int(y.sum())
    ((1000, 15), 20)
    >>> X["channel"].value_counts().index.tolist()
    ['in_store', 'online', 'atm']
    """
    if not isinstance(n_samples, numbers.Integral) or isinstance(n_samples, bool):
        raise ValueError(f"n_samples must be an integer >= 1, got {n_samples!r}.")
    if n_samples < 1:
        raise ValueError(f"n_samples must be an integer >= 1, got {n_samples}.")
    if (
        not isinstance(fraud_rate, numbers.Real)
        or isinstance(fraud_rate, bool)
        or not 0.0 <= fraud_rate <= 0.5
    ):
        raise ValueError(f"fraud_rate must be a float in [0, 0.5], got {fraud_rate!r}.")
    as_frame = _check_bool(as_frame, "as_frame")
    return_X_y = _check_bool(return_X_y, "return_X_y")
    rng = check_generator(random_state)

    n_samples = int(n_samples)
    n_fraud = round(float(fraud_rate) * n_samples)
    counts = {LEGITIMATE: n_samples - n_fraud, **_split(n_fraud, FRAUD_SCHEMES)}
    makers = {
        LEGITIMATE: _legitimate,
        "card_testing": _card_testing,
        "account_takeover": _account_takeover,
        "skimming": _skimming,
    }
    blocks = [makers[name](rng, count) for name, count in counts.items()]
    columns = {
        name: np.concatenate([block[name] for block in blocks])
        for name in FEATURE_NAMES
    }
    fraud_type = np.repeat(np.array(list(counts), dtype=object), list(counts.values()))
    order = rng.permutation(n_samples)

    frame = pd.DataFrame(
        {
            name: pd.Series(
                columns[name][order],
                dtype="str" if name in CATEGORICAL_FEATURES else None,
            )
            for name in FEATURE_NAMES
        }
    )
    frame["amount"] = frame["amount"].round(2)
    frame["avg_amount_30d"] = frame["avg_amount_30d"].round(2)
    frame["distance_from_home_km"] = frame["distance_from_home_km"].round(1)
    for name in _INTEGER_FEATURES:
        frame[name] = frame[name].astype(np.int64)
    fraud_type = pd.Series(fraud_type[order], name="fraud_type", dtype="str")
    target = pd.Series(
        (fraud_type != LEGITIMATE).to_numpy().astype(np.int64), name="is_fraud"
    )
    return _as_output(
        frame,
        target,
        as_frame=as_frame,
        return_X_y=return_X_y,
        descr=_describe(n_samples, counts),
        fraud_type=fraud_type,
        categorical_features=list(CATEGORICAL_FEATURES),
    )


def _split(total, shares):
    """Split ``total`` in proportion to ``shares`` (largest remainders)."""
    exact = np.array(list(shares.values())) * total
    counts = np.floor(exact).astype(int)
    leftover = total - counts.sum()
    counts[np.argsort(counts - exact, kind="stable")[:leftover]] += 1
    return dict(zip(shares, counts.tolist(), strict=True))


def _choice(rng, weights, size):
    """Draw ``size`` labels from a ``{label: weight}`` mapping."""
    labels = np.array(list(weights), dtype=object)
    p = np.array(list(weights.values()), dtype=float)
    return rng.choice(labels, size=size, p=p / p.sum())


def _lognormal(rng, median, sigma, size):
    return median * np.exp(sigma * rng.standard_normal(size))


def _customers(rng, n):
    """Cardholder attributes of ``n`` genuine customers."""
    age = np.clip(np.rint(rng.normal(44.0, 15.0, n)), 18, 90)
    tenure = _lognormal(rng, 1500.0, 0.9, n)
    # A slice of recently opened accounts, so young accounts are not rare.
    recent = rng.random(n) < 0.12
    tenure[recent] = rng.uniform(1.0, 365.0, recent.sum())
    tenure = np.clip(np.rint(tenure), 1, (age - 17.0) * 365.0)
    basket = _lognormal(rng, _TYPICAL_BASKET, 0.55, n)
    card_type = _choice(rng, {"credit": 0.55, "debit": 0.40, "prepaid": 0.05}, n)
    # Daily card activity: mostly a few payments, a tail of heavy users.
    activity = rng.gamma(2.0, 1.2, n)
    heavy = rng.random(n) < 0.03
    activity[heavy] = rng.uniform(6.0, 16.0, heavy.sum())
    return {
        "customer_age": age,
        "account_age_days": tenure,
        "avg_amount_30d": basket,
        "card_type": card_type,
        "txn_count_24h": 1 + rng.poisson(activity),
        "declined_24h": _declines(rng, n),
    }


def _declines(rng, n):
    declined = rng.poisson(0.06, n)
    clumsy = rng.random(n) < 0.03
    declined[clumsy] = rng.poisson(1.5, clumsy.sum())
    return declined


def _amounts(rng, category, basket):
    """Genuine ticket sizes: category median scaled by the customer's basket."""
    n = len(category)
    amount = np.empty(n)
    atm = category == "cash_withdrawal"
    amount[atm] = rng.choice(_ATM_AMOUNTS, size=atm.sum(), p=_ATM_LEGIT_P)
    median = np.array([_MEDIAN_AMOUNT.get(c, 0.0) for c in category[~atm]])
    scale = (basket[~atm] / _TYPICAL_BASKET) ** 0.6
    amount[~atm] = np.maximum(
        0.5, median * scale * np.exp(0.75 * rng.standard_normal((~atm).sum()))
    )
    return amount


def _places(rng, card_present, abroad, countries):
    """Country and distance from home; ``abroad`` rows draw from ``countries``."""
    n = len(card_present)
    country = np.full(n, HOME_COUNTRY, dtype=object)
    country[abroad] = _choice(rng, countries, abroad.sum())
    distance = np.where(
        card_present, _lognormal(rng, 6.0, 1.0, n), _lognormal(rng, 10.0, 1.2, n)
    )
    # Domestic trips, and online sessions routed through far-away networks.
    far = ~abroad & (rng.random(n) < 0.04)
    distance[far] = rng.uniform(150.0, 4000.0, far.sum())
    for name, (low, high) in _COUNTRY_DISTANCE_KM.items():
        here = country == name
        distance[here] = rng.uniform(low, high, here.sum())
    return country, distance


def _channel_details(rng, channel):
    """Entry mode and device of genuine payments, given the channel."""
    n = len(channel)
    entry = np.empty(n, dtype=object)
    device = np.full(n, "terminal", dtype=object)
    for name, modes in _ENTRY_MODES.items():
        here = channel == name
        entry[here] = _choice(rng, modes, here.sum())
    online = channel == "online"
    device[online] = _choice(
        rng, {"mobile": 0.62, "desktop": 0.30, "tablet": 0.08}, online.sum()
    )
    return entry, device


def _device_age(rng, online, tenure, new_share):
    """Days since the device (for card-present payments, the card) was first seen.

    Online, a ``new_share`` of the payments come from a device seen for at most
    three days; the others from a device about as old as the account allows.
    Card-present, it is the card's age, which a reissue resets every few years.
    """
    n = len(online)
    age = np.minimum(tenure, _lognormal(rng, 300.0, 1.0, n))
    new = online & (rng.random(n) < new_share)
    age[new] = rng.integers(0, 4, new.sum())
    present = ~online
    age[present] = rng.uniform(0.0, 1.0, present.sum()) * np.minimum(
        tenure[present], 1095.0
    )
    return np.minimum(np.rint(age), tenure)


def _hours(rng, online, night_share=0.0, night=(0, 6)):
    """Hour of day from the genuine profiles, with an extra ``night_share``."""
    n = len(online)
    hour = np.where(
        online,
        rng.choice(24, size=n, p=_HOURS_ONLINE),
        rng.choice(24, size=n, p=_HOURS_IN_STORE),
    )
    late = rng.random(n) < night_share
    hour[late] = rng.integers(night[0], night[1], late.sum())
    return hour


def _legitimate(rng, n):
    rows = _customers(rng, n)
    channel = _choice(rng, {"in_store": 0.62, "online": 0.30, "atm": 0.08}, n)
    category = np.empty(n, dtype=object)
    for name, weights in _CATEGORY_BY_CHANNEL.items():
        here = channel == name
        category[here] = _choice(rng, weights, here.sum())
    online = channel == "online"
    entry, device = _channel_details(rng, channel)
    abroad = rng.random(n) < np.where(online, 0.08, 0.04)
    country, distance = _places(rng, ~online, abroad, _TRAVEL_COUNTRIES)
    rows.update(
        amount=_amounts(rng, category, rows["avg_amount_30d"]),
        merchant_category=category,
        channel=channel,
        entry_mode=entry,
        country=country,
        distance_from_home_km=distance,
        hour=_hours(rng, online),
        device_type=device,
        device_age_days=_device_age(rng, online, rows["account_age_days"], 0.10),
    )
    return rows


def _card_testing(rng, n):
    rows = _customers(rng, n)
    online = np.ones(n, dtype=bool)
    abroad = rng.random(n) < 0.35
    country, distance = _places(rng, ~online, abroad, _FRAUD_COUNTRIES)
    proxied = ~abroad & (rng.random(n) < 0.4)
    distance[proxied] = rng.uniform(150.0, 4000.0, proxied.sum())
    rows.update(
        amount=rng.uniform(0.5, 4.0, n),
        merchant_category=_choice(
            rng, {"digital_goods": 0.6, "entertainment": 0.2, "retail": 0.2}, n
        ),
        channel=np.full(n, "online", dtype=object),
        entry_mode=_choice(rng, {"ecommerce": 0.8, "manual": 0.2}, n),
        card_type=_choice(rng, {"credit": 0.5, "debit": 0.3, "prepaid": 0.2}, n),
        country=country,
        distance_from_home_km=distance,
        hour=_hours(rng, online, night_share=0.5),
        device_type=_choice(rng, {"desktop": 0.65, "mobile": 0.30, "tablet": 0.05}, n),
        device_age_days=_device_age(rng, online, rows["account_age_days"], 0.8),
        txn_count_24h=1 + rng.poisson(rng.gamma(6.0, 2.5, n)),
        declined_24h=rng.poisson(2.0, n),
    )
    return rows


def _account_takeover(rng, n):
    rows = _customers(rng, n)
    age = np.clip(np.rint(rng.normal(60.0, 13.0, n)), 18, 90)
    tenure = rows["account_age_days"]
    young = rng.random(n) < 0.7
    tenure[young] = _lognormal(rng, 90.0, 0.8, young.sum())
    tenure = np.clip(np.rint(tenure), 1, (age - 17.0) * 365.0)
    online = np.ones(n, dtype=bool)
    abroad = rng.random(n) < 0.5
    country, distance = _places(rng, ~online, abroad, _FRAUD_COUNTRIES)
    proxied = ~abroad & (rng.random(n) < 0.5)
    distance[proxied] = rng.uniform(150.0, 4000.0, proxied.sum())
    category = _choice(
        rng,
        {"electronics": 0.45, "jewelry": 0.25, "travel": 0.15, "digital_goods": 0.15},
        n,
    )
    amount = _lognormal(rng, 1100.0, 0.55, n)
    travel = category == "travel"
    amount[travel] = _lognormal(rng, 1400.0, 0.5, travel.sum())
    gift_cards = category == "digital_goods"
    amount[gift_cards] = rng.choice([100.0, 200.0, 250.0, 500.0], gift_cards.sum())
    rows.update(
        customer_age=age,
        account_age_days=tenure,
        amount=amount,
        merchant_category=category,
        channel=np.full(n, "online", dtype=object),
        entry_mode=np.full(n, "ecommerce", dtype=object),
        country=country,
        distance_from_home_km=distance,
        hour=_hours(rng, online, night_share=0.55),
        device_type=_choice(rng, {"mobile": 0.45, "desktop": 0.50, "tablet": 0.05}, n),
        device_age_days=_device_age(rng, online, tenure, 0.85),
        txn_count_24h=1 + rng.poisson(3.5, n),
        declined_24h=rng.poisson(0.5, n),
    )
    return rows


def _skimming(rng, n):
    rows = _customers(rng, n)
    channel = _choice(rng, {"atm": 0.8, "in_store": 0.2}, n)
    atm = channel == "atm"
    category = np.full(n, "cash_withdrawal", dtype=object)
    category[~atm] = _choice(
        rng, {"electronics": 0.4, "jewelry": 0.3, "retail": 0.3}, (~atm).sum()
    )
    amount = np.empty(n)
    amount[atm] = rng.choice(_ATM_AMOUNTS, size=atm.sum(), p=_ATM_SKIMMING_P)
    amount[~atm] = _lognormal(rng, 400.0, 0.5, (~atm).sum())
    online = np.zeros(n, dtype=bool)
    abroad = rng.random(n) < 0.8
    country, distance = _places(rng, ~online, abroad, _FRAUD_COUNTRIES)
    far = ~abroad
    distance[far] = rng.uniform(200.0, 4000.0, far.sum())
    rows.update(
        amount=amount,
        merchant_category=category,
        channel=channel,
        entry_mode=_choice(rng, {"magstripe": 0.7, "chip": 0.3}, n),
        card_type=_choice(rng, {"debit": 0.8, "credit": 0.15, "prepaid": 0.05}, n),
        country=country,
        distance_from_home_km=distance,
        hour=_hours(rng, online, night_share=0.4, night=(0, 5)),
        device_type=np.full(n, "terminal", dtype=object),
        device_age_days=_device_age(rng, online, rows["account_age_days"], 0.0),
        txn_count_24h=1 + rng.poisson(4.0, n),
        declined_24h=rng.poisson(0.6, n),
    )
    return rows


def _describe(n_samples, counts):
    n_fraud = n_samples - counts[LEGITIMATE]
    schemes = ", ".join(f"{name} {counts[name]}" for name in FRAUD_SCHEMES)
    return f"""\
.. _synthetic_transactions:

Synthetic card transactions
---------------------------

Generated by ``skfraud.datasets.make_transactions``; no real customer data.
Each row is one card payment of a customer of a home-market ("US") issuer.

:Samples: {n_samples} ({n_fraud} fraud, {n_fraud / n_samples:.2%})
:Features: 15 -- 6 categorical (string): merchant_category, channel,
    entry_mode, card_type, country, device_type; 9 numeric: amount,
    distance_from_home_km, hour, device_age_days, txn_count_24h, declined_24h,
    avg_amount_30d, customer_age, account_age_days
:Target: is_fraud, 1 = fraud (positive class), 0 = genuine
:Fraud schemes: {schemes} (``fraud_type`` attribute)

The fraud follows three modus operandi. Card testing: bursts of tiny online
payments on new devices with many transactions and declines in 24 hours.
Account takeover: large online purchases of electronics, jewelry, travel or
gift cards, from abroad or far away, at night, from a new device, on young
accounts. Skimming: cloned debit cards read from the magnetic stripe, mostly
for large ATM withdrawals abroad. Each pattern is a combination of values
that genuine rows also take one at a time, so no single column separates the
classes; detectors have to learn the joint distribution.

``device_age_days`` is the days since the device was first seen on the account
for online payments, and the card's age for card-present ones.

License: generated data, free to use. Generated deterministically from
``random_state``.
"""
