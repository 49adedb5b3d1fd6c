from django.urls import path

from . import views, views_public

app_name = "engagement"
urlpatterns = [
    # Citizens' pages, without an account (docs/api.md: /consultations/{id}/).
    path("consultations/", views_public.public_list, name="public_list"),
    path("consultations/<int:pk>/", views_public.public_detail, name="public_detail"),
    path("consultations/<int:pk>/thanks/", views_public.public_thanks, name="public_thanks"),
    # Officers' pages.
    path("engagement/", views.consultation_list, name="consultation_list"),
    path("engagement/new/", views.consultation_new, name="consultation_new"),
    path("engagement/<int:pk>/", views.consultation_detail, name="consultation_detail"),
    path("engagement/<int:pk>/edit/", views.consultation_edit, name="consultation_edit"),
    path("engagement/<int:pk>/contributions/", views.contribution_new, name="contribution_new"),
    path("engagement/<int:pk>/findings/", views.finding_new, name="finding_new"),
    path("engagement/findings/<int:pk>/", views.finding_detail, name="finding_detail"),
    path("engagement/findings/<int:pk>/responses/", views.response_new, name="response_new"),
    path("engagement/findings/<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path("engagement/organisations/<int:pk>/", views.organisation_kpis, name="organisation_kpis"),
]
