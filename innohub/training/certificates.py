"""Certificates of completion (PDF, WeasyPrint): in the holder's language, with the
product's fonts so Bangla is drawn. Only for someone who completed the cohort."""

from __future__ import annotations

from django.conf import settings
from django.utils import formats, translation

from innohub.pipeline.design_pdf import pdf_of

from .models import Cohort, Participant


def holder_language(participant: Participant) -> str:
    """The language the holder last chose for the product, else the deployment's."""
    language = participant.user.language or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def completed_place(cohort: Cohort, user_id: int) -> Participant | None:
    return (
        Participant.objects.filter(cohort=cohort, user_id=user_id, completed=True)
        .select_related("user", "cohort", "cohort__programme", "cohort__institute")
        .first()
    )


def certificate_pdf(participant: Participant) -> bytes:
    """The certificate of `participant` (who completed), in their language."""
    cohort = participant.cohort
    language = holder_language(participant)
    with translation.override(language):
        return pdf_of(
            "training/certificate_pdf.html",
            {
                "participant": participant,
                "cohort": cohort,
                "holder": participant.user.get_full_name() or participant.user.username,
                "starts_on": formats.date_format(cohort.starts_on, "DATE_FORMAT"),
                "ends_on": formats.date_format(cohort.ends_on, "DATE_FORMAT"),
                "closed_on": formats.date_format(cohort.closed_on, "DATE_FORMAT")
                if cohort.closed_on
                else "",
                "LANGUAGE_CODE": language,
                "reference": f"IH-{cohort.pk}-{participant.user_id}",
            },
        )
