"""What marks a pair to be counted again (`rollups.touch`): saves and deletions of pilots,
ideas, people trained and scale-ups, and the pipeline's `pilot_figures_changed` (spending,
budget, citizens reached written without a save). A save that moves a row to another pair
marks the old pair too."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save

from innohub.pipeline.models import Idea, Pilot, ScaleUp
from innohub.pipeline.signals import pilot_figures_changed
from innohub.training.models import Trained

from .rollups import touch

PLACED = (Pilot, Idea, Trained)


def _remember_old_pair(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.pk is None:
        return
    old = sender.objects.filter(pk=instance.pk).values_list("organisation_id", "area_id").first()
    if old is not None and old != (instance.organisation_id, instance.area_id):
        touch(*old)


def _placed_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    touch(instance.organisation_id, instance.area_id)
    if sender is Pilot and instance.replicates_id is not None:
        original = (
            Pilot.objects.filter(pk=instance.replicates_id)
            .values_list("organisation_id", "area_id")
            .first()
        )
        if original is not None:
            touch(*original)


def _scale_up_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    place = (
        Pilot.objects.filter(pk=instance.pilot_id).values_list("organisation_id", "area_id").first()
    )
    if place is not None:
        touch(*place)


def _figures_changed(sender: Any, pilot: Any, **kwargs: Any) -> None:
    touch(pilot.organisation_id, pilot.area_id)


def connect() -> None:
    for model in PLACED:
        uid = f"insights-{model.__name__}"
        pre_save.connect(_remember_old_pair, sender=model, dispatch_uid=f"{uid}-pre")
        post_save.connect(_placed_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_placed_changed, sender=model, dispatch_uid=f"{uid}-delete")
    post_save.connect(_scale_up_changed, sender=ScaleUp, dispatch_uid="insights-scaleup-save")
    post_delete.connect(_scale_up_changed, sender=ScaleUp, dispatch_uid="insights-scaleup-delete")
    pilot_figures_changed.connect(_figures_changed, dispatch_uid="insights-figures")
