"""The ``skfraud`` command."""

import argparse
import os
import shlex
import sys

from skfraud import __version__

__all__ = ["main"]


def _demo(args):
    from skfraud.demo import (
        CLASSIFIER,
        FEW_LABEL,
        RECOMMENDED,
        format_alerts,
        format_results,
        run_demo,
    )

    print(
        f"A fraud team's first hour, on {args.n_samples:,} synthetic card "
        "transactions (70 % to fit, 30 % to test), every model behind the "
        "same make_preprocessor().\n"
        f"Act 1, no labels: {RECOMMENDED} against IsolationForest.\n"
        f"Act 2, {args.n_confirmed} confirmed frauds among the training rows: "
        f"{FEW_LABEL} against gradient boosting on the same labels.\n"
        "Act 3: the top alerts of the best model, with their reasons.\n"
    )
    results, alerts, plot_path = run_demo(
        n_samples=args.n_samples,
        n_confirmed=args.n_confirmed,
        max_epochs=args.max_epochs,
        output_dir=args.output_dir,
        random_state=args.random_state,
        plot=not args.no_plot,
    )
    print(format_results(results))
    auprc = {row["detector"]: row["auprc"] for row in results}
    confirmed = next(row["labels"] for row in results if row["detector"] == FEW_LABEL)
    print()
    if auprc["IsolationForest"] > auprc[RECOMMENDED]:
        print(
            f"Act 1: without labels IsolationForest leads here "
            f"({auprc['IsolationForest']:.3f} against {auprc[RECOMMENDED]:.3f}): "
            "each synthetic fraud sits at the edge of several numeric columns "
            "at once (tiny or large amounts, far from home, bursts of "
            "declines, new devices); no single column separates it, but "
            "random axis-aligned splits cut such a row off in a few cuts, "
            "while the VAE's reconstruction error goes to rare categories of "
            "the one-hot columns, genuine or not, and its rank pulls the "
            f"average down. {RECOMMENDED} (their rank average) is skfraud's "
            "choice for unlabelled rows by the suite of 34 real tables at "
            "2,000 and 20,000 rows (benchmarks/results/defaults_two_caps.md); "
            "compare both on your own data."
        )
    else:
        print(
            f"Act 1: without labels {RECOMMENDED} leads "
            f"({auprc[RECOMMENDED]:.3f} against {auprc['IsolationForest']:.3f} "
            "for IsolationForest)."
        )
    others = max(auprc[CLASSIFIER], auprc["IsolationForest"])
    verdict = "leads" if auprc[FEW_LABEL] > others else "does not lead"
    print(
        f"Act 2: with {confirmed} frauds, {FEW_LABEL} {verdict}: "
        f"{auprc[FEW_LABEL]:.3f} against {auprc[CLASSIFIER]:.3f} for gradient "
        f"boosting on the same labels and {auprc['IsolationForest']:.3f} for "
        "IsolationForest without them."
    )
    best = max(auprc, key=auprc.get)
    explainer = alerts["explained_by"].iloc[0]
    source = "" if explainer == best else f", as {explainer} reads them"
    print(
        f"Act 3: the {len(alerts)} test rows {best} scores highest, with the "
        f"features behind each{source}:"
    )
    print(format_alerts(alerts))
    if plot_path is not None:
        print(f"\nPrecision-recall plot written to {plot_path}")
    return 0


def _command_line(argv, data_home):
    """The command as a user would type it again, with the settings it read."""
    variables = ["OMP_NUM_THREADS"] + ([] if data_home else ["SKFRAUD_DATA"])
    prefix = [f"{name}={os.environ[name]}" for name in variables if name in os.environ]
    return shlex.join([*prefix, "skfraud", *argv])


