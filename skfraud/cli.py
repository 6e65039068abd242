"""The ``skfraud`` command."""

import argparse
import sys

__all__ = ["main"]


def _demo(args):
    from skfraud.demo import format_results, run_demo

    print(
        f"Fitting AutoEncoderDetector, VAEDetector and IsolationForest on "
        f"{args.n_samples:,} synthetic transactions (70 % train, 30 % test)..."
    )
    results, plot_path = run_demo(
        n_samples=args.n_samples,
        max_epochs=args.max_epochs,
        output_dir=args.output_dir,
        random_state=args.random_state,
        plot=not args.no_plot,
    )
    print(format_results(results))
    if plot_path is not None:
        print(f"Precision-recall plot written to {plot_path}")
    return 0


def build_parser():
    parser = argparse.ArgumentParser(
        prog="skfraud",
        description="Deep anomaly detectors for fraud and intrusion data.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser(
        "demo",
        help="compare the deep detectors with IsolationForest on synthetic data",
    )
    demo.add_argument("--n-samples", type=int, default=20000)
    demo.add_argument("--max-epochs", type=int, default=20)
    demo.add_argument("--output-dir", default=".")
    demo.add_argument("--random-state", type=int, default=0)
    demo.add_argument("--no-plot", action="store_true", help="skip the PNG plot")
    demo.set_defaults(handler=_demo)
    return parser


def main(argv=None):
    """Run the ``skfraud`` command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
