"""The command line: python -m cockpit.importer SPEC FILE… [--check] [--partial] [--figures-confirmed] [--out DIR]

Reads the files by the spec, matches every area, prints the report and writes it (report.json, rows.csv)
into --out; then, unless --check, writes the contract extracts (the served version's, with these observations)
and publishes them as a new version. Exit 0 published (or checked clean), 1 rows left to fix, figures that look
a hundred or a thousand times off what is published (unless confirmed) or a publish refused, 2 a spec or file
that cannot be read.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from cockpit import clock, i18n
from cockpit.data import plausibility
from cockpit.data.versions import VersionError
from cockpit.i18n import N_
from cockpit.importer import imports, publishing, report, specs
from cockpit.importer.problems import Problem


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cockpit.importer", description=__doc__.split("\n\n")[0])
    parser.add_argument("spec", type=Path, help="the source spec (YAML), e.g. config/import/obec_by_province.yaml")
    parser.add_argument("files", nargs="+", type=Path, help="the files to import")
    parser.add_argument("--check", action="store_true", help="report only: write and publish nothing")
    parser.add_argument("--partial", action="store_true", help="publish the imported rows though others are left")
    parser.add_argument(
        "--figures-confirmed",
        action="store_true",
        help="publish figures that look a hundred or a thousand times off what is published: they are right",
    )
    parser.add_argument("--out", type=Path, help="where the report and extracts go (default: data/imports/…)")
    parser.add_argument("--base", type=Path, help="a folder of extracts to join (default: the served version's)")
    parser.add_argument("--by", help="who imports (default: the system user)")
    parser.add_argument("--lang", default="en", choices=("en", "th", "lo"), help="the report's language")
    args = parser.parse_args(argv)
    try:
        spec = specs.load(args.spec)
        out = args.out or imports.settings.ROOT / "data" / "imports" / spec.country / f"{clock.utcnow():%Y%m%dT%H%M%S}"
        with tempfile.TemporaryDirectory() as work:
            base = (
                publishing.from_folder(spec.country, args.base)
                if args.base
                else publishing.from_version(spec.country, Path(work) / "base")
            )
            files = []
            for path in args.files:
                try:
                    files.append((path.name, path.read_bytes()))
                except OSError as exc:
                    raise Problem(
                        N_("the file cannot be read: {error}"), file=str(path), values=dict(error=exc)
                    ) from None
            areas, indicators = base.frame("areas"), base.frame("indicators")
            result = imports.run(spec, files, areas, indicators)
            print(report.text(result, args.lang))
            off = publishing.suspects(result, base, areas, indicators)
            for suspect in off:
                print(suspect.text(args.lang, indicators, areas, spec.country))
            if off:
                print(i18n.tr(args.lang, plausibility.HINT) + " (--figures-confirmed)")
            publishing.save_report(result, out, args.lang, off)
            print(f"report: {out / 'report.json'}, {out / 'rows.csv'}")
            if args.check:
                return 0 if result.clean and not result.problems and not off else 1
            outcome = publishing.publish(
                result, base, out, by=args.by, partial=args.partial, figures_confirmed=args.figures_confirmed, off=off
            )
    except Problem as problem:
        print(f"error: {problem.text(args.lang)}", file=sys.stderr)
        return 2 if problem.file else 1
    except VersionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if outcome.status == "published":
        print(f"{spec.country}: published {outcome.version} (extracts in {out / 'extracts'})")
        return 0
    if outcome.status == "unchanged":
        print(f"{spec.country}: unchanged, {outcome.version} stays current")
        return 0
    print(f"{spec.country}: not published ({outcome.status}); the current version stays in service", file=sys.stderr)
    for error in outcome.errors:
        print(f"  {error}", file=sys.stderr)
    if outcome.message:
        print(f"  {outcome.message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
