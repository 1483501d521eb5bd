"""The Chalice app of one stage as a CloudFormation template: stage settings, merge template, package.

Shared by `make deploy` (scripts/deploy.py) and its dry run, so the dry run packages exactly what a
deployment would. The stage's environment comes from scripts/configure_stage.py; this adds the
entry point's settings (PRIVATE endpoint behind the BYON execute-api endpoint) and the resources
Chalice cannot declare itself (gateway responses; the custom domain in front of a private API).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from chalicelib import settings
from scripts.configure_stage import configure

ROOT = Path(__file__).resolve().parent.parent
GATEWAY_RESPONSES = ROOT / ".chalice" / "gateway-responses.json"
CHALICE = Path(sys.executable).parent / "chalice"
# What `chalice package` reads; .chalice/deployments is its cache of built dependencies (seconds saved).
PROJECT_FILES = ("app.py", "chalicelib", "requirements.txt", ".chalice")
ENDPOINT_KEYS = ("api_gateway_endpoint_type", "api_gateway_endpoint_vpce")
# Settings the app reads at import that settings.ENV_FROM_OUTPUT does not list yet: the edge
# authorizer's pool and the console's origin (CORS), from the main and console stacks' outputs.
MORE_FROM_OUTPUT = {"USER_POOL_ARN": "UserPoolArn", "CONSOLE_ORIGIN": "ConsoleOrigin"}
ALLOW_ORIGIN = "gatewayresponse.header.Access-Control-Allow-Origin"


def configure_app_stage(stage: str, outputs: dict[str, str], config_path: Path) -> dict[str, Any]:
    """The stage's environment from the outputs, and its endpoint: PRIVATE through the BYON endpoint
    when the stack has one (output ApiVpcEndpointId), else Chalice's default (the keys removed, so
    a stage that leaves BYON goes back to a public API)."""
    configure(stage, outputs, config_path)
    config = json.loads(config_path.read_text())
    stage_config = config["stages"][stage]
    for key in ENDPOINT_KEYS:
        stage_config.pop(key, None)
    stage_config["environment_variables"].update(
        {name: outputs[output] for name, output in MORE_FROM_OUTPUT.items() if outputs.get(output)})
    if outputs.get("ApiVpcEndpointId"):
        # Chalice turns these into EndpointConfiguration PRIVATE and an x-amazon-apigateway-policy
        # that admits only requests through this endpoint (aws:SourceVpce).
        stage_config["api_gateway_endpoint_type"] = "PRIVATE"
        stage_config["api_gateway_endpoint_vpce"] = outputs["ApiVpcEndpointId"]
    config_path.write_text(json.dumps(config, indent=2) + "\n")
    return stage_config


def merge_template(outputs: dict[str, str], console_origin: str | None = None) -> dict[str, Any]:
    """The gateway responses, plus, behind a load balancer, the API's custom domain: the ALB forwards
    with Host: <domain> to the execute-api endpoint, and API Gateway routes by that domain's mapping.
    console_origin: the stage's, as the packaged app's CORS allows it (default: settings.console_origin())."""
    template = json.loads(GATEWAY_RESPONSES.read_text())
    # Without Access-Control-Allow-Origin the browser hides the gateway's own answers (the edge
    # authorizer's 401, 403, 404, 429, 5xx) from the console as a bare network error.
    origin = console_origin or settings.console_origin()
    for resource in template["Resources"].values():
        if resource.get("Type") == "AWS::ApiGateway::GatewayResponse":  # the file also sets the API's stage
            resource["Properties"].setdefault("ResponseParameters", {})[ALLOW_ORIGIN] = f"'{origin}'"
    # The file also sets properties of the API chalice generates (chalice merges recursively): X-Ray
    # on the stage (no IAM change: API Gateway writes the traces) and the stage's throttling.
    domain = outputs.get("ApiDomainName")
    if domain:
        template["Resources"].update({
            "ApiCustomDomain": {
                "Type": "AWS::ApiGateway::DomainName",
                "Properties": {"DomainName": domain, "RegionalCertificateArn": outputs["ApiCertificateArn"],
                               "EndpointConfiguration": {"Types": ["REGIONAL"]}, "SecurityPolicy": "TLS_1_2"}},
            "ApiBasePathMapping": {
                "Type": "AWS::ApiGateway::BasePathMapping",
                # RestAPI.Stage: SAM's reference to the stage it creates, so the mapping waits for it.
                "Properties": {"DomainName": {"Ref": "ApiCustomDomain"}, "RestApiId": {"Ref": "RestAPI"},
                               "Stage": {"Ref": "RestAPI.Stage"}}},
        })
    return template


def project_copy(destination: Path) -> Path:
    """The app's files in destination, so a dry run writes its stage config there, not in the repo."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=shutil.ignore_patterns("__pycache__", "deployments"))
        else:
            shutil.copy2(source, destination / name)
    # Linked, not copied: the dependency cache is large (one zip per requirements hash).
    (ROOT / ".chalice" / "deployments").mkdir(exist_ok=True)
    (destination / ".chalice" / "deployments").symlink_to(ROOT / ".chalice" / "deployments")
    return destination


