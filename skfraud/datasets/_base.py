"""Shared machinery of the loaders: data directory, checksums, download, Bunch."""

import gzip
import hashlib
import os
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.utils import Bunch

DATA_HOME_ENV = "SKFRAUD_DATA"
_DEFAULT_DATA_HOME = "~/skfraud_data"
_CHUNK_SIZE = 1 << 20
_DOWNLOAD_TIMEOUT = 60


@dataclass(frozen=True)
class RemoteFile:
    """A data file as the loaders expect it, and where its public origin lives.

    Parameters
    ----------
    filename : str
        Name of the file inside the data directory.
    sha256 : str
        SHA-256 of the file as published with the package's data.
    urls : tuple of str
        Public origins, tried in order by the download.
    origin_sha256 : str or None
        SHA-256 of what an origin serves, taken after decompression when
        ``origin_gzip`` is true. ``None`` means the origin serves exactly the
        file, so ``sha256`` applies.
    origin_gzip : bool
        Whether the origin serves the content gzip-compressed.
    prepare : callable or None
        Turns the verified origin content into the file's bytes (add a header,
        change the delimiter, compress). ``None`` writes the content as is.
    content_sha256 : str or None
        For gzip files, SHA-256 of the decompressed content. A file that was
        recompressed (the download does this) has other bytes than the
        published one but the same content, and is accepted on this hash.
    manual : str
        How to obtain the file by hand, shown when it is missing.
    """

    filename: str
    sha256: str
    urls: tuple[str, ...] = ()
    origin_sha256: str | None = None
    origin_gzip: bool = False
    prepare: Callable[[bytes], bytes] | None = None
    content_sha256: str | None = None
    manual: str = ""


def get_data_home(data_home=None):
    """Return the folder where the skfraud loaders look for their files.

    The folder is, in order of precedence: the ``data_home`` argument, the
    ``SKFRAUD_DATA`` environment variable, or ``~/skfraud_data``. It is not
    created here; a download creates it.

    Parameters
    ----------
    data_home : str or path-like, default=None
        Explicit data folder. ``~`` is expanded.

    Returns
    -------
    data_home : pathlib.Path
        The data folder.

    Examples
    --------
    >>> from skfraud.datasets import get_data_home
    >>> get_data_home("~/fraud-data").name
    'fraud-data'
    """
    return _resolve_data_home(data_home)[0]


def _resolve_data_home(data_home):
    """Return the data folder and a phrase saying where it came from."""
    if data_home is not None:
        return Path(data_home).expanduser(), "given by the data_home argument"
    from_env = os.environ.get(DATA_HOME_ENV)
    if from_env:
        return Path(from_env).expanduser(), f"given by the {DATA_HOME_ENV} variable"
    return Path(_DEFAULT_DATA_HOME).expanduser(), "used by default"


def _sha256_of_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(_CHUNK_SIZE), b""):
            digest.update(block)
    return digest.hexdigest()


def _sha256_of_gzip_content(path):
    digest = hashlib.sha256()
    try:
        with gzip.open(path, "rb") as stream:
            for block in iter(lambda: stream.read(_CHUNK_SIZE), b""):
                digest.update(block)
    except (OSError, EOFError):
        return None
    return digest.hexdigest()


def _verify_checksum(path, remote):
    """Raise ``OSError`` unless ``path`` holds the data ``remote`` describes."""
    actual = _sha256_of_file(path)
    if actual == remote.sha256:
        return
    if (
        remote.content_sha256 is not None
        and _sha256_of_gzip_content(path) == remote.content_sha256
    ):
        return
    source = remote.urls[0] if remote.urls else remote.manual
    raise OSError(
        f"Checksum mismatch for {path}: expected sha256 {remote.sha256}, got "
        f"{actual}. The file is corrupt, truncated or a different version of "
        "the data. Delete it and download it again (download_if_missing=True) "
        f"or replace it with the original ({source})."
    )


def _fetch_file(remote, data_home=None, download_if_missing=False):
    """Return the verified path of ``remote`` in the data folder.

    The file is downloaded first when it is absent and ``download_if_missing``
    is true; otherwise its absence raises ``FileNotFoundError``.
    """
    folder, origin = _resolve_data_home(data_home)
    path = folder / remote.filename
    if not path.is_file():
        if not download_if_missing:
            raise FileNotFoundError(_missing_message(remote, folder, origin))
        _download(remote, path)
    _verify_checksum(path, remote)
    return path


