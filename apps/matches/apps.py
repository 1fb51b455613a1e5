from django.apps import AppConfig


class MatchesConfig(AppConfig):
    name = "apps.matches"
    label = "matches"
    verbose_name = "Head-to-head matches"

    def ready(self) -> None:
        from apps.core import holds
        from apps.matches.selectors import questions_in_unfinished_matches

        holds.register(questions_in_unfinished_matches)
