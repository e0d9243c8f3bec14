"""The administrator's command line for accounts (each change is in the audit trail, by the system user):

python -m cockpit.users add LOGIN --role ROLE [--name NAME] [--country th] [--area 67]    a local account;
                                                   the password is asked twice (or read from stdin: --password-stdin)
python -m cockpit.users add EMAIL --oidc --role ROLE …   an account of the ministry's identity provider (st.login)
python -m cockpit.users wall NAME [--country th]   a war-room screen: prints its URL token once (role wall)
python -m cockpit.users password LOGIN             a new password for a local account
python -m cockpit.users disable|enable LOGIN       stop or allow an account's sign-in (nothing is deleted)
python -m cockpit.users list                       the accounts
python -m cockpit.users audit [--last N]           the latest entries of the audit trail
"""

from __future__ import annotations

import argparse
import getpass
import sys

from cockpit.state import store
from cockpit.users import accounts, audit
from cockpit.users.identity import Identity


def _system_user() -> Identity:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return Identity(f"cli:{user}", user, "administrator", via="cli")


def _password(args) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Again: "):
        raise accounts.AccountError("the two passwords differ")
    return first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cockpit.users", description=__doc__.split("\n\n")[0])
    parser.add_argument("--state-url", help="the state store (default: COCKPIT_STATE_URL)")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="add a local or OIDC account")
    add.add_argument("login")
    add.add_argument("--role", required=True)
    add.add_argument("--name")
    add.add_argument("--country", help="th or la (none: every country, national roles only)")
    add.add_argument("--area", help="a province id (67) or a province group (reo:17) for an office")
    add.add_argument("--oidc", action="store_true", help="signs in through the identity provider (login = e-mail)")
    add.add_argument("--password-stdin", action="store_true")
    wall = sub.add_parser("wall", help="add a war-room screen and print its token")
    wall.add_argument("login")
    wall.add_argument("--name")
    wall.add_argument("--country")
    password = sub.add_parser("password", help="set a local account's password")
    password.add_argument("login")
    password.add_argument("--password-stdin", action="store_true")
    for name in ("disable", "enable"):
        sub.add_parser(name).add_argument("login")
    sub.add_parser("list")
    log = sub.add_parser("audit")
    log.add_argument("--last", type=int, default=50)
    args = parser.parse_args(argv)
    engine = store.engine(args.state_url)
    by = _system_user()
    try:
        if args.command == "add":
            kind = "oidc" if args.oidc else "local"
            secret = None if args.oidc else _password(args)
            accounts.add(
                engine,
                args.login,
                args.name or args.login,
                args.role,
                kind=kind,
                password=secret,
                country=args.country,
                area_id=args.area,
                by=by,
            )
            print(f"added {kind} account {args.login} ({args.role})")
        elif args.command == "wall":
            token = accounts.add(
                engine, args.login, args.name or args.login, "wall", kind="wall", country=args.country, by=by
            )
            print(f"added wall screen {args.login}. Open on its screen (shown once; keep it like a password):")
            print(f"  /warroom?kiosk=1&token={token}")
        elif args.command == "password":
            accounts.set_password(engine, args.login, _password(args), by=by)
            print(f"new password set for {args.login}")
        elif args.command in ("disable", "enable"):
            accounts.set_active(engine, args.login, args.command == "enable", by=by)
            print(f"{args.login} {args.command}d")
        elif args.command == "list":
            print(accounts.listing(engine).to_string(index=False))
        elif args.command == "audit":
            print(audit.entries(engine, limit=args.last).to_string(index=False))
    except accounts.AccountError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
