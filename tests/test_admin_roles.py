"""The Editors and Moderators groups: exactly the permissions described, however often applied."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    WorkflowPage,
)

from articles.models import LearningIndexPage
from studio.models import HomePage
from studio.staff import roles
from tests.support import make_editor, page_form_data

roles_migration = importlib.import_module("studio.migrations.0003_staff_roles")


def declared(name):
    return roles.MODEL_PERMISSIONS[name]


def test_every_declared_permission_exists(db):
    labels = set().union(*roles.MODEL_PERMISSIONS.values(), *roles.COLLECTION_PERMISSIONS.values())
    labels |= {f"wagtailcore.{c}" for c in roles.MODERATOR_PAGE_PERMISSIONS}
    existing = {
        f"{app}.{codename}"
        for app, codename in Permission.objects.values_list("content_type__app_label", "codename")
    }

    assert labels - existing == set()


@pytest.mark.django_db
def test_after_migrating_the_groups_hold_exactly_the_declared_permissions():
    summary = roles.role_summary()
    root_collection = Collection.get_first_root_node()
    root_page = Page.get_first_root_node()

    for name in (roles.EDITORS, roles.MODERATORS):
        assert set(summary[name]["model"]) == declared(name)
        assert set(summary[name]["collections"]) == {
            (root_collection.pk, label.split(".")[1])
            for label in roles.COLLECTION_PERMISSIONS[name]
        }
    assert set(summary[roles.MODERATORS]["pages"]) == {
        (root_page.pk, codename) for codename in roles.MODERATOR_PAGE_PERMISSIONS
    }
    # No Institute yet on a new database: Editors have no page to edit until it exists.
    assert summary[roles.EDITORS]["pages"] == []
    assert Group.objects.filter(name=roles.EDITORS).count() == 1
    assert Group.objects.filter(name=roles.MODERATORS).count() == 1


def test_editors_may_not_publish_delete_live_pages_or_touch_the_studio_details(db):
    editors = roles.role_summary()[roles.EDITORS]

    assert "studio.change_studiosettings" not in editors["model"]
    assert not any("contactsubmission" in label for label in editors["model"])
    assert not any(label.startswith("studio.delete_") for label in editors["model"])
    assert not any(codename == "publish_page" for _, codename in editors["pages"])
    assert not any(
        codename in {"change_image", "change_document"} for _, codename in editors["collections"]
    )


def run_migration_twice():
    roles_migration.apply_staff_roles(django_apps, None)
    first = roles.role_summary()
    roles_migration.apply_staff_roles(django_apps, None)
    return first, roles.role_summary()


def test_the_migration_run_twice_leaves_the_same_permissions(demo_site):
    before = roles.role_summary()

    first, second = run_migration_twice()

    assert first == second
    # On the demo site (whose Institute exists) the result is the full definition.
    index = demo_site["index"]
    assert set(second[roles.EDITORS]["pages"]) == {
        (index.pk, codename) for codename in roles.EDITOR_INSTITUTE_PAGE_PERMISSIONS
    }
    assert (index.pk, roles.WORKFLOW_NAME) in second["workflow_pages"]
    # load_demo_content had already given the Institute everything the migration gives.
    assert before == second


def test_on_an_existing_site_the_migration_reconciles_without_duplicates(demo_site):
    """Wagtail's defaults, a hand-made extra and a user's membership, then the migration."""
    editors = Group.objects.get(name=roles.EDITORS)
    root = Page.get_first_root_node()
    # Wagtail's own defaults for Editors: add and edit everywhere, images at model level.
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.get_or_create(
            group=editors, page=root, permission=Permission.objects.get(codename=codename)
        )
    editors.permissions.add(Permission.objects.get(codename="delete_image"))
    GroupCollectionPermission.objects.get_or_create(
        group=editors,
        collection=Collection.get_first_root_node(),
        permission=Permission.objects.get(codename="change_image"),
    )
    trainer = make_editor()

    first, second = run_migration_twice()

    assert first == second
    assert (root.pk, "add_page") not in second[roles.EDITORS]["pages"]
    assert "wagtailimages.delete_image" not in second[roles.EDITORS]["model"]
    assert all(codename != "change_image" for _, codename in second[roles.EDITORS]["collections"])
    rows = GroupPagePermission.objects.filter(group__name__in=[roles.EDITORS, roles.MODERATORS])
    assert rows.count() == len(second[roles.EDITORS]["pages"]) + len(
        second[roles.MODERATORS]["pages"]
    )
    assert list(trainer.groups.values_list("name", flat=True)) == [roles.EDITORS]


def test_an_institute_created_in_the_admin_gets_the_editors_and_the_workflow(admin_client):
    """On a site started empty: a superuser builds the home page, then the Institute."""
    root = Page.get_first_root_node()
    home_data = page_form_data(HomePage(title="EnFuse Fitness", slug="enfuse-home"))
    home_data["action-publish"] = "Publish"
    url = reverse("wagtailadmin_pages:add", args=("studio", "homepage", root.pk))
    assert admin_client.post(url, home_data).status_code == 302
    home = HomePage.objects.get(slug="enfuse-home")

    url = reverse("wagtailadmin_pages:add", args=("articles", "learningindexpage", home.pk))
    response = admin_client.post(
        url,
        {
            "title": "Institute for Learning",
            "slug": "institute-for-learning",
            "intro": '{"blocks": [], "entityMap": {}}',
            "comments-TOTAL_FORMS": "0",
            "comments-INITIAL_FORMS": "0",
            "comments-MIN_NUM_FORMS": "0",
            "comments-MAX_NUM_FORMS": "1000",
            "action-publish": "Publish",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    index = LearningIndexPage.objects.get(slug="institute-for-learning")
    codenames = set(
        GroupPagePermission.objects.filter(group__name=roles.EDITORS, page=index).values_list(
            "permission__codename", flat=True
        )
    )
    assert codenames == roles.EDITOR_INSTITUTE_PAGE_PERMISSIONS
    assert WorkflowPage.objects.get(page=index).workflow.name == roles.WORKFLOW_NAME


def test_the_repair_command_applies_the_roles(demo_site, capsys):
    from django.core.management import call_command

    editors = Group.objects.get(name=roles.EDITORS)
    editors.permissions.add(Permission.objects.get(codename="change_studiosettings"))

    call_command("apply_staff_roles")

    assert not editors.permissions.filter(codename="change_studiosettings").exists()
    assert "Staff roles applied." in capsys.readouterr().out


def test_running_the_migration_leaves_the_apps_registry_as_it_was(db):
    """The migration borrows each app's models_module to create permissions; it gives it back
    (Django's own post-migrate steps, after a test database flush, need it)."""
    before = {config.label: config.models_module for config in django_apps.get_app_configs()}

    roles_migration.apply_staff_roles(django_apps, None)

    after = {config.label: config.models_module for config in django_apps.get_app_configs()}
    assert after == before