def _missing_message(remote, folder, origin):
    if remote.urls:
        how = (
            f"Pass download_if_missing=True to download it from {remote.urls[0]}, "
            "or copy it there by hand"
        )
        if remote.manual:
            how += f" ({remote.manual})"
    else:
        how = f"Copy it there by hand: {remote.manual}"
    return (
        f"Data file {remote.filename!r} was not found in {folder} (the data "
        f"folder {origin}). {how}. Choose another folder with "
        f"data_home=... or the {DATA_HOME_ENV} environment variable."
    )


def _download(remote, path):
    """Download ``remote`` from its first working origin and write ``path``."""
    if not remote.urls:
        raise FileNotFoundError(
            f"{remote.filename!r} has no public download; {remote.manual}"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    failures = []
    for url in remote.urls:
        try:
            content = _read_url(url)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            failures.append(f"{url}: {exc}")
            continue
        if remote.origin_gzip:
            try:
                content = gzip.decompress(content)
            except (OSError, EOFError) as exc:
                failures.append(f"{url}: not a valid gzip stream ({exc})")
                continue
        expected = remote.origin_sha256 or remote.sha256
        actual = hashlib.sha256(content).hexdigest()
        if actual != expected:
            failures.append(
                f"{url}: checksum mismatch (expected sha256 {expected}, got {actual})"
            )
            continue
        if remote.prepare is not None:
            content = remote.prepare(content)
        partial = path.with_name(path.name + ".part")
        partial.write_bytes(content)
        try:
            _verify_checksum(partial, remote)
        except OSError:
            partial.unlink()
            raise
        os.replace(partial, path)
        return
    raise OSError(
        f"Could not download {remote.filename!r} into {path.parent}:\n  "
        + "\n  ".join(failures)
    )


def _read_url(url):
    with urllib.request.urlopen(url, timeout=_DOWNLOAD_TIMEOUT) as response:
        return response.read()


def _gzip(content):
    """Compress ``content`` reproducibly (no name, no time stamp)."""
    return gzip.compress(content, compresslevel=9, mtime=0)


def _check_bool(value, name):
    if not isinstance(value, bool | np.bool_):
        raise ValueError(f"{name} must be True or False, got {value!r}.")
    return bool(value)


def _check_choice(value, name, choices):
    if not isinstance(value, str) or value not in choices:
        options = ", ".join(repr(choice) for choice in choices)
        raise ValueError(f"{name} must be one of {options}; got {value!r}.")
    return value


def _read_frame(remote, data_home, download_if_missing, *, dtype, target):
    """A loader's CSV as a frame of the features and its int64 target column."""
    path = _fetch_file(remote, data_home, download_if_missing)
    frame = pd.read_csv(path, dtype=dtype)
    return frame, frame.pop(target).astype(np.int64)


def _as_output(
    data, target, *, as_frame, return_X_y, descr, feature_names=None, **extra
):
    """Package a loader's result like scikit-learn's fetchers do.

    ``data`` is a DataFrame of the features or a 2-D float array (then
    ``feature_names`` names its columns); ``target`` is a named Series. With
    ``as_frame=True`` the features come back as a DataFrame and the target as
    a Series; otherwise as arrays: float64 when every column is numeric,
    object otherwise. ``extra`` Series (per-row annotations) follow the same
    rule; other ``extra`` values are stored unchanged.
    """
    if isinstance(data, pd.DataFrame):
        feature_names = [str(name) for name in data.columns]
    else:
        feature_names = list(feature_names)
    target_names = [str(target.name)]
    if as_frame:
        if not isinstance(data, pd.DataFrame):
            data = pd.DataFrame(data, columns=feature_names)
        frame = pd.concat([data, target], axis=1)
    else:
        if isinstance(data, pd.DataFrame):
            numeric = all(pd.api.types.is_numeric_dtype(t) for t in data.dtypes)
            data = data.to_numpy(dtype=np.float64 if numeric else object)
        target = target.to_numpy()
        frame = None
        extra = {
            key: value.to_numpy() if isinstance(value, pd.Series) else value
            for key, value in extra.items()
        }
    if return_X_y:
        return data, target
    return Bunch(
        data=data,
        target=target,
        frame=frame,
        feature_names=feature_names,
        target_names=target_names,
        DESCR=descr,
        **extra,
    )
