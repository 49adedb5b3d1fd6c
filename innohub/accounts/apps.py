from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "innohub.accounts"
    label = "accounts"
