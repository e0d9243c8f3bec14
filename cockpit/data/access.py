"""Who may see which areas: a scope of provinces (and their districts) that every area-level query binds as $scope.

The scope is applied inside the SQL (`where province_id in $scope`), so a page cannot show an area outside it,
whatever its widgets or URL say. A page never makes one: `areas.scope_of` derives it from the signed-in
identity (a national role: every province; a regional office: its group's; a provincial office: its own),
and a page may only narrow it (`within`). The state store checks its writes against the same scope.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    province_ids: tuple[str, ...]
    # (district, its province) for the districts of those provinces: alerts and decisions may be about a district.
    districts: tuple[tuple[str, str], ...] = ()

    def within(self, province_ids) -> Scope:
        """This scope narrowed to some provinces (a region filter); never widened."""
        wanted = set(province_ids)
        return Scope(
            tuple(p for p in self.province_ids if p in wanted), tuple(d for d in self.districts if d[1] in wanted)
        )

    def allows(self, province_id: str) -> bool:
        return province_id in self.province_ids

    def covers(self, area_id: str | None) -> bool:
        """Whether an area (a province or one of its districts) is in this scope."""
        return area_id is not None and (area_id in self.province_ids or any(d == area_id for d, _ in self.districts))

    @property
    def area_ids(self) -> list[str]:
        """Every province and district in scope: what the state store's area filters take."""
        return [*self.province_ids, *(d for d, _ in self.districts)]


NOBODY = Scope(())


def whole_country(province_ids) -> Scope:
    return Scope(tuple(sorted(province_ids)))
