"""Rating.unit: where the subject sat in its cycle, kept when people and units move later."""

import django.db.models.deletion
from django.db import migrations, models


def fill_units(apps, schema_editor):
    Rating = apps.get_model("reviews", "Rating")
    Member = apps.get_model("members", "Member")
    Collective = apps.get_model("members", "LeadershipCollective")
    cells = dict(Member.objects.values_list("pk", "organization_id"))
    led = dict(Collective.objects.values_list("pk", "organization_id"))
    batch = []
    for rating in Rating.objects.only("pk", "member_id", "organization_id", "collective_id"):
        if rating.organization_id:
            rating.unit_id = rating.organization_id
        elif rating.collective_id:
            rating.unit_id = led[rating.collective_id]
        else:
            rating.unit_id = cells[rating.member_id]
        batch.append(rating)
    Rating.objects.bulk_update(batch, ["unit"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0003_regime_2025"),
        ("organizations", "0001_initial"),
        ("reviews", "0004_regime_2025"),
    ]

    operations = [
        migrations.AddField(
            model_name="rating",
            name="unit",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="rated_here",
                to="organizations.organization",
                verbose_name="nơi đánh giá",
            ),
        ),
        migrations.RunPython(fill_units, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="rating",
            name="unit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="rated_here",
                to="organizations.organization",
                verbose_name="nơi đánh giá",
            ),
        ),
    ]
