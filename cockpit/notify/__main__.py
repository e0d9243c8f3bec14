"""The command line an operator puts in cron:

python -m cockpit.notify digest --country th [--day YYYY-MM-DD]   yesterday's digest (or DAY's) to each digest route
python -m cockpit.notify critical --country th [--hours 24]        new critical alerts no publish has sent yet
python -m cockpit.notify retry                                    failed sends whose next try is due
python -m cockpit.notify check                                    the configuration, read and summarised
python -m cockpit.notify log [--last 20]                          the latest sends and their outcome
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta

from cockpit import clock, settings
from cockpit.data import db as data_db
from cockpit.data.db import NoData
from cockpit.data.versions import Unreachable, VersionError
from cockpit.notify import config, messages, sending
from cockpit.state import store


def _places(country: str) -> messages.Places:
    """The areas of the version served now, to name places; without one the messages show area ids and still go."""
    try:
        return messages.places(data_db.get(), country)
    except (NoData, Unreachable, VersionError) as exc:
        print(f"warning: no published data for {country} ({exc}); places are shown by id", file=sys.stderr)
        return {}


def _report(attempts: list[sending.Attempt]) -> int:
    for a in attempts:
        line = f"{a.status}: {a.route} → {a.contact_point} (attempt {a.attempts})"
        if a.status == "sent":
            print(line)
        else:
            retry = f"; next try {a.next_try_at:%Y-%m-%d %H:%M} UTC" if a.next_try_at else "; no more tries"
            print(f"{line}: {a.error}{retry}", file=sys.stderr)
    return 1 if any(a.status != "sent" for a in attempts) else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cockpit.notify", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    digest = commands.add_parser("digest", help="send the daily digest to each digest route")
    digest.add_argument("--country", required=True, help="th or la")
    digest.add_argument("--day", type=date.fromisoformat, help="the day it covers (default: yesterday)")
    critical = commands.add_parser("critical", help="send open critical alerts not sent yet")
    critical.add_argument("--country", required=True, help="th or la")
    critical.add_argument("--hours", type=float, default=24, help="how far back to look (default: 24)")
    commands.add_parser("retry", help="retry failed sends that are due")
    commands.add_parser("check", help="read the configuration and summarise it")
    log = commands.add_parser("log", help="the latest sends")
    log.add_argument("--last", type=int, default=20)
    args = parser.parse_args(argv)

    try:
        cfg = config.load()
    except config.ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.command == "check":
        file = settings.load().notifications_file
        print(f"{file}: {len(cfg.contact_points)} contact points, {len(cfg.routes)} routes")
        for point in cfg.contact_points.values():
            print(f"  contact point {point.name}: {point.kind}{'' if point.enabled else ' (disabled)'}")
        for route in cfg.routes:
            points = ", ".join(p.name for p in cfg.enabled_points(route)) or "no enabled contact point: sends nothing"
            print(f"  route {route.name}: {route.country} {route.mode} in {route.language} → {points}")
        return 0
    engine = store.engine()
    if args.command == "retry":
        return _report(sending.retry_failed(engine, config=cfg))
    if args.command == "log":
        for row in sending.recorded(engine)[-args.last :]:
            print(
                f"{row['created_at']:%Y-%m-%d %H:%M} {row['reason']:8} {row['route']} → {row['contact_point']}: "
                f"{row['status']} after {row['attempts']} attempt(s){': ' + row['error'] if row['error'] else ''}"
            )
        return 0
    served = _places(args.country)
    if args.command == "critical":
        since = clock.utcnow() - timedelta(hours=args.hours)
        return _report(sending.send_missed(engine, args.country, since=since, places=served, config=cfg))
    day = args.day or clock.today() - timedelta(days=1)
    return _report(sending.send_digest(engine, args.country, day, places=served, config=cfg))


if __name__ == "__main__":
    sys.exit(main())
