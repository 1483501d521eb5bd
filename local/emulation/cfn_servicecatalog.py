"""AWS::ServiceCatalog::Portfolio through moto's CloudFormation (moto 5.2 has no model: stacks skip it).

Ref: the portfolio id; GetAtt PortfolioName: its display name. Updates change it in place.
"""

from __future__ import annotations

from typing import Any

from moto.servicecatalog.models import servicecatalog_backends

from .cfn_registry import EmulatedResource, register

PROPERTIES = {"DisplayName", "ProviderName", "Description", "AcceptLanguage", "Tags"}


class Portfolio(EmulatedResource):
    TYPE = "AWS::ServiceCatalog::Portfolio"
    ATTRIBUTES = ("PortfolioName",)

    def __init__(self, portfolio: Any) -> None:
        super().__init__(portfolio.id)
        self.portfolio = portfolio

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        self.attributes["PortfolioName"] = self.portfolio.display_name
        return super().get_cfn_attribute(attribute_name)

    @classmethod
    def create_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any
    ) -> Portfolio:
        properties = cloudformation_json["Properties"]
        backend = servicecatalog_backends[account_id][region_name]
        detail, _ = backend.create_portfolio(
            accept_language=properties.get("AcceptLanguage"), display_name=properties["DisplayName"],
            description=properties.get("Description"), provider_name=properties["ProviderName"],
            tags=properties.get("Tags"), idempotency_token=None)
        return cls(backend.portfolios[detail["Id"]])

    @classmethod
    def update_from_cloudformation_json(
        cls, original_resource: Portfolio, new_resource_name: str, cloudformation_json: Any,
        account_id: str, region_name: str,
    ) -> Portfolio:
        properties = cloudformation_json["Properties"]
        portfolio = original_resource.portfolio
        portfolio.display_name = properties["DisplayName"]
        portfolio.provider_name = properties["ProviderName"]
        portfolio.description = properties.get("Description") or ""
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        servicecatalog_backends[account_id][region_name].delete_portfolio(None, self.physical_resource_id)


def install() -> None:
    register(Portfolio, properties={Portfolio.TYPE: PROPERTIES})
