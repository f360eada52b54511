"""Serializer pieces the API shares."""
import copy


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
