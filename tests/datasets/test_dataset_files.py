"""Data folder, checksums and downloads of the loaders (no network)."""

import dataclasses
import gzip
import hashlib
import shutil
from pathlib import Path

import pytest

from skfraud.datasets import (
    _base,
    _creditcard,
    _kddcup99,
    _odds,
    _vehicle_insurance,
    get_data_home,
    load_creditcard,
    load_odds,
    load_vehicle_insurance,
)


def _sha256(content):
    return hashlib.sha256(content).hexdigest()


def _remote(content, **changes):
    """A RemoteFile for ``content`` (bytes), served from nowhere yet."""
    return dataclasses.replace(
        _base.RemoteFile(filename="toy.bin", sha256=_sha256(content)), **changes
    )


# Data folder


def test_data_home_precedence(monkeypatch, tmp_path):
    monkeypatch.delenv("SKFRAUD_DATA", raising=False)
    assert get_data_home() == Path("~/skfraud_data").expanduser()
    monkeypatch.setenv("SKFRAUD_DATA", str(tmp_path / "from-env"))
    assert get_data_home() == tmp_path / "from-env"
    assert get_data_home(tmp_path / "explicit") == tmp_path / "explicit"
    assert get_data_home("~/elsewhere") == Path("~/elsewhere").expanduser()


def test_data_home_is_not_created(tmp_path):
    get_data_home(tmp_path / "new")
    assert not (tmp_path / "new").exists()


# Missing files


def test_missing_file_message(tmp_path):
    with pytest.raises(FileNotFoundError) as error:
        load_odds("thyroid", data_home=tmp_path)
    message = str(error.value)
    assert "'thyroid.mat'" in message
    assert str(tmp_path) in message
    assert "data_home argument" in message
    assert "download_if_missing=True" in message
    assert _odds.FILES["thyroid"].urls[0] in message
    assert "SKFRAUD_DATA" in message


def test_missing_file_names_environment_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("SKFRAUD_DATA", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="given by the SKFRAUD_DATA variable"):
        load_vehicle_insurance()


def test_missing_full_creditcard_says_where_to_get_it(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"kaggle\.com/datasets/mlg-ulb"):
        load_creditcard(sample=False, data_home=tmp_path)


def test_no_download_unless_asked(monkeypatch, tmp_path):
    def refuse(url):
        raise AssertionError(f"download attempted: {url}")

    monkeypatch.setattr(_base, "_read_url", refuse)
    with pytest.raises(FileNotFoundError):
        load_odds("arrhythmia", data_home=tmp_path)
    assert list(tmp_path.iterdir()) == []


# Checksums


