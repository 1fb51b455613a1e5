from __future__ import annotations

from django import forms

from apps.bank import atlas
from apps.bank.models import Resource, Topic
from apps.bank.selectors import atlas_ids_in_use
from apps.quiz.models import QuizAttempt
from apps.quiz.services import MAX_COUNT, MAX_SECONDS, MIN_COUNT, MIN_SECONDS, QuizSpec


class QuizForm(forms.Form):
    count = forms.IntegerField(label="Questions", min_value=MIN_COUNT, max_value=MAX_COUNT,
                               initial=10)
    seconds = forms.IntegerField(label="Seconds per question", min_value=MIN_SECONDS,
                                 max_value=MAX_SECONDS, initial=20)
    mode = forms.ChoiceField(choices=[("speed", "Speed: faster answers score more"),
                                      ("accuracy", "Accuracy: no speed bonus")],
                             initial=QuizAttempt.Mode.SPEED, widget=forms.RadioSelect)
    focus = forms.ChoiceField(label="Focus", required=False, initial="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Mixed: every topic"),
                   ("adaptive", "Adaptive: questions at your level, weak topics first")]
        choices += [(f"topic:{t.slug}", f"Topic: {t.name}") for t in Topic.objects.all()]
        choices += [(f"resource:{r.slug}", f"Resource: {r.title}") for r in Resource.objects.all()]
        choices += [(f"difficulty:{d}", f"Difficulty: {label}")
                    for d, label in ((1, "foundation"), (2, "practitioner"), (3, "expert"))]
        choices += [(f"atlas:{e.id}", f"MITRE ATLAS: {e.label}")
                    for e in atlas.entries_for(atlas_ids_in_use())]
        self.fields["focus"].choices = choices

    def spec(self) -> QuizSpec:
        data = self.cleaned_data
        kind, _, value = (data.get("focus") or "").partition(":")
        return QuizSpec(
            count=data["count"], seconds=data["seconds"], mode=data["mode"],
            topic=value if kind == "topic" else None,
            resource=value if kind == "resource" else None,
            difficulty=int(value) if kind == "difficulty" else None,
            adaptive=kind == "adaptive",
            atlas=value if kind == "atlas" else None,
        )
