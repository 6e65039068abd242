"""Fixtures of the dataset tests: the real data folder and a network guard."""

import urllib.request

import pytest


@pytest.fixture(scope="session")
def data_home(data_dir):
    """Folder with the real data files, passed to the loaders as ``data_home``.

    The suite-wide ``data_dir`` fixture resolves it: ``SKFRAUD_DATA``, else
    ``../shared/data`` next to the repository; tests skip when neither exists.
    """
    return data_dir


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Fail any test that tries to open a URL other than ``file://``."""
    real_urlopen = urllib.request.urlopen

    def file_urls_only(url, *args, **kwargs):
        address = url if isinstance(url, str) else url.full_url
        if not address.startswith("file:"):
            raise AssertionError(f"test tried to reach the network: {address}")
        return real_urlopen(url, *args, **kwargs)

    monkeypatch.setattr(urllib.request, "urlopen", file_urls_only)
