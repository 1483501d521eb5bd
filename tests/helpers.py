"""Plain test helpers every tier may import: no app, no moto."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field

PASSWORD = "Correct-Horse-9-Battery!"

NOTEBOOK_PARAMETERS = {
    "EnvId": {"Type": "String"},
    "VpcId": {"Type": "AWS::EC2::VPC::Id"},
    "InstanceType": {"Type": "String", "Default": "ml.t3.medium",
                     "AllowedValues": ["ml.t3.medium", "ml.t3.large", "ml.m5.large"]},
    "AutoStopIdleTimeInMinutes": {"Type": "Number", "Default": 60, "MinValue": 0, "MaxValue": 1440},
    "CIDR": {"Type": "String", "AllowedPattern": r"(\d{1,3}\.){3}\d{1,3}/\d{1,2}"},
}


@dataclass
class Person:
    id: str
    username: str
    email: str
    token: str
    memberships: dict = field(default_factory=dict)

    @property
    def headers(self) -> dict:
        return {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}


def body(response) -> dict:
    return json.loads(response.body) if response.body else {}


def random_account_id() -> str:
    return f"{uuid.uuid4().int % 9 * 10**11 + uuid.uuid4().int % 10**11 + 10**11:012d}"
