"""The ADBench loader: shapes, checksums, clear errors and the download path."""

import hashlib
import shutil

import numpy as np
import pytest

from skfraud.datasets import (
    _adbench,
    _base,
    list_adbench,
    load_adbench,
)

# Rows, features, anomalies: the figures of the data folder's README.
SHAPES = {
    "4_breastw": (683, 9, 239),
    "14_glass": (214, 7, 9),
    "17_InternetAds": (1966, 1555, 368),
    "29_Pima": (768, 8, 268),
}


@pytest.mark.parametrize("name", list(SHAPES))
def test_shapes_and_anomaly_counts(data_home, name):
    n_rows, n_features, anomalies = SHAPES[name]
    bunch = load_adbench(name, data_home=data_home)
    assert bunch.data.shape == (n_rows, n_features)
    assert bunch.data.dtype == np.float64
    assert bunch.target.dtype == np.int64
    assert int(bunch.target.sum()) == anomalies
    assert set(np.unique(bunch.target)) == {0, 1}
    assert bunch.feature_names[:2] == ["x0", "x1"]
    assert f"{anomalies} (" in bunch.DESCR


@pytest.mark.parametrize("name", list(SHAPES))
def test_files_match_their_published_checksums(data_home, name):
    content = (data_home / "adbench" / f"{name}.npz").read_bytes()
    assert hashlib.sha256(content).hexdigest() == _adbench._FILES[name][3]


def test_every_name_is_listed_with_its_origin():
    assert len(list_adbench()) == 29
    assert list_adbench() == list(_adbench._FILES)
    remote = _adbench._remote("4_breastw")
    assert remote.filename == "adbench/4_breastw.npz"
    assert remote.urls == (
        "https://github.com/Minqi824/ADBench/raw/3dac8221081e190f157d78e93bfa8867"
        "f90d0965/adbench/datasets/Classical/4_breastw.npz",
    )


def test_return_X_y_gives_the_arrays_of_the_bunch(data_home):
    X, y = load_adbench("14_glass", data_home=data_home, return_X_y=True)
    bunch = load_adbench("14_glass", data_home=data_home)
    np.testing.assert_array_equal(X, bunch.data)
    np.testing.assert_array_equal(y, bunch.target)


def test_unknown_name():
    with pytest.raises(ValueError, match="name must be one of '1_ALOI'"):
        load_adbench("breastw")


def test_missing_file_says_which_where_and_how(tmp_path):
    with pytest.raises(FileNotFoundError) as error:
        load_adbench("4_breastw", data_home=tmp_path)
    message = str(error.value)
    assert "'adbench/4_breastw.npz' was not found in" in message
    assert str(tmp_path) in message
    assert "download_if_missing=True" in message
    assert "Classical/4_breastw.npz" in message
    assert "SKFRAUD_DATA" in message


def test_corrupt_file_is_named_and_rejected(data_home, tmp_path):
    path = tmp_path / "adbench" / "14_glass.npz"
    path.parent.mkdir()
    content = bytearray((data_home / "adbench" / "14_glass.npz").read_bytes())
    content[100] ^= 0xFF
    path.write_bytes(bytes(content))
    with pytest.raises(OSError, match="Checksum mismatch for .*14_glass.npz") as error:
        load_adbench("14_glass", data_home=tmp_path)
    assert "download it again" in str(error.value)


def test_download_writes_the_verified_file(data_home, tmp_path, monkeypatch):
    requested = []

    def fake_read(url):
        requested.append(url)
        return (data_home / "adbench" / "42_WBC.npz").read_bytes()

    monkeypatch.setattr(_base, "_read_url", fake_read)
    home = tmp_path / "home"
    X, y = load_adbench(
        "42_WBC", data_home=home, download_if_missing=True, return_X_y=True
    )
    assert requested == [_adbench._remote("42_WBC").urls[0]]
    assert X.shape == (223, 9) and int(y.sum()) == 10
    assert sorted(p.name for p in (home / "adbench").iterdir()) == ["42_WBC.npz"]
    # Found and verified the second time: no new download.
    load_adbench("42_WBC", data_home=home, download_if_missing=True)
    assert len(requested) == 1


def test_download_of_other_content_leaves_nothing(data_home, tmp_path, monkeypatch):
    wrong = (data_home / "adbench" / "45_wine.npz").read_bytes()
    monkeypatch.setattr(_base, "_read_url", lambda url: wrong)
    with pytest.raises(OSError, match="checksum mismatch"):
        load_adbench("42_WBC", data_home=tmp_path, download_if_missing=True)
    assert list((tmp_path / "adbench").iterdir()) == []


def test_data_home_from_the_environment(data_home, tmp_path, monkeypatch):
    shutil.copytree(data_home / "adbench", tmp_path / "adbench")
    monkeypatch.setenv("SKFRAUD_DATA", str(tmp_path))
    X, _ = load_adbench("45_wine", return_X_y=True)
    assert X.shape == (129, 13)
