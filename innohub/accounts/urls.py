from django.urls import path

from . import views, views_notifications

app_name = "accounts"
urlpatterns = [
    # Signing in and out, passwords
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/change/done/",
        views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # Two-factor
    path("two-factor/set-up/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/backup-codes/", views.two_factor_backup_codes, name="two_factor_backup_codes"),
    # Profiles and the directory
    path("profile/", views.profile, name="profile"),
    path("profile/edit/", views.profile_edit, name="profile_edit"),
    path("profile/skills/", views.skills, name="skills"),
    path("profile/skills/<int:pk>/remove/", views.skill_remove, name="skill_remove"),
    path("people/", views.people, name="people"),
    path("people/<str:username>/", views.person, name="person"),
    path("people/<str:username>/edit/", views.person_edit, name="person_edit"),
    # Notifications
    path("notifications/", views_notifications.notification_list, name="notifications"),
    path(
        "notifications/<int:pk>/", views_notifications.notification_open, name="notification_open"
    ),
    path("notifications/read/", views_notifications.notifications_read, name="notifications_read"),
    # Innovation teams
    path("teams/", views.teams, name="teams"),
    path("teams/<int:pk>/", views.team, name="team"),
    # API tokens
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
