"""Launch faults end in a true status with a reason the user can act on; forged, repeated and stale
events change nothing. Everything runs through the real documents and product in emulated hosting accounts."""

from __future__ import annotations

import json
import uuid

import boto3
import pytest

from tests.api.environment_world import EventPump, notebook_type
from tests.api.test_environments_api import act, launch, reader, settle
from tests.helpers import body


# -- helpers shared with test_reconciliation.py and test_platform_events.py ------------------------
def hosted_world(app, stack, admin, people, account, env_type) -> dict:
    """A project on `account` with a linked configuration and a researcher, as IT admins set it up."""
    from chalicelib import deps
    from chalicelib.models.configurations import ConfigParam, CreateConfiguration
    from chalicelib.models.cost_centers import CreateCostCenter
    from chalicelib.models.projects import CreateProject

    c, tag = deps.container(), uuid.uuid4().hex[:8]
    cc = c.cost_centers.create(admin.id, CreateCostCenter(name=f"cc-{tag}", account_id=account.id))
    project = c.projects.create(admin.id, CreateProject(name=f"p-{tag}", cost_center_id=cc.id))
    configuration = c.configurations.create(admin.id, env_type.id, CreateConfiguration(
        name=f"small-{tag}", params=[ConfigParam(key="InstanceType", value="ml.t3.medium")]))
    c.configurations.link(project.id, env_type.id, configuration.id)
    return {"project": project, "type": env_type, "configuration": configuration, "account": account,
            "researcher": people.make(projects={project.id: "Researcher"}), "pump": EventPump(app, stack)}


def swallow(stack) -> list[dict]:
    """Waits for the emulated automation to finish, then takes every queued event away undelivered."""
    from local.emulation import wait_idle

    assert wait_idle(30)
    sqs, url, events = boto3.client("sqs"), stack["PlatformEventsQueueUrl"], []
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        sqs.delete_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                                                        for i, m in enumerate(messages)])
        events += [json.loads(m["Body"]) for m in messages]
    return events


def deny_assumption(account, session) -> None:
    """The hosting account's env-mgmt role stops trusting the registered ExternalId (a redeploy with a new one)."""
    iam = session.client("iam")
    name = account.env_mgmt_role_arn.rsplit("/", 1)[-1]
    trust = iam.get_role(RoleName=name)["Role"]["AssumeRolePolicyDocument"]
    iam.update_assume_role_policy(RoleName=name, PolicyDocument=json.dumps(trust).replace(
        f'"{account.external_id}"', '"rotated-by-the-hosting-account"'))
    # Sessions assumed before the change stay valid until they expire (up to 15 minutes), as on AWS;
    # the tests look at a container that assumes afresh.
    from chalicelib import deps
    deps.container().hosting_sessions.clear()


def stored(env_id: str):
    from chalicelib import deps
    return deps.container().environments_repo.get(env_id)


def stale_configuration(world) -> dict:
    """A linked configuration the product's template now refuses (InstanceType outside AllowedValues),
    written past the service's checks as one made before the template narrowed its values."""
    from chalicelib import deps
    from chalicelib.models.base import now
    from chalicelib.models.configurations import ConfigParam, Configuration

    c, stamp = deps.container(), now()
    stale = c.configurations_repo.add(Configuration(
        id=f"etc-{uuid.uuid4()}", env_type_id=world["type"].id, name=f"stale-{uuid.uuid4().hex[:6]}",
        params=[ConfigParam(key="InstanceType", value="ml.m5.large")], created_at=stamp, updated_at=stamp,
        created_by="admin", updated_by="admin"))
    c.configurations.link(world["project"].id, world["type"].id, stale.id)
    return {**world, "configuration": stale}


# -- fixtures ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def world(stack, app, admin, people, hosting_account):
    return hosted_world(app, stack, admin, people, hosting_account, notebook_type(stack, admin.id))


def variant_type(world, admin, **changes):
    """An approved environment type row that differs from the real one (what a broken import would make)."""
    from chalicelib import deps
    from chalicelib.models.configurations import ConfigParam, CreateConfiguration

    c, tag = deps.container(), uuid.uuid4().hex[:8]
    env_type = c.environment_types_repo.add(world["type"].model_copy(update={
        "id": f"et-{uuid.uuid4()}", "name": f"variant-{tag}", **changes}))
    configuration = c.configurations.create(admin.id, env_type.id, CreateConfiguration(
        name=f"v-{tag}", params=[ConfigParam(key="InstanceType", value="ml.t3.medium")]))
    c.configurations.link(world["project"].id, env_type.id, configuration.id)
    return {**world, "type": env_type, "configuration": configuration}


