import secrets

from django.db import migrations, models
from django.utils import timezone


def create_version(apps, schema_editor):
    apps.get_model("caching", "ContentVersion").objects.get_or_create(
        pk=1, defaults={"token": secrets.randbits(62) + 1, "changed_at": timezone.now()}
    )


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="ContentVersion",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False),
                ),
                ("token", models.BigIntegerField()),
                ("changed_at", models.DateTimeField()),
            ],
        ),
        migrations.CreateModel(
            name="FrontCachePurge",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "method",
                    models.CharField(
                        choices=[
                            ("PURGE", "Purge a page"),
                            ("BAN", "Ban a path and everything below it"),
                        ],
                        max_length=5,
                    ),
                ),
                ("path", models.CharField(max_length=2048)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("due_at", models.DateTimeField(db_index=True)),
                ("attempts", models.PositiveIntegerField(default=0)),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
                ("last_error", models.TextField(blank=True)),
            ],
            options={
                "indexes": [
                    models.Index(fields=["sent_at", "due_at"], name="caching_purge_pending")
                ],
            },
        ),
        migrations.RunPython(create_version, migrations.RunPython.noop),
    ]
