"""The figures that the documentation quotes are those of the recorded benchmarks.

The pages of docs/ quote mean AUPRCs, ROC-AUCs and average ranks from the
Markdown reports in benchmarks/results/. ``FIGURES`` registers each block of
prose (a paragraph, a list item, a row of a list-table) that quotes one, with
the cells of the records it quotes, in order. Two checks keep the two in
step:

- in a registered block, the figures (numbers with two or three decimals,
  outside code and ``literals``) are exactly the registered cells' values,
  rounded to as many decimals as the page writes;
- every block of a page that quotes a figure with three decimals is
  registered, so a new figure cannot appear without its record.

A page that quotes a number its record does not hold, or a number that no
record backs, fails. Constants that are no measurement (``0.01`` for 1 %)
are written as literals. The records are read as they are in the
repository; no data set is needed.
"""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
DOCS = REPO_ROOT / "docs"
RECORDS = REPO_ROOT / "benchmarks" / "results"

# Pages written by sphinx-gallery, not by hand.
GENERATED_PAGES = {"sg_execution_times.rst"}

# How the suite records name what the pages name otherwise. The harness
# builds the few-label recipe from FewLabelDetector and records it by its
# members; its kNN peer is KNNDetector(n_neighbors=5), given only the
# genuine rows under the clean protocol, as train_on="normal" does.
RECIPE = "PReNet + DeepSAD + XGBOD + HGB (rank average)"
KNN = "kNN"

AUPRC = "mean AUPRC"
RANK = "average rank"
# Number with three decimals: the metric figures every record writes.
THREE_DECIMALS = re.compile(r"(?<![\d.])\d\.\d{3}(?![\d.])")
# In a registered block, the average ranks (two decimals) are checked too.
FIGURE = re.compile(r"(?<![\d.])\d\.\d{2,3}(?![\d.])")


@dataclass(frozen=True)
class Cell:
    """One cell of a record: the row named ``row``, the column ``column``, in
    the table under the heading ``section`` (any table, if None)."""

    record: str
    row: str
    column: str = AUPRC
    section: str | None = None


@dataclass(frozen=True)
class Figures:
    """A block of ``page`` holding ``anchor`` quotes ``cells``, in order."""

    page: str
    anchor: str
    cells: tuple


def _suite_all(row, protocol, column=AUPRC):
    return Cell("suite_all.md", row, column, protocol)


def _per_set(record, protocol, data_set, model):
    """A model's AUPRC on one data set, from a suite report's second table."""
    section = f"{protocol}: AUPRC per data set (mean over seeds)"
    return Cell(record, data_set, model, section)


def _few(row, protocol="few-label", column=AUPRC):
    return Cell("suite_few_labels.md", row, column, protocol)


def _budget(row, protocol, column=AUPRC):
    return Cell("suite_few_label_budgets.md", row, column, protocol)


def _subsample(row, column=AUPRC):
    return Cell("subsample_ensemble.md", row, column, "unsupervised")


ENSEMBLE_OF_DTE = "DTEDetector, 8 on 256 rows"


def _two_caps(part, row, cap, protocol, column=AUPRC, record="defaults_two_caps.md"):
    """A model on all the suite's tables at a row cap of ``cap``, in the
    part ``part`` of a record that ``defaults_at_two_caps.py`` writes."""
    section = f"{part}: {cap}-row cap, {protocol}, all (34 tables)"
    return Cell(record, row, column, section)


# The candidates without labels as the two-caps record names them: the
# detectors at their defaults (trim="auto", a fixed tenth).
IF_AND_VAE = "IsolationForest + VAE (rank average)"
AUTOENCODER, VAE = "AutoEncoderDetector:trim=0.1", "VAEDetector:trim=0.1"


def _candidate(row, cap, column=AUPRC):
    """A candidate without labels, contaminated training, all tables."""
    return _two_caps("candidates", row, cap, UNSUPERVISED, column)


# The same rank average with the VAE as it trains by default, in at most
# 2,000 optimizer steps (the two-caps record's "optimizer steps").
IF_AND_BOUNDED_VAE = "IsolationForest + VAE:max_steps=2000 (rank average)"


def _with_bounded_vae(row, cap):
    """A model of the part "optimizer steps", contaminated training."""
    return _two_caps("optimizer steps", row, cap, UNSUPERVISED)


