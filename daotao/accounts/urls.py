from django.contrib.auth import views as auth_views
from django.urls import path

from daotao.accounts import passwords, views

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/", views.api_token_create, name="api_token_create"),
    path("profile/tokens/<int:token_id>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    # A user's own password (accounts/passwords.py): changed when signed in, or set anew
    # through a link sent by email.
    path("password/", passwords.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", passwords.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", passwords.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        passwords.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password/reset/complete/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
