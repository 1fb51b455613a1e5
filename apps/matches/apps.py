from django.apps import AppConfig


class MatchesConfig(AppConfig):
    name = "apps.matches"
    label = "matches"
    verbose_name = "Head-to-head matches"

    def ready(self) -> None:
        from apps.core import holds
        from apps.matches.selectors import questions_in_unfinished_matches

        holds.register(questions_in_unfinished_matches)

        # The skills app's leaderboard page lists these without importing this app.
        from apps.matches.selectors import rating_board, rating_week_board
        from apps.skills import boards

        boards.register(boards.Board("rating", "Head-to-head rating, all time", "rating",
                                     rating_board))
        boards.register(boards.Board("rating-week", "Head-to-head rating gained this week",
                                     "points", rating_week_board))
