"""`make deploy DRY_RUN=1`: the default and both BYON entry points packaged and linted without AWS;
the BYON stage config matched against what `chalice package` emits; destroy keeps the data."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from scripts import app_package, deploy, deploy_checks, destroy

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def kept(tmp_path_factory):
    return tmp_path_factory.mktemp("dry-run")


@pytest.fixture(scope="module")
def dry_run(kept):
    # The three variants in one run: their packages build in parallel and lint shares one pass.
    env = {**os.environ, "AWS_DEFAULT_REGION": "us-east-1", "DRY_RUN_DIR": str(kept)}
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE", "AWS_ENDPOINT_URL"):
        env.pop(name, None)  # nothing here may reach AWS
    run = subprocess.run(["make", "--no-print-directory", "deploy", "DRY_RUN=1", "STAGE=dev", "EXAMPLES=1"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    print(run.stdout)
    return run


def test_dry_run_is_green_for_the_default_and_both_byon_variants(dry_run):
    assert dry_run.returncode == 0, dry_run.stdout + dry_run.stderr
    for variant in ("as given: ok", "byon-private-api: ok", "byon-load-balancer: ok"):
        assert variant in dry_run.stdout
    assert "checkov: 3 packages, clean" in dry_run.stdout and "dry run: all clear" in dry_run.stdout
    assert "AWS: not called" in dry_run.stdout


@pytest.fixture(scope="module")
def byon_package(dry_run, kept):
    """The dry run's BYON load-balancer example: the stage config it wrote and what chalice packaged."""
    outputs = deploy_checks.sample_outputs("dev", deploy.EXAMPLES["byon-load-balancer"])
    stage = json.loads((kept / "byon-load-balancer-stage.json").read_text())
    return outputs, stage, json.loads((kept / "byon-load-balancer-package" / "sam.json").read_text())


def test_byon_stage_config_matches_what_chalice_package_emits(byon_package):
    outputs, stage, sam = byon_package
    vpce = outputs["ApiVpcEndpointId"]
    assert stage["api_gateway_endpoint_type"] == "PRIVATE" and stage["api_gateway_endpoint_vpce"] == vpce
    api = sam["Resources"]["RestAPI"]["Properties"]
    assert api["EndpointConfiguration"] == "PRIVATE"
    statements = api["DefinitionBody"]["x-amazon-apigateway-policy"]["Statement"]
    # Chalice 1.34's policy: one Allow, only through the endpoint (nothing else allows, so all else is denied).
    assert statements == [{"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke",
                           "Resource": "arn:*:execute-api:*:*:*",
                           "Condition": {"StringEquals": {"aws:SourceVpce": vpce}}}]
    mapping = sam["Resources"]["ApiBasePathMapping"]["Properties"]
    assert mapping["RestApiId"] == {"Ref": "RestAPI"}
    assert sam["Resources"]["ApiCustomDomain"]["Properties"]["DomainName"] == "workbench.example.edu"
    assert app_package.package_problems(sam, outputs) == []


def test_the_events_queue_and_the_gateway_responses_ship_in_the_package(byon_package):
    outputs, _, sam = byon_package
    source = sam["Resources"]["PlatformEvents"]["Properties"]["Events"]["PlatformEventsSqsEventSource"]
    assert source["Properties"]["Queue"]["Fn::Sub"].endswith(":" + outputs["PlatformEventsQueueName"])
    kinds = {r["Properties"]["ResponseType"] for r in sam["Resources"].values()
             if r["Type"] == "AWS::ApiGateway::GatewayResponse"}
    assert {"MISSING_AUTHENTICATION_TOKEN", "UNAUTHORIZED", "DEFAULT_5XX"} <= kinds


def test_sample_outputs_follow_the_templates_conditions():
    default = deploy_checks.sample_outputs("dev", {})
    assert "ApiVpcEndpointId" not in default and "ApiTargetGroupArn" not in default
    private = deploy_checks.sample_outputs("dev", deploy.EXAMPLES["byon-private-api"])
    assert private["ApiVpcEndpointId"].startswith("vpce-") and "ApiTargetGroupArn" not in private
    existing = deploy_checks.sample_outputs("dev", {"VpcId": "vpc-0123456789abcdef0",
                                                    "ApiVpcEndpointId": "vpce-0fedcba9876543210"})
    assert existing["ApiVpcEndpointId"] == "vpce-0fedcba9876543210"


def test_leaving_byon_returns_the_stage_to_a_public_api(tmp_path):
    config = tmp_path / "config.json"
    shutil.copy(ROOT / ".chalice" / "config.json", config)
    app_package.configure_app_stage("dev", deploy_checks.sample_outputs("dev", deploy.EXAMPLES["byon-private-api"]),
                                    config)
    stage = app_package.configure_app_stage("dev", deploy_checks.sample_outputs("dev", {}), config)
    assert "api_gateway_endpoint_type" not in stage and "api_gateway_endpoint_vpce" not in stage
    assert deploy_checks.environment_problems(json.loads(config.read_text()), "dev") == []


def test_every_setting_the_app_reads_is_checked():
    read = deploy_checks.settings_read()
    assert {"APP_TABLE_NAME", "USER_POOL_ID", "PLATFORM_EVENTS_QUEUE_NAME", "STAGE"} <= set(read)
    config = json.loads((ROOT / ".chalice" / "config.json").read_text())
    # The committed placeholders are caught: a stage that was never configured does not pass.
    assert any("placeholder" in p for p in deploy_checks.environment_problems(config, "dev"))


def test_unknown_resume_step_and_unknown_stage_are_refused():
    with pytest.raises(SystemExit, match="no such step"):
        deploy.run_steps(deploy.STEPS, deploy.Deployment("dev", "us-east-1", {}, {}), "nope", say=lambda _: None)
    with pytest.raises(SystemExit, match="policy-test.json"):
        deploy.main([], {"STAGE": "test", "DRY_RUN": "1"})


def test_a_failed_step_names_itself_and_how_to_resume():
    said: list[str] = []

    def broken(_):
        raise RuntimeError("no credentials")

    steps = [("main-account", lambda _: None), ("package", broken), ("app", lambda _: None)]
    assert not deploy.run_steps(steps, deploy.Deployment("dev", "eu-west-1", {}, {}), None, said.append)
    assert said[:2] == ["[1/3] main-account", "[2/3] package"]
    assert "FAILED at step package: no credentials" in said
    assert said[-1].endswith("make deploy STAGE=dev REGION=eu-west-1 FROM=package")


def test_byon_settings_persist_unless_turned_off():
    assert deploy.byon_from_env({})["VpcId"] is None  # kept from the stack on update
    off = deploy.byon_from_env({"VPC_ID": "off"})
    assert off["VpcId"] == "" and off["LoadBalancer"] == "none"


def test_destroy_finds_every_data_resource_retained():
    assert destroy.unretained_data() == []
