from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"

    def ready(self) -> None:
        # A signal, though this project avoids them for rules: a password changes through the
        # change and reset pages, the admin, `changepassword` and the shell, and saving the
        # user row is the one step they all share. Each API token dies with the old password.
        from django.contrib.auth import get_user_model
        from django.db.models.signals import pre_save

        from apps.accounts.services import tokens_revoke_on_password_change

        pre_save.connect(tokens_revoke_on_password_change, sender=get_user_model(),
                         dispatch_uid="accounts.tokens_revoke_on_password_change")
