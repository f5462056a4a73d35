"""Which saves and deletes visitors can see, and what each one does to the caches.

Visible (moves the content version in the change's transaction and queues front-cache purges):
a page published, unpublished, scheduled in or out, moved, renamed (slug) or deleted while
live; a view restriction added or removed; site settings, snippets, sites, an edited or deleted
tag, and an image or document in use. All of them move the site token too (version.py) but a
page left out of the site snapshot (an article), which no furniture is made from. An image or
document saved or deleted, in use or not, moves the media token (its renditions).

Not visible, so nothing happens: drafts and autosaves (saves of a page's draft fields, or of a
page that is not and was not live), revisions, workflow states, locks, comments, contact
submissions, logs, the search and reference indexes, renditions, new uploads and new tags (shown
nowhere yet), and the rows a page owns (its tags, related articles: its publish covers them).
Nothing at all runs during ``migrate`` (the tables the handlers read may not exist yet) or a
raw fixture load.
"""

import functools

from django.db.models.signals import (
    post_delete,
    post_migrate,
    post_save,
    pre_delete,
    pre_migrate,
    pre_save,
)
from modelcluster.fields import ParentalKey
from wagtail.models import Page, ReferenceIndex, Site

from . import purges, snapshot, version

WATCHED_APPS = {"articles", "studio", "wagtailcore", "wagtailimages", "wagtaildocs", "taggit"}
# wagtailcore models visitors see besides pages; every other one (revisions, logs, workflows,
# locks, comments, permissions, the reference index...) is not.
WAGTAILCORE_VISIBLE = {"site", "pageviewrestriction", "locale"}
NOT_VISIBLE = {
    "studio.contactsubmission",
    "wagtailimages.rendition",
    "taggit.taggeditem",
}
# The page fields a draft save (autosave, save_revision, a lock) writes.
DRAFT_FIELDS = {
    "latest_revision",
    "latest_revision_created_at",
    "draft_title",
    "has_unpublished_changes",
    "locked",
    "locked_at",
    "locked_by",
    "wagtail_admin_comments",
    "comments",
}

_migrating = False


def migration_started(**kwargs):
    global _migrating
    _migrating = True


def migration_finished(**kwargs):
    global _migrating
    _migrating = False


def skipped(kwargs):
    return kwargs.get("raw") or _migrating


def is_draft_save(update_fields):
    return update_fields is not None and set(update_fields) <= DRAFT_FIELDS


def page_path(url_path):
    """The address of a page from its ``url_path`` (None when no site serves it)."""
    roots = sorted(Site.get_site_root_paths(), key=lambda root: -len(root.root_path))
    for root in roots:
        if url_path.startswith(root.root_path):
            return "/" + url_path[len(root.root_path) :]
    return None


def moved(site=True, media=False):
    """Move the version; the new site snapshot (when the site token moved) and the values kept
    pages make for the new content token are built and shared once the change commits
    (snapshot.warm_after_commit)."""
    version.bump(site=site, media=media)
    snapshot.warm_after_commit()


def site_changed(media=False):
    """A change shown on every page: a new version, and one ban of the whole site."""
    moved(media=media)
    purges.queue_site()


def page_pre_save(sender, instance, update_fields=None, **kwargs):
    """Before a page's save: was it live, and where (one query, skipped for drafts)."""
    if skipped(kwargs) or instance.pk is None or is_draft_save(update_fields):
        return
    instance._caching_before = (
        Page.objects.filter(pk=instance.pk).values_list("live", "url_path").first()
    )


def in_site_snapshot(page):
    """Whether the site snapshot (and so the site furniture) holds pages of this one's type."""
    return getattr(type(page), "keep_in_site_snapshot", True)