def _few_at_20000(row, protocol):
    """The few-label recipe's table at a 20,000-row cap, all tables."""
    return _two_caps("recipe", row, "20,000", protocol, record="few_label_two_caps.md")


def _demo(row, column):
    return Cell("demo_seeds.md", row, column)


def _few_label_row(page, anchor, row):
    """A row of the few-label table: AUPRC and rank with 30, then 5 labels."""
    return Figures(
        page,
        anchor,
        (
            _few(row),
            _few(row, column=RANK),
            _few(row, "few-label-5"),
            _few(row, "few-label-5", RANK),
        ),
    )


DETECTORS = "user_guide/detectors.rst"
FEW_LABELS = "user_guide/few_labels.rst"
UNSUPERVISED, CLEAN = "unsupervised", "clean"

FIGURES = [
    # The decision table.
    Figures(
        DETECTORS,
        "* - no labels: frauds hidden among the rows",
        (
            _with_bounded_vae(IF_AND_BOUNDED_VAE, "2,000"),
            _with_bounded_vae(IF_AND_BOUNDED_VAE, "20,000"),
            _with_bounded_vae("IsolationForest", "2,000"),
            _with_bounded_vae("IsolationForest", "20,000"),
        ),
    ),
    Figures(
        DETECTORS,
        "* - rows known to be genuine",
        (_suite_all(KNN, CLEAN), _suite_all("DeepSVDDDetector", CLEAN)),
    ),
    Figures(
        DETECTORS,
        "* - a few :term:`confirmed frauds",
        (
            _few(RECIPE),
            _few(RECIPE, "few-label-5"),
            _few("HistGradientBoostingClassifier"),
            _few("HistGradientBoostingClassifier", "few-label-5"),
            _few_at_20000(RECIPE, "few-label"),
            _few_at_20000(RECIPE, "few-label-5"),
            _few_at_20000("HistGradientBoostingClassifier", "few-label"),
            _few_at_20000("HistGradientBoostingClassifier", "few-label-5"),
        ),
    ),
    Figures(
        DETECTORS,
        "* - many confirmed frauds",
        (
            _budget(RECIPE, "few-label-100"),
            _budget(RECIPE, "all-labels"),
            _budget("HistGradientBoostingClassifier", "few-label-100"),
            _budget("HistGradientBoostingClassifier", "all-labels"),
            _few_at_20000(RECIPE, "few-label-100"),
            _few_at_20000(RECIPE, "all-labels"),
            _few_at_20000("HistGradientBoostingClassifier", "few-label-100"),
            _few_at_20000("HistGradientBoostingClassifier", "all-labels"),
        ),
    ),
    # "When to pick which".
    Figures(
        DETECTORS,
        "- **No labels:** the rank average",
        (
            _candidate(IF_AND_VAE, "2,000"),
            _candidate(IF_AND_VAE, "20,000"),
            _candidate("IsolationForest", "2,000"),
            _candidate("IsolationForest", "20,000"),
            _candidate(IF_AND_VAE, "2,000", RANK),
            _candidate("IsolationForest", "2,000", RANK),
            _candidate(IF_AND_VAE, "20,000", RANK),
            _candidate("IsolationForest", "20,000", RANK),
            _candidate(AUTOENCODER, "2,000"),
            _candidate(AUTOENCODER, "20,000"),
            _candidate(VAE, "2,000"),
            _candidate(VAE, "20,000"),
            _candidate(VAE, "2,000", RANK),
            _candidate(VAE, "20,000", RANK),
        ),
    ),
    Figures(
        DETECTORS,
        "- **Always compare with**",
        (
            _per_set("suite_all.md", UNSUPERVISED, "thyroid", "IsolationForest"),
            _per_set("suite_all.md", UNSUPERVISED, "thyroid", "AutoEncoderDetector"),
            _per_set("suite_all.md", UNSUPERVISED, "kdd", "AutoEncoderDetector"),
            _per_set("suite_all.md", UNSUPERVISED, "kdd", "IsolationForest"),
        ),
    ),
    Figures(
        DETECTORS,
        "- **Rows known to be genuine:**",
        (
            _suite_all(KNN, CLEAN),
            _suite_all("DeepSVDDDetector", CLEAN),
            _suite_all("MemAEDetector", CLEAN),
            _suite_all("IsolationForest", CLEAN),
        ),
    ),
    Figures(
        DETECTORS,
        "- :class:`VAEDetector` when",
        (
            _suite_all("VAEDetector", UNSUPERVISED),
            _suite_all("VAEDetector", CLEAN),
            _suite_all("VAEDetector", UNSUPERVISED, RANK),
        ),
    ),
    Figures(
        DETECTORS,
        "- :class:`DTEDetector` for numeric tables",
        (
            _suite_all("DTEDetector", CLEAN),
            Cell(
                "suite_trim_dte_deepsvdd.md",
                "DTEDetector:trim=0.0",
                AUPRC,
                UNSUPERVISED,
            ),
            Cell("suite_trim_dte_deepsvdd.md", "DTEDetector", AUPRC, UNSUPERVISED),
        ),
    ),
    Figures(
        DETECTORS,
        "- Eight :class:`DTEDetector` copies",
        (_subsample(ENSEMBLE_OF_DTE), _subsample(ENSEMBLE_OF_DTE, "mean ROC-AUC")),
    ),
    Figures(
        DETECTORS,
        "- :class:`DeepSVDDDetector` as a one-class detector",
        (
            _suite_all("DeepSVDDDetector", CLEAN),
            _suite_all("PyOD DeepSVDD", CLEAN),
            _suite_all("DeepSVDDDetector", UNSUPERVISED),
            _suite_all("PyOD DeepSVDD", UNSUPERVISED),
        ),
    ),
    Figures(
        DETECTORS,
        "- :class:`DAGMMDetector` for a density-based score",
        (
            _suite_all("DAGMMDetector", CLEAN),
            _suite_all("DAGMMDetector", UNSUPERVISED),
        ),
    ),
    # The few-label guide: its table, then the bullets.
    _few_label_row(FEW_LABELS, "* - ``FewLabelDetector()``", RECIPE),
    _few_label_row(FEW_LABELS, "* - XGBOD, bagged", "DetectorScores + bagged HGB"),
    _few_label_row(
        FEW_LABELS,
        "* - gradient boosting, bagged",
        "bagged HistGradientBoostingClassifier",
    ),
    _few_label_row(FEW_LABELS, "* - :class:`PReNetDetector`", "PReNetDetector"),
    _few_label_row(FEW_LABELS, "* - :class:`DeepSVDDDetector` (Deep SAD)", "DeepSAD"),
    _few_label_row(FEW_LABELS, "* - :class:`DevNetDetector`", "DevNetDetector"),
    _few_label_row(FEW_LABELS, "* - XGBOD\n", "DetectorScores + HGB"),
    _few_label_row(
        FEW_LABELS, "* - gradient boosting alone", "HistGradientBoostingClassifier"
    ),
    _few_label_row(FEW_LABELS, "* - IsolationForest (no labels)", "IsolationForest"),
    Figures(
        FEW_LABELS,
        "- **From a handful of labels to tens, the recipe leads.**",
        (
            _per_set("suite_few_labels.md", "few-label", "thyroid", RECIPE),
            _per_set(
                "suite_few_labels.md",
                "few-label",
                "thyroid",
                "HistGradientBoostingClassifier",
            ),
            _per_set("suite_few_labels.md", "few-label", "arrhythmia", RECIPE),
            _per_set(
                "suite_few_labels.md",
                "few-label",
                "arrhythmia",
                "HistGradientBoostingClassifier",
            ),
        ),
    ),
    Figures(
        FEW_LABELS,
        "- **The members' weights can be learnt from the labels**",
        (
            Cell("few_label_weights.md", "equal", section="few-label"),
            Cell(
                "few_label_weights.md",
                "lift, shrunk 0.5 (weights='cv')",
                section="few-label",
            ),
            Cell("few_label_weights.md", "equal", section="few-label-5"),
            Cell(
                "few_label_weights.md",
                "lift, shrunk 0.5 (weights='cv')",
                section="few-label-5",
            ),
        ),
    ),
    Figures(
        FEW_LABELS,
        "- **Bagging steadies the trees.**",
        tuple(
            Cell("few_label_bagged.md", model, section=protocol)
            for protocol, model in [
                ("few-label", "xgbod"),
                ("few-label", "xgbod_bagged"),
                ("few-label-5", "xgbod"),
                ("few-label-5", "xgbod_bagged"),
                ("few-label", "hgb"),
                ("few-label", "hgb_bagged"),
                ("few-label-5", "hgb"),
                ("few-label-5", "hgb_bagged"),
            ]
        ),
    ),
    Figures(
        FEW_LABELS,
        "- **Where the classifier still wins.**",
        (
            _per_set(
                "suite_few_labels.md",
                "few-label",
                "vehicle",
                "HistGradientBoostingClassifier",
            ),
            _per_set("suite_few_labels.md", "few-label", "vehicle", RECIPE),
            _per_set(
                "suite_few_labels.md",
                "few-label",
                "vehicle",
                "bagged HistGradientBoostingClassifier",
            ),
            Cell(
                "few_label_weights.md",
                "lift, shrunk 0.5 (weights='cv')",
                "vehicle",
                "few-label",
            ),
        ),
    ),
    Figures(
        FEW_LABELS,
        "XGBOD's detectors were chosen on the same suite",
        (
            Cell("few_label_members.md", "xgbod", section="few-label"),
            _few("DetectorScores + HGB"),
            Cell("few_label_members.md", "xgbod", section="few-label-5"),
            _few("DetectorScores + HGB", "few-label-5"),
            Cell("few_label_members.md", "xgbod_if_knn_ae", section="few-label"),
            Cell("few_label_members.md", "xgbod_if_knn_ae", section="few-label-5"),
        ),
    ),
    # Contaminated training and the subsample ensemble.
    Figures(
        "user_guide/training_data.rst",
        "A network fitted on every row can still learn a *cluster*",
        (
            _subsample("DTEDetector"),
            _subsample(ENSEMBLE_OF_DTE),
            _subsample("IsolationForest"),
        ),
    ),
    # The demo, over seeds of the transaction generator.
    Figures(
        "getting_started.rst",
        "1. **No labels.**",
        (
            _demo("IsolationForest", "AUPRC seed 0"),
            _demo("IsolationForest + VAEDetector", "AUPRC seed 0"),
        ),
    ),
    Figures(
        "getting_started.rst",
        "2. **30 confirmed frauds.**",
        (
            _demo("FewLabelDetector", "AUPRC seed 0"),
            _demo("HistGradientBoostingClassifier", "AUPRC seed 0"),
            _demo("IsolationForest", "AUPRC seed 0"),
        ),
    ),
    Figures(
        "getting_started.rst",
        "Over seeds 0, 1 and 2 of the generator",
        (
            _demo("FewLabelDetector", AUPRC),
            _demo("HistGradientBoostingClassifier", AUPRC),
            _demo("IsolationForest", AUPRC),
        ),
    ),
]


