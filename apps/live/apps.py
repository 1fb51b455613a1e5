from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "apps.live"
    label = "live"
    verbose_name = "Live class games"

    def ready(self) -> None:
        from apps.core import holds
        from apps.live.selectors import questions_in_unfinished_games

        holds.register(questions_in_unfinished_games)
