"""Lists of named estimators, as FeatureUnion and VotingClassifier take them.

Shared by :class:`~skfraud.preprocessing.DetectorScores` and
:class:`~skfraud.ensemble.RankAverageDetector`, which both hold a
``(name, estimator)`` list tunable as ``<name>__<parameter>``.
"""

__all__ = ["kept_estimators"]


def kept_estimators(composite, attribute, items=None):
    """The ``(name, estimator)`` pairs of ``composite.<attribute>``, less "drop".

    ``items`` stands for ``composite.<attribute>`` where the composite
    resolves a default list itself.

    Checks that the list holds ``(str, estimator)`` pairs with unique names
    that do not clash with a parameter of ``composite`` (a
    :class:`~sklearn.utils.metaestimators._BaseComposition`), and that at
    least one estimator is not ``"drop"``.

    Raises
    ------
    TypeError
        When an item is not a ``(name, estimator)`` pair.
    ValueError
        When the names clash, or every estimator is ``"drop"``.
    """
    owner = type(composite).__name__
    if items is None:
        items = getattr(composite, attribute)
    if not isinstance(items, list | tuple) or not all(
        isinstance(item, tuple | list) and len(item) == 2 and isinstance(item[0], str)
        for item in items
    ):
        raise TypeError(
            f"{attribute} must be a list of (name, estimator) tuples, as for "
            f"FeatureUnion; got {items!r}."
        )
    composite._validate_names([name for name, _ in items])
    kept = [(name, estimator) for name, estimator in items if estimator != "drop"]
    if not kept:
        raise ValueError(f"{owner} needs at least one of its {attribute} not 'drop'.")
    return kept
