"""Starts moto in-process, deploys the main account from its template, seeds a demo, serves the API.

Everything lives in this one process: Ctrl-C ends it all, and the next start begins clean.
"""

from __future__ import annotations

import argparse
import faulthandler
import json
import logging
import os
import signal
import socket
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGION = "us-east-1"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m local", description=__doc__)
    parser.add_argument("--api-port", type=int, default=8000)
    parser.add_argument("--aws-port", type=int, default=5000)
    parser.add_argument("--state-dir", type=Path, default=ROOT / ".local")
    parser.add_argument("--schedule-seconds", type=float, default=15.0,
                        help="how often the scheduled jobs run locally (AWS runs them every few minutes)")
    parser.add_argument("--notebook-port", type=int, default=8888, help="serves the pre-signed notebook links")
    parser.add_argument("--console-port", type=int, default=8080, help="serves the web console (console/)")
    parser.add_argument("--delay-seconds", type=float, default=3.0,
                        help="how long AWS's slow steps (provisioning, notebook start/stop) take locally")
    return parser.parse_args(argv)


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def start_embedded_aws(port: int):
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    host, bound = server.get_host_and_port()
    endpoint = f"http://{host}:{bound}"
    os.environ.update(AWS_ENDPOINT_URL=endpoint, AWS_ACCESS_KEY_ID="local",
                      AWS_SECRET_ACCESS_KEY="local",  # noqa: S106 - the embedded AWS takes any key
                      AWS_DEFAULT_REGION=REGION, AWS_REGION=REGION)
    os.environ.pop("AWS_PROFILE", None)
    return server, endpoint


def configure_app_environment(outputs: dict[str, str], endpoint: str) -> None:
    """What `.chalice/config.json` gives the Lambda functions on AWS, from the stack's outputs;
    and, as on Lambda, the app acts as a role of the main account (hosting accounts trust only those)."""
    from chalicelib.settings import environment_from_outputs

    from .app_identity import app_credentials

    creds = app_credentials()
    os.environ.update(AWS_ACCESS_KEY_ID=creds["aws_access_key_id"],
                      AWS_SECRET_ACCESS_KEY=creds["aws_secret_access_key"],
                      AWS_SESSION_TOKEN=creds["aws_session_token"])
    os.environ.update(environment_from_outputs(outputs), STAGE="local",
                      JWKS_BASE_URL=endpoint)  # moto serves the pool's JWKS; the issuer keeps the AWS form


def serve_api(port: int):
    from chalice.cli.factory import CLIFactory

    factory = CLIFactory(str(ROOT))
    config = factory.create_config_obj(chalice_stage_name="local")
    server = factory.create_local_server(config.chalice_app, config, "127.0.0.1", port)
    # socketserver listens with a backlog of 5: when many clients connect at once (a browser, a
    # concurrency test) while the accepting thread waits for the GIL, the kernel drops the rest
    # and they see "connection reset". listen() again on the bound socket raises the backlog.
    server.server.socket.listen(128)
    thread = threading.Thread(target=server.serve_forever, name="api", daemon=True)
    thread.start()
    return server, config.chalice_app


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    faulthandler.register(signal.SIGUSR1, all_threads=True)  # `kill -USR1 <pid>` prints every thread's stack
    for port in (args.api_port, args.aws_port, args.notebook_port, args.console_port):
        if port and not _port_free(port):
            sys.exit(f"port {port} is in use: stop the other `make local` (or whatever holds it) and retry")
    # Before the app is imported: its routes fix their CORS origin (the console's) when declared.
    console_url = f"http://127.0.0.1:{args.console_port}"
    os.environ["CONSOLE_ORIGIN"] = console_url
    import boto3

    from . import console_server, emulation, gateway, notebook_page, s3_hosts
    from .main_account import deploy_main_account
    from .pumps import Pumps
    from .seed import seed_demo

    moto_server, endpoint = start_embedded_aws(args.aws_port)
    # Before any boto3 session exists: the app's s3control calls (dataset access points) need it.
    s3_hosts.install(endpoint, REGION)
    pages = notebook_page.serve(args.notebook_port)
    notebooks = f"http://127.0.0.1:{pages.server_address[1]}/notebooks"
    emulation.install(emulation.EmulationSettings(delay_seconds=args.delay_seconds, endpoint_url=endpoint,
                                                  notebook_url_base=notebooks, strict_cloudformation=True))
    print(f"embedded AWS   {endpoint}", flush=True)
    outputs = deploy_main_account(boto3.session.Session(), stack_name="rsw-local", stage="local")
    configure_app_environment(outputs, endpoint)
    gateway.install()  # unknown routes answer as the deployed API Gateway does
    api_server, app = serve_api(args.api_port)
    api_url = f"http://127.0.0.1:{api_server.server.server_address[1]}"
    print(f"\nAPI            {api_url}", flush=True)
    pumps = Pumps(app, schedule_seconds=args.schedule_seconds)
    stack = seed_demo(api_url, endpoint, REGION, outputs, pumps)
    pumps.start()
    console = console_server.serve(args.console_port, console_server.console_config(stack))
    stack["consoleUrl"] = console_url
    print(f"console        {console_url}", flush=True)
    args.state_dir.mkdir(parents=True, exist_ok=True)
    (args.state_dir / "stack.json").write_text(json.dumps(stack, indent=2))
    _print_tour(stack, args.state_dir / "stack.json")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        print("\nstopping…", flush=True)
        pumps.stop()
        api_server.server.shutdown()
        pages.shutdown()
        console.shutdown()
        moto_server.stop()
        (args.state_dir / "stack.json").unlink(missing_ok=True)


