"""Copy the two audit trails that existed before (curation's AuditEvent and packs' AuditEntry)
into the one trail, keeping their times, before their tables are dropped."""

from django.db import migrations


def copy_old_trails(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    OldCuration = apps.get_model("curation", "AuditEvent")
    OldPacks = apps.get_model("packs", "AuditEntry")
    rows = [
        AuditEvent(actor_id=e.actor_id, action=e.action, question_id=e.question_id,
                   version_number=e.version_number, detail=e.detail, created_at=e.created_at)
        for e in OldCuration.objects.order_by("created_at", "id").iterator()
    ]
    rows += [
        AuditEvent(actor_id=e.actor_id, action=e.action, subject=e.subject,
                   data=e.detail if isinstance(e.detail, dict) else {}, created_at=e.created_at)
        for e in OldPacks.objects.order_by("created_at", "id").iterator()
    ]
    rows.sort(key=lambda e: e.created_at)
    AuditEvent.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_trail"),
        ("curation", "0001_initial"),
        ("packs", "0001_initial"),
    ]

    operations = [migrations.RunPython(copy_old_trails, migrations.RunPython.noop)]
