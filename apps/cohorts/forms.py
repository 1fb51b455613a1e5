from __future__ import annotations

from django import forms

from apps.quiz.services import MAX_COUNT, MIN_COUNT


class CohortForm(forms.Form):
    name = forms.CharField(max_length=120)


class JoinForm(forms.Form):
    code = forms.CharField(max_length=12, label="Join code")


class AssignmentForm(forms.Form):
    title = forms.CharField(max_length=120)
    questions = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A fixed set: published question ids, one a line. Leave empty to use a topic.")
    topic = forms.ChoiceField(required=False, help_text="Or a focus: questions drawn from a "
                                                        "topic.")
    count = forms.IntegerField(min_value=MIN_COUNT, max_value=MAX_COUNT, initial=10,
                               help_text="Questions drawn from the topic.")
    due_at = forms.DateTimeField(label="Due", widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from apps.bank.models import Topic

        self.fields["topic"].choices = [("", "— a fixed set above —")] + list(
            Topic.objects.order_by("name").values_list("slug", "name"))

    def slugs(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["questions"].splitlines()
                if line.strip()]
