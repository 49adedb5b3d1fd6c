from django.urls import path

from . import views, views_exchanges, views_fellowship

app_name = "network"

urlpatterns = [
    path("", views.feed, name="feed"),
    path("new/", views.post_new, name="post_new"),
    path("similar/", views.similar_panel, name="similar_panel"),
    path("people/", views.similar_people, name="similar_people"),
    path("follow/", views.follow, name="follow"),
    path("moderation/", views.moderation, name="moderation"),
    path("<int:pk>/", views.post_detail, name="post_detail"),
    path("<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("<int:pk>/comment/", views.post_comment, name="post_comment"),
    path("<int:pk>/report/", views.post_report, name="post_report"),
    path("<int:pk>/hide/", views.post_hide, name="post_hide"),
    path("<int:pk>/unhide/", views.post_unhide, name="post_unhide"),
    path("<int:pk>/dismiss/", views.post_dismiss, name="post_dismiss"),
    # Fellowship and recognition
    path("fellowships/", views_fellowship.fellowship_list, name="fellowship_list"),
    path("fellowships/new/", views_fellowship.fellowship_new, name="fellowship_new"),
    path("fellowships/<int:pk>/", views_fellowship.fellowship_detail, name="fellowship_detail"),
    path(
        "fellowships/<int:pk>/decide/",
        views_fellowship.fellowship_decide,
        name="fellowship_decide",
    ),
    path(
        "fellowships/<int:pk>/circle/",
        views_fellowship.fellowship_circle,
        name="fellowship_circle",
    ),
    path("circle/<int:pk>/answered/", views_fellowship.circle_answered, name="circle_answered"),
    path(
        "nominations/<int:pk>/review/",
        views_fellowship.nomination_review,
        name="nomination_review",
    ),
    path("recognise/<str:username>/", views_fellowship.recognise, name="recognise"),
    path("recognition/", views_fellowship.recognition_report, name="recognition_report"),
    # Out of the office
    path("exchanges/", views_exchanges.exchange_list, name="exchange_list"),
    path("exchanges/new/", views_exchanges.exchange_new, name="exchange_new"),
    path("exchanges/<int:pk>/", views_exchanges.exchange_detail, name="exchange_detail"),
]
