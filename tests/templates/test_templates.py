"""The hosting-account and catalog templates: cfn-lint, then deployed into moto with create_stack."""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
import uuid
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from local.main_account import load_template

ROOT = Path(__file__).resolve().parents[2]
HOSTING = ROOT / "hosting_account" / "template.yaml"
NOTEBOOK = ROOT / "catalog" / "sagemaker-notebook.yaml"
MAIN = ROOT / "main_account" / "template.yaml"
FILES = ROOT / "catalog" / "environment-files"
MAIN_ACCOUNT = "123456789012"
REGION = "us-east-1"
EXTERNAL_ID = "ext-templates-0123"
# The stage these tests onboard for: its Lambda roles are research-workbench-tpl and research-workbench-tpl-*.
ROLE_PREFIX = "research-workbench-tpl"
HOSTING_OUTPUTS = {
    "EnvMgmtRoleArn", "HostingAccountHandlerRoleArn", "LaunchConstraintRoleArn", "LaunchConstraintRoleName",
    "EnvironmentBoundaryArn", "VpcId", "SubnetIds", "SubnetType", "EncryptionKeyArn", "TemplateVersion",
}

# moto warns for each resource type its CloudFormation skips.
pytestmark = pytest.mark.filterwarnings("ignore:Tried to parse:UserWarning")


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch):
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "MOTO_ACCOUNT_ID"):
        monkeypatch.delenv(name, raising=False)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    with mock_aws():  # inside a session-wide mock this nests without a reset: fresh accounts per test
        yield


def _emulation():
    try:
        from local import emulation
    except ImportError:
        return None
    return emulation


def session_in(account_id: str) -> boto3.session.Session:
    """Acts in account_id: an assumed role under plain moto (any role works there); with the
    emulation installed (it enforces trust policies), the account's administrator."""
    emulation = _emulation()
    if emulation is not None and getattr(emulation, "installed_settings", lambda: None)() is not None:
        return boto3.session.Session(region_name=REGION, **emulation.account_credentials(account_id, REGION))
    creds = boto3.client("sts", region_name=REGION).assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole", RoleSessionName="templates",
    )["Credentials"]
    return boto3.session.Session(region_name=REGION, aws_access_key_id=creds["AccessKeyId"],
                                 aws_secret_access_key=creds["SecretAccessKey"],
                                 aws_session_token=creds["SessionToken"])


def fresh_account() -> str:
    return f"{uuid.uuid4().int % 9 * 10**11 + uuid.uuid4().int % 10**11 + 10**11:012d}"


def create_stack(session: boto3.session.Session, body: str, stack: str, **params: str) -> dict[str, str]:
    cfn = session.client("cloudformation")
    cfn.create_stack(StackName=stack, TemplateBody=body, Capabilities=["CAPABILITY_NAMED_IAM"],
                     Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in params.items()])
    described = cfn.describe_stacks(StackName=stack)["Stacks"][0]
    assert described["StackStatus"] == "CREATE_COMPLETE"
    return {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}


def deploy_hosting(session: boto3.session.Session, **params: str) -> dict[str, str]:
    params = {"WorkbenchRolePrefix": ROLE_PREFIX, **params}
    return create_stack(session, HOSTING.read_text(), "rsw-hosting-account",
                        MainAccountId=MAIN_ACCOUNT, ExternalId=EXTERNAL_ID, **params)


