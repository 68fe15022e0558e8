"""The .github/ folder: workflows that pass check-jsonschema and zizmor, pinned actions, read-only pull requests,
a scope gate that runs the base's code only, and CODEOWNERS over everything outside the register's rows."""

from __future__ import annotations

import fnmatch
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    path = BIN / name
    assert path.exists(), f"{name} is missing: install the test extras (pip install -e '.[test]')"
    return str(path)


def load(path: Path) -> dict:
    # YAML 1.1 reads the key `on` as True.
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {("on" if key is True else key): value for key, value in data.items()}


def test_the_four_workflows_exist():
    assert [path.name for path in WORKFLOWS] == ["publish-storage.yml", "publish.yml", "pull-request.yml",
                                                 "release.yml", "scope.yml"]


def test_workflows_and_the_issue_form_match_githubs_schemas():
    result = subprocess.run([tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows",
                             *map(str, WORKFLOWS)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    forms = sorted((GITHUB / "ISSUE_TEMPLATE").glob("*.yml"))
    assert forms
    result = subprocess.run([tool("check-jsonschema"), "--builtin-schema", "vendor.github-issue-forms",
                             *map(str, forms)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing_even_pedantic():
    result = subprocess.run([tool("zizmor"), "--offline", "--persona", "pedantic", "--no-progress",
                             str(GITHUB / "workflows")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout, result.stdout


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_every_action_is_pinned_to_a_commit_and_no_checkout_keeps_credentials(path):
    workflow = load(path)
    for job in workflow["jobs"].values():
        for step in job.get("steps", []):
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False
    assert ("pull_request_target" in workflow["on"]) == (path.name == "scope.yml")


def test_pull_requests_run_read_only_without_secrets():
    path = GITHUB / "workflows" / "pull-request.yml"
    workflow = load(path)
    assert workflow["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in workflow["jobs"].values())
    text = path.read_text(encoding="utf-8")
    assert "secrets." not in text and "github.token" not in text
    commands = " ".join(step.get("run", "") for step in workflow["jobs"]["check"]["steps"])
    for command in ("validate --format github", 'diff "$BASE_SHA" >> "$GITHUB_STEP_SUMMARY"', "build.py build",
                    "apt-get install -y -qq faketime", "pytest"):
        assert command in commands
    # The pull request's own code judges nothing about its author: scope.yml does, with the base's code.
    assert "check-scope" not in commands


def test_the_scope_gate_runs_the_bases_code_and_reads_the_pull_request_as_data():
    path = GITHUB / "workflows" / "scope.yml"
    workflow = load(path)
    assert list(workflow["on"]) == ["pull_request_target"]
    assert workflow["permissions"] == {"contents": "read"}
    assert list(workflow["jobs"]) == ["scope"]
    job = workflow["jobs"]["scope"]
    # The check that branch protection requires, by the name CODEOWNERS' note gives it.
    assert f'"{workflow["name"]} / {job["name"]}"' in (GITHUB / "CODEOWNERS").read_text(encoding="utf-8")
    assert "permissions" not in job and "env" not in job and "container" not in job and "services" not in job
    text = path.read_text(encoding="utf-8")
    assert "secrets." not in text and "github.token" not in text and "actions/cache" not in text
    steps = job["steps"]
    uses = [step["uses"].split("@")[0] for step in steps if "uses" in step]
    assert uses == ["actions/checkout", "actions/setup-python"]
    checkout, setup = (step for step in steps if "uses" in step)
    # The base branch, as the event gives it: no ref, repository or path that could name the pull request's tree.
    assert checkout["with"] == {"fetch-depth": 0, "persist-credentials": False}
    assert set(setup["with"]) == {"python-version"}  # no cache to restore
    # Exactly these commands: install the base, fetch the pull request's commit as objects, judge it. None checks
    # it out, merges it into the work tree, extracts it or runs it.
    assert [step["run"] for step in steps if "run" in step] == [
        "python -m pip install --quiet .",
        'git fetch --quiet --no-tags --no-recurse-submodules origin "$HEAD_SHA"',
        'python build.py check-scope --base HEAD --head "$HEAD_SHA" --author "$AUTHOR"',
    ]
    # The pull request's values reach the commands only through the environment, never spliced into them.
    for step in steps:
        assert "${{" not in step.get("run", "")
        for value in (step.get("env") or {}).values():
            assert value in ("${{ github.event.pull_request.head.sha }}", "${{ github.event.pull_request.user.login }}")
    # zizmor is told why this trigger is safe, on the trigger's own line.
    trigger = next(line for line in text.splitlines() if line.startswith("  pull_request_target:"))
    assert "zizmor: ignore[dangerous-triggers] --" in trigger


def test_only_the_release_job_may_write():
    for path in WORKFLOWS:
        workflow = load(path)
        for name, job in workflow["jobs"].items():
            scopes = {**(workflow.get("permissions") or {}), **(job.get("permissions") or {})}
            writes = {scope for scope, level in scopes.items() if level == "write"}
            expected = {("release.yml", "release"): {"contents"}, ("publish.yml", "deploy"): {"pages", "id-token"}}
            assert writes == expected.get((path.name, name), set()), (path.name, name)


def test_publish_fetches_tags_and_deploys_with_the_pages_actions():
    workflow = load(GITHUB / "workflows" / "publish.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    steps = workflow["jobs"]["build"]["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0
    uses = [step.get("uses", "").split("@")[0] for job in workflow["jobs"].values() for step in job["steps"]]
    assert "actions/upload-pages-artifact" in uses and "actions/deploy-pages" in uses


def test_publish_to_object_storage_fetches_tags_and_passes_secrets_only_through_env():
    path = GITHUB / "workflows" / "publish-storage.yml"
    workflow = load(path)
    assert workflow["on"]["push"]["branches"] == ["main"]
    job = workflow["jobs"]["publish"]
    assert job["permissions"] == {"contents": "read"}
    assert job["environment"]["name"] == "object-storage"
    assert job["steps"][0]["with"]["fetch-depth"] == 0
    for step in job["steps"]:
        assert "${{" not in step.get("run", ""), step["name"]
    publish = next(step for step in job["steps"] if "build.py publish" in step.get("run", ""))
    assert publish["env"]["AWS_ACCESS_KEY_ID"] == "${{ secrets.STORAGE_ACCESS_KEY_ID }}"
    assert publish["env"]["AWS_SECRET_ACCESS_KEY"] == "${{ secrets.STORAGE_SECRET_ACCESS_KEY }}"
    text = path.read_text(encoding="utf-8")
    assert text.count("secrets.") == 2


def test_release_attaches_the_versions_zip():
    workflow = load(GITHUB / "workflows" / "release.yml")
    assert workflow["on"]["push"]["tags"] == ["data-v*"]
    text = (GITHUB / "workflows" / "release.yml").read_text(encoding="utf-8")
    assert 'gh release create "$GITHUB_REF_NAME" "site/downloads/$version/"*.zip' in text


def test_codeowners_give_code_schemas_and_workflows_to_maintainers():
    lines = [line.split() for line in (GITHUB / "CODEOWNERS").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    owners = {line[0]: line[1:] for line in lines}
    assert owners["*"] == ["@tianjin-zjtx/maintainers"]
    # Later lines win: nothing but register rows and the guide is taken away from the maintainers.
    assert all(pattern.startswith("/datapackage/data/") or pattern == "/CONTRIBUTING.md"
               for pattern in list(owners)[1:])


def codeowners_of(path: str, rules: list[list[str]]) -> list[str]:
    """The owners of a path: the last matching line wins, as on GitHub (the patterns this file uses)."""
    owners: list[str] = []
    for pattern, *names in rules:
        if pattern == "*":
            matched = True
        else:
            assert pattern.startswith("/") and "*" not in pattern, f"a pattern this test does not read: {pattern}"
            matched = path == pattern[1:] or path.startswith(pattern[1:].rstrip("/") + "/")
        if matched:
            owners = names
    return owners


def test_codeowners_ask_the_maintainers_for_every_file_outside_the_data():
    rules = [line.split() for line in (GITHUB / "CODEOWNERS").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    tracked = subprocess.run(["git", "-C", str(ROOT), "ls-files"], capture_output=True, text=True, check=True).stdout
    paths = tracked.splitlines() + [".github/workflows/new.yml", "zjtx/new.py", "build/cache/x", "templates/x.j2"]
    outside = [path for path in paths if not fnmatch.fnmatch(path, "datapackage/data/*.csv")]
    assert len(outside) > 100
    for path in outside:
        assert "@tianjin-zjtx/maintainers" in codeowners_of(path, rules), path
    assert codeowners_of("datapackage/data/districts.csv", rules) == ["@tianjin-zjtx/maintainers"]
    assert codeowners_of("datapackage/data/certifications.csv", rules) == ["@tianjin-zjtx/reviewers"]