def page_saved(instance, update_fields):
    before = instance.__dict__.pop("_caching_before", None)
    was_live = bool(before and before[0])
    if is_draft_save(update_fields) or not (instance.live or was_live):
        return
    moved(site=in_site_snapshot(instance))
    path = page_path(instance.url_path)
    targets = []
    if path is not None:
        # Unpublished: everything under it goes too.
        targets += purges.page_targets(path, subtree=not instance.live)
    old_path = page_path(before[1]) if before and before[1] else None
    if old_path is not None and old_path != path:
        targets += purges.page_targets(old_path, subtree=True)  # moved or renamed
    purges.queue(targets)


def page_deleted(instance):
    if not instance.live:
        return
    moved(site=in_site_snapshot(instance))
    path = page_path(instance.url_path)
    if path is not None:
        purges.queue(purges.page_targets(path, subtree=True))


def restriction_changed(instance):
    """A page made private (or public again): it and everything under it."""
    moved()
    page = Page.objects.filter(pk=instance.page_id).only("url_path").first()
    if page is None:  # deleted with its page, whose deletion purges it
        return
    path = page_path(page.url_path)
    if path is None:
        purges.queue_site()
    else:
        purges.queue(purges.page_targets(path, subtree=True))


def in_use(instance):
    return ReferenceIndex.get_references_to(instance).exists()


def owned_by_a_page(sender):
    return any(
        isinstance(field, ParentalKey) and issubclass(field.related_model, Page)
        for field in sender._meta.get_fields()
        if getattr(field, "related_model", None) is not None and not field.auto_created
    )


@functools.cache
def watched(sender):
    meta = sender._meta
    if meta.app_label not in WATCHED_APPS or meta.label_lower in NOT_VISIBLE:
        return False
    if meta.app_label == "wagtailcore" and not issubclass(sender, Page):
        return meta.model_name in WAGTAILCORE_VISIBLE
    return not owned_by_a_page(sender)


def saved(sender, instance, created=False, update_fields=None, **kwargs):
    if skipped(kwargs) or not watched(sender):
        return
    label = sender._meta.label_lower
    if isinstance(instance, Page):
        page_saved(instance, update_fields)
    elif label == "wagtailcore.pageviewrestriction":
        restriction_changed(instance)
    elif label in ("wagtailimages.image", "wagtaildocs.document"):
        # A new upload is shown nowhere yet; a changed one where it is used. Its renditions
        # kept in memory go either way (a file replaced: the old ones are deleted).
        if created:
            return
        if in_use(instance):
            site_changed(media=True)
        else:
            version.bump(site=False, media=True)
    elif label == "taggit.tag":
        if not created:
            site_changed()
    else:
        site_changed()


def deleting(sender, instance, **kwargs):
    """pre_delete: pages and media are looked at while their rows and references still exist."""
    if skipped(kwargs) or not watched(sender):
        return
    label = sender._meta.label_lower
    if isinstance(instance, Page):
        page_deleted(instance)
    elif label in ("wagtailimages.image", "wagtaildocs.document"):
        if in_use(instance):
            site_changed(media=True)
        else:
            version.bump(site=False, media=True)


def deleted(sender, instance, **kwargs):
    if skipped(kwargs) or not watched(sender) or isinstance(instance, Page):
        return
    label = sender._meta.label_lower
    if label == "wagtailcore.pageviewrestriction":
        restriction_changed(instance)
    elif label not in ("wagtailimages.image", "wagtaildocs.document"):
        site_changed()


def page_model_pre_save(sender, instance, **kwargs):
    if isinstance(instance, Page):
        page_pre_save(sender, instance, **kwargs)


def connect():
    pre_migrate.connect(migration_started, dispatch_uid="caching_pre_migrate")
    post_migrate.connect(migration_finished, dispatch_uid="caching_post_migrate")
    pre_save.connect(page_model_pre_save, dispatch_uid="caching_pre_save")
    post_save.connect(saved, dispatch_uid="caching_post_save")
    pre_delete.connect(deleting, dispatch_uid="caching_pre_delete")
    post_delete.connect(deleted, dispatch_uid="caching_post_delete")
