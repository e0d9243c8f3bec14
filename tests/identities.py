"""Who the tests act as: signed-in identities for pages under AppTest, and actors for direct calls to the store."""

from __future__ import annotations

from cockpit.data import areas, db
from cockpit.data.access import Scope
from cockpit.users import accounts
from cockpit.users.identity import Actor, Identity


class _Anywhere(Scope):
    """A scope covering any area, even the made-up ones of the state store's own tests (never in the app)."""

    def covers(self, area_id):
        return area_id is not None

    def allows(self, province_id):
        return True


def officer(login: str, country: str = "th") -> Actor:
    """Someone who may act on any alert: for tests of the lifecycle itself, not of who may act."""
    return Actor(Identity(login, login, "regional_office", country, "reo:any"), country, _Anywhere(()))


def secretary(login: str, country: str = "th") -> Actor:
    """A national meeting secretary: records decisions about anything of the country."""
    return Actor(Identity(login, login, "meeting_secretary", None, None), country, _Anywhere(()))


def actor(identity: Identity, country: str) -> Actor:
    """The identity as the app makes its actor: with the scope derived from it on the served data."""
    return areas.actor(db.get(), identity, country)


def demo(role: str) -> Identity:
    return accounts.demo_identity(role)


def provincial(area_id: str = "67", country: str = "th", login: str | None = None) -> Identity:
    login = login or f"peo.{area_id}"
    return Identity(login, login, "provincial_office", country, area_id, "local")


def sees_page(identity: Identity, file: str) -> bool:
    """Whether the role sees a page, named by its file ("views/wall_results.py": app.py's url path wall-results)."""
    return identity.sees(file.removeprefix("views/").removesuffix(".py").replace("_", "-"))


def sign_in(at, identity: Identity):
    """Put `identity` in an AppTest's session as signed in (what the sign-in page does); returns the AppTest."""
    from cockpit.ui import signin  # Streamlit: only for page tests (processes spawned by store tests import this)

    at.session_state[signin.IDENTITY] = identity
    return at


def office(login: str, scope: Scope, country: str = "th") -> Actor:
    """A provincial office whose scope is exactly `scope` (for the state store's tests on made-up data)."""
    return Actor(
        Identity(login, login, "provincial_office", country, scope.province_ids[0] if scope.province_ids else None),
        country,
        scope,
    )
