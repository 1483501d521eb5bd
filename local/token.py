"""`python -m local.token <username>`: prints an access token for a user in .local/stack.json."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import boto3


def access_token(stack: dict, username: str) -> str:
    # The partner project's member is listed with that project, apart from the demo project's users.
    everyone = stack["users"] + stack.get("sharedProject", {}).get("users", [])
    user = next(u for u in everyone if u["username"] == username)
    cognito = boto3.client("cognito-idp", endpoint_url=stack["awsEndpoint"], region_name=stack["region"],
                           aws_access_key_id="local", aws_secret_access_key="local")  # noqa: S106 - embedded AWS
    answer = cognito.initiate_auth(ClientId=stack["clientId"], AuthFlow="USER_PASSWORD_AUTH",
                                   AuthParameters={"USERNAME": username, "PASSWORD": user["password"]})
    return answer["AuthenticationResult"]["AccessToken"]


if __name__ == "__main__":
    state = Path(__file__).resolve().parent.parent / ".local" / "stack.json"
    if len(sys.argv) != 2 or not state.exists():
        sys.exit("usage: python -m local.token <username>   (with `make local` running)")
    print(access_token(json.loads(state.read_text()), sys.argv[1]))
