"""Scopes of an aggregate: one unit, an agency subtree, a region subtree, or the nation."""

import re
from dataclasses import dataclass

_SCOPE = re.compile(r"^(?:(?P<kind>unit|agency|region):(?P<value>[\w.\-]+)|(?P<national>national))$")


@dataclass(frozen=True)
class Scope:
    kind: str  # 'unit' (slug), 'agency' (id), 'region' (Kemendagri code prefix), 'national'
    value: str | None = None

    def __str__(self) -> str:
        return self.kind if self.value is None else f"{self.kind}:{self.value}"


NATIONAL = Scope("national")


class BadScope(ValueError):
    """A scope text that cannot be read."""


def parse_scope(text: str) -> Scope:
    """Read 'national', 'region:35', 'region:35.78', 'agency:12' or 'unit:<slug>'."""
    match = _SCOPE.match((text or "").strip())
    if not match:
        raise BadScope(f"cakupan '{text}' tidak dikenal: gunakan national, region:KODE, "
                       "agency:ID atau unit:SLUG")
    if match["national"]:
        return NATIONAL
    if match["kind"] == "agency" and not match["value"].isdigit():
        raise BadScope(f"cakupan '{text}': ID instansi harus angka")
    return Scope(match["kind"], match["value"])
