"""The command line a data steward runs:

python -m cockpit.publish --country th DIR       check DIR's extracts, publish them, switch `current`
python -m cockpit.publish --country th --list    the versions, the current one marked
python -m cockpit.publish --country th --rollback [VERSION]   back to VERSION (default: the one before)
python -m cockpit.publish --demo                 what `make demo` runs: the demo extracts, built where
                                                 missing or old, published where changed
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cockpit import settings
from cockpit.data.versions import Store, VersionError
from cockpit.demo import build
from cockpit.publish import versions


def _report(outcome: versions.Outcome) -> None:
    if outcome.status == "unchanged":
        print(f"{outcome.country}: unchanged, {outcome.version} stays current")
    elif outcome.status == "failed":
        print(f"{outcome.country}: not published: {outcome.message}", file=sys.stderr)
    elif outcome.status == "rejected":
        print(f"{outcome.country}: refused; the current version stays in service", file=sys.stderr)
        for err in outcome.errors:
            print(f"  {err}", file=sys.stderr)
    else:
        steps = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in outcome.steps.items())
        print(f"{outcome.country}: published {outcome.version} ({steps})")
        if outcome.alerts is not None:
            replayed = f", {outcome.alerts.replayed} month-ends replayed" if outcome.alerts.replayed else ""
            print(f"  alerts: {len(outcome.alerts.evaluation.firing)} firing{replayed}")
        for attempt in outcome.notifications:
            error = f": {attempt.error}, retried later" if attempt.error and attempt.next_try_at else ""
            print(f"  notification {attempt.status}: {attempt.route} → {attempt.contact_point}{error}")
        if outcome.notify_error:
            print(f"  {outcome.notify_error}", file=sys.stderr)
    for removed in outcome.removed:
        print(f"  removed {removed}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cockpit.publish", description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", nargs="?", type=Path, help="the folder of Parquet extracts to publish")
    parser.add_argument("--country", help="the country code the extracts are for (th, la)")
    parser.add_argument("--by", help="who publishes (default: the system user)")
    parser.add_argument("--force", action="store_true", help="publish even when the extracts are unchanged")
    parser.add_argument(
        "--figures-confirmed",
        action="store_true",
        help="publish figures 20 times off the served version's or more: they are right",
    )
    parser.add_argument("--list", action="store_true", help="list the versions")
    parser.add_argument("--rollback", nargs="?", const="", metavar="VERSION", help="point current back")
    parser.add_argument("--demo", action="store_true", help="build and publish the demo extracts where needed")
    args = parser.parse_args(argv)
    if args.demo:
        status = 0
        for path in build.ensure(build.DEFAULT_OUT):
            print(f"demo extracts for {path.name} as of {build.manifest(path)['as_of']}")
        for country in build.COUNTRIES:
            outcome = versions.publish(
                country, build.DEFAULT_OUT / country, by="demo", figures_confirmed=args.figures_confirmed
            )
            _report(outcome)
            status |= outcome.status in ("rejected", "failed")
        return status
    if not args.country:
        parser.error("--country is required (or use --demo)")
    try:
        if args.list:
            store = Store(settings.load().data_url, settings.load().cache_dir)
            current = store.current(args.country)
            for version in store.versions(args.country):
                manifest = store.manifest(args.country, version)
                mark = "*" if version == current else " "
                print(f"{mark} {version}  by {manifest['published_by']}  newest period {manifest['newest_period']}")
            return 0
        if args.rollback is not None:
            version = versions.rollback(args.country, args.rollback or None)
            print(f"{args.country}: current is now {version}")
            return 0
    except VersionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.directory is None:
        parser.error("name the folder of extracts to publish")
    if not args.directory.is_dir():
        parser.error(f"{args.directory} is not a folder")
    outcome = versions.publish(
        args.country, args.directory, by=args.by, force=args.force, figures_confirmed=args.figures_confirmed
    )
    _report(outcome)
    return 1 if outcome.status in ("rejected", "failed") else 0


if __name__ == "__main__":
    sys.exit(main())
