"""The import's check for figures a hundred or a thousand times off (`data.plausibility`), timed against the
import it guards, at scale 1 and 10.

python bench/bench_import.py [--scales 1 10] [--repeat 5]

For each scale: the Thai demo extracts (bench/common.py) as the base an import joins, OBEC's lower-secondary file
by province (tests/importer/samples) read and matched (`imports.run`: the baseline, what every rerun of the Data
page does after an upload), then compared with the base's figures rolled up to provinces (`publishing.suspects`):
after an upload, reading the base's figures of the file's indicators; on a rerun of the page, with them kept.
Medians of `--repeat` runs; the check as a ratio of the import in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import time

from common import ROOT, WORKDIR, ensure_extracts

from cockpit.importer import imports, publishing, specs

SPEC = ROOT / "config" / "import" / "obec_lower_secondary.yaml"
SAMPLE = ROOT / "tests" / "importer" / "samples" / "obec_lower_secondary_2566.csv"


def timed(repeat: int, work) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def measure(scale: int, spec, data, repeat: int) -> str:
    base = publishing.from_folder("th", ensure_extracts(WORKDIR, scale))
    areas, indicators = base.frame("areas"), base.frame("indicators")
    read, result = timed(repeat, lambda: imports.run(spec, data, areas, indicators))

    def first_check():
        publishing._observations_of.cache_clear()  # the base's figures read anew, as after a new upload
        return publishing.suspects(result, base, areas, indicators)

    first, found = timed(repeat, first_check)
    assert found == [], found  # the sample as received: nothing off
    rerun, _ = timed(repeat, lambda: publishing.suspects(result, base, areas, indicators))
    # The check as it was, reading the base's areas and indicators itself (the Data page read them four times more).
    alone, _ = timed(repeat, lambda: publishing.suspects(result, base))
    rows = len(base.frame("observations"))
    return (
        f"| {scale} | {rows:,} | {read * 1000:.0f} ms | {first * 1000:.0f} ms, {first / read:.2f} × "
        f"| {rerun * 1000:.0f} ms, {rerun / read:.2f} × | {alone * 1000:.0f} ms, {alone / read:.2f} × |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    spec, data = specs.load(SPEC), [(SAMPLE.name, SAMPLE.read_bytes())]
    print(
        "| scale | observations in the base | import (baseline) | check after an upload | check on a rerun "
        "| a rerun reading areas and indicators |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    for scale in args.scales:
        print(measure(scale, spec, data, args.repeat))


if __name__ == "__main__":
    main()