# -- 1. the automation fails -------------------------------------------------------------------------
def test_a_launch_whose_provisioning_artifact_is_gone_fails_with_a_reason_to_launch_again(api, world, admin):
    broken = variant_type(world, admin, provisioning_artifact_id="pa-withdrawn00000")
    env = body(launch(api, broken, "withdrawn"))
    env = settle(world, reader(api, world, env["id"]), "FAILED")
    assert env["status"] == "FAILED", env
    assert "Service Catalog refused ProvisionProduct" in env["statusReason"]
    assert "launch again" in env["statusReason"] and env["allowedActions"] == ["terminate"]
    assert ".." not in env["statusReason"], env["statusReason"]  # one sentence, not "execution.. Terminate"


def test_a_launch_of_a_product_the_account_cannot_use_answers_202_failed_naming_the_product(api, world, admin):
    foreign = variant_type(world, admin, product_id="prod-notshared0000")
    response = launch(api, foreign, "foreign")
    assert response.status_code == 202, body(response)
    env = body(response)
    assert env["status"] == "FAILED" and "could not start the launch" in env["statusReason"], env
    assert "prod-notshared0000" in env["statusReason"] and "ask an it admin" in env["statusReason"].lower()


# -- 2. the Service Catalog record fails ------------------------------------------------------------
def test_a_record_that_fails_in_service_catalog_fails_the_launch_with_the_records_message(api, world, admin):
    env = body(launch(api, stale_configuration(world), "stale"))
    env = settle(world, reader(api, world, env["id"]), "FAILED")
    assert env["status"] == "FAILED", env
    assert "InstanceType" in env["statusReason"] and "AllowedValues" in env["statusReason"], env
    assert env["statusReason"].startswith("the launch failed: ") and "launch again" in env["statusReason"]


# -- 3. role assumption denied ----------------------------------------------------------------------
def test_a_launch_in_an_account_that_denies_the_role_is_202_failed_with_the_cause_and_nothing_made(
        api, app, stack, admin, people, onboard):
    account, session = onboard()
    assert account.status == "CURRENT", account.status_reason
    denied = hosted_world(app, stack, admin, people, account, notebook_type(stack, admin.id))
    deny_assumption(account, session)
    response = launch(api, denied, "denied")
    assert response.status_code == 202, body(response)
    env = body(response)
    assert env["status"] == "FAILED" and "AccessDenied" in env["statusReason"], env
    assert "ask an it admin to verify the hosting account" in env["statusReason"].lower()
    assert not stored(env["id"]).automation_execution_id
    assert session.client("servicecatalog").search_provisioned_products()["ProvisionedProducts"] == []
    assert session.client("sagemaker").list_notebook_instances()["NotebookInstances"] == []
    done = act(api, denied, env["id"], "terminate")  # nothing was provisioned: it ends at once
    assert body(done)["status"] == "TERMINATED", body(done)


# -- 7. duplicate and stale events -------------------------------------------------------------------
def test_a_duplicate_launch_result_and_a_stale_in_service_after_a_stop_change_nothing(api, world, stack):
    env = body(launch(api, world, "replayed"))
    events = swallow(stack)
    result = next(e for e in events if e.get("source") == "workbench.automation")
    world["pump"].deliver([json.dumps(result)])
    read = reader(api, world, env["id"])
    completed = read()
    assert completed["status"] == "COMPLETED", completed
    world["pump"].deliver([json.dumps(result)])  # the same result again
    assert read()["statusChangedAt"] == completed["statusChangedAt"]

    in_service = [e for e in events if e.get("detail", {}).get("NotebookInstanceStatus") == "InService"]
    assert body(act(api, world, env["id"], "stop"))["status"] == "STOPPING"
    stopped = settle(world, read, "STOPPED")
    assert stopped["status"] == "STOPPED", stopped
    world["pump"].deliver([json.dumps(e) for e in in_service] + [json.dumps(result)])
    again = read()
    assert again["status"] == "STOPPED" and again["statusChangedAt"] == stopped["statusChangedAt"], again


# -- 8. spoofed automation results -------------------------------------------------------------------
def test_a_launch_result_from_another_account_or_another_run_is_ignored(api, world, stack, onboard):
    env = body(launch(api, world, "spoofed"))
    events = swallow(stack)
    genuine = next(e for e in events if e.get("source") == "workbench.automation")
    other_account, _ = onboard()
    from_elsewhere = {**genuine, "account": other_account.aws_account_id}
    other_run = {**genuine, "detail": {**genuine["detail"], "AutomationExecutionId": str(uuid.uuid4())}}
    world["pump"].deliver([json.dumps(from_elsewhere), json.dumps(other_run)])
    assert stored(env["id"]).status == "PENDING"
    world["pump"].deliver([json.dumps(genuine)])
    assert stored(env["id"]).status == "COMPLETED"
