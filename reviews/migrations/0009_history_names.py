"""History rows say who and when in one way: changed_at, changed_by (issue #18)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reviews", "0008_transition_records")]

    operations = [
        migrations.RenameField("suggestionevent", "at", "changed_at"),
        migrations.RenameField("suggestionevent", "by", "changed_by"),
        migrations.RenameField("questionmessage", "at", "changed_at"),
        migrations.RenameField("questionmessage", "by", "changed_by"),
        migrations.AlterModelOptions(
            name="questionmessage",
            options={
                "ordering": ["question", "changed_at", "pk"],
                "verbose_name": "trao đổi về câu hỏi",
                "verbose_name_plural": "trao đổi về câu hỏi",
            },
        ),
        migrations.AlterModelOptions(
            name="suggestionevent",
            options={
                "ordering": ["-changed_at", "-pk"],
                "verbose_name": "lịch sử gợi ý kiểm điểm",
                "verbose_name_plural": "lịch sử gợi ý kiểm điểm",
            },
        ),
    ]
