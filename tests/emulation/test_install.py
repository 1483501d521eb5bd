"""install() is one idempotent call that applies the settings; uninstall() gives moto back."""

from __future__ import annotations

from moto.sagemaker.responses import SageMakerResponse
from moto.sts.responses import TokenResponse

from local import emulation
from local.emulation import EmulationSettings, patching, sts_trust


def test_installing_twice_wraps_moto_once_and_keeps_the_last_settings(configure):
    emulation.install(EmulationSettings(delay_seconds=2.0))
    emulation.install(EmulationSettings(delay_seconds=3.0, notebook_url_base="http://x"))

    assert TokenResponse.assume_role is sts_trust._assume_role
    assert patching.original(TokenResponse, "assume_role").__module__ == "moto.sts.responses"
    assert emulation.installed_settings() == EmulationSettings(delay_seconds=3.0, notebook_url_base="http://x")


def test_uninstall_restores_moto_and_install_patches_again(configure):
    emulation.uninstall()
    assert emulation.installed_settings() is None
    assert TokenResponse.assume_role.__module__ == "moto.sts.responses"
    assert not hasattr(SageMakerResponse, "create_presigned_notebook_instance_url")

    emulation.install()
    assert TokenResponse.assume_role is sts_trust._assume_role
    assert hasattr(SageMakerResponse, "create_presigned_notebook_instance_url")


def test_document_time_follows_the_delay_unless_set():
    assert EmulationSettings().effective_time_scale == 0.0
    assert EmulationSettings(delay_seconds=1).effective_time_scale == 1.0
    assert EmulationSettings(delay_seconds=1, time_scale=0.1).effective_time_scale == 0.1
    assert EmulationSettings().synchronous and not EmulationSettings(delay_seconds=0.5).synchronous
