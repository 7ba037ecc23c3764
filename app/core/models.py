"""Organisations, care units and the material catalogue."""
from __future__ import annotations

import enum
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import enum_column
from app.extensions import db


class OrgKind(enum.Enum):
    """What kind of organisation an :class:`Organisation` is."""

    MUNICIPALITY = "municipality"
    REGION = "region"
    COUNTY_BOARD = "county_board"
    NATIONAL_BOARD = "national_board"


class CareUnitType(enum.Enum):
    """Kinds of care unit (verksamhet) whose consumption a municipality reports."""

    RESIDENTIAL_CARE = "residential_care"  # särskilt boende
    HOME_CARE = "home_care"  # hemtjänst
    HOME_HEALTH_CARE = "home_health_care"  # hemsjukvård
    DISABILITY_SUPPORT = "disability_support"  # LSS
    OTHER = "other"


class Ownership(enum.Enum):
    """Whether the municipality runs a care unit itself or a private provider does."""

    MUNICIPAL = "municipal"
    PRIVATE = "private"


class County(db.Model):
    """A county (län), identified by its two-digit SCB code."""

    __tablename__ = "counties"

    code: Mapped[str] = mapped_column(sa.String(2), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)

    organisations: Mapped[list[Organisation]] = relationship(back_populates="county")

    def __repr__(self) -> str:
        return f"<County {self.code} {self.name}>"


class Organisation(db.Model):
    """A municipality, region, county board or the national board."""

    __tablename__ = "organisations"
    __table_args__ = (
        sa.UniqueConstraint("kind", "name"),
        sa.Index("ix_organisations_county_kind", "county_code", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[OrgKind] = mapped_column(enum_column(OrgKind))
    name: Mapped[str] = mapped_column(sa.String(120))
    scb_code: Mapped[str | None] = mapped_column(sa.String(4), unique=True)
    county_code: Mapped[str | None] = mapped_column(sa.ForeignKey("counties.code"))
    org_number: Mapped[str | None] = mapped_column(sa.String(11), unique=True)
    population: Mapped[int | None]
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]

    county: Mapped[County | None] = relationship(back_populates="organisations")
    care_units: Mapped[list[CareUnit]] = relationship(
        back_populates="organisation", order_by="CareUnit.name"
    )

    @property
    def is_municipality(self) -> bool:
        return self.kind is OrgKind.MUNICIPALITY

    def __repr__(self) -> str:
        return f"<Organisation {self.kind.value} {self.name}>"


class CareUnit(db.Model):
    """A care unit (verksamhet) of a municipality, run by the municipality or a private provider."""

    __tablename__ = "care_units"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    unit_type: Mapped[CareUnitType] = mapped_column(enum_column(CareUnitType))
    ownership: Mapped[Ownership] = mapped_column(enum_column(Ownership))
    provider_name: Mapped[str | None] = mapped_column(sa.String(120))
    active: Mapped[bool] = mapped_column(default=True)

    organisation: Mapped[Organisation] = relationship(back_populates="care_units")

    @property
    def is_private(self) -> bool:
        return self.ownership is Ownership.PRIVATE


class Material(db.Model):
    """A material category of the catalogue (e.g. munskydd IIR), counted in ``unit``."""

    __tablename__ = "materials"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name_sv: Mapped[str] = mapped_column(sa.String(120))
    name_en: Mapped[str] = mapped_column(sa.String(120))
    unit: Mapped[str] = mapped_column(sa.String(10))
    pack_size: Mapped[int] = mapped_column(default=1)
    unit_price_sek: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))
    sort_order: Mapped[int] = mapped_column(default=0)

    def name_for(self, locale: str) -> str:
        """The material's name in ``locale`` ("sv" or "en")."""
        return self.name_en if locale == "en" else self.name_sv