def packaging_environment(project_dir: Path, stage: str, region: str) -> dict[str, str]:
    """What app.py sees while `chalice package` imports it: the stage's environment over the process's.
    app.py reads some at import (the SQS handler's queue, the authorizer's pool, the CORS origin:
    settings.py), so the stage's whole environment is exported to the packaging process."""
    config = json.loads((project_dir / ".chalice" / "config.json").read_text())
    return {**os.environ, **config.get("environment_variables", {}),
            **config["stages"][stage].get("environment_variables", {}), "AWS_DEFAULT_REGION": region}


def package(project_dir: Path, stage: str, outputs: dict[str, str], out_dir: Path, region: str) -> Path:
    """`chalice package` of the stage into out_dir (sam.json + deployment.zip); returns sam.json."""
    env = packaging_environment(project_dir, stage, region)
    merge = out_dir.parent / f"{out_dir.name}-merge.json"  # its origin: the one app.py's CORS gets from env
    merge.write_text(json.dumps(merge_template(outputs, env.get("CONSOLE_ORIGIN")), indent=1))
    run = subprocess.run([str(CHALICE), "--project-dir", str(project_dir), "package", "--stage", stage,  # noqa: S603
                          "--merge-template", str(merge), str(out_dir)],
                         env=env, capture_output=True, text=True, timeout=600, check=False)
    if run.returncode != 0:
        raise RuntimeError(f"chalice package failed:\n{run.stdout}{run.stderr}")
    return out_dir / "sam.json"


def package_problems(sam: dict[str, Any], outputs: dict[str, str]) -> list[str]:
    """What the packaged template must say for these outputs: the endpoint type, the resource policy
    naming the VPC endpoint, the events queue, the custom domain."""
    found = []
    api = sam["Resources"]["RestAPI"]["Properties"]
    vpce = outputs.get("ApiVpcEndpointId")
    expected_type = "PRIVATE" if vpce else "EDGE"
    if api.get("EndpointConfiguration") != expected_type:
        found.append(f"RestAPI EndpointConfiguration is {api.get('EndpointConfiguration')!r}, not {expected_type}")
    policy = api["DefinitionBody"].get("x-amazon-apigateway-policy")
    if vpce and vpce not in json.dumps(policy):
        found.append(f"the API's resource policy does not name {vpce}: {policy}")
    if not vpce and policy:
        found.append("a public API carries a resource policy")
    queue = sam["Resources"]["PlatformEvents"]["Properties"]["Events"]["PlatformEventsSqsEventSource"]
    if not json.dumps(queue["Properties"]["Queue"]).endswith(f":{outputs['PlatformEventsQueueName']}\"}}"):
        found.append(f"the events handler reads {queue['Properties']['Queue']}, "
                     f"not {outputs['PlatformEventsQueueName']}")
    if outputs["UserPoolArn"] not in json.dumps(api["DefinitionBody"].get("securityDefinitions", {})):
        found.append(f"the API's Cognito authorizer does not trust {outputs['UserPoolArn']}")
    if bool(outputs.get("ApiDomainName")) != ("ApiBasePathMapping" in sam["Resources"]):
        found.append("the custom domain mapping does not follow the ApiDomainName output")
    return found + gateway_origin_problems(sam)


def preflight_origins(sam: dict[str, Any]) -> set[str]:
    """The origins the packaged API's CORS preflights (chalice's mock OPTIONS integrations) allow, quoted."""
    return {response.get("responseParameters", {}).get("method.response.header.Access-Control-Allow-Origin")
            for path in sam["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]["paths"].values()
            if "options" in path
            for response in path["options"]["x-amazon-apigateway-integration"]["responses"].values()} - {None}


def gateway_origin_problems(sam: dict[str, Any]) -> list[str]:
    """Every gateway response allows the one origin the app's own CORS allows."""
    origins = preflight_origins(sam)
    if len(origins) != 1:
        return [f"the API's preflights allow {sorted(origins)}, not one console origin"]
    return [f"gateway response {name} allows {resource['Properties'].get('ResponseParameters', {}).get(ALLOW_ORIGIN)}"
            f", not the console's {next(iter(origins))}"
            for name, resource in sam["Resources"].items() if resource["Type"] == "AWS::ApiGateway::GatewayResponse"
            and resource["Properties"].get("ResponseParameters", {}).get(ALLOW_ORIGIN) not in origins]


if __name__ == "__main__":  # `make package`: python -m scripts.app_package <stage> <merge template to write>
    origin = packaging_environment(ROOT, sys.argv[1], "us-east-1").get("CONSOLE_ORIGIN")
    Path(sys.argv[2]).write_text(json.dumps(merge_template({}, origin), indent=1))
