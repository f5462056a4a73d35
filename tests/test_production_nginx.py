"""The front proxy's configuration (deploy/nginx/default.conf), run in Debian's nginx in front of
the production gunicorn: media served from the volume, documents kept behind Wagtail's view,
everything else passed on with the forwarded headers Django needs."""

from pathlib import Path

import pytest

from tests.support import ARTICLE_URL, HOST, NGINX, Client, Nginx

pytestmark = pytest.mark.skipif(
    not Path(NGINX).exists(),
    reason="nginx is not installed (apt-get install nginx-light; .ci/run installs it)",
)


@pytest.fixture(scope="module")
def nginx(production_site, tmp_path_factory):
    """The port of nginx in front of the production gunicorn, with a media volume of its own."""
    media = tmp_path_factory.mktemp("nginx-media")
    (media / "original_images").mkdir(parents=True)
    (media / "original_images" / "walk.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    (media / "documents").mkdir()
    (media / "documents" / "private.pdf").write_bytes(b"%PDF-1.4 private")
    server = Nginx(production_site.server.port, media).start()
    yield server.port
    server.stop()


def through_nginx(port, target, **kwargs):
    return Client(port).get(target, **kwargs)


def test_uploaded_images_are_served_from_the_media_volume(nginx):
    response = through_nginx(nginx, "/media/original_images/walk.jpg")
    assert response.status == 200
    assert response.body == b"\xff\xd8\xff\xe0 not really a jpeg"
    assert response.header("Content-Type") == "image/jpeg"
    assert response.header("X-Content-Type-Options") == "nosniff"
    assert "sandbox" in response.header("Content-Security-Policy")
    assert "default-src 'none'" in response.header("Content-Security-Policy")
    assert response.headers.get_all("Cache-Control") == ["public, max-age=2592000"]
    assert "nginx/" not in response.header("Server")


def test_documents_are_not_served_around_wagtail(nginx):
    response = through_nginx(nginx, "/media/documents/private.pdf")
    assert response.status == 404
    assert b"private" not in response.body


@pytest.mark.parametrize(
    "target",
    ["/media/../../etc/passwd", "/media/..%2f..%2fetc%2fpasswd", "/media/original_images/../x"],
)
def test_no_way_out_of_the_media_folder(nginx, target):
    response = through_nginx(nginx, target)
    assert response.status in (400, 404)
    assert b"root:" not in response.body


def test_pages_are_passed_to_django_with_its_headers(nginx):
    response = through_nginx(nginx, ARTICLE_URL)
    assert response.status == 200
    assert "Walking to Improve the Health" in response.text
    assert "frame-ancestors 'none'" in response.header("Content-Security-Policy")
    assert response.header("Strict-Transport-Security") == ("max-age=31536000; includeSubDomains")


def test_static_files_come_from_whitenoise_through_the_proxy(nginx):
    response = through_nginx(nginx, "/static/css/site.css")
    assert response.status == 200
    assert response.header("Content-Type").startswith("text/css")


def test_plain_http_from_the_terminator_is_redirected_to_https(nginx):
    response = through_nginx(nginx, ARTICLE_URL, proto=None)
    assert response.status == 301
    assert response.header("Location") == f"https://{HOST}{ARTICLE_URL}"


def test_only_https_is_taken_from_x_forwarded_proto(nginx):
    response = through_nginx(nginx, ARTICLE_URL, proto="javascript")
    assert response.status == 301
    assert response.header("Location").startswith("https://")


def test_a_forged_host_is_refused_through_the_proxy(nginx):
    assert through_nginx(nginx, "/", host="evil.example").status == 400


def test_health_check_through_the_proxy(nginx):
    response = through_nginx(nginx, "/healthz")
    assert response.status == 200
    assert response.text.startswith('{"status": "ok"')
