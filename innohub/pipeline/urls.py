from django.urls import path

from . import views

app_name = "pipeline"
urlpatterns = [
    path("ideas/", views.idea_list, name="idea_list"),
    path("ideas/new/", views.idea_new, name="idea_new"),
    path("ideas/similar/", views.idea_similar, name="idea_similar"),
    path("ideas/<int:pk>/", views.idea_detail, name="idea_detail"),
    path("ideas/<int:pk>/support/", views.idea_support, name="idea_support"),
    path("ideas/<int:pk>/comment/", views.idea_comment, name="idea_comment"),
    path("ideas/<int:pk>/join/", views.idea_join, name="idea_join"),
    path("ideas/<int:idea_pk>/pilots/new/", views.pilot_new, name="pilot_new"),
    path("ideas/<int:pk>/design/", views.design_detail, name="design_detail"),
    path("ideas/<int:pk>/design/edit/", views.design_edit, name="design_edit"),
    path("ideas/<int:pk>/design.pdf", views.design_pdf, name="design_pdf"),
    path("pilots/", views.pilot_list, name="pilot_list"),
    path("pilots/<int:pk>/", views.pilot_detail, name="pilot_detail"),
    path("pilots/<int:pk>/edit/", views.pilot_edit, name="pilot_edit"),
    path("pilots/<int:pk>/move/", views.pilot_move, name="pilot_move"),
    path("pilots/<int:pk>/mentor/", views.pilot_mentor, name="pilot_mentor"),
    path("pilots/<int:pk>/notes/", views.pilot_note, name="pilot_note"),
    path("pilots/<int:pk>/spend/", views.pilot_spend, name="pilot_spend"),
    path("pilots/<int:pk>/risks/new/", views.pilot_risk, name="pilot_risk"),
    path("pilots/<int:pk>/lessons/new/", views.pilot_lesson, name="pilot_lesson"),
    path("lessons/", views.lesson_list, name="lesson_list"),
]
