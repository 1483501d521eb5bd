"""The steps of `make deploy` that call AWS (scripts/deploy.py runs them in order)."""

from __future__ import annotations

import hashlib
import json
import mimetypes
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scripts import app_package, cfn_deploy, publish_catalog

if TYPE_CHECKING:
    from scripts.deploy import Deployment

ROOT = Path(__file__).resolve().parent.parent
MAIN_TEMPLATE = ROOT / "main_account" / "template.yaml"
CONSOLE = ROOT / "console"
# The console's built files, in the first of these that exists (console/ is being written now).
CONSOLE_BUILDS = ("dist", "build", "public", "static")
CONSOLE_NOT_SERVED = {"template.yaml", "README.md"}
TEMPLATE_BODY_LIMIT = 51_200  # bytes CloudFormation accepts inline; above it, a TemplateURL


def _outputs(deployment: Deployment) -> dict[str, str]:
    if not deployment.outputs:  # a run resumed past main-account
        cfn = deployment.session.client("cloudformation")
        deployment.outputs = cfn_deploy.stack_outputs(cfn, deployment.main_stack)
        if cfn_deploy.stack_status(cfn, f"rsw-{deployment.stage}-console"):
            console_outputs = cfn_deploy.stack_outputs(cfn, f"rsw-{deployment.stage}-console")
            deployment.outputs.update({k: v for k, v in console_outputs.items() if k == "ConsoleOrigin"})
    return deployment.outputs


def main_account(deployment: Deployment) -> None:
    cfn = deployment.session.client("cloudformation")
    body = MAIN_TEMPLATE.read_text()
    if len(body.encode()) > TEMPLATE_BODY_LIMIT:
        # The artifacts bucket is created by this very stack, so no TemplateURL on a first deploy:
        # the same template as compact JSON (comments dropped) fits.
        from cfn_lint.decode import cfn_yaml  # type: ignore[import-not-found]  # dev tool, untyped

        body = json.dumps(cfn_yaml.load(str(MAIN_TEMPLATE)), separators=(",", ":"))
    result = cfn_deploy.deploy_stack(cfn, deployment.main_stack, {"TemplateBody": body},
                                     {"Stage": deployment.stage, **deployment.byon}, ["CAPABILITY_NAMED_IAM"])
    deployment.outputs = cfn_deploy.stack_outputs(cfn, deployment.main_stack)
    print(f"    stack {deployment.main_stack}: {result}")


def stage_config(deployment: Deployment) -> None:
    stage = app_package.configure_app_stage(deployment.stage, _outputs(deployment),
                                            ROOT / ".chalice" / "config.json")
    endpoint = stage.get("api_gateway_endpoint_type", "EDGE (public)")
    print(f"    .chalice/config.json stage {deployment.stage}: endpoint {endpoint}")


def package(deployment: Deployment) -> None:
    shutil.rmtree(deployment.package_dir, ignore_errors=True)
    deployment.package_dir.parent.mkdir(parents=True, exist_ok=True)
    sam = app_package.package(ROOT, deployment.stage, _outputs(deployment), deployment.package_dir,
                              deployment.region)
    problems = app_package.package_problems(json.loads(sam.read_text()), _outputs(deployment))
    if problems:
        raise RuntimeError("; ".join(problems))
    print(f"    {sam.relative_to(ROOT)}")


def app(deployment: Deployment) -> None:
    """The package through CloudFormation (chalice deploy cannot carry the merged resources):
    code and template uploaded content-addressed to the artifacts bucket."""
    s3, bucket = deployment.session.client("s3"), _outputs(deployment)["ArtifactsBucketName"]
    sam_path = deployment.package_dir / "sam.json"
    if not sam_path.exists():
        raise RuntimeError(f"no package at {sam_path}: resume FROM=package")
    def upload(name: str) -> str:
        code = (deployment.package_dir / name).read_bytes()
        code_key = f"app/{deployment.stage}/{hashlib.sha256(code).hexdigest()[:16]}.zip"
        s3.put_object(Bucket=bucket, Key=code_key, Body=code)
        return f"s3://{bucket}/{code_key}"

    # The functions' code, and the dependencies once in the managed layer (automatic_layer, README).
    uris = {"AWS::Serverless::Function": ("CodeUri", upload("deployment.zip")),
            "AWS::Serverless::LayerVersion": ("ContentUri", upload("layer-deployment.zip"))}
    sam = json.loads(sam_path.read_text())
    for resource in sam["Resources"].values():
        if resource["Type"] in uris:
            field, uri = uris[resource["Type"]]
            resource["Properties"][field] = uri
    body = json.dumps(sam).encode()
    template_key = f"app/{deployment.stage}/{hashlib.sha256(body).hexdigest()[:16]}.json"
    s3.put_object(Bucket=bucket, Key=template_key, Body=body, ContentType="application/json")
    url = f"https://{bucket}.s3.{deployment.region}.amazonaws.com/{template_key}"
    result = cfn_deploy.deploy_stack(deployment.session.client("cloudformation"), deployment.app_stack,
                                     {"TemplateURL": url}, {}, ["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"])
    print(f"    stack {deployment.app_stack}: {result}")


