"""Random streams from ``random_state``, the global random states untouched.

The lowest layer: the dataset generators, the detectors and the
compositions all turn ``random_state`` into their private stream here.
"""

import numbers

import numpy as np

__all__ = ["check_generator", "check_random_state", "draw_seed"]

#: Seeds are drawn below this bound: every torch and NumPy seeding accepts it.
SEED_BOUND = 2**31 - 1


def check_generator(random_state):
    """Turn ``random_state`` into a private :class:`numpy.random.Generator`.

    ``None`` draws fresh entropy from the operating system instead of reading
    NumPy's global state, which is never touched; a non-negative int seeds a
    new generator; a Generator is used as it is; a RandomState seeds a new
    generator from its next draw.
    """
    if random_state is None:
        return np.random.default_rng()
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(0, 2**32, dtype=np.uint64))
    if isinstance(random_state, numbers.Integral) and not isinstance(
        random_state, bool
    ):
        if random_state < 0:
            raise ValueError(
                f"random_state must be a non-negative integer, got {random_state}."
            )
        return np.random.default_rng(int(random_state))
    raise ValueError(
        "random_state must be None, a non-negative int, a numpy Generator or "
        f"RandomState, got {random_state!r}."
    )


def draw_seed(random_state):
    """An integer seed from ``random_state`` without touching global RNGs.

    An int or a RandomState gives what scikit-learn's
    :func:`~sklearn.utils.check_random_state` draws from it, so that the
    same ``random_state`` seeds torch the same way in every release.
    """
    if isinstance(random_state, np.random.Generator):
        return int(random_state.integers(SEED_BOUND))
    return int(check_random_state(random_state).randint(SEED_BOUND))


def check_random_state(random_state):
    """A :class:`numpy.random.RandomState` for ``random_state``, never the global one.

    As scikit-learn's :func:`~sklearn.utils.check_random_state`, except that
    ``None`` gives a new RandomState seeded from the operating system's
    entropy instead of NumPy's global singleton, whose state would advance.
    """
    if random_state is None:
        return np.random.RandomState(np.random.default_rng().integers(2**32))
    if isinstance(random_state, np.random.RandomState):
        return random_state
    if isinstance(random_state, numbers.Integral) and not isinstance(
        random_state, bool
    ):
        return np.random.RandomState(random_state)
    raise ValueError(
        "random_state must be None, an int or a numpy RandomState, "
        f"got {random_state!r}."
    )
