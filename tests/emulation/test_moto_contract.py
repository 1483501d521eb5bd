"""The installed moto still has every attribute the emulation patches, imports and reads."""

from __future__ import annotations

import pytest
from moto.dynamodb.responses import DynamoHandler

from local import emulation
from local.emulation import patching

from . import moto_contract
from .moto_contract import UPGRADED


def test_moto_has_everything_the_emulation_patches_imports_and_reads(configure):
    entries = patching.patched()  # the emulation as install() applies it, with what it found in moto
    assert len(entries) > 60, "install() should register every attribute it sets"
    emulation.uninstall()  # the rest reads moto as moto defines it

    missing = moto_contract.patch_breaches(entries) + moto_contract.missing_imports() + moto_contract.missing_reads()

    assert not missing, moto_contract.report(missing)


def test_the_failure_names_each_missing_attribute_and_says_what_to_do():
    missing = moto_contract.missing_reads({"moto.cloudformation.parsing.ResourceMap": ("_gone", "delete"),
                                           "moto.cloudformation.models.CloudFormationBackend": (
                                               "create_stack(template, no_such_keyword)",)})
    missing += moto_contract.patch_breaches([
        patching.Patched(DynamoHandler, "gone", added=False, found=False),
        patching.Patched(DynamoHandler, "call_action", added=True, found=True)])
    message = moto_contract.report(missing)

    assert missing == [
        "moto.cloudformation.parsing.ResourceMap._gone (read)",
        "moto.cloudformation.models.CloudFormationBackend.create_stack(template, no_such_keyword) (read)",
        "moto.dynamodb.responses.DynamoHandler.gone (replaced or wrapped by the emulation)",
        "moto.dynamodb.responses.DynamoHandler.call_action (added by the emulation: moto now defines it)"]
    assert UPGRADED in message and all(line in message for line in missing)


def test_wrapping_an_attribute_moto_lacks_fails_with_the_upgrade_hint(configure):
    emulation.uninstall()

    class Handler:
        pass

    patching.patch(Handler, "call_action", lambda self: None)
    try:
        with pytest.raises(AttributeError, match=UPGRADED):
            patching.original(Handler, "call_action")
    finally:
        patching.restore_all()
    assert not hasattr(Handler, "call_action")