def _print_tour(stack: dict, path: Path) -> None:
    """The README's tour with this run's names filled in, so every line pastes as is."""
    admin = next(u for u in stack["users"] if u["role"] == "ITAdmin")
    researcher = next(u for u in stack["users"] if u["role"] == "Researcher")
    envs = f"{stack['apiUrl']}/projects/{researcher['projectId']}/environments"
    launch = json.dumps({"name": "my-notebook", "envTypeId": stack["environmentTypeId"],
                         "envTypeConfigId": stack["environmentTypeConfigId"]})
    data = f"{stack['apiUrl']}/projects/{researcher['projectId']}/datasets/{stack['datasetId']}"
    upload = json.dumps({"files": [{"path": "notes/my-notes.csv", "size": 26}]})
    print(f"""
ready: {path}
console: {stack['consoleUrl']} (sign in as any user below; passwords in {path.name})
users: {', '.join(f"{u['username']} ({u['role']})" for u in stack['users'])}

get a token (any AWS CLI or boto3 against the embedded AWS works the same):
  TOKEN=$(.venv/bin/python -m local.token {admin['username']})
  curl -s -H "Authorization: Bearer $TOKEN" {stack['apiUrl']}/me
  curl -s -H "Authorization: Bearer $TOKEN" {stack['apiUrl']}/projects

launch a notebook as the researcher (README.md, "A five-minute tour"):
  H="Authorization: Bearer $(.venv/bin/python -m local.token {researcher['username']})"
  field() {{ .venv/bin/python -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }}
  ENV=$(curl -s -H "$H" -H 'Content-Type: application/json' -d '{launch}' {envs} | field id)
  curl -s -H "$H" {envs}/$ENV | field status        # PENDING, then COMPLETED after ~10 s
  curl -s "$(curl -s -H "$H" {envs}/$ENV/connections | field url)"   # or open the url in a browser
  curl -s -X PUT -H "$H" {envs}/$ENV/stop | field status   # STOPPING, then STOPPED; start, terminate alike

upload a file to the demo dataset (shared read-only with {stack['sharedProject']['name']}):
  URL=$(curl -s -H "$H" -H 'Content-Type: application/json' -d '{upload}' {data}/upload-requests \\
        | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["uploads"][0]["url"])')
  curl -s -T my-notes.csv "$URL"                     # my-notes.csv: any 26-byte file
  sleep 3; curl -s -H "$H" "{data}/files?prefix=notes/"; curl -s -H "$H" {data} | field objectCount

Ctrl-C stops everything.""", flush=True)