# ---- the records --------------------------------------------------------------


@cache
def _tables(record):
    """``(heading, header, {first cell: row})`` of every Markdown table of a
    record, under the last heading above it."""
    tables, heading, lines = [], None, []

    def close():
        if len(lines) > 2:
            header, *rows = (
                [cell.strip() for cell in line.strip().strip("|").split("|")]
                for line in lines
                if not re.fullmatch(r"\|[\s:|-]+\|", line.strip())
            )
            tables.append((heading, header, {row[0]: row for row in rows}))
        lines.clear()

    for line in (RECORDS / record).read_text(encoding="utf-8").splitlines():
        if line.startswith("|"):
            lines.append(line)
            continue
        close()
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
    close()
    return tables


def _value(cell):
    """The number in ``cell`` of its record; exactly one table must hold it."""
    found = [
        row[header.index(cell.column)]
        for heading, header, rows in _tables(cell.record)
        if cell.section in (None, heading)
        and cell.column in header
        and (row := rows.get(cell.row))
    ]
    assert len(found) == 1, f"{cell}: {len(found)} cells of the record match"
    return float(found[0].replace("*", ""))


# ---- the pages ----------------------------------------------------------------


def _pages():
    pages = [*DOCS.glob("*.rst"), *DOCS.glob("user_guide/*.rst")]
    return sorted(
        path.relative_to(DOCS).as_posix()
        for path in pages
        if path.name not in GENERATED_PAGES
    )


