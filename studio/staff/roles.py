"""Staff roles: the Editors and Moderators groups and the "Moderator approval" workflow.

What each role may do is in the README ("How staff work"). ``apply_roles`` makes the groups
hold exactly these permissions (the migration and ``apply_staff_roles`` call it);
``setup_institute`` only adds them on a new Institute page. Both are safe to repeat, and take
an ``apps`` registry so the migration can pass its historical one.
"""

import logging

from django.apps import apps as global_apps

logger = logging.getLogger(__name__)

EDITORS = "Editors"
MODERATORS = "Moderators"
WORKFLOW_NAME = "Moderator approval"

SNIPPET_ACTIONS = ("add", "change", "delete", "view")

# Model permissions, as "app_label.codename".
MODEL_PERMISSIONS = {
    EDITORS: {
        "wagtailadmin.access_admin",
        # Authors (team members) and series: write and fix, but not delete (a deleted author
        # or series would silently disappear from live articles).
        "studio.add_teammember",
        "studio.change_teammember",
        "studio.view_teammember",
        "articles.add_series",
        "articles.change_series",
        "articles.view_series",
        # The class timetable: keeping it current is everyday work; a class that stops gets a
        # last date (deleting one is a Moderator's call, as for authors).
        "studio.add_timetableclass",
        "studio.change_timetableclass",
        "studio.view_timetableclass",
    },
    MODERATORS: {
        "wagtailadmin.access_admin",
        "studio.change_studiosettings",
        *(f"studio.{action}_teammember" for action in SNIPPET_ACTIONS),
        *(f"studio.{action}_testimonial" for action in SNIPPET_ACTIONS),
        *(f"studio.{action}_frequentlyaskedquestion" for action in SNIPPET_ACTIONS),
        *(f"articles.{action}_series" for action in SNIPPET_ACTIONS),
        *(f"studio.{action}_timetableclass" for action in SNIPPET_ACTIONS),
        # Contact messages: read and export (export needs only "view").
        "studio.view_contactsubmission",
    },
}

# On the root collection. "change" means change and delete any; "add" alone, only one's own.
COLLECTION_PERMISSIONS = {
    EDITORS: {
        "wagtailimages.add_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.choose_document",
    },
    MODERATORS: {
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
    },
}

# Moderators' on the tree's root, Editors' on each Institute page. Without "publish" Editors
# delete only their own drafts; "bulk_delete" (pages with children) stays with superusers.
MODERATOR_PAGE_PERMISSIONS = {"add_page", "change_page", "publish_page", "lock_page", "unlock_page"}
EDITOR_INSTITUTE_PAGE_PERMISSIONS = {"add_page", "change_page"}


def _permission(apps, label):
    """The Permission for "app_label.codename", or None while its model does not exist yet."""
    Permission = apps.get_model("auth", "Permission")
    app_label, codename = label.split(".")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


def _permissions(apps, labels):
    found = {}
    for label in sorted(labels):
        permission = _permission(apps, label)
        if permission is None:
            # Only mid-migration, before the contact models exist; tests check a migrated site.
            logger.info("Staff roles: permission %s does not exist (yet); skipped.", label)
            continue
        found[label] = permission
    return found


def _institute_page_ids(apps):
    LearningIndexPage = apps.get_model("articles", "LearningIndexPage")
    return list(LearningIndexPage.objects.order_by("pk").values_list("pk", flat=True))


def _root_page_id(apps):
    Page = apps.get_model("wagtailcore", "Page")
    return Page.objects.filter(depth=1).order_by("path").values_list("pk", flat=True).first()


def _reconcile(queryset, wanted, key, create):
    """Make the rows of ``queryset`` exactly ``wanted`` (a set of keys): delete, then add."""
    existing = {key(row): row for row in queryset}
    for row_key, row in existing.items():
        if row_key not in wanted:
            row.delete()
    for row_key in sorted(wanted - existing.keys()):
        create(row_key)