def test_checksum_mismatch(data_home, tmp_path):
    corrupt = bytearray((data_home / "thyroid.mat").read_bytes())
    corrupt[len(corrupt) // 2] ^= 0xFF
    (tmp_path / "thyroid.mat").write_bytes(bytes(corrupt))
    with pytest.raises(OSError, match="Checksum mismatch") as error:
        load_odds("thyroid", data_home=tmp_path)
    assert _odds.FILES["thyroid"].sha256 in str(error.value)
    assert str(tmp_path / "thyroid.mat") in str(error.value)


def test_truncated_gzip_file_is_rejected(data_home, tmp_path):
    content = (data_home / "vehicle_insurance_fraud.csv.gz").read_bytes()
    (tmp_path / "vehicle_insurance_fraud.csv.gz").write_bytes(content[:-100])
    with pytest.raises(OSError, match="Checksum mismatch"):
        load_vehicle_insurance(data_home=tmp_path)


def test_recompressed_file_is_accepted(data_home, tmp_path):
    # Same content, other gzip bytes (what a download on another zlib produces).
    name = "vehicle_insurance_fraud.csv.gz"
    content = gzip.decompress((data_home / name).read_bytes())
    recompressed = gzip.compress(content, compresslevel=1, mtime=0)
    assert _sha256(recompressed) != _vehicle_insurance.FILE.sha256
    (tmp_path / name).write_bytes(recompressed)
    X, _ = load_vehicle_insurance(data_home=tmp_path, return_X_y=True)
    assert X.shape == (15420, 31)


def test_recompressed_file_with_other_content_is_rejected(data_home, tmp_path):
    name = "vehicle_insurance_fraud.csv.gz"
    content = gzip.decompress((data_home / name).read_bytes())
    (tmp_path / name).write_bytes(gzip.compress(content.replace(b"Honda", b"Hinda")))
    with pytest.raises(OSError, match="Checksum mismatch"):
        load_vehicle_insurance(data_home=tmp_path)


# Downloads, from file:// URLs


def test_download_verbatim_file(data_home, tmp_path, monkeypatch):
    origin = tmp_path / "origin" / "somewhere.mat"
    origin.parent.mkdir()
    shutil.copyfile(data_home / "thyroid.mat", origin)
    remote = dataclasses.replace(_odds.FILES["thyroid"], urls=(origin.as_uri(),))
    monkeypatch.setitem(_odds.FILES, "thyroid", remote)
    home = tmp_path / "home" / "nested"
    X, y = load_odds(
        "thyroid", data_home=home, download_if_missing=True, return_X_y=True
    )
    assert X.shape == (3772, 6)
    assert int(y.sum()) == 93
    assert _sha256((home / "thyroid.mat").read_bytes()) == remote.sha256
    assert sorted(path.name for path in home.iterdir()) == ["thyroid.mat"]


def test_download_and_prepare_vehicle_insurance(data_home, tmp_path, monkeypatch):
    # The origin is the semicolon-separated original.
    content = gzip.decompress(
        (data_home / "vehicle_insurance_fraud.csv.gz").read_bytes()
    )
    origin = tmp_path / "fraud_oracle.csv"
    origin.write_bytes(content.replace(b",", b";"))
    remote = dataclasses.replace(_vehicle_insurance.FILE, urls=(origin.as_uri(),))
    monkeypatch.setattr(_vehicle_insurance, "FILE", remote)
    home = tmp_path / "home"
    bunch = load_vehicle_insurance(data_home=home, download_if_missing=True)
    assert bunch.data.shape == (15420, 31)
    assert int(bunch.target.sum()) == 923
    written = gzip.decompress((home / remote.filename).read_bytes())
    assert _sha256(written) == remote.content_sha256


def test_download_and_prepare_creditcard_sample(data_home, tmp_path, monkeypatch):
    # The origin has a leading, header-less pandas index column.
    lines = gzip.decompress(
        (data_home / "creditcard_sample1722.csv.gz").read_bytes()
    ).split(b"\n")
    indexed = [b"," + lines[0]]
    indexed += [b"%d,%s" % (number, line) for number, line in enumerate(lines[1:-1])]
    origin = tmp_path / "creditcard_sample.csv"
    origin.write_bytes(b"\n".join([*indexed, b""]))
    remote = dataclasses.replace(_creditcard.SAMPLE, urls=(origin.as_uri(),))
    monkeypatch.setattr(_creditcard, "SAMPLE", remote)
    bunch = load_creditcard(
        sample=True, data_home=tmp_path / "home", download_if_missing=True
    )
    assert bunch.data.shape == (1722, 30)
    assert int(bunch.target.sum()) == 492


def test_download_gzip_origin_with_mirror_fallback(tmp_path):
    original = b"a,b\n1,2\n"
    served = tmp_path / "served.gz"
    served.write_bytes(gzip.compress(original))
    remote = _remote(
        b"A,B\n1,2\n",
        urls=((tmp_path / "missing.gz").as_uri(), served.as_uri()),
        origin_sha256=_sha256(original),
        origin_gzip=True,
        prepare=bytes.upper,
    )
    path = _base._fetch_file(remote, tmp_path / "home", download_if_missing=True)
    assert path.read_bytes() == b"A,B\n1,2\n"


def test_download_with_wrong_checksum_leaves_nothing(tmp_path):
    served = tmp_path / "served.bin"
    served.write_bytes(b"tampered")
    remote = _remote(b"expected", urls=(served.as_uri(),))
    home = tmp_path / "home"
    with pytest.raises(OSError, match="checksum mismatch") as error:
        _base._fetch_file(remote, home, download_if_missing=True)
    assert served.as_uri() in str(error.value)
    assert list(home.iterdir()) == []


def test_download_failure_lists_every_origin(tmp_path):
    urls = ((tmp_path / "a.bin").as_uri(), (tmp_path / "b.bin").as_uri())
    remote = _remote(b"content", urls=urls)
    with pytest.raises(OSError, match=r"Could not download 'toy\.bin'") as error:
        _base._fetch_file(remote, tmp_path / "home", download_if_missing=True)
    for url in urls:
        assert url in str(error.value)


def test_download_through_patched_opener(tmp_path, monkeypatch):
    requested = []

    def fake_read(url):
        requested.append(url)
        return b"payload"

    monkeypatch.setattr(_base, "_read_url", fake_read)
    remote = _remote(b"payload", urls=("https://example.org/toy.bin",))
    path = _base._fetch_file(remote, tmp_path, download_if_missing=True)
    assert requested == ["https://example.org/toy.bin"]
    assert path.read_bytes() == b"payload"
    # A second call finds the verified file and does not download again.
    _base._fetch_file(remote, tmp_path, download_if_missing=True)
    assert len(requested) == 1


def test_every_registered_file_has_an_origin_and_instructions():
    remotes = [
        *_odds.FILES.values(),
        _creditcard.FULL,
        _creditcard.SAMPLE,
        _vehicle_insurance.FILE,
        *_kddcup99.FILES.values(),
    ]
    for remote in remotes:
        assert remote.urls and remote.manual, remote.filename
        assert all(url.startswith(("https://", "http://")) for url in remote.urls)
        assert len(remote.sha256) == 64
        if remote.prepare is not None:
            assert remote.origin_sha256 is not None, remote.filename
        if remote.filename.endswith(".gz"):
            assert remote.content_sha256 is not None, remote.filename
