"""What deploys: `chalice package` builds, cfn-lint accepts it, and the policies stay least-privilege."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from chalicelib.settings import ENV_FROM_OUTPUT
from scripts.app_package import ALLOW_ORIGIN, gateway_origin_problems, merge_template, preflight_origins
from scripts.configure_stage import check_stack_name, configure
from scripts.configure_stage import main as configure_stage_main
from scripts.publish_catalog import stage_of

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


GATEWAY_RESPONSE = "AWS::ApiGateway::GatewayResponse"
# The dev stage's own CONSOLE_ORIGIN: `chalice package` gives app.py the stage's environment.
CONSOLE = json.loads((ROOT / ".chalice" / "config.json").read_text())["stages"]["dev"]["environment_variables"][
    "CONSOLE_ORIGIN"]


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    """As `make package` builds it: the merge template first, for the CONSOLE_ORIGIN the app reads too."""
    out, merge = tmp_path_factory.mktemp("package"), tmp_path_factory.mktemp("merge") / "merge.json"
    env = {**os.environ, "AWS_DEFAULT_REGION": "us-east-1"}
    for command in ([str(BIN / "python"), "-m", "scripts.app_package", "dev", str(merge)],
                    [str(BIN / "chalice"), "package", "--stage", "dev", "--merge-template", str(merge), str(out)]):
        run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stdout + run.stderr
    return out


def test_every_gateway_response_allows_the_console_origin_the_apis_cors_allows(package):
    template = json.loads((package / "sam.json").read_text())
    responses = {name: r["Properties"] for name, r in template["Resources"].items()
                 if r["Type"] == "AWS::ApiGateway::GatewayResponse"}
    assert {"UNAUTHORIZED", "ACCESS_DENIED", "MISSING_AUTHENTICATION_TOKEN", "THROTTLED", "DEFAULT_5XX"} <= {
        r["ResponseType"] for r in responses.values()}
    for name, response in responses.items():
        assert response["ResponseParameters"][ALLOW_ORIGIN] == f"'{CONSOLE}'", name
    assert preflight_origins(template) == {f"'{CONSOLE}'"}
    assert gateway_origin_problems(template) == []


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


def test_scheduled_functions_get_five_minutes_and_the_api_keeps_29_seconds(package):
    template = json.loads((package / "sam.json").read_text())
    timeouts = {r["Properties"]["Handler"]: r["Properties"]["Timeout"] for r in template["Resources"].values()
                if r["Type"] == "AWS::Serverless::Function"}
    assert timeouts["app.check_accounts"] == 300 and timeouts["app.sync_environment_types"] == 300
    assert timeouts["app.app"] == 29


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_both_deployed_stages_give_the_scheduled_functions_their_own_timeout(stage):
    functions = json.loads((ROOT / ".chalice" / "config.json").read_text())["stages"][stage]["lambda_functions"]
    assert functions["check_accounts"]["lambda_timeout"] == 300
    assert functions["sync_environment_types"]["lambda_timeout"] == 300


def _as_list(value):
    return value if isinstance(value, list) else [value]


# Mirrors the boto3 calls chalicelib makes with the Lambda role's own credentials (not the hosting
# accounts' roles, which it assumes): keep it in step when a service gains a call.
APP_CALLS = {
    "dynamodb": ["GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "BatchGetItem", "BatchWriteItem",
                 "ConditionCheckItem"],
    "secretsmanager": ["GetSecretValue"],
    "sts": ["AssumeRole"],
    "cognito-idp": ["AdminCreateUser", "AdminDeleteUser", "AdminEnableUser", "AdminDisableUser",
                    "AdminAddUserToGroup", "AdminRemoveUserFromGroup", "AdminUserGlobalSignOut", "AdminGetUser"],
    "ssm": ["ModifyDocumentPermission", "DescribeDocumentPermission"],
    "servicecatalog": ["CreatePortfolioShare", "DeletePortfolioShare", "DescribePortfolioShares",
                       "SearchProductsAsAdmin", "ListProvisioningArtifacts", "DescribeProvisioningArtifact"],
    "s3": ["GetObject", "PutObject", "DeleteObject", "AbortMultipartUpload", "ListMultipartUploadParts",
           "ListBucket", "CreateAccessPoint", "GetAccessPoint", "PutAccessPointPolicy", "DeleteAccessPoint"],
    "events": ["PutPermission", "RemovePermission", "DescribeEventBus"],
    "sqs": ["ReceiveMessage", "DeleteMessage", "GetQueueAttributes", "GetQueueUrl", "SendMessage"],
}
ACTION = re.compile(r"^[a-z][a-z0-9-]*:[A-Z][A-Za-z0-9]*$")


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_policy_actions_are_well_formed_and_cover_every_call_the_app_makes(stage):
    policy = json.loads((ROOT / ".chalice" / f"policy-{stage}.json").read_text())
    allowed = set()
    for statement in policy["Statement"]:
        assert statement["Effect"] == "Allow" and "NotAction" not in statement, statement["Sid"]
        for action in _as_list(statement["Action"]):
            assert ACTION.match(action), f"{statement['Sid']}: {action!r} is not service:Action"
            allowed.add(action)
    assert len({s["Sid"] for s in policy["Statement"]}) == len(policy["Statement"])
    missing = sorted(f"{service}:{call}" for service, calls in APP_CALLS.items() for call in calls
                     if f"{service}:{call}" not in allowed)
    assert not missing, f"policy-{stage}.json lacks {missing}"


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_catalog_reads_need_no_tag_and_share_changes_need_the_stage_tag(stage):
    policy = json.loads((ROOT / ".chalice" / f"policy-{stage}.json").read_text())
    statements = {s["Sid"]: s for s in policy["Statement"]}
    # publish_catalog's products of earlier runs carry no tag: reading them must not depend on one.
    assert "Condition" not in statements["ReadCatalog"]
    share = statements["SharePortfolio"]
    assert set(_as_list(share["Resource"])) == {"arn:aws:catalog:*:*:portfolio/*"}
    assert share["Condition"] == {"StringEquals": {"aws:ResourceTag/Stage": stage}}
    assert _as_list(statements["EventBusAccess"]["Resource"]) == ["arn:aws:events:*:*:event-bus/default"]


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


def test_configure_stage_refuses_a_stack_the_stage_policy_does_not_name():
    check_stack_name("dev", "rsw-dev")
    with pytest.raises(SystemExit, match="rsw-dev"):
        check_stack_name("dev", "rsw-prod")
    with pytest.raises(SystemExit, match="policy-prod.json"):
        check_stack_name("prod", "workbench-prod")
    with pytest.raises(SystemExit, match="does not match stage"):  # before any AWS call
        configure_stage_main(["--stage", "dev", "--stack", "my-workbench"])


def test_publish_catalog_derives_the_stage_from_the_stack_name():
    assert stage_of("rsw-dev") == "dev" and stage_of("rsw-prod") == "prod"
    assert stage_of("workbench") is None and stage_of("rsw-") is None and stage_of("other-dev") is None


def test_the_gateway_answers_unknown_routes_and_its_own_errors_as_problems_without_echoing_tokens(package):
    template = json.loads((package / "sam.json").read_text())
    responses = {r["Properties"]["ResponseType"]: r["Properties"] for r in template["Resources"].values()
                 if r["Type"] == "AWS::ApiGateway::GatewayResponse"}
    for kind in ("MISSING_AUTHENTICATION_TOKEN", "UNAUTHORIZED", "ACCESS_DENIED", "THROTTLED", "DEFAULT_4XX",
                 "DEFAULT_5XX"):
        props = responses[kind]
        assert props["RestApiId"] == {"Ref": "RestAPI"}
        assert props["ResponseParameters"]["gatewayresponse.header.Content-Type"] == "'application/problem+json'"
        body = json.loads(props["ResponseTemplates"]["application/json"].replace("$context.requestId", "r-1"))
        assert body["status"] == int(props["StatusCode"]) and body["code"] and body["requestId"] == "r-1"
        assert "$context.error" not in props["ResponseTemplates"]["application/json"]  # nothing of the request echoed
    assert responses["MISSING_AUTHENTICATION_TOKEN"]["StatusCode"] == "404"
    assert responses["THROTTLED"]["StatusCode"] == "429"


def test_every_path_has_every_method_so_the_deployed_api_can_answer_405(package):
    template = json.loads((package / "sam.json").read_text())
    paths = template["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]["paths"]
    for path, methods in paths.items():
        assert {"get", "post", "put", "patch", "delete"} <= set(methods), path


def test_every_non_public_route_is_behind_the_cognito_authorizer_with_the_access_token_scope(package):
    from chalicelib.api.routing import ROUTES

    body = json.loads((package / "sam.json").read_text())["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]
    scheme = body["securityDefinitions"]["cognito"]
    assert scheme["x-amazon-apigateway-authtype"] == "cognito_user_pools"
    assert scheme["x-amazon-apigateway-authorizer"]["providerARNs"]
    for route in ROUTES:
        operation = body["paths"][route.path][route.method.lower()]
        if route.access.scope == "public":
            assert "security" not in operation, route.path
        else:
            assert operation["security"] == [{"cognito": ["aws.cognito.signin.user.admin"]}], route.path


def test_the_stage_is_throttled_and_the_api_cannot_take_every_lambda_slot(package):
    resources = json.loads((package / "sam.json").read_text())["Resources"]
    settings = resources["RestAPI"]["Properties"]["MethodSettings"]
    assert settings == [{"ResourcePath": "/*", "HttpMethod": "*", "ThrottlingRateLimit": 50,
                         "ThrottlingBurstLimit": 100}]
    api = next(r for r in resources.values() if r["Type"] == "AWS::Serverless::Function"
               and r["Properties"]["Handler"] == "app.app")
    assert api["Properties"]["ReservedConcurrentExecutions"] == 50  # the event handlers keep the rest
    throttled = next(r["Properties"] for r in resources.values() if r["Type"] == "AWS::ApiGateway::GatewayResponse"
                     and r["Properties"]["ResponseType"] == "THROTTLED")
    assert throttled["StatusCode"] == "429"


def test_the_function_package_stays_under_10_mb_and_ships_no_boto3(package):
    """The Lambda runtime provides boto3 and botocore; the other dependencies ship once, in the managed
    layer (automatic_layer), so each code change uploads only the app (README, "Packaging")."""
    import zipfile

    code, layer = package / "deployment.zip", package / "layer-deployment.zip"
    assert code.stat().st_size <= 10 * 1000 * 1000
    assert layer.stat().st_size <= 50 * 1000 * 1000  # Lambda's limit for a zipped layer
    names = {n.removeprefix("python/lib/python3.11/site-packages/").split("/")[0]
             for zip_path in (code, layer) for n in zipfile.ZipFile(zip_path).namelist()}
    assert "pydantic" in names and "chalicelib" in names
    assert not {"boto3", "botocore", "s3transfer"} & names


def test_a_stages_merge_template_gives_every_gateway_response_that_stages_origin_and_leaves_the_rest():
    template = merge_template({}, "https://console.dev.example.edu")
    kinds = {r.get("Type") for r in template["Resources"].values()}
    for resource in template["Resources"].values():
        origin = resource.get("Properties", {}).get("ResponseParameters", {}).get(ALLOW_ORIGIN)
        expected = "'https://console.dev.example.edu'" if resource.get("Type") == GATEWAY_RESPONSE else None
        assert origin == expected, resource
    assert GATEWAY_RESPONSE in kinds and len(kinds) > 1  # the file also sets the API's stage
