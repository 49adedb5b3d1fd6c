"""The public API, v1: the contract is docs/api.md; the document is /api/v1/openapi.json."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI, Schema
from ninja.security import django_auth

from innohub.accounts.api import router as accounts_router
from innohub.accounts.auth import TokenAuth, signed_in
from innohub.engagement.api import router as engagement_router
from innohub.geo.api import router as geo_router
from innohub.insights.api import router as insights_router
from innohub.network.api import router as network_router
from innohub.orgs.api import router as orgs_router
from innohub.pipeline.api import router as pipeline_router
from innohub.pipeline.api_fund import router as fund_router
from innohub.services.api import router as services_router
from innohub.services.api_files import router as journey_files_router
from innohub.talent.api import router as talent_router
from innohub.training.api import router as training_router

from . import errors

api = NinjaAPI(
    title="innohub API",
    version="1",
    description="Public-service innovation: areas, organisations, services, TCV, pilots.",
    urls_namespace="api",
    auth=[TokenAuth(), django_auth],
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)

# Before the accounts router: its /people/{person_id} would otherwise take "similar".
api.add_router("/", network_router)
api.add_router("/", accounts_router)
api.add_router("/areas", geo_router)
api.add_router("/organisations", orgs_router)
# Before the services router: its /journeys/{journey_id} would otherwise take "import".
api.add_router("/journeys", journey_files_router)
api.add_router("/", services_router)
api.add_router("/", pipeline_router)
api.add_router("/", fund_router)
api.add_router("/", training_router)
api.add_router("/", engagement_router)
api.add_router("/", talent_router)
api.add_router("/", insights_router)


class MeOut(Schema):
    id: int
    username: str
    name: str
    roles: list[str]


@api.get("/me", response={200: MeOut, 401: errors.ErrorOut}, summary="The signed-in person")
def me(request: HttpRequest) -> MeOut:
    user = signed_in(request)
    return MeOut(id=user.pk, username=user.username, name=user.name, roles=user.role_names())
