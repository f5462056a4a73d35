"""Backups: scripts/backup dumps the production database and media; scripts/restore brings them
back into a fresh database, and the site serves the client's article from it."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support import (
    ARTICLE_URL,
    ROOT,
    Gunicorn,
    create_database,
    drop_database,
    postgres_server,
)

pytestmark = pytest.mark.skipif(
    not (shutil.which("pg_dump") and shutil.which("pg_restore")),
    reason="pg_dump and pg_restore are not installed (apt-get install postgresql-client)",
)


def run_script(name, *args, env):
    result = subprocess.run(
        [str(ROOT / "scripts" / name), *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def page_count(site, env=None):
    code = "from wagtail.models import Page; print(Page.objects.live().count())"
    return int(site.django(code, **(env or {})).strip())


def test_a_backup_restored_into_a_fresh_database_serves_the_article(production_site, tmp_path):
    if not production_site.on_postgres:
        pytest.skip("backups are of PostgreSQL, and no PostgreSQL server answered")
    server_url, prefix = postgres_server()
    media_root = Path(production_site.env["DJANGO_MEDIA_ROOT"])
    assert list(media_root.rglob("*.jpg")) or list(media_root.rglob("*.png"))

    output = run_script("backup", tmp_path / "backups", env=production_site.env)
    dumps = list((tmp_path / "backups").glob("enfuse-*.dump"))
    archives = list((tmp_path / "backups").glob("media-*.tar.gz"))
    assert len(dumps) == len(archives) == 1
    assert "Database:" in output and "Media:" in output

    name = f"{prefix}_restored{production_site.server.port}"
    restored_url = create_database(server_url, name)
    restored_media = tmp_path / "restored-media"
    restored_env = {
        **production_site.env,
        "DATABASE_URL": restored_url,
        "DJANGO_MEDIA_ROOT": str(restored_media),
    }
    server = Gunicorn(restored_env, tmp_path / "gunicorn.log", workers=1)
    try:
        run_script("restore", dumps[0], archives[0], env=restored_env)
        assert page_count(production_site, {"DATABASE_URL": restored_url}) == page_count(
            production_site
        )
        server.start()
        response = server.client().get(ARTICLE_URL)
        assert response.status == 200
        assert "Walking to Improve the Health of your Lower Back and Joints" in response.text
        # The article's images came back with the media archive.
        images = re.findall(r'src="/media/([^"]+)"', response.text)
        assert images
        for image in images:
            assert (restored_media / image).is_file(), image
    finally:
        server.stop()
        drop_database(server_url, name)


def test_restore_refuses_a_file_that_is_not_a_dump(tmp_path, production_site):
    bogus = tmp_path / "not-a-dump.dump"
    bogus.write_text("hello")
    result = subprocess.run(
        [str(ROOT / "scripts" / "restore"), str(bogus)],
        cwd=ROOT,
        env={**production_site.env, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Restored" not in result.stdout
