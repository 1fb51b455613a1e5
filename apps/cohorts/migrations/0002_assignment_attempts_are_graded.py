"""Mark the quiz attempts of assignments as graded (QuizAttempt.kind, new in quiz 0002): they are
never retried."""

from django.db import migrations


def mark(apps, schema_editor):
    AssignmentAttempt = apps.get_model("cohorts", "AssignmentAttempt")
    QuizAttempt = apps.get_model("quiz", "QuizAttempt")
    ids = AssignmentAttempt.objects.values_list("attempt_id", flat=True)
    QuizAttempt.objects.filter(pk__in=list(ids)).update(kind="assignment")


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0001_initial"),
        ("quiz", "0002_attempt_kind"),
    ]

    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