def entry_point(deployment: Deployment) -> None:
    """Behind a load balancer: its targets are the execute-api endpoint's interface addresses."""
    outputs = _outputs(deployment)
    if "ApiTargetGroupArn" not in outputs:
        print("    no load balancer (LOAD_BALANCER=none): nothing to do")
        return
    ec2, elb = deployment.session.client("ec2"), deployment.session.client("elbv2")
    endpoint = ec2.describe_vpc_endpoints(VpcEndpointIds=[outputs["ApiVpcEndpointId"]])["VpcEndpoints"][0]
    interfaces = ec2.describe_network_interfaces(NetworkInterfaceIds=endpoint["NetworkInterfaceIds"])
    addresses = {i["PrivateIpAddress"] for i in interfaces["NetworkInterfaces"]}
    group = outputs["ApiTargetGroupArn"]
    current = {t["Target"]["Id"] for t in elb.describe_target_health(TargetGroupArn=group)["TargetHealthDescriptions"]}
    if addresses - current:
        elb.register_targets(TargetGroupArn=group, Targets=[{"Id": a, "Port": 443} for a in addresses - current])
    if current - addresses:
        elb.deregister_targets(TargetGroupArn=group, Targets=[{"Id": a, "Port": 443} for a in current - addresses])
    print(f"    targets: {', '.join(sorted(addresses))}")


def catalog(deployment: Deployment) -> None:
    published = publish_catalog.publish(deployment.session, _outputs(deployment), publish_catalog.CATALOG_DIR,
                                        stage=deployment.stage)
    print(f"    onboarding template and {len(published)} environment type(s) published "
          "(a changed onboarding template marks hosting accounts NEEDS_UPDATE at the next sync)")


def console_files(say: Any = print) -> tuple[Path, list[Path]]:
    """The console's build directory and static files; none (with the reason) while console/ has no build."""
    build = next((CONSOLE / name for name in CONSOLE_BUILDS if (CONSOLE / name).is_dir()), CONSOLE)
    if not (build / "index.html").is_file():
        say(f"    skipped: no console/index.html (nor in {'/'.join(CONSOLE_BUILDS)}) in this checkout")
        return CONSOLE, []
    # Served as they are (no build step): everything but the stack's template and the notes.
    files = sorted(p for p in build.rglob("*") if p.is_file() and p.name not in CONSOLE_NOT_SERVED)
    say(f"    {len(files)} file(s) from {build.relative_to(ROOT)}/")
    return build, files


def console(deployment: Deployment) -> None:
    """Uploads the console to the bucket console/template.yaml's stack outputs (ConsoleBucketName).
    Before stage-config: the stack's ConsoleOrigin output becomes the API's CONSOLE_ORIGIN."""
    build, files = console_files()
    template = CONSOLE / "template.yaml"
    if not files or not template.exists():
        return
    cfn, stack = deployment.session.client("cloudformation"), f"rsw-{deployment.stage}-console"
    cfn_deploy.deploy_stack(cfn, stack, {"TemplateBody": template.read_text()}, {}, ["CAPABILITY_NAMED_IAM"])
    outputs = cfn_deploy.stack_outputs(cfn, stack)
    if outputs.get("ConsoleOrigin"):  # stage-config, next, lets the API's CORS allow it
        _outputs(deployment)["ConsoleOrigin"] = outputs["ConsoleOrigin"]
    bucket = outputs.get("ConsoleBucketName") or next(v for k, v in outputs.items() if k.endswith("BucketName"))
    s3 = deployment.session.client("s3")
    for path in files:
        s3.put_object(Bucket=bucket, Key=path.relative_to(build).as_posix(), Body=path.read_bytes(),
                      ContentType=mimetypes.guess_type(path.name)[0] or "application/octet-stream")
    print(f"    uploaded to s3://{bucket}/")


def admin(deployment: Deployment) -> None:
    """The first IT admin through the bootstrap_admin function, which refuses once anyone exists."""
    outputs = _outputs(deployment)
    users = deployment.session.client("cognito-idp").list_users(UserPoolId=outputs["UserPoolId"], Limit=1)
    if users["Users"]:
        print("    the workbench has users already: IT admins invite others with POST /users")
        return
    if not deployment.admin["email"]:
        print(f"    no users yet: make deploy STAGE={deployment.stage} FROM=admin ADMIN_EMAIL=you@example.edu "
              "ADMIN_FIRST_NAME=… ADMIN_LAST_NAME=…")
        return
    cfn = deployment.session.client("cloudformation")
    function = cfn.describe_stack_resource(StackName=deployment.app_stack, LogicalResourceId="BootstrapAdmin")
    answer = deployment.session.client("lambda").invoke(
        FunctionName=function["StackResourceDetail"]["PhysicalResourceId"],
        Payload=json.dumps(deployment.admin).encode())
    payload = answer["Payload"].read().decode()
    if answer.get("FunctionError") and "ALREADY_BOOTSTRAPPED" not in payload:
        raise RuntimeError(f"bootstrap_admin failed: {payload}")
    print(f"    {deployment.admin['email']}: Cognito e-mails a temporary password")


def next_steps(deployment: Deployment) -> None:
    cfn = deployment.session.client("cloudformation")
    api = cfn_deploy.stack_outputs(cfn, deployment.app_stack).get("EndpointURL", "?")
    outputs = _outputs(deployment)
    if outputs.get("ApiDomainName"):
        print(f"    API: https://{outputs['ApiDomainName']}/ (load balancer {outputs['LoadBalancerDnsName']}; "
              "point the name at it unless HOSTED_ZONE_ID did)")
    print(f"    API: {api}" + (" (private: from the VPC only)" if outputs.get("ApiVpcEndpointId") else ""))
    print("    Next: onboard a hosting account: POST /awsAccountTemplateUrls as the IT admin, open the createUrl "
          "signed in to that account, then POST /awsAccounts with the stack's outputs (README.md).")
