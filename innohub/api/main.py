"""The public API, v1: see ../shared/API.md and /api/v1/docs."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.security import django_auth

api = NinjaAPI(
    title="innohub API",
    version="1",
    urls_namespace="api",
    auth=[django_auth],
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.get("/me", summary="The signed-in person")
def me(request) -> dict:
    user = request.user
    return {"id": user.id, "username": user.username, "name": user.name, "roles": user.role_names()}
