"""What deploys: `chalice package` builds, cfn-lint accepts it, and the policies stay least-privilege."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.configure_stage import ENV_FROM_OUTPUT, configure

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    out = tmp_path_factory.mktemp("package")
    env = {**os.environ, "AWS_DEFAULT_REGION": "us-east-1"}
    run = subprocess.run([str(BIN / "chalice"), "package", "--stage", "dev", str(out)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    return out


def test_chalice_package_builds_and_cfn_lint_accepts_it(package):
    template = json.loads((package / "sam.json").read_text())
    handlers = {r["Properties"]["Handler"] for r in template["Resources"].values()
                if r["Type"] == "AWS::Serverless::Function"}
    assert "app.app" in handlers and "app.check_accounts" in handlers
    lint = subprocess.run([str(BIN / "cfn-lint"), str(package / "sam.json")], capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout


def test_deployed_functions_use_the_hand_written_policy(package):
    template = json.loads((package / "sam.json").read_text())
    policy = json.loads((ROOT / ".chalice" / "policy-dev.json").read_text())
    roles = [r for r in template["Resources"].values() if r["Type"] == "AWS::IAM::Role"]
    assert roles
    for role in roles:
        documents = [p["PolicyDocument"] for p in role["Properties"]["Policies"]]
        assert documents == [policy]


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_policies_grant_no_wildcard_actions_or_table_wildcards(stage):
    policy = json.loads((ROOT / ".chalice" / f"policy-{stage}.json").read_text())
    for statement in policy["Statement"]:
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        assert all("*" not in a for a in actions), statement["Sid"]
        resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        assert all(r != "*" for r in resources), statement["Sid"]
        if statement["Sid"] == "Tables":
            assert all(f"table/rsw-{stage}-" in r for r in resources)


def test_configure_stage_fills_the_environment_from_stack_outputs(tmp_path):
    config = tmp_path / "config.json"
    shutil.copy(ROOT / ".chalice" / "config.json", config)
    outputs = {name: f"value-of-{name}" for name in ENV_FROM_OUTPUT.values()}
    configure("dev", outputs, config)
    written = json.loads(config.read_text())["stages"]["dev"]["environment_variables"]
    assert written["APP_TABLE_NAME"] == "value-of-AppTableName" and written["STAGE"] == "dev"
    assert not any(v.startswith("<") for v in written.values())
