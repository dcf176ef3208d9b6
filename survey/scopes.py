"""Scopes of an aggregate: one unit, an agency subtree, a region subtree, or the nation."""

from dataclasses import dataclass

from survey import params


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
    kind, _, value = (text or "").strip().partition(":")
    if kind == "national" and not value:
        return NATIONAL
    read = {"unit": params.slug, "region": params.region_code,
            "agency": lambda v: str(params.record_id(v, "ID instansi"))}.get(kind)
    if read is None or not value:
        raise BadScope(f"cakupan '{params.shown(text or '')}' tidak dikenal: gunakan national, "
                       "region:KODE, agency:ID atau unit:SLUG")
    try:
        return Scope(kind, read(value))
    except params.BadParameter as error:
        raise BadScope(f"cakupan '{params.shown(text)}': {error}") from None
