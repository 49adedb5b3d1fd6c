"""The admin site, opened to the roles that keep reference data, not only to `is_staff`."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class InnohubAdminSite(admin.AdminSite):
    site_header = _("innohub administration")
    site_title = _("innohub administration")
    index_title = _("Reference data, people and audit")

    def has_permission(self, request: HttpRequest) -> bool:
        # Roles are granted by group; `accounts.use_admin` (a rules permission) says which.
        user = request.user
        return user.is_active and (user.is_staff or user.has_perm("accounts.use_admin"))


class InnohubAdminConfig(AdminConfig):
    default_site = "innohub.core.admin_site.InnohubAdminSite"
