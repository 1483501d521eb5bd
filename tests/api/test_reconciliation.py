"""Reconciliation keeps status true when events are lost, fails what is past its deadline, and one
unreachable hosting account never stops another's repair."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import boto3
import pytest

from tests.api.environment_world import notebook_type
from tests.api.test_environment_faults import deny_assumption, hosted_world, stale_configuration, stored, swallow
from tests.api.test_environments_api import act, launch, reader, settle
from tests.helpers import body


@pytest.fixture(scope="module")
def world(stack, app, admin, people, onboard):
    account, session = onboard()
    assert account.status == "CURRENT", account.status_reason
    return {**hosted_world(app, stack, admin, people, account, notebook_type(stack, admin.id)), "session": session}


def reconcile(world, clock=None):
    from chalicelib import deps
    from chalicelib.lifecycle.reconciliation import Reconciler

    c = deps.container()
    if clock is None:
        return c.reconciler.reconcile_account(world["account"].id)
    return Reconciler(c.environments_repo, c.accounts_repo, c.automation, c.environment_events,
                      clock=clock).reconcile_account(world["account"].id)


def completed(api, world, stack, name):
    env = body(launch(api, world, name))
    return settle(world, reader(api, world, env["id"]), "COMPLETED")


def row(world, status, **fields):
    """An environment written straight to the table, as if its status changed `ago` before now."""
    from chalicelib import deps
    from chalicelib.models.base import now
    from chalicelib.models.environments import Environment

    ago = fields.pop("ago", timedelta(0))
    stamp = now() - ago
    return deps.container().environments_repo.add(Environment(
        id=f"env-{uuid.uuid4()}", name=f"row-{status.lower()}", project_id=world["project"].id,
        env_type_id=world["type"].id, env_type_config_id=world["configuration"].id,
        owner=world["researcher"].id, account_id=world["account"].id,
        aws_account_id=world["account"].aws_account_id, driver="sagemaker-notebook", status=status,
        status_reason="waiting", status_changed_at=stamp, created_at=stamp, updated_at=stamp,
        created_by="test", updated_by="test", **fields))


# -- 4. a lost launch event -------------------------------------------------------------------------
def test_a_launch_whose_result_event_was_lost_is_completed_with_outputs_by_reconciliation(api, world, stack):
    env = body(launch(api, world, "lost-launch"))
    swallow(stack)
    assert stored(env["id"]).status == "PENDING"
    outcome = reconcile(world)
    assert env["id"] in outcome.repaired
    now = body(api.http.get(f"/projects/{world['project'].id}/environments/{env['id']}",
                            headers=world["researcher"].headers))
    assert now["status"] == "COMPLETED" and now["statusReason"] == "ready: connect to open it", now
    assert now["instanceId"] and now["outputs"]["NotebookInstanceName"] == now["instanceId"]
    assert now["lastReconciledAt"], now


def test_a_failed_launch_whose_event_was_lost_fails_with_the_records_message_not_the_steps(api, world, stack):
    env = body(launch(api, stale_configuration(world), "lost-failure"))
    swallow(stack)
    reconcile(world)
    failed = stored(env["id"])
    assert failed.status == "FAILED" and failed.provisioned_product_id, failed
    assert "InstanceType" in failed.status_reason and "AllowedValues" in failed.status_reason, failed.status_reason
    assert "Step fails" not in failed.status_reason


# -- 5. changed outside the workbench ------------------------------------------------------------------
def test_a_notebook_stopped_outside_the_workbench_with_its_event_lost_becomes_stopped(api, world, stack):
    env = completed(api, world, stack, "stopped-outside")
    world["session"].client("sagemaker").stop_notebook_instance(NotebookInstanceName=env["instanceId"])
    swallow(stack)
    reconcile(world)
    assert stored(env["id"]).status == "STOPPED"
    assert "Stopped" in stored(env["id"]).status_reason


def test_a_notebook_deleted_outside_the_workbench_fails_with_a_reason_saying_so(api, world, stack):
    env = completed(api, world, stack, "deleted-outside")
    notebooks = world["session"].client("sagemaker")
    notebooks.stop_notebook_instance(NotebookInstanceName=env["instanceId"])
    swallow(stack)
    notebooks.delete_notebook_instance(NotebookInstanceName=env["instanceId"])
    swallow(stack)
    reconcile(world)
    gone = stored(env["id"])
    assert gone.status == "FAILED", gone
    assert "no longer exists" in gone.status_reason and "deleted outside the workbench" in gone.status_reason
    assert "terminate" in gone.status_reason


# -- 6. deadlines ---------------------------------------------------------------------------------------
def test_launches_and_terminations_past_their_deadline_fail_and_may_be_retried(api, world):
    from chalicelib.models.base import now

    # Runs the hosting account has no record of: only the deadline can decide.
    pending = row(world, "PENDING", automation_execution_id=str(uuid.uuid4()))
    terminating = row(world, "TERMINATING", automation_execution_id=str(uuid.uuid4()),
                      provisioned_product_id="pp-unknown")
    assert reconcile(world).overdue == []
    outcome = reconcile(world, clock=lambda: now() + timedelta(minutes=76))
    assert {pending.id, terminating.id} <= set(outcome.overdue)
    failed = stored(pending.id)
    assert failed.status == "FAILED" and "within 75 minutes" in failed.status_reason
    assert "retry the action" in failed.status_reason
    assert stored(terminating.id).status == "TERMINATING_FAILED"
    retried = act(api, world, pending.id, "terminate")  # nothing was provisioned: terminated at once
    assert retried.status_code == 202 and body(retried)["status"] == "TERMINATED", body(retried)
    view = body(api.http.get(f"/projects/{world['project'].id}/environments/{terminating.id}",
                             headers=world["researcher"].headers))
    assert view["allowedActions"] == ["terminate"], view


def test_starts_and_stops_past_their_deadline_fail_even_when_the_account_cannot_be_reached(
        api, app, stack, admin, people, onboard):
    from chalicelib.models.base import now

    account, session = onboard()
    cut_off = hosted_world(app, stack, admin, people, account, notebook_type(stack, admin.id))
    starting = row(cut_off, "STARTING", instance_id="nb-starting", ago=timedelta(minutes=21))
    stopping = row(cut_off, "STOPPING", instance_id="nb-stopping", ago=timedelta(minutes=21))
    recent = row(cut_off, "STOPPING", instance_id="nb-recent")
    deny_assumption(account, session)
    outcome = reconcile(cut_off, clock=now)
    assert set(outcome.overdue) == {starting.id, stopping.id}
    assert stored(starting.id).status == "STARTING_FAILED" and "within 20 minutes" in stored(starting.id).status_reason
    assert stored(stopping.id).status == "STOPPING_FAILED" and stored(recent.id).status == "STOPPING"
    views = {e: body(api.http.get(f"/projects/{cut_off['project'].id}/environments/{e}",
                                  headers=cut_off["researcher"].headers)) for e in (starting.id, stopping.id)}
    assert "start" in views[starting.id]["allowedActions"] and "stop" in views[stopping.id]["allowedActions"]


# -- 10. fan-out --------------------------------------------------------------------------------------
def test_the_fan_out_repairs_every_reachable_account_and_stamps_the_unreachable_ones(
        api, app, stack, admin, people, onboard, world):
    from chalicelib import deps

    drifted = completed(api, world, stack, "fan-out")
    world["session"].client("sagemaker").stop_notebook_instance(NotebookInstanceName=drifted["instanceId"])
    account, session = onboard()
    unreachable = hosted_world(app, stack, admin, people, account, notebook_type(stack, admin.id))
    stuck = row(unreachable, "STOPPED", instance_id="nb-elsewhere")
    deny_assumption(account, session)
    swallow(stack)

    c = deps.container()
    from chalicelib.repositories.base import PageRequest

    accounts, token = [], None
    while True:
        page, token = c.accounts_repo.list(PageRequest(size=100, token=token))
        accounts += [a.id for a in page]
        if not token:
            break
    from chalicelib.lifecycle.reconciliation import RECONCILE
    assert c.fan_out.each_account(RECONCILE) == len(accounts)
    sqs, url = boto3.client("sqs"), stack["PlatformEventsQueueUrl"]
    units = []
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        units += messages
        sqs.delete_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                                                        for i, m in enumerate(messages)])
    assert sorted(json.loads(m["Body"])["detail"]["accountId"] for m in units) == sorted(accounts)
    for start in range(0, len(units), 10):  # through the SQS handler, as Lambda delivers them
        world["pump"].deliver([m["Body"] for m in units[start:start + 10]])

    assert stored(drifted["id"]).status == "STOPPED"
    assert stored(drifted["id"]).last_reconciled_at is not None
    assert stored(stuck.id).status == "STOPPED" and stored(stuck.id).last_reconciled_at is not None
