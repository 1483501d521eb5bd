"""Links an IT admin follows to deploy (or update) the hosting-account stack in the console."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

from ..errors import InvalidState
from ..models.accounts import DEFAULT_STACK, OnboardingUrls, TemplateUrls

TEMPLATE_KEY = "onboarding/hosting-account.yaml"  # uploaded by scripts/publish_catalog.py
URL_LIFETIME = 900  # CloudFormation reads the template once, when the admin opens the link


class OnboardingService:
    def __init__(self, s3: Any, artifacts_bucket: str, region: str, main_account_id: Callable[[], str],
                 stage: str) -> None:
        self._s3 = s3
        self._stage = stage
        self._bucket = artifacts_bucket
        self._region = region
        self._main_account_id = main_account_id

    def template_urls(self, external_id: str) -> OnboardingUrls:
        try:
            self._s3.head_object(Bucket=self._bucket, Key=TEMPLATE_KEY)
        except self._s3.exceptions.ClientError:
            raise InvalidState("the hosting-account template is not published", code="TEMPLATE_NOT_PUBLISHED",
                               hint="Run scripts/publish_catalog.py for this stage.") from None
        template = self._s3.generate_presigned_url("get_object", Params={"Bucket": self._bucket, "Key": TEMPLATE_KEY},
                                                   ExpiresIn=URL_LIFETIME)
        # The hosting roles trust only this stage's Lambda roles: dev can never act with prod's.
        common = {"param_MainAccountId": self._main_account_id(), "param_ExternalId": external_id,
                  "param_WorkbenchRolePrefix": f"research-workbench-{self._stage}"}
        byon = {**common, "param_VpcId": "", "param_SubnetIds": "", "param_SubnetType": "private"}
        return OnboardingUrls(default_network=self._urls(template, common),
                              bring_your_own_network=self._urls(template, byon))

    def _urls(self, template: str, params: dict[str, str]) -> TemplateUrls:
        console = f"https://console.aws.amazon.com/cloudformation/home?region={self._region}#/stacks"
        create = urlencode({"templateURL": template, "stackName": DEFAULT_STACK, **params}, quote_via=quote)
        update = urlencode({"stackId": DEFAULT_STACK, "templateURL": template}, quote_via=quote)
        return TemplateUrls(create_url=f"{console}/create/review?{create}",
                            update_url=f"{console}/update/template?{update}")
