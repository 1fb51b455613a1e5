from django.apps import AppConfig


class LtiConfig(AppConfig):
    name = "apps.lti"
    label = "lti"
    verbose_name = "LTI 1.3 tool"

    def ready(self) -> None:
        # quiz is a lower app: it calls back when an attempt finishes, never imports lti.
        from apps.lti.grades import score_on_attempt_finished
        from apps.quiz.hooks import on_attempt_finished

        on_attempt_finished(score_on_attempt_finished)
        # live likewise: it calls back when a game finishes.
        from apps.live.hooks import on_game_finished
        from apps.lti.grades import score_on_game_finished

        on_game_finished(score_on_game_finished)
        # A configured key that cannot be read stops the start, loudly (ImproperlyConfigured),
        # rather than turning every launch into an error later.
        from django.conf import settings

        from apps.lti import keys

        if settings.LTI_PRIVATE_KEY or settings.LTI_PRIVATE_KEY_FILE:
            keys.private_key_pem()
