"""Shared model bases: timestamps and a materialised-path tree."""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models, transaction
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _

# The largest id a database row has (a 64-bit integer key): a larger id names nothing, and is
# refused before it reaches a query (which would fail with an overflow, not find nothing).
MAX_ID = 2**63 - 1


def ids_in_path(path: str) -> list[int]:
    """A materialised path `/1/5/9/` → `[1, 5, 9]`: the node and everything above it."""
    return [int(part) for part in path.strip("/").split("/") if part]


class TimeStamped(models.Model):
    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    class Meta:
        abstract = True


class TreeQuerySet(models.QuerySet):
    def descendants_of(self, node: TreeNode, *, include_self: bool = True) -> Self:
        """Everything below `node` in its tree (one indexed prefix query)."""
        qs = self.filter(path__startswith=node.path)
        return qs if include_self else qs.exclude(pk=node.pk)


class TreeNode(models.Model):
    """A node of a tree stored as a materialised path: `/<root id>/<child id>/.../<own id>/`.

    "Everything below X" is then `path LIKE 'X.path%'`, which stays cheap at 100k nodes
    (an index on `path`), and moving a subtree rewrites its paths in one UPDATE.
    Subclasses declare `parent = models.ForeignKey("self", ...)`.
    """

    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)

    objects = TreeQuerySet.as_manager()

    class Meta:
        abstract = True

    parent: models.ForeignKey

    def save(self, *args, **kwargs) -> None:
        with transaction.atomic():
            old_path = self.path
            super().save(*args, **kwargs)
            parent = self.parent
            prefix = parent.path if parent is not None else "/"
            new_path = f"{prefix}{self.pk}/"
            if new_path == old_path:
                return
            self.path, self.depth = new_path, new_path.count("/") - 2
            manager = type(self)._default_manager
            manager.filter(pk=self.pk).update(path=self.path, depth=self.depth)
            if old_path:
                # The subtree moved with us: rewrite the descendants' path prefixes.
                shift = self.depth - (old_path.count("/") - 2)
                manager.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                    path=Concat(models.Value(new_path), Substr("path", len(old_path) + 1)),
                    depth=models.F("depth") + shift,
                )

    def ancestors(self) -> models.QuerySet:
        """The nodes above this one, root first."""
        ids = ids_in_path(self.path)[:-1]
        return type(self)._default_manager.filter(pk__in=ids).order_by("depth")


class ImportOutcome(models.TextChoices):
    IMPORTED = "imported", _("Imported")
    REFUSED = "refused", _("Refused: nothing written")


class BulkImport(models.Model):
    """The one audit entry a bulk import leaves, imported or refused: who, when, which file,
    what it did (or how many errors kept it out).

    Imports write rows in bulk, without a history row each; this record is their audit trail.
    Nobody edits or deletes it in the admin.
    """

    kind = models.CharField(_("kind"), max_length=50, db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(_("when"), auto_now_add=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    digest = models.CharField(_("SHA-256 of the file"), max_length=64)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    counts = models.JSONField(_("counts"), default=dict)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=ImportOutcome.choices, default=ImportOutcome.IMPORTED
    )
    errors_total = models.PositiveIntegerField(_("errors found"), default=0)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("file imported")
        verbose_name_plural = _("files imported")

    def __str__(self) -> str:
        return f"{self.kind} · {self.file_name or self.digest[:12]} · {self.created:%Y-%m-%d %H:%M}"


class ScheduledRun(models.Model):
    """A duty of the worker's schedule done for one period (`schedule.py`): its row makes it
    done once, whichever worker gets there first and however often workers restart."""

    name = models.CharField(max_length=64)
    period = models.CharField(max_length=16)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "period"], name="one_run_a_period")]

    def __str__(self) -> str:
        return f"{self.name} {self.period}"


class WorkerBeat(models.Model):
    """A task worker's heartbeat (`manage.py worker`): written when it starts and after every
    sweep, deleted when it stops. `/healthz` counts the workers seen lately; a worker killed
    leaves its row to grow old."""

    name = models.CharField(_("worker"), max_length=200, unique=True)  # host:pid
    started = models.DateTimeField(_("started"))
    seen = models.DateTimeField(_("last seen"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.name
