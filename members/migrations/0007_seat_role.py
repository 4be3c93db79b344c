"""A seat's role in its collective, read by the order rules instead of its free-text title
(issue #18). Existing seats get the role the order rules read from the title until now: "Bí
thư" is the head, a title starting with "Phó" a deputy."""

from django.db import migrations, models


def roles_from_titles(apps, schema_editor):
    seat_model = apps.get_model("members", "CollectiveMembership")
    heads, deputies = [], []
    for pk, position in seat_model.objects.values_list("pk", "position").iterator():
        title = position.strip().lower()
        if title == "bí thư":
            heads.append(pk)
        elif title.startswith("phó"):
            deputies.append(pk)
    seat_model.objects.filter(pk__in=heads).update(role="head")
    seat_model.objects.filter(pk__in=deputies).update(role="deputy")


class Migration(migrations.Migration):
    dependencies = [("members", "0006_history_names")]

    operations = [
        migrations.AddField(
            model_name="collectivemembership",
            name="role",
            field=models.CharField(
                choices=[("head", "Người đứng đầu"), ("deputy", "Cấp phó"), ("member", "Thành viên")],
                default="member",
                help_text=(
                    "Người đứng đầu được xếp loại sau tổ chức, đơn vị mình lãnh đạo; cấp phó được "
                    "xếp loại sau người đứng đầu (theo quy định của kỳ)."
                ),
                max_length=8,
                verbose_name="vai trò",
            ),
        ),
        migrations.RunPython(roles_from_titles, migrations.RunPython.noop),
    ]