def _prose_blocks(text):
    """The blocks of prose of a page: paragraphs, top-level list items and
    list-table rows, each as its lines joined by newlines. Literal blocks,
    code blocks and doctests are left out."""
    blocks, current = [], []
    code_indent, in_doctest = None, False

    def close():
        if current:
            blocks.append("\n".join(current))
            current.clear()

    for line in text.splitlines():
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if code_indent is not None:
            if not stripped or indent > code_indent:
                continue
            code_indent = None
        if in_doctest:
            if stripped:
                continue
            in_doctest = False
        if not stripped:
            close()
        elif stripped.startswith(">>>"):
            close()
            in_doctest = True
        elif stripped.startswith(".. code-block::") or (
            stripped.endswith("::") and not stripped.startswith("..")
        ):
            current.append(stripped)
            close()
            code_indent = indent
        else:
            if stripped.startswith("* - ") or re.match(r"(- |\d+\. )", line):
                close()
            current.append(stripped)
    close()
    return blocks


@cache
def _blocks(page):
    return _prose_blocks((DOCS / page).read_text(encoding="utf-8"))


def _figures(block, pattern=FIGURE):
    """The figures of a block of prose, outside ``literals``."""
    return pattern.findall(re.sub(r"``.*?``", "", block, flags=re.DOTALL))


