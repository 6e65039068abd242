"""Write a suite report from recorded runs: several CSVs, or a run cut short.

``skfraud benchmark --suite`` writes its report at the end of a run. This
script writes the same report from records on disk: the CSVs of several
runs on the same seeds and splits (the defaults run and a run of variants,
compared in one table), runs of other seeds of the same models, or the
``.partial.csv`` of a run stopped early.
Only the data sets on which every model finished every seed and protocol
are reported; the others are named in the report.

    python benchmarks/suite_report.py suite_first_run.csv suite_ae_vae_scaling.csv \\
        --output suite_ae_vae_scaling.md --max-rows 2000 --minutes 60 \\
        --command "..." --notes notes.md
"""

import argparse
from pathlib import Path

import pandas as pd

from skfraud.benchmark import (
    DATASETS,
    SUITES,
    BenchmarkResult,
    load_dataset,
    suite_report,
)


def complete_datasets(records):
    """Data sets with a record for every model, protocol and seed."""
    expected = (
        records["model"].nunique()
        * records["protocol"].nunique()
        * records["seed"].nunique()
    )
    counts = records.groupby("dataset", sort=False).size()
    return [name for name, count in counts.items() if count == expected]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("records", nargs="+", help="CSV files of records")
    parser.add_argument("--output", required=True)
    parser.add_argument("--command", required=True, help="the commands of the runs")
    parser.add_argument("--max-rows", type=int, default=None)
    parser.add_argument("--minutes", type=float, default=0.0, help="wall time")
    parser.add_argument("--notes", default=None)
    parser.add_argument("--data-home", default=None)
    parser.add_argument(
        "--models", nargs="+", default=None, help="keep these models (name prefixes)"
    )
    args = parser.parse_args(argv)
    records = pd.concat([pd.read_csv(path) for path in args.records])
    if args.models:
        records = records[records["model"].str.startswith(tuple(args.models))]
    # Files may hold other seeds of the same models (a run of seed 0 and one
    # of seeds 1 and 2) or other models on the same seeds (a run of
    # variants): keep the seeds on which every model has records.
    models_per_seed = records.groupby("seed")["model"].nunique()
    seeds = set(models_per_seed.index[models_per_seed == records["model"].nunique()])
    records = records[records["seed"].isin(seeds)]
    complete = complete_datasets(records)
    order = [name for name in SUITES["adbench"] if name in complete]
    order += [name for name in complete if name not in order]
    records = records[records["dataset"].isin(order)]
    missing = [name for name in SUITES["adbench"] if name not in order]
    sizes = {}
    for name in order:
        _, y = load_dataset(name, args.data_home)
        sizes[name] = (len(y), int(y.sum()))
    result = BenchmarkResult(
        records=records.reset_index(drop=True),
        settings={
            "datasets": order,
            "protocols": list(dict.fromkeys(records["protocol"])),
            "seeds": sorted(seeds),
            "max_rows": args.max_rows,
            "max_epochs": None,
            "sizes": sizes,
            "summaries": {name: DATASETS[name].summary for name in order},
        },
        seconds=args.minutes * 60,
    )
    notes = Path(args.notes).read_text(encoding="utf-8") if args.notes else ""
    if missing:
        notes += (
            f"\n\nNot finished in the time of the run, left out: "
            f"{', '.join(f'`{name}`' for name in missing)}.\n"
        )
    text = suite_report(result, command=args.command, notes=notes or None)
    Path(args.output).write_text(text, encoding="utf-8")
    print(f"{len(order)} data sets written to {args.output}")


if __name__ == "__main__":
    main()
