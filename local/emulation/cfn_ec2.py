"""AWS::EC2::SubnetRouteTableAssociation that associates the subnet with the route table.

moto's model only records the pair (DescribeRouteTables shows no association, so the subnet
keeps the main route table) and its Ref is the route table id. As on AWS, the association is
made, Ref is its id (rtbassoc-...), and deleting the resource disassociates the subnet.
"""

from __future__ import annotations

from typing import Any

from moto.ec2.exceptions import InvalidAssociationIdError
from moto.ec2.models import ec2_backends
from moto.ec2.models.subnets import SubnetRouteTableAssociation as Association

from . import patching


def _create(cls: type, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str,
            **kwargs: Any) -> Association:
    original = patching.original(Association, "create_from_cloudformation_json").__func__
    association = original(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
    association.association_id = ec2_backends[account_id][region_name].associate_route_table(
        association.route_table_id, subnet_id=association.subnet_id)
    return association


def _physical_resource_id(self: Association) -> str:
    return getattr(self, "association_id", None) or self.route_table_id


def _delete(self: Association, account_id: str, region_name: str) -> None:
    backend = ec2_backends[account_id][region_name]
    backend.subnet_associations.pop(f"{self.route_table_id}:{self.subnet_id}", None)
    association_id = getattr(self, "association_id", None)  # set by our create, not declared by moto
    if association_id:
        try:
            backend.disassociate_route_table(association_id)
        except InvalidAssociationIdError:
            pass


def install() -> None:
    patching.patch(Association, "create_from_cloudformation_json", classmethod(_create))
    patching.patch(Association, "physical_resource_id", property(_physical_resource_id))
    patching.add(Association, "delete", _delete)