def _benchmark(args):
    from pathlib import Path

    from skfraud.benchmark import (
        DEFAULT_PROTOCOLS,
        SUITE_PEERS,
        SUITE_PROTOCOLS,
        SUITES,
        run_benchmark,
        summarise,
        write_results,
        write_suite_results,
    )
    from skfraud.benchmark._output import write_records
    from skfraud.benchmark._report import headline_table

    output_dir = Path(args.output_dir)
    if args.notes and not Path(args.notes).is_file():
        raise SystemExit(f"skfraud benchmark: notes file {args.notes} not found")
    datasets, peers = args.datasets, args.peers
    if args.suite:
        datasets = datasets or list(SUITES[args.suite])
        peers = list(SUITE_PEERS) if peers is None else peers
    partial = output_dir / f"{args.name}.partial.csv"
    try:
        result = run_benchmark(
            datasets=datasets or args.default_datasets,
            protocols=args.protocols
            or (SUITE_PROTOCOLS if args.suite else list(DEFAULT_PROTOCOLS)),
            detectors=args.detectors,
            peers=peers,
            seeds=args.seeds,
            max_rows=args.max_rows,
            max_epochs=args.max_epochs,
            data_home=args.data_home,
            download_if_missing=args.download,
            progress=not args.no_progress,
            on_record=lambda records: write_records(records, partial),
            n_jobs=args.n_jobs,
        )
    except FileNotFoundError as error:
        raise SystemExit(f"skfraud benchmark: {_missing_data_message(error)}") from None
    except OSError as error:  # a failed download or a corrupt data file
        raise SystemExit(f"skfraud benchmark: {error}") from None
    # Read at the end, so that the notes can be written while the run goes on.
    notes = Path(args.notes).read_text(encoding="utf-8") if args.notes else None
    write = write_suite_results if args.suite else write_results
    paths = write(
        result,
        output_dir,
        name=args.name,
        command=_command_line(args.argv, args.data_home),
        notes=notes,
        plots=not args.no_plots,
    )
    partial.unlink(missing_ok=True)
    for note in result.skipped:
        print(f"note: {note}")
    if not result.records.empty and not args.suite:
        print(headline_table(summarise(result.records)) or "")
    print(f"Results: {paths['csv']}, {paths['markdown']}")
    if paths["plots"]:
        print(f"Plots: {paths['plots'][0].parent}")
    return 0


def _missing_data_message(error):
    """A loader's missing-file message, in the command line's own options.

    The loaders speak of their Python arguments (``data_home=...``,
    ``download_if_missing=True``); on the command line the same choices are
    ``--data-home`` and ``--download``.
    """
    message = str(error)
    # The loaders' message opens with the file and the folder searched, then
    # says how to obtain the file and how to choose another folder.
    where, found, how = message.partition("). ")
    if not found:
        return message
    if "download_if_missing=True" in how:
        get = "Put the file there, add --download to fetch it from its public origin"
    else:
        get = how.partition(". Choose another folder")[0]
    return (
        f"{where}). {get}, or point --data-home (or SKFRAUD_DATA) at the folder "
        "that holds it."
    )


def _model_name(models):
    """Argument type: a model of ``models``, or a variant of one."""
    from skfraud.benchmark import parse_variant

    def check(text):
        try:
            model, _ = parse_variant(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None
        if model not in models:
            raise argparse.ArgumentTypeError(
                f"unknown model {model!r} (choose from {', '.join(models)})"
            )
        return text

    return check


def _seeds(text):
    """Argument type: a count N (seeds 0 to N-1) or a list of seeds, "1,2"."""
    try:
        if "," not in text:
            count = int(text)
            if count < 1:
                raise ValueError
            return count
        seeds = [int(part) for part in text.split(",")]
        if any(seed < 0 for seed in seeds) or len(set(seeds)) != len(seeds):
            raise ValueError
        return seeds
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a count of seeds (3) or distinct seeds (1,2), got {text!r}"
        ) from None


