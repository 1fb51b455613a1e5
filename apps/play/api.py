"""API pieces every play mode shares: the answer's list of opaque keys, and the shapes of the
hands-on types' results."""

from __future__ import annotations

from rest_framework import serializers

from apps.play.deal import MAX_PICKS


def picks_field() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=64), min_length=1, max_length=MAX_PICKS,
        help_text="The opaque keys of the picked choices (or lines); for an ordering question "
                  "every step's key, first step first")


class StepOut(serializers.Serializer):
    key = serializers.CharField()
    text = serializers.CharField()
    place = serializers.IntegerField(help_text="The step's place in the right order (1 = first)")


class YourStepOut(StepOut):
    in_place = serializers.BooleanField()


class HandsOnResultMixin(serializers.Serializer):
    """Fields of a closed question's result that depend on its type."""

    type = serializers.ChoiceField(choices=["single", "multiple", "true_false", "hotspot",
                                            "ordering"], required=False)
    order = StepOut(many=True, required=False, help_text="Ordering questions: the right order")
    your_order = YourStepOut(many=True, required=False,
                             help_text="Ordering questions: the order the player sent")


def picks_out() -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=["one", "many", "order"],
        help_text="How to answer: one choice (or line of the artifact, for a hotspot), several, "
                  "or every step's key in order (ordering)")