# ------------------------------------------------------------------------------------ cfn-lint
@pytest.mark.parametrize("template", [MAIN, HOSTING, NOTEBOOK], ids=lambda p: p.parent.name)
def test_cfn_lint_accepts_the_template(template):
    cfn_lint = Path(sys.executable).with_name("cfn-lint")
    result = subprocess.run([str(cfn_lint), str(template)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


# ------------------------------------------------------------------------------ hosting account
def test_default_network_is_private_with_endpoints_flow_logs_and_every_output(aws):
    session = session_in(fresh_account())
    outputs = deploy_hosting(session)
    assert set(outputs) == HOSTING_OUTPUTS == set(load_template(HOSTING)["Outputs"])
    assert outputs["SubnetType"] == "private"
    assert outputs["TemplateVersion"] == load_template(HOSTING)["Metadata"]["TemplateVersion"]
    ec2, vpc = session.client("ec2"), outputs["VpcId"]
    subnets = ec2.describe_subnets(SubnetIds=outputs["SubnetIds"].split(","))["Subnets"]
    assert sorted(s["CidrBlock"] for s in subnets) == ["10.0.0.0/19", "10.0.32.0/19"]
    assert {s["VpcId"] for s in subnets} == {vpc} and len({s["AvailabilityZone"] for s in subnets}) == 2
    assert not any(s["MapPublicIpOnLaunch"] for s in subnets)
    endpoints = ec2.describe_vpc_endpoints(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["VpcEndpoints"]
    assert sorted((e["ServiceName"].rsplit(".", 1)[-1] if "sagemaker" not in e["ServiceName"] else "sagemaker.api",
                   e["VpcEndpointType"]) for e in endpoints) == [
        ("kms", "Interface"), ("logs", "Interface"), ("s3", "Gateway"), ("sagemaker.api", "Interface"),
        ("sts", "Interface")]
    routes = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["RouteTables"]
    assert not [r for t in routes for r in t["Routes"] if r.get("GatewayId", "").startswith("igw-")]
    assert ec2.describe_internet_gateways(
        Filters=[{"Name": "attachment.vpc-id", "Values": [vpc]}])["InternetGateways"] == []
    flow_logs = ec2.describe_flow_logs(Filters=[{"Name": "resource-id", "Values": [vpc]}])["FlowLogs"]
    assert [f["LogGroupName"] for f in flow_logs] == ["/rsw/vpc-flow-logs"]
    # Not describe_key: plain moto keeps a CloudFormation KeyPolicy as a dict, and describe_key
    # then fails (local.emulation's cfn_kms fixes that for the embedded AWS).
    kms, key_id = session.client("kms"), outputs["EncryptionKeyArn"].rsplit("/", 1)[1]
    assert kms.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"] is True
    assert [a["AliasName"] for a in kms.list_aliases(KeyId=key_id)["Aliases"]] == ["alias/rsw-hosting"]


def test_public_network_routes_to_an_internet_gateway_without_interface_endpoints(aws):
    session = session_in(fresh_account())
    outputs = deploy_hosting(session, SubnetType="public", Namespace="pub")
    ec2, vpc = session.client("ec2"), outputs["VpcId"]
    assert outputs["SubnetType"] == "public"
    routes = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["RouteTables"]
    assert [r["DestinationCidrBlock"] for t in routes for r in t["Routes"]
            if r.get("GatewayId", "").startswith("igw-")] == ["0.0.0.0/0"]
    endpoints = ec2.describe_vpc_endpoints(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["VpcEndpoints"]
    assert [e["VpcEndpointType"] for e in endpoints] == ["Gateway"]
    assert outputs["EnvMgmtRoleArn"].endswith(":role/pub-env-mgmt")


def test_bring_your_own_network_creates_no_network_and_outputs_the_given_one(aws):
    session = session_in(fresh_account())
    ec2 = session.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.42.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.42.{i}.0/24")["Subnet"]["SubnetId"] for i in range(2)]
    vpcs_before = len(ec2.describe_vpcs()["Vpcs"])
    outputs = deploy_hosting(session, VpcId=vpc, SubnetIds=",".join(subnets), SubnetType="public")
    assert set(outputs) == HOSTING_OUTPUTS
    assert (outputs["VpcId"], outputs["SubnetIds"], outputs["SubnetType"]) == (vpc, ",".join(subnets), "public")
    assert len(ec2.describe_vpcs()["Vpcs"]) == vpcs_before
    assert ec2.describe_vpc_endpoints(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["VpcEndpoints"] == []
    assert ec2.describe_flow_logs()["FlowLogs"] == []


def _statements(document) -> list[dict]:
    document = json.loads(document) if isinstance(document, str) else document
    statements = document["Statement"]
    return statements if isinstance(statements, list) else [statements]


def test_cross_account_roles_require_the_external_id_and_a_workbench_role(aws):
    session = session_in(fresh_account())
    outputs = deploy_hosting(session)
    iam = session.client("iam")
    for output in ("EnvMgmtRoleArn", "HostingAccountHandlerRoleArn"):
        role = iam.get_role(RoleName=outputs[output].rsplit("/", 1)[1])["Role"]
        statements = _statements(role["AssumeRolePolicyDocument"])
        cross_account = [s for s in statements if "AWS" in s["Principal"]]
        assert cross_account, output
        for statement in cross_account:
            assert statement["Principal"] == {"AWS": f"arn:aws:iam::{MAIN_ACCOUNT}:root"}
            assert statement["Condition"]["StringEquals"] == {"sts:ExternalId": EXTERNAL_ID}
            role_arn = f"arn:aws:iam::{MAIN_ACCOUNT}:role/{ROLE_PREFIX}"
            assert statement["Condition"]["ArnLike"] == {"aws:PrincipalArn": [role_arn, f"{role_arn}-*"]}
        services = [s["Principal"]["Service"] for s in statements if "Service" in s["Principal"]]
        assert services == (["ssm.amazonaws.com"] if output == "EnvMgmtRoleArn" else [])


def test_the_role_prefix_defaults_to_production_and_names_one_stage():
    parameter = load_template(HOSTING)["Parameters"]["WorkbenchRolePrefix"]
    assert parameter["Default"] == "research-workbench-prod"
    assert "research-workbench-<stage>" in parameter["Description"]
    pattern = re.compile(parameter["AllowedPattern"])
    assert pattern.match("research-workbench-dev") and pattern.match("research-workbench-prod")
    assert not pattern.match("research-workbench-") and not pattern.match("")


@pytest.mark.parametrize("template", [MAIN, HOSTING, NOTEBOOK], ids=lambda p: p.parent.name)
def test_no_trust_or_key_policy_names_a_wildcard_principal(template):
    for logical_id, resource in load_template(template)["Resources"].items():
        properties = resource.get("Properties", {})
        document = properties.get("AssumeRolePolicyDocument") or properties.get("KeyPolicy")
        for statement in _statements(document) if document else []:
            principal = statement["Principal"]
            assert principal != "*" and "*" not in (
                principal.get("AWS") if isinstance(principal.get("AWS"), list) else [principal.get("AWS")]), logical_id


def test_launch_role_creates_environment_roles_only_with_the_boundary(aws):
    session = session_in(fresh_account())
    outputs = deploy_hosting(session)
    iam = session.client("iam")
    role = iam.get_role(RoleName=outputs["LaunchConstraintRoleName"])["Role"]
    assert _statements(role["AssumeRolePolicyDocument"])[0]["Principal"] == {"Service": "servicecatalog.amazonaws.com"}
    attached = iam.list_attached_role_policies(RoleName=outputs["LaunchConstraintRoleName"])["AttachedPolicies"]
    assert len(attached) == 1
    policy = iam.get_policy(PolicyArn=attached[0]["PolicyArn"])["Policy"]
    document = iam.get_policy_version(PolicyArn=policy["Arn"], VersionId=policy["DefaultVersionId"])["PolicyVersion"]
    statements = _statements(document["Document"])
    writes = [s for s in statements if {"iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy"} & set(s["Action"])]
    assert len(writes) == 1
    assert writes[0]["Condition"] == {"StringEquals": {"iam:PermissionsBoundary": outputs["EnvironmentBoundaryArn"]}}
    assert writes[0]["Resource"].endswith(":role/rsw/environments/*")
    assert not any("iam:DeleteRolePermissionsBoundary" in s["Action"] or "iam:PutRolePermissionsBoundary" in s["Action"]
                   for s in statements)


def test_forwarding_rules_send_notebook_and_automation_events_to_the_main_bus(aws):
    session = session_in(fresh_account())
    deploy_hosting(session)
    events = session.client("events")
    main_bus = f"arn:aws:events:{REGION}:{MAIN_ACCOUNT}:event-bus/default"
    patterns = {}
    for name in ("rsw-forward-notebook-events", "rsw-forward-automation-events"):
        patterns[name] = json.loads(events.describe_rule(Name=name)["EventPattern"])
        targets = events.list_targets_by_rule(Rule=name)["Targets"]
        assert [t["Arn"] for t in targets] == [main_bus] and targets[0]["RoleArn"]
    assert patterns == {
        "rsw-forward-notebook-events": {"source": ["aws.sagemaker"],
                                        "detail-type": ["SageMaker Notebook Instance State Change"]},
        "rsw-forward-automation-events": {"source": ["workbench.automation"]},
    }
    assert events.list_rule_names_by_target(TargetArn=main_bus)["RuleNames"]


def test_a_main_account_that_hosts_too_forwards_nothing_to_its_own_bus(aws):
    account = fresh_account()
    session = session_in(account)
    outputs = create_stack(session, HOSTING.read_text(), "rsw-hosting-account", MainAccountId=account,
                           ExternalId=EXTERNAL_ID)
    assert set(outputs) == HOSTING_OUTPUTS
    assert session.client("events").list_rules(NamePrefix="rsw-forward")["Rules"] == []


# --------------------------------------------------------------------- SageMaker notebook product
def notebook_parameters(hosting: dict[str, str], **overrides: str) -> dict[str, str]:
    return {
        "EnvId": "env-0001", "Namespace": "rsw", "VpcId": hosting["VpcId"],
        "SubnetId": hosting["SubnetIds"].split(",")[0], "EncryptionKeyArn": hosting["EncryptionKeyArn"],
        "EnvironmentBoundaryArn": hosting["EnvironmentBoundaryArn"],
        "ArtifactsBucketName": f"rsw-dev-artifacts-{MAIN_ACCOUNT}-{REGION}", "MainAccountId": MAIN_ACCOUNT,
        "DatasetMounts": json.dumps([{"name": "genomes", "bucket": "genomes-ap-abc-s3alias", "prefix": "genomes/",
                                      "accessLevel": "read-only"}]),
        **overrides,
    }


def test_the_notebook_product_creates_a_bounded_notebook_with_a_working_start_script(aws):
    session = session_in(fresh_account())
    hosting = deploy_hosting(session)
    outputs = create_stack(session, NOTEBOOK.read_text(), "SC-pp-templates", **notebook_parameters(hosting))
    assert set(outputs) == {"NotebookInstanceName", "NotebookArn", "EnvironmentInstanceRoleArn"}
    sagemaker = session.client("sagemaker")
    notebook = sagemaker.describe_notebook_instance(NotebookInstanceName=outputs["NotebookInstanceName"])
    assert notebook["NotebookInstanceArn"] == outputs["NotebookArn"]
    assert notebook["RoleArn"] == outputs["EnvironmentInstanceRoleArn"]
    assert notebook["NotebookInstanceStatus"] == "InService"
    role = session.client("iam").get_role(RoleName=outputs["EnvironmentInstanceRoleArn"].rsplit("/", 1)[1])["Role"]
    assert role["Path"] == "/rsw/environments/"
    assert role["PermissionsBoundary"]["PermissionsBoundaryArn"] == hosting["EnvironmentBoundaryArn"]

    resources = session.client("cloudformation").list_stack_resources(StackName="SC-pp-templates")
    config = next(r["PhysicalResourceId"] for r in resources["StackResourceSummaries"]
                  if r["LogicalResourceId"] == "LifecycleConfig").rsplit("/", 1)[-1]
    on_start = sagemaker.describe_notebook_instance_lifecycle_config(NotebookInstanceLifecycleConfigName=config)
    script = base64.b64decode(on_start["OnStart"][0]["Content"]).decode()
    assert subprocess.run(["bash", "-n"], input=script, text=True, check=False).returncode == 0
    assert f"s3://rsw-dev-artifacts-{MAIN_ACCOUNT}-{REGION}/environment-files/" in script
    encoded = script.split("echo '", 1)[1].split("'", 1)[0]
    assert json.loads(base64.b64decode(encoded))[0]["name"] == "genomes"
    assert "--idle-minutes 60" in script and "${" not in script


def test_the_notebook_product_rejects_an_instance_type_outside_its_list():
    allowed = load_template(NOTEBOOK)["Parameters"]["InstanceType"]["AllowedValues"]
    assert "ml.t3.medium" in allowed and "ml.p3.2xlarge" not in allowed


# -------------------------------------------------------------------------------- bootstrap files
def test_bootstrap_scripts_parse_and_skip_invalid_datasets(tmp_path):
    script = FILES / "mount-datasets.sh"
    assert subprocess.run(["bash", "-n", str(script)], check=False).returncode == 0
    mounts = tmp_path / "mounts.json"
    mounts.write_text(json.dumps([{"name": "../etc", "bucket": "b-s3alias", "prefix": "p", "accessLevel": "read-write"},
                                  {"name": "ok", "bucket": "Not A Bucket", "prefix": "p"}]))
    result = subprocess.run(["bash", str(script), str(mounts), str(tmp_path / "datasets")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no datasets to mount" in result.stdout
    assert "invalid name" in result.stderr and "invalid bucket" in result.stderr


def test_autostop_stops_only_after_the_idle_limit_and_never_while_busy():
    import importlib.util
    from datetime import datetime, timedelta, timezone

    spec = importlib.util.spec_from_file_location("autostop", FILES / "autostop.py")
    autostop = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(autostop)
    now = datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)
    started = now - timedelta(hours=3)
    idle_kernel = {"execution_state": "idle", "last_activity": (now - timedelta(minutes=61)).isoformat()}
    recent = {"last_activity": (now - timedelta(minutes=5)).isoformat().replace("+00:00", "Z")}
    assert autostop.should_stop([idle_kernel], [], started, 60, now)
    assert not autostop.should_stop([idle_kernel], [recent], started, 60, now)
    assert not autostop.should_stop([{**idle_kernel, "execution_state": "busy"}], [], started, 60, now)
    assert not autostop.should_stop([], [], now - timedelta(minutes=10), 60, now)
    assert autostop.should_stop([], [], started, 60, now)
    assert not autostop.should_stop([idle_kernel], [], started, 0, now)


# ------------------------------------------------------------------------------ publish_catalog
def test_publish_uploads_bootstrap_files_and_content_addressed_templates(aws):
    from scripts.publish_catalog import upload_environment_files, upload_template

    s3 = boto3.client("s3", region_name=REGION)
    bucket = f"rsw-tpl-{uuid.uuid4().hex[:8]}-artifacts"
    s3.create_bucket(Bucket=bucket)
    keys = upload_environment_files(s3, bucket, FILES)
    assert {"environment-files/mount-datasets.sh", "environment-files/autostop.py"} <= set(keys)
    assert s3.get_object(Bucket=bucket, Key="environment-files/autostop.py")["Body"].read() == \
        (FILES / "autostop.py").read_bytes()
    url, version = upload_template(s3, bucket, REGION, NOTEBOOK)
    assert len(version) == 12 and url == (
        f"https://{bucket}.s3.{REGION}.amazonaws.com/catalog/sagemaker-notebook/{version}.yaml")
    assert upload_template(s3, bucket, REGION, NOTEBOOK) == (url, version)
    body = s3.get_object(Bucket=bucket, Key=f"catalog/sagemaker-notebook/{version}.yaml")["Body"].read()
    assert body == NOTEBOOK.read_bytes()


@pytest.fixture(scope="module")
def emulated():
    """moto plus local.emulation (Service Catalog provisioning, SSM Automation, trust policies),
    shared by this module's remaining tests (each uses its own environment ids)."""
    emulation = pytest.importorskip("local.emulation")
    with pytest.MonkeyPatch.context() as env:
        for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "MOTO_ACCOUNT_ID"):
            env.delenv(name, raising=False)
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
            env.setenv(name, "testing")
        env.setenv("AWS_DEFAULT_REGION", REGION)
        before = emulation.installed_settings() if hasattr(emulation, "installed_settings") else None
        with mock_aws():
            emulation.install(emulation.EmulationSettings())  # synchronous: every transition instant
            yield emulation
            assert emulation.wait_idle(30), "emulation work still running at teardown"
        if before is not None:
            emulation.install(before)
        elif hasattr(emulation, "uninstall"):
            emulation.uninstall()


@pytest.fixture(scope="module")
def main_account(emulated):
    from local.main_account import deploy_main_account

    session = boto3.session.Session(region_name=REGION)
    outputs = deploy_main_account(session, stack_name=f"rsw-tpl-{uuid.uuid4().hex[:6]}", stage="local")
    return session, outputs


def test_publish_creates_a_product_then_versions_it_only_when_the_template_changes(main_account, tmp_path):
    from scripts.publish_catalog import publish

    session, outputs = main_account
    first = publish(session, outputs, ROOT / "catalog", stage="local")
    assert [p["name"] for p in first] == ["sagemaker-notebook"]
    assert publish(session, outputs, ROOT / "catalog", stage="local") == first
    onboarding = session.client("s3").get_object(Bucket=outputs["ArtifactsBucketName"],
                                                  Key="onboarding/hosting-account.yaml")
    assert onboarding["Body"].read() == HOSTING.read_bytes()
    catalog = session.client("servicecatalog")
    found = catalog.search_products_as_admin(PortfolioId=outputs["EnvironmentPortfolioId"])["ProductViewDetails"]
    assert [d["ProductViewSummary"]["ProductId"] for d in found] == [first[0]["productId"]]
    # The app's SharePortfolio permission requires the portfolio's Stage tag; products carry it too.
    portfolio = catalog.describe_portfolio(Id=outputs["EnvironmentPortfolioId"])
    assert {"Key": "Stage", "Value": "local"} in portfolio["Tags"]
    product = catalog.describe_product_as_admin(Id=first[0]["productId"])
    assert {"Key": "Stage", "Value": "local"} in product["Tags"]

    catalog_versions = lambda: catalog.list_provisioning_artifacts(  # noqa: E731
        ProductId=first[0]["productId"])["ProvisioningArtifactDetails"]
    before = len(catalog_versions())
    changed = tmp_path / "catalog"
    (changed / "environment-files").mkdir(parents=True)
    (changed / "sagemaker-notebook.yaml").write_text(NOTEBOOK.read_text() + "# v2\n")
    second = publish(session, outputs, changed)
    assert second[0]["productId"] == first[0]["productId"]
    assert second[0]["provisioningArtifactId"] != first[0]["provisioningArtifactId"]
    assert len(catalog_versions()) == before + 1


# ---------------------------------------------------------- launch/terminate documents, end to end
class Onboarded:
    """Main account with the catalog published; a hosting account onboarded; the app's env-mgmt session."""

    def __init__(self, main_session: boto3.session.Session, outputs: dict[str, str]) -> None:
        from scripts.publish_catalog import publish

        self.main, self.outputs = main_session, outputs
        self.product = publish(main_session, outputs, ROOT / "catalog", stage="local")[0]
        self.account = fresh_account()
        self.hosting = deploy_hosting(session_in(self.account))
        portfolio = outputs["EnvironmentPortfolioId"]
        ssm = main_session.client("ssm")
        for name in ("LaunchEnvironmentDocumentName", "TerminateEnvironmentDocumentName"):
            ssm.modify_document_permission(Name=outputs[name], PermissionType="Share", AccountIdsToAdd=[self.account])
        main_session.client("servicecatalog").create_portfolio_share(PortfolioId=portfolio, AccountId=self.account)
        hosting_catalog = session_in(self.account).client("servicecatalog")
        hosting_catalog.accept_portfolio_share(PortfolioId=portfolio)
        hosting_catalog.associate_principal_with_portfolio(
            PortfolioId=portfolio, PrincipalARN=self.hosting["EnvMgmtRoleArn"], PrincipalType="IAM")
        self.env_mgmt = self._as_env_mgmt()
        self.queue = outputs["PlatformEventsQueueUrl"]

    def _as_env_mgmt(self) -> boto3.session.Session:
        """The app's path: its main-account role (ROLE_PREFIX-*), then env-mgmt with the ExternalId."""
        return _assumed(self.app_role(f"{ROLE_PREFIX}-{uuid.uuid4().hex[:6]}"), self.hosting["EnvMgmtRoleArn"],
                        ExternalId=EXTERNAL_ID)

    def app_role(self, name: str) -> boto3.session.Session:
        """A session as a new main-account role `name` (the Lambda role of some workbench stage)."""
        trust = {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{MAIN_ACCOUNT}:root"}, "Action": "sts:AssumeRole"}]}
        self.main.client("iam").create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))
        return _assumed(self.main, f"arn:aws:iam::{MAIN_ACCOUNT}:role/{name}")

    def run(self, output: str, **parameters) -> dict:
        ssm = self.env_mgmt.client("ssm")
        document = f"arn:aws:ssm:{REGION}:{MAIN_ACCOUNT}:document/{self.outputs[output]}"
        values = {"AutomationAssumeRole": [self.hosting["EnvMgmtRoleArn"]]}
        values.update({k: v if isinstance(v, list) else [v] for k, v in parameters.items()})
        execution_id = ssm.start_automation_execution(DocumentName=document, Parameters=values)["AutomationExecutionId"]
        return ssm.get_automation_execution(AutomationExecutionId=execution_id)["AutomationExecution"]

    def launch(self, env_id: str, **product_parameters: str) -> dict:
        path = self.env_mgmt.client("servicecatalog").list_launch_paths(
            ProductId=self.product["productId"])["LaunchPathSummaries"][0]["Id"]
        parameters = {**notebook_parameters(self.hosting, EnvId=env_id), **product_parameters,
                      "ArtifactsBucketName": self.outputs["ArtifactsBucketName"]}
        return self.run("LaunchEnvironmentDocumentName", ProductId=self.product["productId"],
                        ProvisioningArtifactId=self.product["provisioningArtifactId"], PathId=path,
                        ProvisionedProductName=env_id, EnvId=env_id,
                        ProvisioningParameters=[json.dumps({"Key": k, "Value": v}) for k, v in parameters.items()],
                        Tags=[json.dumps({"Key": "Env", "Value": env_id})])

    def results(self, env_id: str) -> list[dict]:
        """The automation results for env_id that reached the main account's platform queue."""
        sqs, found = self.main.client("sqs"), []
        while messages := sqs.receive_message(QueueUrl=self.queue, MaxNumberOfMessages=10).get("Messages", []):
            for message in messages:
                event = json.loads(message["Body"])
                sqs.delete_message(QueueUrl=self.queue, ReceiptHandle=message["ReceiptHandle"])
                if event["source"] == "workbench.automation" and event["detail"]["EnvId"] == env_id:
                    found.append(event)
        return found


def _assumed(session: boto3.session.Session, role_arn: str, **extra: str) -> boto3.session.Session:
    creds = session.client("sts").assume_role(RoleArn=role_arn, RoleSessionName="templates", **extra)["Credentials"]
    return boto3.session.Session(region_name=REGION, aws_access_key_id=creds["AccessKeyId"],
                                 aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"])


@pytest.fixture(scope="module")
def onboarded(main_account):
    return Onboarded(*main_account)


def test_only_workbench_roles_with_the_external_id_assume_env_mgmt(onboarded):
    from botocore.exceptions import ClientError

    role = onboarded.hosting["EnvMgmtRoleArn"]
    with pytest.raises(ClientError, match="AccessDenied"):  # the main account itself, not a workbench role
        onboarded.main.client("sts").assume_role(RoleArn=role, RoleSessionName="root", ExternalId=EXTERNAL_ID)
    app = onboarded.env_mgmt.client("sts").get_caller_identity()
    assert app["Arn"].startswith(f"arn:aws:sts::{onboarded.account}:assumed-role/rsw-env-mgmt/")
    # Chalice's shared role is named exactly research-workbench-<stage>.
    shared = onboarded.app_role(ROLE_PREFIX).client("sts")
    handler = shared.assume_role(RoleArn=onboarded.hosting["HostingAccountHandlerRoleArn"], RoleSessionName="app",
                                 ExternalId=EXTERNAL_ID)
    assert handler["AssumedRoleUser"]["Arn"].startswith(
        f"arn:aws:sts::{onboarded.account}:assumed-role/rsw-hosting-account-role/")


@pytest.mark.parametrize("other_stage", ["research-workbench-prod", "research-workbench-tpl2-api"])
def test_another_stages_workbench_roles_cannot_assume_the_hosting_roles(onboarded, other_stage):
    from botocore.exceptions import ClientError

    other = onboarded.app_role(f"{other_stage}-{uuid.uuid4().hex[:6]}").client("sts")
    for output in ("EnvMgmtRoleArn", "HostingAccountHandlerRoleArn"):
        with pytest.raises(ClientError, match="AccessDenied"):
            other.assume_role(RoleArn=onboarded.hosting[output], RoleSessionName="other", ExternalId=EXTERNAL_ID)


def test_launch_then_terminate_report_completed_and_terminated(onboarded):
    launched = onboarded.launch("env-ok")
    assert launched["AutomationExecutionStatus"] == "Success", launched.get("FailureMessage")
    [event] = onboarded.results("env-ok")
    detail = event["detail"]
    assert event["detail-type"] == "Environment Launch Result"
    assert (detail["Operation"], detail["Status"], detail["ErrorMessage"]) == ("Launch", "COMPLETED", "")
    assert detail["RecordId"] == launched["Outputs"]["ProvisionProduct.RecordId"][0]
    assert detail["AutomationExecutionId"] == launched["AutomationExecutionId"]
    catalog = onboarded.env_mgmt.client("servicecatalog")
    outputs = {o["OutputKey"]: o["OutputValue"] for o in catalog.get_provisioned_product_outputs(
        ProvisionedProductId=detail["ProvisionedProductId"])["Outputs"]}
    notebook = onboarded.env_mgmt.client("sagemaker").describe_notebook_instance(
        NotebookInstanceName=outputs["NotebookInstanceName"])
    assert notebook["NotebookInstanceArn"] == outputs["NotebookArn"]

    terminated = onboarded.run("TerminateEnvironmentDocumentName", ProvisionedProductId=detail["ProvisionedProductId"],
                               EnvId="env-ok")
    assert terminated["AutomationExecutionStatus"] == "Success", terminated.get("FailureMessage")
    [event] = onboarded.results("env-ok")
    assert event["detail-type"] == "Environment Terminate Result"
    assert (event["detail"]["Operation"], event["detail"]["Status"]) == ("Terminate", "TERMINATED")


def test_a_failed_record_reports_failed_with_its_error_and_fails_the_execution(onboarded):
    launched = onboarded.launch("env-bad", InstanceType="ml.m5.large")  # not a notebook instance type
    assert launched["AutomationExecutionStatus"] == "Failed"
    [event] = onboarded.results("env-bad")
    assert event["detail"]["Status"] == "FAILED"
    assert "InstanceType" in event["detail"]["ErrorMessage"]


def test_an_error_that_breaks_the_event_json_still_reports_failed(onboarded):
    # The CIDR pattern's backslashes in the error message make the detail invalid JSON.
    launched = onboarded.launch("env-cidr", CIDR="not-a-cidr")
    assert launched["AutomationExecutionStatus"] == "Failed"
    steps = [s["StepName"] for s in launched["StepExecutions"]]
    [event] = onboarded.results("env-cidr")
    assert event["detail"]["Status"] == "FAILED"
    assert "ReportLaunchFailedWithoutMessage" in steps  # PutEvents refused the detail with the raw message
    assert "DescribeRecord" in event["detail"]["ErrorMessage"]


def test_a_refused_terminate_reports_terminating_failed(onboarded):
    terminated = onboarded.run("TerminateEnvironmentDocumentName", ProvisionedProductId="pp-doesnotexist",
                               EnvId="env-gone")
    assert terminated["AutomationExecutionStatus"] == "Failed"
    [event] = onboarded.results("env-gone")
    assert (event["detail"]["Status"], event["detail"]["RecordId"]) == ("TERMINATING_FAILED", "")
