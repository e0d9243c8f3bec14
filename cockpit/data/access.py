"""Who may see which areas: a scope of provinces that every area-level query binds as $scope.

The scope is applied inside the SQL (`where province_id in $scope`), so a page cannot show an
area outside it, whatever its widgets or URL say. For now every user's scope is the whole
country; per-user scopes plug in here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    province_ids: tuple[str, ...]

    def within(self, province_ids) -> Scope:
        """This scope narrowed to some provinces (a region filter); never widened."""
        wanted = set(province_ids)
        return Scope(tuple(p for p in self.province_ids if p in wanted))

    def allows(self, province_id: str) -> bool:
        return province_id in self.province_ids


def whole_country(province_ids) -> Scope:
    return Scope(tuple(sorted(province_ids)))
