"""Service Catalog provisioning: artifacts, shares, launch paths, records, stacks."""

from __future__ import annotations

import time

import pytest
from botocore.exceptions import ClientError

from . import scenario
from .shape_check import assert_conforms


@pytest.fixture
def world(aws):
    return scenario.build()


def _provision(sc, world, name: str, **params: str) -> dict:
    path = sc.list_launch_paths(ProductId=world.ids["product"])["LaunchPathSummaries"][0]["Id"]
    parameters = {"EnvId": name, **params}
    response = sc.provision_product(
        ProductId=world.ids["product"], ProvisioningArtifactId=world.ids["artifact"], PathId=path,
        ProvisionedProductName=name, ProvisionToken=f"token-{name}",
        ProvisioningParameters=[{"Key": k, "Value": v} for k, v in parameters.items()],
        Tags=[{"Key": "Env", "Value": name}],
    )
    assert_conforms("servicecatalog", "ProvisionProduct", response)
    return response["RecordDetail"]


def _settled(sc, record_id: str, timeout: float = 5.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        record = sc.describe_record(Id=record_id)
        if record["RecordDetail"]["Status"] != "IN_PROGRESS" or time.monotonic() > deadline:
            return record
        time.sleep(0.05)


def test_products_have_provisioning_artifacts_an_admin_can_manage(world):
    sc = world.admin("servicecatalog", world.main)
    product = world.ids["product"]
    second = sc.create_provisioning_artifact(
        ProductId=product, IdempotencyToken="v2",
        Parameters={"Name": "v2", "Info": {"LoadTemplateFromURL": world.template_url}})
    assert_conforms("servicecatalog", "CreateProvisioningArtifact", second)

    listed = sc.list_provisioning_artifacts(ProductId=product)
    assert_conforms("servicecatalog", "ListProvisioningArtifacts", listed)
    assert [a["Name"] for a in listed["ProvisioningArtifactDetails"]] == ["v1", "v2"]
    described = sc.describe_provisioning_artifact(
        ProductId=product, ProvisioningArtifactId=world.ids["artifact"],
        IncludeProvisioningArtifactParameters=True)
    assert_conforms("servicecatalog", "DescribeProvisioningArtifact", described)
    assert described["Info"] == {"TemplateUrl": world.template_url}  # AWS answers with TemplateUrl
    assert {p["ParameterKey"] for p in described["ProvisioningArtifactParameters"]} == {"InstanceType", "EnvId"}

    admin_view = sc.describe_product_as_admin(Id=product)
    assert_conforms("servicecatalog", "DescribeProductAsAdmin", admin_view)
    assert len(admin_view["ProvisioningArtifactSummaries"]) == 2
    found = sc.search_products_as_admin(PortfolioId=world.ids["portfolio"])
    assert_conforms("servicecatalog", "SearchProductsAsAdmin", found)
    assert [p["ProductViewSummary"]["Id"] for p in found["ProductViewDetails"]] == [product]
    assert_conforms("servicecatalog", "DescribeProduct", sc.describe_product(Id=product))


def test_an_imported_portfolio_is_usable_only_by_associated_principals(world):
    env_mgmt = world.env_mgmt("servicecatalog")
    products = env_mgmt.search_products()
    assert_conforms("servicecatalog", "SearchProducts", products)
    assert [p["ProductId"] for p in products["ProductViewSummaries"]] == [world.ids["product"]]
    paths = env_mgmt.list_launch_paths(ProductId=world.ids["product"])
    assert_conforms("servicecatalog", "ListLaunchPaths", paths)
    assert [c["Type"] for c in paths["LaunchPathSummaries"][0]["ConstraintSummaries"]] == ["LAUNCH"]

    iam = world.admin("iam", world.host)
    iam.create_role(RoleName="outsider",
                    AssumeRolePolicyDocument=scenario.trust_policy(f"arn:aws:iam::{world.main}:root"))
    creds = world.admin("sts", world.main).assume_role(
        RoleArn=f"arn:aws:iam::{world.host}:role/outsider", RoleSessionName="x1",
        ExternalId=scenario.EXTERNAL_ID)["Credentials"]
    outsider = world.client("servicecatalog", {
        "aws_access_key_id": creds["AccessKeyId"], "aws_secret_access_key": creds["SecretAccessKey"],
        "aws_session_token": creds["SessionToken"]})
    assert outsider.search_products()["ProductViewSummaries"] == []
    assert outsider.list_launch_paths(ProductId=world.ids["product"])["LaunchPathSummaries"] == []


def test_provisioning_creates_the_stack_in_the_callers_account_and_reports_outputs(world, aws):
    aws(delay_seconds=0.5)
    sc = world.env_mgmt("servicecatalog")
    record = _provision(sc, world, "env-a")
    assert record["Status"] == "CREATED"
    assert record["LaunchRoleArn"] == f"arn:aws:iam::{world.main}:role/sc-launch"

    during = sc.describe_record(Id=record["RecordId"])
    assert during["RecordDetail"]["Status"] == "IN_PROGRESS" and during["RecordOutputs"] == []
    product = sc.describe_provisioned_product(Id=record["ProvisionedProductId"])
    assert product["ProvisionedProductDetail"]["Status"] == "UNDER_CHANGE"

    done = _settled(sc, record["RecordId"])
    assert_conforms("servicecatalog", "DescribeRecord", done)
    assert done["RecordDetail"]["Status"] == "SUCCEEDED"
    outputs = {o["OutputKey"]: o["OutputValue"] for o in done["RecordOutputs"]}
    assert outputs["CloudformationStackARN"].split(":")[4] == world.host
    assert set(outputs) >= {"NotebookInstanceName", "NotebookArn", "EnvironmentInstanceRoleArn"}
    detail = sc.describe_provisioned_product(Id=record["ProvisionedProductId"])
    assert_conforms("servicecatalog", "DescribeProvisionedProduct", detail)
    assert detail["ProvisionedProductDetail"]["Status"] == "AVAILABLE"
    got = sc.get_provisioned_product_outputs(ProvisionedProductId=record["ProvisionedProductId"],
                                             OutputKeys=["NotebookArn"])
    assert_conforms("servicecatalog", "GetProvisionedProductOutputs", got)
    assert [o["OutputValue"] for o in got["Outputs"]] == [outputs["NotebookArn"]]
    searched = sc.search_provisioned_products(Filters={"SearchQuery": ["name:env-a"]})
    assert_conforms("servicecatalog", "SearchProvisionedProducts", searched)
    found = searched["ProvisionedProducts"][0]
    assert found["PhysicalId"] == outputs["CloudformationStackARN"]
    assert found["UserArn"] == world.env_mgmt_role and {"Key": "Env", "Value": "env-a"} in found["Tags"]
    stack = world.admin("cloudformation", world.host).describe_stacks(
        StackName=found["PhysicalId"])["Stacks"][0]
    assert {"Key": "Env", "Value": "env-a"} in stack["Tags"]
    assert {"ParameterKey": "EnvId", "ParameterValue": "env-a"} in stack["Parameters"]


def test_terminating_deletes_the_stack_and_then_the_provisioned_product(world, aws):
    sc = world.env_mgmt("servicecatalog")
    record = _provision(sc, world, "env-b")
    stack_arn = sc.search_provisioned_products()["ProvisionedProducts"][0]["PhysicalId"]
    aws(delay_seconds=0.5)
    terminated = sc.terminate_provisioned_product(
        ProvisionedProductId=record["ProvisionedProductId"], TerminateToken="t-1")
    assert_conforms("servicecatalog", "TerminateProvisionedProduct", terminated)
    assert terminated["RecordDetail"]["RecordType"] == "TERMINATE_PROVISIONED_PRODUCT"
    assert sc.describe_provisioned_product(Id=record["ProvisionedProductId"])[
        "ProvisionedProductDetail"]["Status"] == "UNDER_CHANGE"

    assert _settled(sc, terminated["RecordDetail"]["RecordId"])["RecordDetail"]["Status"] == "SUCCEEDED"
    with pytest.raises(ClientError, match="ResourceNotFoundException"):
        sc.describe_provisioned_product(Id=record["ProvisionedProductId"])
    stack = world.admin("cloudformation", world.host).describe_stacks(StackName=stack_arn)["Stacks"][0]
    assert stack["StackStatus"] == "DELETE_COMPLETE"


@pytest.mark.parametrize("params, message", [
    ({"InstanceType": "ml.bogus"}, "Value 'ml.bogus' at 'instanceType'"),
    ({"Colour": "blue"}, "Parameters: ['Colour'] do not exist in the template"),
])
def test_a_bad_parameter_fails_the_record_and_leaves_no_stack_in_progress(world, params, message):
    sc = world.env_mgmt("servicecatalog")
    record = _provision(sc, world, "env-c", **params)
    detail = sc.describe_record(Id=record["RecordId"])["RecordDetail"]
    assert detail["Status"] == "FAILED"
    assert message in detail["RecordErrors"][0]["Description"]
    product = sc.describe_provisioned_product(Id=record["ProvisionedProductId"])["ProvisionedProductDetail"]
    assert product["Status"] == "ERROR" and message in product["StatusMessage"]
    stacks = world.admin("cloudformation", world.host).list_stacks()["StackSummaries"]
    assert all(s["StackStatus"] != "CREATE_IN_PROGRESS" for s in stacks)


def test_a_provisioned_product_name_is_unique_and_tokens_are_idempotent(world):
    sc = world.env_mgmt("servicecatalog")
    first = _provision(sc, world, "env-d")
    assert _provision(sc, world, "env-d")["RecordId"] == first["RecordId"]  # same token
    path = sc.list_launch_paths(ProductId=world.ids["product"])["LaunchPathSummaries"][0]["Id"]
    with pytest.raises(ClientError, match="DuplicateResourceException"):
        sc.provision_product(ProductId=world.ids["product"], ProvisioningArtifactId=world.ids["artifact"],
                             PathId=path, ProvisionedProductName="env-d", ProvisionToken="other")
