from django.urls import path

from . import views, views_agents, views_people, views_programme

app_name = "talent"

urlpatterns = [
    path("", views.challenge_list, name="challenge_list"),
    path("challenges/new/", views.challenge_new, name="challenge_new"),
    path("challenges/<int:pk>/", views.challenge_detail, name="challenge_detail"),
    path("challenges/<int:pk>/edit/", views.challenge_edit, name="challenge_edit"),
    path("me/", views_people.me, name="me"),
    path("agents/", views_agents.agent_list, name="agent_list"),
    path("agents/<int:pk>/", views_agents.agent_detail, name="agent_detail"),
    path("assignments/<int:pk>/", views_people.assignment_detail, name="assignment_detail"),
    # The programme
    path("applications/", views_programme.application_list, name="application_list"),
    path(
        "applications/<int:pk>/",
        views_programme.application_detail,
        name="application_detail",
    ),
    path("plan/", views_programme.plan, name="plan"),
    path("workforce/", views_programme.workforce_figures, name="workforce"),
    path("workforce/count/", views_programme.workforce_count, name="workforce_count"),
]
