from django import forms

from apps.lti.models import Placement
from apps.quiz.services import MAX_COUNT, MIN_COUNT


class PickForm(forms.Form):
    """The deep-linking pick: an existing assignment, a new one on a topic, a speed quiz, or a
    live class game (one the instructor hosts, or a new one on a topic)."""

    kind = forms.ChoiceField(choices=Placement.Kind.choices)
    assignment = forms.IntegerField(required=False, min_value=1)
    game = forms.UUIDField(required=False)
    title = forms.CharField(max_length=120, required=False)
    topic = forms.SlugField(max_length=80, required=False)
    count = forms.IntegerField(min_value=MIN_COUNT, max_value=MAX_COUNT, initial=10)
    days = forms.IntegerField(min_value=1, max_value=365, initial=14,
                              help_text="A new assignment is due this many days from now.")

    def clean(self):
        data = super().clean()
        if data.get("kind") == Placement.Kind.ASSIGNMENT and not data.get("assignment"):
            if not data.get("topic") or not (data.get("title") or "").strip():
                raise forms.ValidationError("Pick an assignment, or give a title and a topic "
                                            "for a new one.")
        if data.get("kind") == Placement.Kind.SPEED and not data.get("topic"):
            raise forms.ValidationError("Pick a topic for the speed quiz.")
        if data.get("kind") == Placement.Kind.LIVE and not (data.get("game") or
                                                             data.get("topic")):
            raise forms.ValidationError("Pick one of your live games, or a topic for a new one.")
        return data


class RegistrationForm(forms.Form):
    """An LMS's values, as its administrator reads them off the LMS's tool registration."""

    name = forms.CharField(max_length=120)
    issuer = forms.URLField(max_length=255, assume_scheme="https", label="Issuer (platform id)")
    client_id = forms.CharField(max_length=255, label="Client id")
    deployment_ids = forms.CharField(max_length=2000, label="Deployment ids",
                                     help_text="One or more, separated by commas or spaces.")
    auth_login_url = forms.URLField(max_length=500, assume_scheme="https", label="Authentication (auth login) URL")
    auth_token_url = forms.URLField(max_length=500, assume_scheme="https", label="Access token URL")
    keyset_url = forms.URLField(max_length=500, assume_scheme="https", label="Public keyset URL")
    auth_audience = forms.CharField(max_length=500, required=False,
                                    label="Token audience (only if the LMS names one)")

    def deployment_list(self) -> list[str]:
        return self.cleaned_data["deployment_ids"].replace(",", " ").split()
