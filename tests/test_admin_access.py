"""Who can open what in the admin: nobody without signing in, each role only its own work."""

from django.urls import reverse
from wagtail.models import Site

from studio.models import HomePage, ServicePage, TeamMember
from tests.support import make_staff

FORBIDDEN = (302, 403)


def admin_urls(demo):
    """A spread of admin addresses: pages, media, snippets, settings, users, workflows."""
    article = demo["article"]
    site = Site.objects.get(is_default_site=True)
    member = TeamMember.objects.first()
    return [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore_root"),
        reverse("wagtailadmin_explore", args=(demo["category"].pk,)),
        reverse("wagtailadmin_pages:edit", args=(article.pk,)),
        reverse("wagtailadmin_pages:add_subpage", args=(demo["category"].pk,)),
        reverse("wagtailadmin_pages:delete", args=(article.pk,)),
        reverse("wagtailadmin_pages:search"),
        reverse("wagtailimages:index"),
        reverse("wagtailimages:add"),
        reverse("wagtaildocs:index"),
        reverse("wagtailsnippets_articles_series:list"),
        reverse("wagtailsnippets_studio_teammember:list"),
        reverse("wagtailsnippets_studio_teammember:edit", args=(member.pk,)),
        reverse("wagtailsnippets_studio_testimonial:list"),
        reverse("wagtailsettings:edit", args=("studio", "studiosettings", site.pk)),
        reverse("wagtailusers_users:index"),
        reverse("wagtailusers_groups:index"),
        reverse("wagtailadmin_workflows:index"),
        reverse("wagtailredirects:index"),
        reverse("wagtailadmin_reports:locked_pages"),
        reverse("wagtailadmin_account"),
    ]


def settings_url():
    site = Site.objects.get(is_default_site=True)
    return reverse("wagtailsettings:edit", args=("studio", "studiosettings", site.pk))


def test_anonymous_visitors_are_sent_to_the_login_page_from_every_admin_url(client, demo_site):
    urls = admin_urls(demo_site)
    assert len(urls) >= 10

    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("wagtailadmin_login") + "?next="), url


def test_a_signed_in_user_without_a_role_cannot_use_the_admin(client, demo_site):
    client.force_login(make_staff("visitor"))

    response = client.get(reverse("wagtailadmin_home"))

    assert response.status_code in FORBIDDEN
    assert "login" in response.get("Location", "login")


def test_an_editor_opens_the_articles_authors_series_and_media(editor_client, demo_site):
    for url in [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_pages:edit", args=(demo_site["article"].pk,)),
        reverse("wagtailadmin_pages:edit", args=(demo_site["category"].pk,)),
        reverse("wagtailadmin_pages:add", args=("articles", "categorypage", demo_site["index"].pk)),
        reverse("wagtailsnippets_articles_series:list"),
        reverse("wagtailsnippets_articles_series:add"),
        reverse("wagtailsnippets_studio_teammember:list"),
        reverse("wagtailsnippets_studio_teammember:add"),
        reverse("wagtailimages:add"),
        reverse("wagtaildocs:add"),
    ]:
        assert editor_client.get(url).status_code == 200, url


def test_an_editor_cannot_open_the_studio_details(editor_client, demo_site):
    assert editor_client.get(settings_url()).status_code in FORBIDDEN


def test_an_editor_cannot_edit_services_home_or_delete_live_articles(editor_client, demo_site):
    pilates = ServicePage.objects.get(slug="pilates")
    for url in [
        reverse("wagtailadmin_pages:edit", args=(pilates.pk,)),
        reverse("wagtailadmin_pages:edit", args=(HomePage.objects.get().pk,)),
        reverse("wagtailadmin_pages:delete", args=(demo_site["article"].pk,)),
        reverse("wagtailadmin_pages:unpublish", args=(demo_site["article"].pk,)),
        reverse("wagtailsnippets_studio_teammember:delete", args=(TeamMember.objects.first().pk,)),
        reverse("wagtailsnippets_studio_testimonial:list"),
        reverse("wagtailusers_users:index"),
        reverse("wagtailadmin_workflows:index"),
    ]:
        assert editor_client.get(url).status_code in FORBIDDEN, url
    # A delete posted anyway leaves the live article in place.
    article = demo_site["article"]
    editor_client.post(reverse("wagtailadmin_pages:delete", args=(article.pk,)))
    article.refresh_from_db()
    assert article.live


def test_a_moderator_opens_the_studio_details_services_and_testimonials(
    moderator_client, demo_site
):
    pilates = ServicePage.objects.get(slug="pilates")
    for url in [
        settings_url(),
        reverse("wagtailadmin_pages:edit", args=(pilates.pk,)),
        reverse("wagtailadmin_pages:unpublish", args=(pilates.pk,)),
        reverse("wagtailsnippets_studio_testimonial:list"),
        reverse("wagtailsnippets_studio_frequentlyaskedquestion:list"),
    ]:
        assert moderator_client.get(url).status_code == 200, url


def test_a_moderator_cannot_manage_users_or_workflows(moderator_client, demo_site):
    for url in [
        reverse("wagtailusers_users:index"),
        reverse("wagtailusers_groups:index"),
        reverse("wagtailadmin_workflows:index"),
    ]:
        assert moderator_client.get(url).status_code in FORBIDDEN, url


def test_an_editor_cannot_read_or_export_the_enquiries(editor_client, demo_site):
    for url in [
        reverse("contact_messages:index"),
        reverse("contact_messages:index") + "?export=csv",
    ]:
        response = editor_client.get(url)
        assert response.status_code in FORBIDDEN, url
        assert b"Contact messages" not in response.content or response.status_code == 302


def test_a_moderator_reads_and_exports_the_enquiries_but_cannot_change_them(
    moderator_client, demo_site
):
    from studio.models import ContactSubmission

    message = ContactSubmission.objects.create(
        name="Pat Prospect", email="pat@example.com", message="Do you run Pilates classes?"
    )

    assert moderator_client.get(reverse("contact_messages:index")).status_code == 200
    export = moderator_client.get(reverse("contact_messages:index") + "?export=csv")
    assert export.status_code == 200
    assert "Pat Prospect" in b"".join(export.streaming_content).decode()
    assert (
        moderator_client.get(reverse("contact_messages:inspect", args=(message.pk,))).status_code
        == 200
    )
    assert (
        moderator_client.get(reverse("contact_messages:edit", args=(message.pk,))).status_code
        in FORBIDDEN
    )