def _add_benchmark_parser(commands):
    from skfraud.benchmark import (
        DATASETS,
        DEFAULT_PROTOCOLS,
        PEERS,
        PROTOCOLS,
        SKFRAUD_MODELS,
        SUITES,
    )

    benchmark = commands.add_parser(
        "benchmark",
        help="compare the detectors with their peers on real data sets",
        description=(
            "Fit every detector and peer on every data set, seed and protocol "
            "and write a CSV, a Markdown report (mean ± std over seeds) and plots. "
            "A model may carry parameters: 'AutoEncoderDetector:max_epochs=200'."
        ),
    )
    from skfraud.datasets import list_adbench

    benchmark.set_defaults(
        default_datasets=[
            name
            for name in DATASETS
            if name != "synthetic" and name not in list_adbench()
        ]
    )
    benchmark.add_argument(
        "--datasets",
        nargs="+",
        choices=list(DATASETS),
        default=None,
        metavar="NAME",
        help=(
            f"data sets: {', '.join(DATASETS)} (default: the real data sets "
            "outside the ADBench suite)"
        ),
    )
    benchmark.add_argument(
        "--suite",
        choices=list(SUITES),
        default=None,
        help=(
            "run a suite of data sets (default protocols: clean and "
            "unsupervised; peers: IsolationForest, kNN, LOF and PyOD's deep "
            "models) and write its ranks and wins"
        ),
    )
    benchmark.add_argument(
        "--protocols",
        nargs="+",
        choices=list(PROTOCOLS),
        default=None,
        metavar="NAME",
        help=f"protocols: {', '.join(PROTOCOLS)} (default: "
        f"{', '.join(DEFAULT_PROTOCOLS)}; with --suite, clean and unsupervised)",
    )
    for option, models, n_names, text in (
        (
            "--detectors",
            SKFRAUD_MODELS,
            "+",
            f"skfraud detectors: {', '.join(SKFRAUD_MODELS)} (default: all)",
        ),
        (
            "--peers",
            PEERS,
            "*",
            f"peers: {', '.join(PEERS)} (default: all; PyOD's need pyod); "
            "no NAME: no peer",
        ),
    ):
        benchmark.add_argument(
            option,
            nargs=n_names,
            type=_model_name(models),
            default=None,
            metavar="NAME",
            help=f"{text}; choose from {', '.join(models)}",
        )
    benchmark.add_argument(
        "--seeds",
        type=_seeds,
        default=3,
        help="seeds 0 to N-1, or the seeds themselves: 1,2 (a run to join "
        "with one of seed 0)",
    )
    for option, text in (
        ("--max-rows", "subsample larger data sets to N rows (stratified, per seed)"),
        ("--max-epochs", "cap the epochs of every deep model at N, for quick checks"),
    ):
        benchmark.add_argument(option, type=int, default=None, metavar="N", help=text)
    benchmark.add_argument(
        "--n-jobs", type=int, default=1, metavar="N", help="data sets run at once"
    )
    benchmark.add_argument(
        "--data-home",
        default=None,
        help="data folder (default: $SKFRAUD_DATA, else ~/skfraud_data)",
    )
    benchmark.add_argument(
        "--download",
        action="store_true",
        help="download missing data files from their public origin",
    )
    benchmark.add_argument(
        "--output-dir",
        default="benchmark-results",
        metavar="DIR",
        help="folder for the results (default: %(default)s)",
    )
    benchmark.add_argument("--name", default="benchmark", help="stem of the files")
    benchmark.add_argument(
        "--notes", default=None, help="Markdown file for the report's Notes section"
    )
    benchmark.add_argument("--no-plots", action="store_true", help="skip the plots")
    benchmark.add_argument(
        "--no-progress", action="store_true", help="hide the progress bar"
    )
    benchmark.set_defaults(handler=_benchmark)


def build_parser():
    parser = argparse.ArgumentParser(
        prog="skfraud",
        description="Deep anomaly detectors for fraud and intrusion data.",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser(
        "demo",
        help="a fraud team's first hour on synthetic transactions: no labels, "
        "then a few confirmed frauds, then the top alerts and their reasons",
    )
    demo.add_argument(
        "--n-samples",
        type=int,
        default=20000,
        metavar="N",
        help="synthetic transactions to generate (default: %(default)s)",
    )
    demo.add_argument(
        "--n-confirmed",
        type=int,
        default=30,
        metavar="N",
        help="training frauds labelled in act 2 (default: %(default)s)",
    )
    demo.add_argument(
        "--max-epochs",
        type=int,
        default=None,
        metavar="N",
        help="training epochs of every network (default: their own)",
    )
    demo.add_argument(
        "--output-dir",
        default="skfraud_demo",
        metavar="DIR",
        help="folder for the precision-recall plot, created if needed "
        "(default: %(default)s)",
    )
    demo.add_argument(
        "--random-state",
        type=int,
        default=0,
        metavar="SEED",
        help="seed of the data, the split and the detectors (default: %(default)s)",
    )
    demo.add_argument(
        "--no-plot", action="store_true", help="skip the precision-recall plot"
    )
    demo.set_defaults(handler=_demo)
    _add_benchmark_parser(commands)
    return parser


def main(argv=None):
    """Run the ``skfraud`` command line; returns the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser().parse_args(argv)
    args.argv = argv
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
