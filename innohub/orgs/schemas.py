"""The API's schemas for organisations: what goes in and out of `api.py`'s handlers (docs/api.md,
"Geography and organisations")."""

from typing import Annotated

from ninja import Field, Schema

from innohub.api.types import Name, OptionalName, QueryRef, QueryText
from innohub.core.models import MAX_ID
from innohub.geo.schemas import Reference

from .models import Kind, Organisation, PartnerType

OrganisationId = Annotated[int, Field(ge=1, le=MAX_ID, strict=True)]


class OrganisationOut(Schema):
    id: int
    name: str
    name_local: str
    kind: Kind
    partner_type: PartnerType | None = Field(
        description="For a partner: university, ngo, company, city or foreign_government."
    )
    parent: int | None = Field(description="The id of the organisation above, or null.")
    area: int = Field(description="The id of the organisation's area.")

    @staticmethod
    def resolve_partner_type(obj: Organisation) -> str | None:
        return obj.partner_type or None

    @staticmethod
    def resolve_parent(obj: Organisation) -> int | None:
        return obj.parent_id

    @staticmethod
    def resolve_area(obj: Organisation) -> int:
        return obj.area_id


class OrganisationIn(Schema):
    name: Name
    name_local: OptionalName = ""
    kind: Kind
    partner_type: PartnerType | None = Field(
        None, description="Required for a partner (kind `partner`), empty otherwise."
    )
    parent: OrganisationId | None = Field(None, description="The id of the organisation above.")
    area: Reference = Field(description="The organisation's area: its id or its code.")


class OrganisationFilters(Schema):
    kind: Kind | None = None
    parent: QueryRef = Field(None, description="The direct sub-units of this organisation (id).")
    area: QueryRef = Field(None, description="Organisations in this area or below (id or code).")
    organisation: QueryRef = Field(
        None, description="This organisation and everything below it (id)."
    )
    q: QueryText = Field(None, description="Part of the name, local name or short name.")
