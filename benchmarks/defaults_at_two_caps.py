"""Compare candidate defaults at two row caps, on both protocols, by halves.

Reads the records of ``skfraud benchmark --suite adbench`` runs at a small
row cap (every table) and at a large one (the tables above the small cap;
the others are the same rows at both caps, so their small-cap records
count for both). Writes, for each cap and protocol, each model's mean
AUPRC, the spread of that mean over seeds (its standard deviation across
the seeds' suite means), its average rank and its wins, ties and losses
against a reference model, on the half of the tables the defaults are
chosen on, on the other half that confirms them, and on all.

    python benchmarks/defaults_at_two_caps.py --small small/*.csv \\
        --large large/*.csv --header header.md --output report.md
    python benchmarks/defaults_at_two_caps.py --small small/*.csv \\
        --large large/*.csv --output report.md --part trimming --models ...

The first call writes the header and the tables' halves; each call with
``--part`` appends one part's tables, its headings prefixed with the part's
name.

The halves are a seeded random permutation of the table names, so that
every study splits the suite the same way.
"""

import argparse

import numpy as np
import pandas as pd

from skfraud.benchmark import SUITES

#: Ties: AUPRC within this of the reference's, as in the suite reports.
TIE = 0.005


def halves(datasets, seed=0):
    """The tables to choose on and the tables to confirm on."""
    names = sorted(datasets)
    order = np.random.default_rng(seed).permutation(len(names))
    first = sorted(names[i] for i in order[: len(names) // 2])
    return first, sorted(set(names) - set(first))


def load(paths, models=None):
    """The records of several runs, each run of a model on a table, seed and
    protocol once (the first file that holds it wins: list the runs of a
    fixed harness before the runs they correct)."""
    records = pd.concat([pd.read_csv(path) for path in paths], ignore_index=True)
    records = records.drop_duplicates(["dataset", "protocol", "seed", "model"])
    if models:
        records = records[records["model"].isin(models)]
    return records


def complete(records):
    """Per protocol, the records of the tables on which every model of the
    protocol has every seed."""
    kept = []
    for _, of_protocol in records.groupby("protocol"):
        expected = of_protocol[["model", "seed"]].drop_duplicates().shape[0]
        counts = of_protocol.groupby("dataset").size()
        kept.append(
            of_protocol[of_protocol["dataset"].isin(counts[counts == expected].index)]
        )
    return pd.concat(kept)


def summary(records, reference):
    """One row per model: mean AUPRC, seed spread, average rank, W-T-L."""
    per_table = records.groupby(["dataset", "model"])["auprc"].mean().unstack()
    per_seed = records.groupby(["seed", "model"])["auprc"].mean().unstack()
    ranks = per_table.rank(axis=1, ascending=False).mean()
    rows = []
    for model in per_table.columns:
        difference = per_table[model] - per_table[reference]
        rows.append(
            {
                "model": model,
                "mean AUPRC": per_table[model].mean(),
                "seed spread": per_seed[model].std(ddof=1),
                "average rank": ranks[model],
                f"vs {reference} (W-T-L)": "—"
                if model == reference
                else f"{(difference > TIE).sum()}-{(difference.abs() <= TIE).sum()}"
                f"-{(difference < -TIE).sum()}",
            }
        )
    return pd.DataFrame(rows).sort_values("mean AUPRC", ascending=False)


def markdown(frame):
    lines = ["| " + " | ".join(frame.columns) + " |"]
    lines.append("|" + "---|" * len(frame.columns))
    for row in frame.itertuples(index=False):
        cells = [f"{v:.3f}" if isinstance(v, float) else str(v) for v in row]
        cells[3] = f"{row[3]:.2f}"
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", nargs="+", required=True)
    parser.add_argument("--large", nargs="+", required=True)
    parser.add_argument("--small-cap", type=int, default=2000)
    parser.add_argument("--large-cap", type=int, default=20000)
    parser.add_argument("--reference", default="IsolationForest")
    parser.add_argument("--output", required=True)
    parser.add_argument("--header", default=None, help="Markdown file put first")
    parser.add_argument("--models", nargs="+", default=None, help="only these")
    parser.add_argument("--protocols", nargs="+", default=None, help="only these")
    parser.add_argument(
        "--caps", nargs="+", type=int, default=None, help="only these caps"
    )
    parser.add_argument(
        "--part",
        default=None,
        help="title of a part of a report: appended to OUTPUT as '# PART', its "
        "headings prefixed with it",
    )
    args = parser.parse_args(argv)
    small = load(args.small, args.models)
    large = load(args.large, args.models)
    # A table whose rows all fit under the small cap has the same rows and
    # splits at both caps.
    sizes = small.groupby("dataset")["n_rows"].max()
    small_tables = sizes[sizes < args.small_cap].index
    large = pd.concat([large, small[small["dataset"].isin(small_tables)]])
    small, large = complete(small), complete(large)
    choose, confirm = halves(SUITES["adbench"])
    if args.part is None:
        out = [open(args.header).read() if args.header else "", ""]
        out.append(f"Tables chosen on ({len(choose)}): {', '.join(choose)}.\n")
        out.append(f"Tables that confirm ({len(confirm)}): {', '.join(confirm)}.\n")
        with open(args.output, "w") as file:
            file.write("\n".join(out))
        return
    out = [f"\n# {args.part}\n"]
    prefix = f"{args.part}: "
    for cap, records in ((args.small_cap, small), (args.large_cap, large)):
        if args.caps and cap not in args.caps:
            continue
        for protocol in sorted(records["protocol"].unique()):
            if args.protocols and protocol not in args.protocols:
                continue
            of_protocol = records[records["protocol"] == protocol]
            for label, tables in (
                ("chosen on", choose),
                ("confirming", confirm),
                ("all", sorted(of_protocol["dataset"].unique())),
            ):
                part = of_protocol[of_protocol["dataset"].isin(tables)]
                if part.empty:
                    continue
                n_tables = part["dataset"].nunique()
                out.append(
                    f"## {prefix}{cap:,}-row cap, {protocol}, {label} "
                    f"({n_tables} tables)\n"
                )
                missing = sorted(set(tables) - set(part["dataset"]))
                if missing and label != "all":
                    out.append(f"Not every model finished: {', '.join(missing)}.\n")
                out.append(markdown(summary(part, args.reference)) + "\n")
    with open(args.output, "a") as file:
        file.write("\n".join(out))


if __name__ == "__main__":
    main()
