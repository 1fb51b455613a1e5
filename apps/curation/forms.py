"""The question editor. The form only collects text: it builds a dict in the bank's YAML shape
and the bank's own validator (through services.question_validate) decides what is valid, so the
site and `loadbank` never disagree."""

from __future__ import annotations

from typing import Any

from django import forms

from apps.bank import limits
from apps.bank.atlas import catalogue as atlas_catalogue
from apps.bank.bankfile import ARTIFACT_KINDS, MAX_CHOICES
from apps.bank.models import QuestionVersion, Resource, Topic
from apps.curation.models import Report

RESOURCE_ROWS = 6  # the bank's largest question cites 4
TEXT = {"rows": 3}


class QuestionForm(forms.Form):
    id = forms.CharField(label="Id", max_length=limits.ID, required=False,
                         help_text="Main topic, then a descriptive slug: "
                                   "serialization-reduce-opcodes. Never reused.")
    type = forms.ChoiceField(choices=QuestionVersion.Type.choices)
    style = forms.ChoiceField(choices=QuestionVersion.Style.choices)
    difficulty = forms.TypedChoiceField(coerce=int, choices=[(1, "1 foundation"),
                                                             (2, "2 practitioner"),
                                                             (3, "3 expert")])
    main_topic = forms.ChoiceField(label="Main topic")
    other_topics = forms.MultipleChoiceField(label="Other topics", required=False,
                                             widget=forms.CheckboxSelectMultiple)
    stem = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), required=False,
                           max_length=limits.STEM,
                           help_text="Markdown.")
    artifact_kind = forms.ChoiceField(label="Artifact kind", required=False,
                                      choices=[("", "No artifact")]
                                      + [(k, k) for k in ARTIFACT_KINDS])
    artifact_content = forms.CharField(label="Artifact content", required=False,
                                       max_length=limits.ARTIFACT,
                                       widget=forms.Textarea(attrs={"rows": 6,
                                                                    "class": "mono"}))
    explanation = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False,
                                  max_length=limits.EXPLANATION,
                                  help_text="Markdown: why the key is right and each "
                                            "distractor wrong.")
    # "Find the line": the key and the notes are about the artifact's lines (numbered from 1).
    key_lines = forms.CharField(label="Key lines", required=False, max_length=100,
                                help_text="Hotspot questions: the artifact's line numbers that "
                                          "answer, e.g. 7 or 3, 9. Click lines in the preview.")
    line_notes = forms.CharField(label="Tempting wrong lines", required=False,
                                 max_length=limits.HOTSPOT_MAX_LINES * (limits.MISCONCEPTION + 8),
                                 widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text="Hotspot questions: one per line, the line number, a "
                                           "colon and what a learner who picks it believes: "
                                           "3: GLOBAL only looks the name up.")
    steps = forms.CharField(label="Steps, in the right order", required=False,
                            max_length=limits.ORDERING_MAX_STEPS * (limits.STEP + 2),
                            widget=forms.Textarea(attrs={"rows": 5}),
                            help_text="Ordering questions: one step per line, first step first "
                                      "(learners see them shuffled). Move them in the preview.")
    # Without these three the editor would drop what the bank file says (a new version is made
    # from the form alone).
    atlas = forms.CharField(label="MITRE ATLAS ids", required=False, max_length=200,
                            help_text="Space- or comma-separated, e.g. AML.T0010.003 AML.M0014.")
    checked = forms.CharField(label="Facts checked (YYYY-MM)", required=False, max_length=7)
    checked_against = forms.CharField(label="Checked against", required=False,
                                      max_length=limits.CHECKED_AGAINST,
                                      help_text="Sources with their version, commit or date.")

    def __init__(self, *args, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.creating = creating
        if not creating:
            del self.fields["id"]
        topics = [(t.slug, t.name) for t in Topic.objects.all()]
        self.fields["main_topic"].choices = topics
        self.fields["other_topics"].choices = topics
        resources = [("", "—")] + [(r.slug, r.title) for r in Resource.objects.all()]
        for i in range(RESOURCE_ROWS):
            self.fields[f"resource_{i}"] = forms.ChoiceField(label=f"Resource {i + 1}",
                                                             choices=resources, required=False)
            self.fields[f"locator_{i}"] = forms.CharField(label=f"Locator {i + 1}",
                                                          max_length=limits.LOCATOR,
                                                          required=False)
        for i in range(MAX_CHOICES):
            self.fields[f"choice_{i}_text"] = forms.CharField(
                label=f"Choice {i + 1}", required=False, max_length=limits.CHOICE,
                widget=forms.Textarea(attrs={"rows": 1}))
            self.fields[f"choice_{i}_correct"] = forms.BooleanField(label="Correct",
                                                                   required=False)
            self.fields[f"choice_{i}_misconception"] = forms.CharField(
                label="Misconception (wrong choices)", required=False,
                max_length=limits.MISCONCEPTION, widget=forms.Textarea(attrs={"rows": 1}))
        self.section_errors: dict[str, list[str]] = {}

    def choice_rows(self):
        return [(self[f"choice_{i}_text"], self[f"choice_{i}_correct"],
                 self[f"choice_{i}_misconception"]) for i in range(MAX_CHOICES)]

    def resource_rows(self):
        return [(self[f"resource_{i}"], self[f"locator_{i}"]) for i in range(RESOURCE_ROWS)]

    def item(self) -> dict[str, Any]:
        """The question in the bank's YAML shape. Blank rows are left out; everything else,
        however wrong, is passed on so the bank's validator names the problem."""
        # Browsers send textarea line breaks as CRLF; the bank's files use LF.
        d = {k: v.replace("\r\n", "\n").replace("\r", "\n") if isinstance(v, str) else v
             for k, v in self.cleaned_data.items()}
        # Keep the author's order of secondary topics (checkboxes come back in page order).
        known = list(self.initial.get("other_topics") or [])
        d["other_topics"] = sorted(d.get("other_topics") or [],
                                   key=lambda t: (known.index(t) if t in known else len(known)))
        item: dict[str, Any] = {
            "type": d.get("type"), "style": d.get("style"), "difficulty": d.get("difficulty"),
            "topics": [d.get("main_topic")] + [t for t in d.get("other_topics", [])
                                              if t != d.get("main_topic")],
            "resources": [{"slug": d[f"resource_{i}"], "locator": d[f"locator_{i}"]}
                          for i in range(RESOURCE_ROWS)
                          if d.get(f"resource_{i}") or d.get(f"locator_{i}", "").strip()],
            "stem": d.get("stem", ""),
            "choices": [],
            "explanation": d.get("explanation", ""),
        }
        if self.creating:
            item = {"id": d.get("id", "").strip(), **item}
        atlas_ids = (d.get("atlas") or "").replace(",", " ").split()
        if atlas_ids:
            item["atlas"] = atlas_ids
        for key in ("checked", "checked_against"):
            if (d.get(key) or "").strip():
                item[key] = d[key].strip()
        if d.get("artifact_kind") or d.get("artifact_content", "").strip():
            item["artifact"] = {"kind": d.get("artifact_kind"),
                                "content": d.get("artifact_content", "")}
        if item["type"] == "hotspot":
            del item["choices"]
            item["key_lines"] = _numbers(d.get("key_lines") or "")
            item["line_notes"] = _notes(d.get("line_notes") or "")
            return item
        if item["type"] == "ordering":
            del item["choices"]
            item["steps"] = [line.strip() for line in (d.get("steps") or "").split("\n")
                             if line.strip()]
            return item
        for i in range(MAX_CHOICES):
            text = d.get(f"choice_{i}_text", "").strip()
            if not text:
                continue
            choice: dict[str, Any] = {"text": text}
            if d.get(f"choice_{i}_correct"):
                choice["correct"] = True
            if d.get(f"choice_{i}_misconception", "").strip():
                choice["misconception"] = d[f"choice_{i}_misconception"]
            item["choices"].append(choice)
        return item

    def refused_sections(self) -> dict[str, list[str]]:
        """Django's field errors, by the section of the form (and the bank field) they belong
        to: `choice_2_text` -> choices, `locator_0` -> resources, `artifact_content` ->
        artifact."""
        sections: dict[str, list[str]] = {}
        for name, messages in self.errors.items():
            if name.startswith("choice_"):
                section = "choices"
            elif name.startswith(("resource_", "locator_")):
                section = "resources"
            elif name.startswith("artifact_"):
                section = "artifact"
            elif name in ("main_topic", "other_topics"):
                section = "topics"
            else:
                section = name
            label = self.fields[name].label if name in self.fields else ""
            sections.setdefault(section, []).extend(
                f"{label}: {m}" if section != name and label else m for m in messages)
        return sections

    def set_errors(self, errors: dict[str, list[str]]) -> None:
        for key, messages in errors.items():
            self.section_errors.setdefault("general" if key == "__all__" else key,
                                           []).extend(messages)

    @staticmethod
    def initial_from(content: dict[str, Any]) -> dict[str, Any]:
        """Form values for a version's `content` (the bank's YAML shape)."""
        topics = content.get("topics") or [""]
        initial: dict[str, Any] = {
            "id": content.get("id", ""), "type": content.get("type"),
            "style": content.get("style"), "difficulty": content.get("difficulty"),
            "main_topic": topics[0], "other_topics": topics[1:],
            "stem": content.get("stem", ""), "explanation": content.get("explanation", ""),
            "atlas": " ".join(content.get("atlas") or []),
            "checked": content.get("checked", ""),
            "checked_against": content.get("checked_against", ""),
        }
        artifact = content.get("artifact") or {}
        initial["artifact_kind"] = artifact.get("kind", "")
        initial["artifact_content"] = artifact.get("content", "")
        for i, ref in enumerate((content.get("resources") or [])[:RESOURCE_ROWS]):
            initial[f"resource_{i}"] = ref.get("slug", "")
            initial[f"locator_{i}"] = ref.get("locator", "")
        initial["key_lines"] = ", ".join(str(n) for n in content.get("key_lines") or [])
        initial["line_notes"] = "\n".join(f"{note.get('line')}: {note.get('misconception', '')}"
                                          for note in content.get("line_notes") or [])
        initial["steps"] = "\n".join(content.get("steps") or [])
        for i, choice in enumerate((content.get("choices") or [])[:MAX_CHOICES]):
            initial[f"choice_{i}_text"] = choice.get("text", "")
            initial[f"choice_{i}_correct"] = bool(choice.get("correct"))
            initial[f"choice_{i}_misconception"] = choice.get("misconception", "")
        return initial


def _numbers(text: str) -> list:
    """"3, 9" -> [3, 9]. A token that is not a number is passed on as text, so that the bank's
    validator names it ("key_lines must list the artifact's line numbers")."""
    out: list = []
    for token in text.replace(",", " ").split():
        out.append(int(token) if token.isdigit() and len(token) < 6 else token)
    return out


def _notes(text: str) -> list[dict[str, Any]]:
    """"3: believes X" lines -> [{"line": 3, "misconception": "believes X"}]; a line without a
    number before its colon keeps its text as the line, so the validator refuses it by name."""
    notes = []
    for raw in text.split("\n"):
        if not raw.strip():
            continue
        number, _, misconception = raw.partition(":")
        number = number.strip()
        notes.append({"line": int(number) if number.isdigit() and len(number) < 6 else number,
                      "misconception": misconception.strip()})
    return notes


class TransitionForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in ("submit", "approve", "request_changes",
                                                         "retire", "reopen")])
    comment = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(
        attrs={"rows": 2}))


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label="What is wrong?", choices=Report.Kind.choices,
                             widget=forms.RadioSelect)
    comment = forms.CharField(label="Details", max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class ReportHandleForm(forms.Form):
    state = forms.ChoiceField(choices=[("resolved", "Resolve"), ("dismissed", "Dismiss")])
    note = forms.CharField(label="Note to the learner", max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class SearchForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=200)
    topic = forms.ChoiceField(required=False)
    resource = forms.ChoiceField(required=False)
    difficulty = forms.TypedChoiceField(required=False, coerce=int, empty_value=None,
                                        choices=[("", "Any difficulty"), (1, "1"), (2, "2"),
                                                 (3, "3")])
    type = forms.ChoiceField(required=False,
                             choices=[("", "Any type")] + QuestionVersion.Type.choices)
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), ("draft", "Draft"),
                                                        ("review", "In review"),
                                                        ("published", "Published"),
                                                        ("retired", "Retired")])
    author = forms.CharField(required=False, max_length=150)
    atlas = forms.ChoiceField(label="MITRE ATLAS", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", "Any topic")] + [(t.slug, t.name)
                                                            for t in Topic.objects.all()]
        self.fields["resource"].choices = [("", "Any resource")] + [
            (r.slug, r.title) for r in Resource.objects.all()]
        self.fields["atlas"].choices = [("", "Any ATLAS id")] + [
            (e.id, e.label) for e in atlas_catalogue().entries.values()]
