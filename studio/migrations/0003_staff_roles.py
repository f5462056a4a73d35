"""Staff roles: the Editors and Moderators groups and the "Moderator approval" workflow.

Safe on a new and on an existing site, and safe to run again: studio.staff.roles.apply_roles makes
the two groups (created by Wagtail's own first migration) hold exactly the permissions
described in studio/roles.py, without duplicating a row.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from studio.staff import roles


def create_all_permissions(apps):
    """Create the Permission rows of every migrated model now, not after the last migration.

    Django creates them in its post_migrate signal, too late for a data migration on a new
    database; this is the documented way to have them during migrations.
    """
    for app_config in apps.get_app_configs():
        # create_permissions skips apps without a models module, as historical apps are.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = models_module


def apply_staff_roles(apps, schema_editor):
    create_all_permissions(apps)
    roles.apply_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_initial"),
        ("studio", "0002_studio_pages_hours_and_snippets"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    # Nothing to undo: migrating back leaves the groups as they are.
    operations = [migrations.RunPython(apply_staff_roles, migrations.RunPython.noop)]
