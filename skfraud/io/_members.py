"""Where the skfraud detectors sit inside a Pipeline or composition.

A model file stores the scikit-learn part with skops and every skfraud
detector apart (see ``_detector``). :func:`split_detectors` takes the
detectors out, leaving ``"passthrough"`` in their places, and
:func:`put_detector` puts each back after loading.

A detector's place is a path of names. A Pipeline step takes one name, the
step's; a member of a composition takes two, the attribute holding the
members and the member's name. The compositions are skfraud's
:class:`~skfraud.ensemble.RankAverageDetector` and
:class:`~skfraud.preprocessing.DetectorScores`, whose parameter list holds
the unfitted templates that ``clone`` and ``set_params`` use and whose
fitted list the members that score, both lists of ``(name, estimator)``
pairs; and :class:`~skfraud.ensemble.SubsampleEnsembleDetector`, whose
parameter is one template (its member name is ``""``) and whose fitted
members are a plain list (their names are their positions, ``"0"``,
``"1"``, ...).
"""

import copy
from typing import NamedTuple

from sklearn.pipeline import Pipeline

from skfraud._deep import BaseDeepDetector

__all__ = ["Place", "put_detector", "split_detectors"]

# The placeholder skops stores where a detector was taken out.
_FREE = "passthrough"


class Place(NamedTuple):
    """A detector taken out of an estimator, and where it was."""

    path: list
    detector: BaseDeepDetector
    #: From a composition's parameter list: a template, maybe unfitted.
    template: bool
    #: Inside a composition: only readers of format version 2 put it back.
    in_composition: bool


# How a composition holds its members in one attribute.
_PAIRS, _LIST, _SINGLE = "pairs", "list", "single"


def _member_lists(estimator):
    """``(attribute, holds_templates, layout)`` of a composition's members.

    ``layout`` is ``"pairs"`` for a list of ``(name, estimator)`` pairs,
    ``"list"`` for a plain list and ``"single"`` for one estimator.
    """
    from skfraud.ensemble import RankAverageDetector, SubsampleEnsembleDetector
    from skfraud.preprocessing import DetectorScores

    if isinstance(estimator, RankAverageDetector):
        return (("estimators", True, _PAIRS), ("estimators_", False, _PAIRS))
    if isinstance(estimator, DetectorScores):
        return (("detectors", True, _PAIRS), ("detectors_", False, _PAIRS))
    if isinstance(estimator, SubsampleEnsembleDetector):
        return (("estimator", True, _SINGLE), ("estimators_", False, _LIST))
    return ()


def _as_pairs(value, layout):
    """The members held in ``value`` as ``(name, estimator)`` pairs, or None
    when ``value`` is not laid out as ``layout`` says."""
    if layout == _SINGLE:
        return None if value is None else [("", value)]
    if not isinstance(value, list):
        return None
    if layout == _LIST:
        return [(str(i), member) for i, member in enumerate(value)]
    return value


def _from_pairs(pairs, layout):
    """The inverse of :func:`_as_pairs`."""
    if layout == _SINGLE:
        return pairs[0][1]
    if layout == _LIST:
        return [member for _, member in pairs]
    return pairs


def split_detectors(estimator, path=(), templates=False, in_composition=False):
    """``(skeleton, places)``: ``estimator`` with its detectors taken out.

    ``places`` lists a :class:`Place` per detector. The skeleton is made of
    shallow copies with new lists; ``estimator`` is not modified.
    """
    if isinstance(estimator, Pipeline):
        skeleton = copy.copy(estimator)
        skeleton.steps, detectors = _split_list(
            estimator.steps, path, templates, in_composition
        )
        return skeleton, detectors
    lists = [
        (attribute, in_templates, layout, pairs)
        for attribute, in_templates, layout in _member_lists(estimator)
        if (pairs := _as_pairs(getattr(estimator, attribute, None), layout)) is not None
    ]
    if not lists:
        return estimator, []
    skeleton = copy.copy(estimator)
    detectors = []
    for attribute, in_templates, layout, pairs in lists:
        members, inner = _split_list(
            pairs,
            (*path, attribute),
            templates or in_templates,
            in_composition=True,
        )
        setattr(skeleton, attribute, _from_pairs(members, layout))
        detectors += inner
    return skeleton, detectors


def _split_list(pairs, path, templates, in_composition):
    members, detectors = [], []
    for name, member in pairs:
        if isinstance(member, BaseDeepDetector):
            detectors.append(Place([*path, name], member, templates, in_composition))
            member = _FREE
        else:
            member, inner = split_detectors(
                member, (*path, name), templates, in_composition
            )
            detectors += inner
        members.append((name, member))
    return members, detectors


def put_detector(skeleton, path, detector, where):
    """Put ``detector`` back into the free place at ``path``."""
    holder, names = skeleton, list(path)
    while names:
        if isinstance(holder, Pipeline):
            pairs, label, layout = holder.steps, names[:1], _PAIRS
            del names[:1]
        else:
            attribute = names[0]
            layouts = {name: layout for name, _, layout in _member_lists(holder)}
            layout = layouts.get(attribute)
            pairs = (
                None
                if layout is None
                else _as_pairs(getattr(holder, attribute, None), layout)
            )
            if pairs is None or len(names) < 2:
                raise ValueError(
                    f"{where}: the {type(holder).__name__} has no member list "
                    f"{attribute!r} for a detector."
                )
            label = names[:2]
            del names[:2]
        index = next(
            (i for i, (name, _) in enumerate(pairs) if name == label[-1]), None
        )
        done = path[: len(path) - len(names)]
        if index is None:
            raise ValueError(f"{where}: there is no step or member {done}.")
        if names:
            holder = pairs[index][1]
        elif pairs[index][1] != _FREE:
            raise ValueError(f"{where}: the step {done} is not free for a detector.")
        elif layout == _PAIRS:
            pairs[index] = (pairs[index][0], detector)
        elif layout == _LIST:
            getattr(holder, attribute)[index] = detector
        else:
            setattr(holder, attribute, detector)
