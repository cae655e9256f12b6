import pytest

import sdm

pytest_plugins = ["tests.safety_plugin"]


@pytest.fixture(scope="session")
def base():
    return sdm.default()


@pytest.fixture
def scenario(base):
    def build(**fields):
        fields.setdefault("location", "iliofemoral")
        fields.setdefault("symptom_days", 7)
        return sdm.make(base.rules, **fields)

    return build
