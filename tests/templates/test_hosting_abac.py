"""Least privilege by tag: the hosting account's roles act only on workbench notebooks, and each
notebook's own role only on itself (asserted on the parsed policy documents)."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.templates.test_monitoring import _Loader

TEMPLATE = Path(__file__).resolve().parents[2] / "hosting_account" / "template.yaml"


def statements() -> dict[str, dict]:
    resources = yaml.load(TEMPLATE.read_text(), Loader=_Loader)["Resources"]  # noqa: S506 - a SafeLoader
    found = {}
    for resource in resources.values():
        props = resource.get("Properties", {})
        documents = [p["PolicyDocument"] for p in props.get("Policies", [])]
        if "PolicyDocument" in props:
            documents.append(props["PolicyDocument"])
        for document in documents:
            for statement in document.get("Statement", []):
                if "Sid" in statement:
                    found[statement["Sid"]] = statement
    return found


def test_env_mgmt_operates_only_notebooks_the_workbench_tagged():
    operate = statements()["OperateNotebooks"]
    assert operate["Condition"] == {"StringLike": {"aws:ResourceTag/Env": "env-*"}}


def test_each_notebook_role_stops_only_its_own_notebook():
    self_stop = statements()["NotebookSelf"]
    assert self_stop["Condition"] == {"StringEquals": {"aws:ResourceTag/Env": "${aws:PrincipalTag/Env}"}}


def test_env_mgmt_starts_only_the_workbench_documents():
    resources = [r["Sub"] for r in statements()["RunSharedDocuments"]["Resource"]]
    assert resources and all(r.endswith(("LaunchEnvironment", "TerminateEnvironment", "LaunchEnvironment:*",
                                         "TerminateEnvironment:*")) for r in resources)
    assert not any(r.endswith("document/*") for r in resources)
