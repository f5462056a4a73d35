"""The README stays a short guide and the docs stay true to the tree: links resolve, every
environment variable the settings read is documented, every test file named exists."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
# First arguments of the settings' environment readers, and (option, "VARIABLE") pairs.
ENV_READ = re.compile(
    r"(?:os\.environ\.get|os\.getenv|env_bool|env_list|env_int|env_rate)\(\s*\"([A-Z][A-Z0-9_]+)\""
    r"|os\.environ\[\"([A-Z][A-Z0-9_]+)\"\]"
    r"|\(\"[a-z_]+\",\s*\"([A-Z][A-Z0-9_]+)\"\)"
)
TEST_FILE = re.compile(r"tests/[\w*]+\.py")


def settings_variables():
    names = set()
    for path in (ROOT / "enfuse" / "settings").glob("*.py"):
        for match in ENV_READ.finditer(path.read_text()):
            names.add(next(group for group in match.groups() if group))
    return names


def heading_anchor(heading):
    text = re.sub(r"[^\w\s-]", "", heading.strip().lower())
    return re.sub(r"\s", "-", text)


def anchors(path):
    return {
        heading_anchor(line.lstrip("#"))
        for line in path.read_text().splitlines()
        if line.startswith("#")
    }


def test_the_readme_is_a_short_guide():
    assert len((ROOT / "README.md").read_text().splitlines()) <= 250


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: path.name)
def test_every_relative_link_resolves(doc):
    for target in LINK.findall(doc.read_text()):
        if re.match(r"[a-z]+:", target):
            continue
        file_part, _, anchor = target.partition("#")
        path = (doc.parent / file_part).resolve() if file_part else doc
        assert path.exists(), f"{doc.name}: {target}"
        if anchor:
            assert anchor in anchors(path), f"{doc.name}: {target}"


def test_the_settings_read_the_variables_this_test_looks_for():
    # The pattern above must keep finding what the settings read, or the next test proves nothing.
    assert {"DJANGO_SECRET_KEY", "REDIS_URL", "AWS_S3_ENDPOINT_URL"} <= settings_variables()


def test_every_environment_variable_is_documented():
    operations = (ROOT / "docs" / "operations.md").read_text()
    example = (ROOT / ".env.example").read_text()
    for name in sorted(settings_variables()):
        assert f"`{name}`" in operations, f"{name} missing from docs/operations.md"
        assert re.search(rf"^#? ?{name}=", example, re.MULTILINE), (
            f"{name} missing from .env.example"
        )


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: path.name)
def test_every_test_file_named_exists(doc):
    for name in TEST_FILE.findall(doc.read_text()):
        assert list(ROOT.glob(name)), f"{doc.name} names {name}"
