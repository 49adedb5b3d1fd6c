"""The third-party apps the admin lists, under names a person reads ("Background tasks", not
"TASKS DATABASE BACKEND"): each is its package's own AppConfig with a translatable name."""

from __future__ import annotations

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TotpConfig
from django_tasks_db.apps import TasksAppConfig


class SignInAttemptsConfig(AxesAppConfig):
    verbose_name = _("Sign-in attempts")


class AuthenticatorAppsConfig(TotpConfig):
    verbose_name = _("Two-factor: authenticator apps")


class BackupCodesConfig(StaticConfig):
    verbose_name = _("Two-factor: backup codes")


class BackgroundTasksConfig(TasksAppConfig):
    verbose_name = _("Background tasks")  # type: ignore[assignment]  # a lazy str is a str
