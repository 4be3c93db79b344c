"""Every state-move record shares one base (`TransitionRecord`): from_state, to_state,
changed_at, changed_by, reason (issue #18)."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reviews", "0007_dossier_of_qd366")]

    operations = [
        migrations.RenameField("cycletransition", "from_status", "from_state"),
        migrations.RenameField("cycletransition", "to_status", "to_state"),
        migrations.RenameField("submissiontransition", "comment", "reason"),
        migrations.AlterField(
            model_name='cycletransition',
            name='changed_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='thời điểm'),
        ),
        migrations.AlterField(
            model_name='cycletransition',
            name='from_state',
            field=models.CharField(max_length=16, verbose_name='từ'),
        ),
        migrations.AlterField(
            model_name='cycletransition',
            name='reason',
            field=models.TextField(blank=True, verbose_name='lý do, ý kiến'),
        ),
        migrations.AlterField(
            model_name='cycletransition',
            name='to_state',
            field=models.CharField(max_length=16, verbose_name='sang'),
        ),
        migrations.AlterField(
            model_name='pooltransition',
            name='changed_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='thời điểm'),
        ),
        migrations.AlterField(
            model_name='pooltransition',
            name='from_state',
            field=models.CharField(max_length=16, verbose_name='từ'),
        ),
        migrations.AlterField(
            model_name='pooltransition',
            name='reason',
            field=models.TextField(blank=True, verbose_name='lý do, ý kiến'),
        ),
        migrations.AlterField(
            model_name='pooltransition',
            name='to_state',
            field=models.CharField(max_length=16, verbose_name='sang'),
        ),
        migrations.AlterField(
            model_name='submissiontransition',
            name='changed_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='thời điểm'),
        ),
        migrations.AlterField(
            model_name='submissiontransition',
            name='from_state',
            field=models.CharField(max_length=16, verbose_name='từ'),
        ),
        migrations.AlterField(
            model_name='submissiontransition',
            name='reason',
            field=models.TextField(blank=True, verbose_name='lý do, ý kiến'),
        ),
        migrations.AlterField(
            model_name='submissiontransition',
            name='to_state',
            field=models.CharField(max_length=16, verbose_name='sang'),
        ),
    ]
