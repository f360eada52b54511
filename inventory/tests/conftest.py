"""Fixtures for inventory tests."""
from decimal import Decimal

import pytest

from inventory import services

from .factories import LocationFactory, MaterialFactory


@pytest.fixture
def operator(make_user):
    return make_user("operator")


@pytest.fixture
def member(make_user):
    return make_user("member")


@pytest.fixture
def shelf(db):
    return LocationFactory(name="Shelf A", kind="shelf")


@pytest.fixture
def stocked(operator, shelf):
    """``stocked(qty, **material_fields)``: a material with ``qty`` received on the shelf."""

    def make(qty="50", **fields):
        material = MaterialFactory(**fields)
        if Decimal(str(qty)):
            services.receive_stock(operator, material, qty, location=shelf)
        return material

    return make
