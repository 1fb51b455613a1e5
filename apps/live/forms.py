from __future__ import annotations

import re

from django import forms

from apps.bank.models import Resource, Topic
from apps.live.models import NICKNAME_MAX, LiveGame
from apps.live.services import (
    MAX_COUNT,
    MAX_SECONDS,
    MAX_TEAMS,
    MIN_COUNT,
    MIN_SECONDS,
    GameSpec,
)

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


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
    focus = forms.ChoiceField(required=False, label="Questions from")
    questions = forms.CharField(
        required=False, max_length=MAX_COUNT * 122, label="Or a hand-picked set",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"Question ids, one per line or comma-separated (at most {MAX_COUNT}), played "
                  "in this order. A past game's report offers its set to play again.")
    teams = forms.TypedChoiceField(
        coerce=int, initial=0, required=False, empty_value=0, label="Teams",
        choices=[(0, "No teams: everyone for themselves")] + [
            (n, f"{n} teams, balanced by skill (a team's score is its members' mean)")
            for n in range(2, MAX_TEAMS + 1)])

    def __init__(self, *args, host=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Mixed: every topic")]
        if host is not None:
            from apps.cohorts.models import Assignment, Cohort

            for cohort in Cohort.objects.filter(owner=host).order_by("name")[:50]:
                choices.append((f"missed:{cohort.pk}", f"What {cohort.name} missed most"))
            for a in Assignment.objects.filter(cohort__owner=host).select_related(
                    "cohort").order_by("-created_at")[:50]:
                choices.append((f"assignment:{a.pk}", f"Assignment: {a.title} ({a.cohort.name})"))
        choices += [(f"topic:{t.slug}", f"Topic: {t.name}") for t in Topic.objects.all()]
        choices += [(f"resource:{r.slug}", f"Resource: {r.title}") for r in Resource.objects.all()]
        choices += [(f"difficulty:{d}", f"Difficulty: {label}")
                    for d, label in ((1, "foundation"), (2, "practitioner"), (3, "expert"))]
        self.fields["focus"].choices = choices

    def clean_questions(self) -> tuple[str, ...]:
        slugs = tuple(s for s in re.split(r"[\s,]+", self.cleaned_data["questions"].strip()) if s)
        bad = [s for s in slugs if not SLUG_RE.match(s) or len(s) > 120]
        if bad:
            raise forms.ValidationError("Not a question id: " + ", ".join(bad[:5]))
        if len(slugs) > MAX_COUNT:
            raise forms.ValidationError(f"Pick at most {MAX_COUNT} questions.")
        return slugs

    def spec(self) -> GameSpec:
        kind, _, value = (self.cleaned_data.get("focus") or "").partition(":")
        questions = self.cleaned_data.get("questions") or ()
        if questions:
            kind = ""  # the hand-picked set wins over the focus
        return GameSpec(count=self.cleaned_data["count"], seconds=self.cleaned_data["seconds"],
                        scoring=self.cleaned_data["scoring"], teams=self.cleaned_data["teams"],
                        questions=questions,
                        topic=value if kind == "topic" else None,
                        resource=value if kind == "resource" else None,
                        difficulty=int(value) if kind == "difficulty" else None,
                        assignment=int(value) if kind == "assignment" else None,
                        missed_by_cohort=int(value) if kind == "missed" else None)
