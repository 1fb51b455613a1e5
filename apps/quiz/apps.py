from django.apps import AppConfig


class QuizConfig(AppConfig):
    name = "apps.quiz"
    label = "quiz"
    verbose_name = "Speed quiz"

    def ready(self) -> None:
        from apps.core import holds
        from apps.quiz.selectors import questions_in_active_attempts

        holds.register(questions_in_active_attempts)
