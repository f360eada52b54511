"""Serializer pieces the API shares."""
import copy

from rest_framework.utils.serializer_helpers import ReturnDict


class FieldsBuiltOnce:
    """A ModelSerializer whose fields are worked out from the model once per class, then copied.

    DRF derives every field of a ModelSerializer from the model on each instantiation (kinds,
    validators, choices, labels): for a single object that is most of the request's CPU.
    The fields do not depend on the request here, so the first result is kept and each
    serializer gets its own copy (a field is bound to one parent serializer).
    """

    def get_fields(self):
        cls = type(self)
        fields = cls.__dict__.get("_fields_built_once")
        if fields is None:
            fields = super().get_fields()
            cls._fields_built_once = fields
        return copy.deepcopy(fields)


_writers: dict = {}


def written(serializer_class, instance):
    """``serializer_class(instance).data``, written by one shared instance of the class.

    For a detail answer read on every request (``auth/me/``): a serializer's fields are built or
    copied for each new instance, which cost more than writing the object. The shared instance
    only writes (its fields keep no state of an object), so threads may share it; it has no
    request in its context, so this is for serializers that need none. The answer still names a
    serializer of its own object, for the browsable API's form.
    """
    writer = _writers.get(serializer_class)
    if writer is None:
        writer = _writers[serializer_class] = serializer_class()
    return ReturnDict(writer.to_representation(instance), serializer=serializer_class(instance))
