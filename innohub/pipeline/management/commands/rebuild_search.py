"""Write the search words of every idea, pilot and lesson again, and count them again:
after a change to how words are made (`innohub.pipeline.search.words`), or to repair."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from innohub.pipeline import search
from innohub.pipeline.models import Idea, Lesson, Pilot, SearchEntry


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            SearchEntry.objects.all().delete()
            entries = [
                SearchEntry(kind=search.IDEA, object_id=idea.pk, text=search.idea_words(idea))
                for idea in Idea.objects.iterator(chunk_size=2_000)
            ]
            entries += [
                SearchEntry(kind=search.PILOT, object_id=pilot.pk, text=search.pilot_words(pilot))
                for pilot in Pilot.objects.select_related("idea").iterator(chunk_size=2_000)
            ]
            entries += [
                SearchEntry(
                    kind=search.LESSON, object_id=lesson.pk, text=search.lesson_words(lesson)
                )
                for lesson in Lesson.objects.select_related("pilot").iterator(chunk_size=2_000)
            ]
            SearchEntry.objects.bulk_create(entries, batch_size=2_000)
            words = search.recount()
        self.stdout.write(f"{len(entries):,} entries, {words:,} distinct words")
