"""The command line: `python -m cockpit.demo --country th|la [--scale N] [--seed S] [--out DIR] [--as-of DATE]`
builds one country's demo extracts; `python -m cockpit.demo --ensure [--as-of DATE]` builds both where needed."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq

from cockpit.data import extracts, schema
from cockpit.demo import build


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cockpit.demo", description="Write the demo extracts.")
    parser.add_argument("--country", choices=build.COUNTRIES, help="the country to build (required unless --ensure)")
    parser.add_argument(
        "--ensure", action="store_true", help="build th and la where missing or built for another as-of date"
    )
    parser.add_argument(
        "--scale", type=int, default=build.DEFAULT_SCALE, help="multiplies schools and years of history"
    )
    parser.add_argument("--seed", type=int, default=build.DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=build.DEFAULT_OUT)
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=None,
        dest="as_of",
        help="the last day of data (default: the last month-end before today, on the app's clock)",
    )
    args = parser.parse_args(argv)
    if args.ensure:
        for path in build.ensure(args.out, args.as_of):
            print(f"wrote {path} as of {build.manifest(path)['as_of']}")
        return 0
    if args.country is None:
        parser.error("--country is required (or use --ensure)")
    t0 = time.perf_counter()
    try:
        path = build.build(args.country, args.out, args.scale, args.seed, args.as_of)
    except extracts.ExtractError as exc:
        for err in exc.errors:
            print(f"contract error: {err}", file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - t0
    print(f"wrote {path} in {elapsed:.1f} s")
    for ext in schema.EXTRACTS:
        rows = pq.ParquetFile(path / ext.file_name).metadata.num_rows
        print(f"  {ext.name:<16} {rows:>10,} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
