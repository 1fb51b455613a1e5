from django.apps import AppConfig


class PlayConfig(AppConfig):
    """The play core shared by every mode (speed quiz, head-to-head, live games): the choice
    deal, pick parsing, the cached question card and the one presenter that decides what a
    client sees of a question. It sits above apps.bank and below every mode; it has no models."""

    name = "apps.play"
    label = "play"
    verbose_name = "Play core"
