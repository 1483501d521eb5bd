"""Dataset uploads against a fake API and S3: single PUTs, multipart, and a resume that re-sends nothing."""

from __future__ import annotations

import pytest

from rsw import RswError
from rsw.config import Store
from rsw.uploads import collect

from .fake import FakeWorkbench


@pytest.fixture
def fake():
    return FakeWorkbench(multipart_threshold=10, part_size=4)


@pytest.fixture
def client(fake, tmp_path):
    client = fake.client(Store(tmp_path / "config"))
    client.sign_in("jane", "secret")
    return client


def test_folders_keep_their_name_and_files_their_base_name(tmp_path):
    (tmp_path / "data" / "sub").mkdir(parents=True)
    (tmp_path / "data" / "sub" / "b.csv").write_text("b")
    (tmp_path / "one.txt").write_text("1")
    keys = [f.key for f in collect([tmp_path / "data", tmp_path / "one.txt"], prefix="in/")]
    assert keys == ["in/data/sub/b.csv", "in/one.txt"]


def test_small_files_go_in_one_put_and_big_ones_in_parts(fake, client, tmp_path):
    (tmp_path / "small.txt").write_bytes(b"tiny")
    (tmp_path / "big.bin").write_bytes(bytes(range(30)))
    results = client.datasets.upload("proj-1", "dataset-1", [tmp_path / "small.txt", tmp_path / "big.bin"],
                                     state_file=tmp_path / "state.json")
    assert fake.objects == {"small.txt": b"tiny", "big.bin": bytes(range(30))}
    assert {r.path: (r.multipart, r.parts_sent) for r in results} == {"small.txt": (False, 1), "big.bin": (True, 8)}
    assert not (tmp_path / "state.json").exists()  # nothing left to resume


def test_an_interrupted_upload_resumes_without_resending_finished_parts(fake, client, tmp_path):
    (tmp_path / "big.bin").write_bytes(bytes(range(30)))
    state = tmp_path / "state.json"
    fake.fail_parts = {6}
    with pytest.raises(RswError):
        client.datasets.upload("proj-1", "dataset-1", [tmp_path / "big.bin"], workers=1, state_file=state)
    assert state.exists() and not fake.completed
    finished_before = set(fake.parts["up-1"])
    fake.fail_parts = set()
    fake.part_puts.clear()
    [result] = client.datasets.upload("proj-1", "dataset-1", [tmp_path / "big.bin"], workers=2, state_file=state)
    assert not finished_before & set(fake.part_puts)  # not one finished part sent again
    assert result.parts_reused == len(finished_before) and result.parts_reused + result.parts_sent == 8
    assert fake.objects["big.bin"] == bytes(range(30))


def test_a_changed_local_file_starts_its_upload_over(fake, client, tmp_path):
    source = tmp_path / "big.bin"
    source.write_bytes(bytes(range(30)))
    state = tmp_path / "state.json"
    fake.fail_parts = {8}
    with pytest.raises(RswError):
        client.datasets.upload("proj-1", "dataset-1", [source], workers=1, state_file=state)
    source.write_bytes(bytes(range(31)))
    fake.fail_parts = set()
    [result] = client.datasets.upload("proj-1", "dataset-1", [source], state_file=state)
    assert result.parts_reused == 0


def test_an_upload_the_api_no_longer_knows_starts_afresh(fake, client, tmp_path):
    (tmp_path / "big.bin").write_bytes(bytes(range(30)))
    state = tmp_path / "state.json"
    fake.fail_parts = {3}
    with pytest.raises(RswError):
        client.datasets.upload("proj-1", "dataset-1", [tmp_path / "big.bin"], workers=1, state_file=state)
    fake.open_uploads.clear()  # expired or aborted on the server
    fake.fail_parts = set()
    [result] = client.datasets.upload("proj-1", "dataset-1", [tmp_path / "big.bin"], state_file=state)
    assert (result.parts_reused, result.parts_sent) == (0, 8)
    assert fake.objects["big.bin"] == bytes(range(30))