def _block(figures, blocks=None):
    """The one block that holds the anchor (its lines end with newlines)."""
    blocks = _blocks(figures.page) if blocks is None else blocks
    matching = [block for block in blocks if figures.anchor in block + "\n"]
    assert len(matching) == 1, (
        f"{figures.page}: {len(matching)} blocks hold {figures.anchor!r}"
    )
    return matching[0]


def _check_block(figures, block):
    quoted = _figures(block)
    assert len(quoted) == len(figures.cells), (
        f"{figures.page} quotes {quoted} where its records give "
        f"{len(figures.cells)} figures:\n{block}"
    )
    for text, cell in zip(quoted, figures.cells, strict=True):
        decimals = len(text.partition(".")[2])
        recorded = round(_value(cell), decimals)
        assert float(text) == recorded, (
            f"{figures.page} quotes {text} for {cell.row!r} ({cell.column}, "
            f"{cell.section or 'table'} of {cell.record}), which records "
            f"{recorded:.{decimals}f}:\n{block}"
        )


def _unregistered(page, blocks):
    """The blocks that quote a three-decimal figure and no entry registers."""
    registered = [
        _block(figures, blocks) for figures in FIGURES if figures.page == page
    ]
    return [
        block
        for block in blocks
        if _figures(block, THREE_DECIMALS) and block not in registered
    ]


@pytest.mark.parametrize(
    "figures", FIGURES, ids=[f"{f.page}:{f.anchor.strip()[:40]}" for f in FIGURES]
)
def test_a_page_quotes_its_records(figures):
    _check_block(figures, _block(figures))


@pytest.mark.parametrize("page", _pages())
def test_every_quoted_figure_is_registered(page):
    unregistered = _unregistered(page, _blocks(page))
    assert not unregistered, (
        f"{page} quotes figures that FIGURES does not trace to a record:\n\n"
        + "\n\n".join(unregistered)
    )


# The decision table's row for a few confirmed frauds.
DECISION_ROW = next(
    f for f in FIGURES if f.anchor == "* - a few :term:`confirmed frauds"
)


def test_a_misquoted_figure_fails():
    right = _block(DECISION_ROW)
    recorded = f"{_value(DECISION_ROW.cells[0]):.3f}"
    assert recorded in right
    with pytest.raises(AssertionError, match="quotes 0.777"):
        _check_block(DECISION_ROW, right.replace(recorded, "0.777", 1))
    with pytest.raises(AssertionError, match="figures"):
        _check_block(DECISION_ROW, right + " and 0.500")


def test_a_figure_without_a_record_fails():
    page = DECISION_ROW.page
    text = (DOCS / page).read_text(encoding="utf-8")
    blocks = _prose_blocks(text + "\nA new claim: 0.999 mean AUPRC.\n")
    assert _unregistered(page, blocks) == ["A new claim: 0.999 mean AUPRC."]
    # Code, doctests and literals are not figures.
    code = "Run::\n\n    x = 0.123\n\n>>> 0.456\n0.456\n\nA ``0.789`` literal.\n"
    assert not _unregistered(page, _prose_blocks(text + code))


@pytest.mark.slow
def test_the_demo_record_is_what_the_demo_gives():
    # The pages quote the demo from its record: the record must be what
    # ``skfraud demo`` prints today, not what an earlier version printed.
    from skfraud.demo import run_demo

    results, _, _ = run_demo(random_state=0, plot=False)
    for row in results:
        recorded = _value(_demo(row["detector"], "AUPRC seed 0"))
        # The record rounds to 3 decimals.
        assert row["auprc"] == pytest.approx(recorded, abs=6e-4), row["detector"]