def apply_roles(apps=global_apps):
    """Give Editors and Moderators exactly their permissions; create and assign the workflow."""
    Group = apps.get_model("auth", "Group")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")

    groups = {name: Group.objects.get_or_create(name=name)[0] for name in (EDITORS, MODERATORS)}
    root_collection = Collection.objects.filter(depth=1).order_by("path").first()
    root_page_id = _root_page_id(apps)
    institute_ids = _institute_page_ids(apps)
    page_permissions = _permissions(
        apps, {f"wagtailcore.{name}" for name in MODERATOR_PAGE_PERMISSIONS}
    )

    for name, group in groups.items():
        model_permissions = _permissions(apps, MODEL_PERMISSIONS[name])
        group.permissions.set(model_permissions.values())

        collection_permissions = _permissions(apps, COLLECTION_PERMISSIONS[name])
        wanted = set()
        if root_collection is not None:
            wanted = {(root_collection.pk, p.pk) for p in collection_permissions.values()}
        _reconcile(
            GroupCollectionPermission.objects.filter(group=group),
            wanted,
            key=lambda row: (row.collection_id, row.permission_id),
            create=lambda k, group=group: GroupCollectionPermission.objects.create(
                group=group, collection_id=k[0], permission_id=k[1]
            ),
        )

        if name == MODERATORS:
            pages = [root_page_id] if root_page_id else []
            codenames = MODERATOR_PAGE_PERMISSIONS
        else:
            pages = institute_ids
            codenames = EDITOR_INSTITUTE_PAGE_PERMISSIONS
        wanted = {
            (page_id, page_permissions[f"wagtailcore.{codename}"].pk)
            for page_id in pages
            for codename in codenames
            if f"wagtailcore.{codename}" in page_permissions
        }
        _reconcile(
            GroupPagePermission.objects.filter(group=group),
            wanted,
            key=lambda row: (row.page_id, row.permission_id),
            create=lambda k, group=group: GroupPagePermission.objects.create(
                group=group, page_id=k[0], permission_id=k[1]
            ),
        )

    workflow = ensure_workflow(apps)
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    for page_id in institute_ids:
        WorkflowPage.objects.update_or_create(page_id=page_id, defaults={"workflow": workflow})


def ensure_workflow(apps=global_apps):
    """The active workflow "Moderator approval": one approval task for the Moderators group."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")

    moderators, _ = Group.objects.get_or_create(name=MODERATORS)
    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name=WORKFLOW_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=WORKFLOW_NAME, content_type=task_type, active=True
        )
    elif not task.active:
        task.active = True
        task.save(update_fields=["active"])
    task.groups.set([moderators])

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    _reconcile(
        WorkflowTask.objects.filter(workflow=workflow),
        {task.pk},
        key=lambda row: row.task_id,
        create=lambda task_id: WorkflowTask.objects.create(
            workflow=workflow, task_id=task_id, sort_order=0
        ),
    )
    return workflow


def setup_institute(index, apps=global_apps):
    """Add (never remove) the Editors' permissions on an Institute page and its workflow.

    For a new Institute page: ``load_demo_content`` and the admin's page creation call it. A
    workflow already chosen for the page by staff is kept.
    """
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")

    editors, _ = Group.objects.get_or_create(name=EDITORS)
    labels = {f"wagtailcore.{name}" for name in EDITOR_INSTITUTE_PAGE_PERMISSIONS}
    for permission in _permissions(apps, labels).values():
        GroupPagePermission.objects.get_or_create(
            group=editors, page_id=index.pk, permission=permission
        )
    if not WorkflowPage.objects.filter(page_id=index.pk).exists():
        WorkflowPage.objects.create(page_id=index.pk, workflow=ensure_workflow(apps))


def role_summary(apps=global_apps):
    """Everything the two groups hold, as sorted tuples: for tests and the repair command."""
    Group = apps.get_model("auth", "Group")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    summary = {}
    for group in Group.objects.filter(name__in=[EDITORS, MODERATORS]).order_by("name"):
        summary[group.name] = {
            "model": sorted(
                f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()
            ),
            "collections": sorted(
                (row.collection_id, row.permission.codename)
                for row in GroupCollectionPermission.objects.filter(group=group)
            ),
            "pages": sorted(
                (row.page_id, row.permission.codename)
                for row in GroupPagePermission.objects.filter(group=group)
            ),
        }
    summary["workflow_pages"] = sorted(
        (row.page_id, row.workflow.name) for row in WorkflowPage.objects.all()
    )
    return summary
