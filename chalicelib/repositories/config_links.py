"""Which configurations a project may launch: one row each way, written together.

`PROJECT#<pid>` / `CONFIGLINK#<et>#<etc>` lists a project's configurations of a type;
`ENVCONFIG#<etc>` / `PROJECTLINK#<pid>` lists the projects a configuration is linked to.
"""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from ..errors import NotFound
from ..models.configurations import ConfigurationLink
from .base import PageRequest, is_condition_failure, paged_query
from .cursor import CursorCodec


class ConfigLinkRepository:
    def __init__(self, table: Any, cursor: CursorCodec) -> None:
        self._table = table
        self._cursor = cursor

    def link(self, link: ConfigurationLink) -> None:
        """Idempotent: linking twice leaves one link."""
        item = link.model_dump(by_alias=True)
        self._table.meta.client.transact_write_items(TransactItems=[
            {"Put": {"TableName": self._table.name, "Item": {**self._forward(link), **item}}},
            {"Put": {"TableName": self._table.name, "Item": {**self._reverse(link), **item}}}])

    def unlink(self, link: ConfigurationLink) -> None:
        try:
            self._table.meta.client.transact_write_items(TransactItems=[
                {"Delete": {"TableName": self._table.name, "Key": self._forward(link),
                            "ConditionExpression": "attribute_exists(pk)"}},
                {"Delete": {"TableName": self._table.name, "Key": self._reverse(link)}}])
        except ClientError as error:
            if not is_condition_failure(error):
                raise
            raise NotFound(f"configuration {link.configuration_id} is not linked to project {link.project_id}",
                           code="CONFIGURATION_NOT_LINKED") from None

    def is_linked(self, link: ConfigurationLink) -> bool:
        return "Item" in self._table.get_item(Key=self._forward(link), ProjectionExpression="pk")

    def any_linked(self, project_ids: list[str], env_type_id: str, configuration_id: str) -> bool:
        """Is the configuration linked to any of these projects? One batch read for up to 100 projects."""
        client = self._table.meta.client
        for start in range(0, len(project_ids), 100):
            keys = [self._forward(ConfigurationLink(project_id=p, env_type_id=env_type_id,
                                                    configuration_id=configuration_id))
                    for p in project_ids[start:start + 100]]
            request: dict[str, Any] | None = {self._table.name: {"Keys": keys, "ProjectionExpression": "pk"}}
            while request:
                answer = client.batch_get_item(RequestItems=request)
                if answer["Responses"].get(self._table.name):
                    return True
                request = answer.get("UnprocessedKeys") or None
        return False

    def for_project(self, project_id: str, env_type_id: str,
                    page: PageRequest) -> tuple[list[ConfigurationLink], str | None]:
        return self._page(Key("pk").eq(f"PROJECT#{project_id}") & Key("sk").begins_with(f"CONFIGLINK#{env_type_id}#"),
                          page, f"links:{project_id}:{env_type_id}")

    def for_configuration(self, configuration_id: str, page: PageRequest) -> tuple[list[ConfigurationLink], str | None]:
        return self._page(Key("pk").eq(f"ENVCONFIG#{configuration_id}") & Key("sk").begins_with("PROJECTLINK#"),
                          page, f"links:{configuration_id}")

    def project_has_links(self, project_id: str) -> bool:
        answer = self._table.query(Limit=1, ProjectionExpression="pk", KeyConditionExpression=(
            Key("pk").eq(f"PROJECT#{project_id}") & Key("sk").begins_with("CONFIGLINK#")))
        return bool(answer.get("Items"))

    def configuration_has_links(self, configuration_id: str) -> bool:
        return bool(self.for_configuration(configuration_id, PageRequest(size=1))[0])

    def _page(self, condition: Any, page: PageRequest, scope: str) -> tuple[list[ConfigurationLink], str | None]:
        return paged_query(self._table, self._cursor, page, scope, ConfigurationLink.model_validate,
                           KeyConditionExpression=condition)

    @property
    def table(self) -> Any:
        return self._table

    def key_of(self, project_id: str, env_type_id: str, configuration_id: str) -> dict[str, str]:
        """The project's link row, for a read beside the caller's roles (api/resources.py)."""
        return self._forward(ConfigurationLink(project_id=project_id, env_type_id=env_type_id,
                                               configuration_id=configuration_id))

    @staticmethod
    def _forward(link: ConfigurationLink) -> dict[str, str]:
        return {"pk": f"PROJECT#{link.project_id}", "sk": f"CONFIGLINK#{link.env_type_id}#{link.configuration_id}"}

    @staticmethod
    def _reverse(link: ConfigurationLink) -> dict[str, str]:
        return {"pk": f"ENVCONFIG#{link.configuration_id}", "sk": f"PROJECTLINK#{link.project_id}"}
