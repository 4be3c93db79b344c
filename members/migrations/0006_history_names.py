"""History rows say who and when in one way: changed_at, changed_by (issue #18)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("members", "0005_fact_change")]

    operations = [
        migrations.RenameField("membershipevent", "recorded_at", "changed_at"),
        migrations.RenameField("membershipevent", "recorded_by", "changed_by"),
    ]
