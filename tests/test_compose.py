"""The production compose file is valid and wires the services together as documented."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    shutil.which("docker-compose") is None, reason="docker-compose is not installed"
)


def compose_config(tmp_path):
    shutil.copy(ROOT / "docker-compose.yml", tmp_path / "docker-compose.yml")
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    return subprocess.run(
        ["docker-compose", "config"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )


def test_compose_file_is_valid(tmp_path):
    result = compose_config(tmp_path)
    assert result.returncode == 0, result.stderr
    config = result.stdout
    for service in ("web:", "db:", "redis:", "migrate:"):
        assert f"  {service}" in config
    assert "DJANGO_SETTINGS_MODULE: enfuse.settings.production" in config
    assert "condition: service_healthy" in config
    assert "pg_isready" in config
