from django.urls import path

from . import views, views_exercises

app_name = "training"
urlpatterns = [
    path("", views.cohort_list, name="cohort_list"),
    path("cohorts/new/", views.cohort_new, name="cohort_new"),
    path("cohorts/<int:pk>/", views.cohort_detail, name="cohort_detail"),
    path("cohorts/<int:pk>/apply/", views.cohort_apply, name="cohort_apply"),
    path("cohorts/<int:pk>/sessions/", views.cohort_sessions, name="cohort_sessions"),
    path("cohorts/<int:pk>/applications/", views.cohort_applications, name="cohort_applications"),
    path(
        "cohorts/<int:pk>/applications/<int:application_pk>/score/",
        views.application_score,
        name="application_score",
    ),
    path("cohorts/<int:pk>/enrol/", views.cohort_enrol, name="cohort_enrol"),
    path(
        "cohorts/<int:pk>/sessions/<int:session_pk>/attendance/",
        views.session_attendance,
        name="session_attendance",
    ),
    path("cohorts/<int:pk>/participants/", views.cohort_participants, name="cohort_participants"),
    path("cohorts/<int:pk>/close/", views.cohort_close, name="cohort_close"),
    path("cohorts/<int:pk>/progress/", views.cohort_progress, name="cohort_progress"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    # The exercises (views_exercises.py).
    path("cohorts/<int:pk>/hopes-and-fears/", views_exercises.hopes_and_fears, name="notes"),
    path("cohorts/<int:pk>/hopes-and-fears/note/", views_exercises.note_post, name="note_post"),
    path("cohorts/<int:pk>/hopes-and-fears/themes/", views_exercises.theme_new, name="theme_new"),
    path("cohorts/<int:pk>/hopes-and-fears/move/", views_exercises.note_move, name="note_move"),
    path("cohorts/<int:pk>/secret-shopper/", views_exercises.secret_shopper, name="secret_shopper"),
    path("cohorts/<int:pk>/secret-shopper/assign/", views_exercises.assign, name="assign"),
    path("cohorts/<int:pk>/policy-lab/", views_exercises.concepts, name="concepts"),
    path("concepts/<int:pk>/idea/", views_exercises.concept_idea, name="concept_idea"),
    path("cohorts/<int:pk>/feedback/", views_exercises.feedback, name="feedback"),
]
