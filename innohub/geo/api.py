"""API router of this app; wired into innohub/api/main.py."""

from __future__ import annotations

from ninja import Router

router = Router()
