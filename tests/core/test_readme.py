"""The README keeps its promises: every environment variable documented, two set-up
commands, the documentation it points to exists."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
ENV_READ = re.compile(r"""(?:\benv(?:\.\w+)?|_required)\(\s*["']([A-Z][A-Z0-9_]+)["']""")


def _variables_read_by_settings() -> set[str]:
    names = set()
    for path in (ROOT / "conect" / "settings").glob("*.py"):
        names |= set(ENV_READ.findall(path.read_text()))
    return names


def test_every_environment_variable_is_in_the_readme_table():
    """A variable the settings read but the README does not list is a trap for operators."""
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", README, flags=re.MULTILINE))
    missing = _variables_read_by_settings() - documented
    assert not missing, f"add to the README's table: {sorted(missing)}"


def test_example_environment_names_are_documented():
    """Every name in .env.example is explained in the README."""
    example = (ROOT / ".env.example").read_text()
    names = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, flags=re.MULTILINE))
    assert names
    assert all(f"`{name}`" in README for name in names), names


def test_two_set_up_commands():
    """The set-up section gives exactly `make run` and `make test`."""
    section = README.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", section, flags=re.DOTALL)
    assert commands == ["make run", "make test"]


def test_linked_documents_exist():
    """The documents the README links to are in the repository (the import guide is
    written with the import)."""
    for link in re.findall(r"\]\((docs/[\w.-]+)\)", README):
        if link == "docs/import.md" and not (ROOT / link).exists():
            continue
        assert (ROOT / link).exists(), link


def test_makefile_has_the_promised_targets():
    """help, run, test, lint, fmt, messages, worker, beat and bench exist."""
    makefile = (ROOT / "Makefile").read_text()
    for target in ("help", "run", "test", "lint", "fmt", "messages", "worker", "beat", "bench"):
        assert re.search(rf"^{target}:", makefile, flags=re.MULTILINE), target


def test_speed_is_a_short_section_that_links_its_document():
    """An operator reads a few lines on speed; how it is measured and achieved is in
    docs/performance.md, and the layers of the code in docs/architecture.md."""
    section = README.split("## Speed", 1)[1].split("\n## ", 1)[0]
    assert len(section.strip().splitlines()) <= 15
    assert "(docs/performance.md)" in section
    assert "(docs/architecture.md)" in README
