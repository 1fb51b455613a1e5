from __future__ import annotations

from django import forms

from apps.bank.models import Resource, Topic
from apps.live.models import NICKNAME_MAX, LiveGame
from apps.live.services import MAX_COUNT, MAX_SECONDS, MIN_COUNT, MIN_SECONDS, GameSpec


class JoinForm(forms.Form):
    pin = forms.RegexField(regex=r"^\d{6}$", label="Game PIN",
                           error_messages={"invalid": "A PIN is 6 digits."},
                           widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                         "autocomplete": "off"}))
    nickname = forms.CharField(max_length=NICKNAME_MAX, required=False,
                               help_text="Signed in, you play under your user name unless you "
                                         "pick a nickname.")


class GameForm(forms.Form):
    count = forms.IntegerField(min_value=MIN_COUNT, max_value=MAX_COUNT, initial=10,
                               label="Questions")
    seconds = forms.IntegerField(min_value=MIN_SECONDS, max_value=MAX_SECONDS, initial=20,
                                 label="Seconds per question")
    scoring = forms.ChoiceField(choices=LiveGame.Scoring.choices, initial="speed",
                                widget=forms.RadioSelect)
    focus = forms.ChoiceField(required=False, label="Focus")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Mixed: every topic")]
        choices += [(f"topic:{t.slug}", f"Topic: {t.name}") for t in Topic.objects.all()]
        choices += [(f"resource:{r.slug}", f"Resource: {r.title}") for r in Resource.objects.all()]
        choices += [(f"difficulty:{d}", f"Difficulty: {label}")
                    for d, label in ((1, "foundation"), (2, "practitioner"), (3, "expert"))]
        self.fields["focus"].choices = choices

    def spec(self) -> GameSpec:
        kind, _, value = (self.cleaned_data.get("focus") or "").partition(":")
        return GameSpec(count=self.cleaned_data["count"], seconds=self.cleaned_data["seconds"],
                        scoring=self.cleaned_data["scoring"],
                        topic=value if kind == "topic" else None,
                        resource=value if kind == "resource" else None,
                        difficulty=int(value) if kind == "difficulty" else None)
