"""Ids in request bodies must be whole numbers.

DRF's ``PrimaryKeyRelatedField`` hands a JSON ``1.5`` to ``queryset.get(pk=1.5)``, and Django's
integer lookup turns it into 1: stock received "at location 1.5" landed at location 1. Every
serializer of every app declares related fields through DRF, so the one place to refuse a
fractional id for all of them is that field itself: ``refuse_fractional_ids`` (called once from
``CoreConfig.ready``) makes it answer 400 "Give a whole-number id" instead.
"""
from rest_framework.relations import PrimaryKeyRelatedField

_original = PrimaryKeyRelatedField.to_internal_value


def _whole_ids_only(self, data):
    if isinstance(data, float) and not data.is_integer():
        self.fail("incorrect_type", data_type="fractional number")
    return _original(self, data)


def refuse_fractional_ids() -> None:
    """Make every primary-key related field refuse ids such as 1.5 (idempotent)."""
    if PrimaryKeyRelatedField.to_internal_value is not _whole_ids_only:
        PrimaryKeyRelatedField.to_internal_value = _whole_ids_only
