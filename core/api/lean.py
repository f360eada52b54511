"""The lean read path of list endpoints: the same JSON as the serializer, at a fraction of the cost.

A list answer built by a ModelSerializer loads every column of every joined table into model
instances, prefetches related rows, then walks each field of each row through DRF. The lean
path reads the list's serializer once per viewset and turns it into a *row plan*:

- a field whose source is a column (also across foreign keys: ``device_type.name``) is read
  with ``values()`` and converted by the serializer field's own ``to_representation`` (skipped
  where it returns the value as it is), so dates, decimals and choices come out exactly alike;
- a many-to-many of primary keys (``tags``) is read as an array subquery on PostgreSQL, or one
  query for the whole page elsewhere;
- anything else (a method field, a nested serializer) is named in the viewset's ``lean_fields``
  as a ``Column`` (an annotation) or a ``PageLookup`` (one query for the page's rows).

A viewset opts in with ``lean_list = True``; a serializer the plan cannot read (a field it
does not know, a ``to_representation`` of its own) raises ``LeanPlanError`` on the first list
request, so a gap shows up in the viewset's tests instead of as a changed answer. Detail,
create and update answers still go through the serializer, and so does input validation.
"""
import datetime
import decimal
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connections, models
from django.db.models import OuterRef
from django.db.models.sql import Query
from django.utils import timezone
from rest_framework import ISO_8601, serializers
from rest_framework.fields import empty
from rest_framework.response import Response
from rest_framework.settings import api_settings

from core.api.renderers import iso_datetime, leave_datetimes_to_renderer

# Serializer fields whose to_representation hands back a value of these columns unchanged.
_SAME_TEXT = (serializers.CharField, serializers.ChoiceField, serializers.EmailField, serializers.SlugField,
              serializers.URLField, serializers.IPAddressField)
_TEXT_COLUMNS = (models.CharField, models.TextField, models.GenericIPAddressField)


AS_THE_FIELD = object()  # Column's and Computed's default: convert as the serializer field itself would


class LeanPlanError(Exception):
    """A list serializer field the lean path cannot read the way the serializer would."""


@dataclass(frozen=True)
class Column:
    """A field read from an annotation: ``expression`` per row, then ``convert`` (unless NULL).

    By default the value is written by the serializer field's own ``to_representation`` (for a
    method field, as it is: the expression computes what the method would return).
    """

    expression: object
    convert: Callable | None | object = AS_THE_FIELD


@dataclass(frozen=True)
class Computed:
    """A field worked out in Python from other columns of the row: ``compute(*values of columns)``.

    The result is written like a Column's (by default as the serializer field writes it).

    For a property or method that only reads the row's own columns (``port_count``,
    ``holder_label``): the same Python rule, without loading model instances. With ``with_view``
    the view comes first (``compute(view, *values)``): for what a method reads from the request,
    such as an absolute link.
    """

    compute: Callable
    columns: tuple[str, ...]
    convert: Callable | None | object = AS_THE_FIELD
    with_view: bool = False


def row_property(rule, *columns: str, convert=AS_THE_FIELD) -> Computed:
    """A Computed running a model's own property (``Job.progress``) on the row's ``columns``, not on an instance.

    For a property that reads only those columns of its own row: the model's rule stays the one
    rule, and the list loads no model instances. ``rule`` is the property (or a plain function of
    the row); each column is handed to it as the attribute of the same name.
    """
    function = rule.fget if isinstance(rule, property) else rule

    def compute(*values):
        return function(SimpleNamespace(**dict(zip(columns, values, strict=True))))

    return Computed(compute, columns, convert)


@dataclass(frozen=True)
class PageLookup:
    """A field filled for the whole page at once: ``load(view, ids) -> {id: value}``, ``missing`` otherwise."""

    load: Callable
    missing: object = None


def related_rows(rows_for: Callable, owner: str, serializer_class, many: bool = True,
                 lean_fields: dict | None = None) -> PageLookup:
    """A PageLookup of another table's rows for the page, written as ``serializer_class`` writes them.

    ``rows_for(view)`` is the queryset (ordered as the answer lists them); ``owner`` is its column
    holding the listed row's id (``asset_id``). ``many``: a list per row, else the one row or None.
    The rows are read through a RowPlan of ``serializer_class`` (with ``lean_fields`` for what it
    cannot read itself), one query for the page.
    """
    plans: list[RowPlan] = []

    def load(view, ids):
        if not plans:
            plans.append(RowPlan(serializer_class(), serializer_class.Meta.model, lean_fields or {}, owner=owner))
        plan = plans[0]
        queryset = plan.values(rows_for(view).filter(**{f"{owner}__in": ids}))
        found: dict = {}
        on_postgres = connections[queryset.db].vendor == "postgresql"
        rows = list(queryset)
        for row, data in zip(rows, plan.render(view, rows, on_postgres), strict=True):
            if many:
                found.setdefault(row[owner], []).append(data)
            else:
                found[row[owner]] = data
        return found

    return PageLookup(load, missing=[] if many else None)


_OMIT = object()  # a row without the field (DRF's SkipField for a missing related object)


class _DateTime:
    """DRF's ISO 8601 date-time output, with the request's time zone looked up once per page, not per value.

    Where the zone is UTC and the request's renderer writes date-times itself the way DRF's field
    does (``core.api.renderers.leave_datetimes_to_renderer``), values are left as they are: orjson
    writes them in C, which was a tenth of a list of bookings' CPU.
    """

    def __init__(self, field):
        self.field = field

    def for_request(self, zone, left_to_renderer):
        """The converter for a page: None (values as they are) when the renderer writes them."""
        fallback = self.field.to_representation
        if zone is None:
            return fallback
        if left_to_renderer:
            return None

        def convert(value):
            if value.tzinfo is None:
                return fallback(value)
            return iso_datetime(value.astimezone(zone))

        return convert


_UTC_NAMES = ("UTC", "Etc/UTC")


def _datetimes_for(request) -> tuple:
    """The time zone date-times are written in (None without time zones), and whether the renderer writes them.

    The renderer writes them (``core.api.renderers.leave_datetimes_to_renderer``) only in UTC.
    """
    zone = timezone.get_current_timezone() if settings.USE_TZ else None
    utc = zone is datetime.UTC or getattr(zone, "key", None) in _UTC_NAMES
    return zone, bool(utc and leave_datetimes_to_renderer(request))


# Above this many decimal places ``str`` of a small Decimal switches to exponent notation (1E-7).
_STR_DECIMAL_PLACES = 6


def _decimal_as_stored(field, column) -> bool:
    """Whether DRF writes a decimal column's values exactly as ``str`` does.

    A value read from a ``DecimalField`` column has the column's decimal places already (PostgreSQL's
    numeric(p, s) and Django's SQLite converter both give exactly ``s``); when the serializer field
    asks for the same places and at least the same digits, DRF's quantize changes nothing and the
    text is ``str(value)``, in C, without a Python call per value.
    """
    return (_plain_decimal(field) is not None and isinstance(column, models.DecimalField)
            and column.decimal_places == field.decimal_places <= _STR_DECIMAL_PLACES
            and (field.max_digits is None or column.max_digits <= field.max_digits))


def _plain_decimal(field):
    """DRF's string output of a DecimalField, with the quantum and context worked out once, or None."""
    if (type(field) is not serializers.DecimalField or field.decimal_places is None or field.localize
            or field.normalize_output or not getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)):
        return None
    quantum = decimal.Decimal(".1") ** field.decimal_places
    context = decimal.getcontext().copy()
    if field.max_digits is not None:
        context.prec = field.max_digits
    rounding, fallback = field.rounding, field.to_representation

    def convert(value):
        if not isinstance(value, decimal.Decimal):
            return fallback(value)
        return format(value.quantize(quantum, rounding=rounding, context=context), "f")

    return convert


def _is_plain_datetime(field) -> bool:
    """A DateTimeField that writes ISO 8601 in the current time zone (DRF's default)."""
    output = getattr(field, "format", api_settings.DATETIME_FORMAT)
    return (type(field) is serializers.DateTimeField and not hasattr(field, "timezone")
            and isinstance(output, str) and output.lower() == ISO_8601)


def _same_value(field, column) -> bool:
    """Whether ``field.to_representation`` returns every value of ``column`` as it is."""
    kind = type(field)
    if kind is serializers.ReadOnlyField:
        return True
    if kind in _SAME_TEXT:
        return isinstance(column, _TEXT_COLUMNS)
    if kind is serializers.IntegerField:
        return isinstance(column, models.IntegerField)
    if kind is serializers.BigIntegerField:  # written as text only when the setting (or the field) says so
        return isinstance(column, models.IntegerField) and not getattr(
            field, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING)
    if kind is serializers.BooleanField:
        return isinstance(column, models.BooleanField)
    if kind is serializers.JSONField:
        return isinstance(column, models.JSONField) and not field.binary
    return False


def _when_missing(field, name):
    """What DRF writes when a related object on the field's path is absent."""
    if field.default is not empty:
        if callable(field.default):
            raise LeanPlanError(f"{name}: a callable default is not supported; give it a Column")
        return field.default
    if field.allow_null:
        return None
    if not field.required:
        return _OMIT
    raise LeanPlanError(f"{name}: no default for a missing related object")


class RowPlan:
    """How one serializer's list rows are read from ``values()`` and written as dicts."""

    def __init__(self, serializer, model, extras: dict, annotations: dict | None = None, owner: str | None = None):
        self.lookups: list[str] = []
        self.annotations: dict = {}
        self.many: list[tuple[str, models.ManyToManyField]] = []  # (key, field) read per page off PostgreSQL
        self.page_lookups: list[tuple[str, PageLookup]] = []
        self.computed: list[tuple[str, Callable, list[str]]] = []
        self.fields: list[tuple] = []  # (name, key, convert, guard key, value when guarded-out)
        self.model = model
        self.annotations_of_queryset = annotations or {}  # name -> output field
        if owner:
            self._key(owner)  # the column that ties a related row to its listed row
        for name, field in serializer.fields.items():
            if field.write_only:
                continue
            if name in extras:
                self._extra(name, field, extras[name])
            else:
                self._field(name, field)

    def _key(self, lookup: str) -> str:
        if lookup not in self.lookups:
            self.lookups.append(lookup)
        return lookup

    def _extra(self, name, field, extra):
        key = f"lean_{name}"
        convert = getattr(extra, "convert", None)
        if convert is AS_THE_FIELD:
            convert = None if isinstance(field, serializers.SerializerMethodField) else field.to_representation
        if isinstance(extra, Column):
            self.annotations[key] = extra.expression
            self.fields.append((name, key, convert, None, None))
        elif isinstance(extra, Computed):
            compute = extra.compute
            if extra.with_view:
                compute = (lambda rule: lambda view, *values: rule(view, *values))(compute)
            else:
                compute = (lambda rule: lambda view, *values: rule(*values))(compute)
            self.computed.append((key, compute, [self._key(column) for column in extra.columns]))
            self.fields.append((name, key, convert, None, None))
        elif isinstance(extra, PageLookup):
            self.page_lookups.append((key, extra))
            self.fields.append((name, key, None, None, None))
        else:
            raise LeanPlanError(f"{name}: lean_fields takes a Column, a Computed or a PageLookup")

    def _field(self, name, field):
        if field.source == "*" or isinstance(field, (serializers.SerializerMethodField, serializers.BaseSerializer,
                                                      serializers.HyperlinkedRelatedField, serializers.FileField)):
            raise LeanPlanError(f"{name}: {type(field).__name__} needs an entry in lean_fields")
        model, path, guard = self.model, [], None
        attrs = field.source.split(".")
        if len(attrs) == 1 and attrs[0] in self.annotations_of_queryset:
            # An annotation of the list's queryset (``on_hand``): read by its name.
            self.fields.append((name, self._key(attrs[0]), self._convert(field, self.annotations_of_queryset[attrs[0]]),
                                None, None))
            return
        for depth, attr in enumerate(attrs):
            try:
                column = model._meta.get_field(attr)
            except Exception as exc:
                raise LeanPlanError(f"{name}: '{attr}' is not a column of {model.__name__}") from exc
            last = depth == len(attrs) - 1
            if column.is_relation and attr == column.attname != column.name and last:
                # ``location_id``: the key itself, a plain integer column for the serializer field.
                path.append(column.name)
                convert = None if type(field) is serializers.IntegerField else field.to_representation
                self.fields.append((name, self._key("__".join(path)), convert, *(guard or (None, None))))
                return
            path.append(attr)
            if column.many_to_many and last:
                return self._many(name, field, column)
            if column.is_relation and not (column.many_to_one or column.one_to_one) or not column.concrete:
                raise LeanPlanError(f"{name}: '{attr}' is a reverse or many relation")
            if not last:
                if not column.is_relation:
                    raise LeanPlanError(f"{name}: '{attr}' is not a relation")
                if column.null and guard is None:
                    guard = (self._key("__".join(path)), _when_missing(field, name))
                model = column.related_model
        if column.is_relation:
            if isinstance(field, serializers.PrimaryKeyRelatedField) and field.pk_field is None:
                self.fields.append((name, self._key("__".join(path)), None, *(guard or (None, None))))
                return
            if isinstance(field, serializers.SlugRelatedField) and "__" not in field.slug_field:
                # SlugRelatedField writes the related object's attribute as it is.
                path.append(field.slug_field)
                self.fields.append((name, self._key("__".join(path)), None, *(guard or (None, None))))
                return
            raise LeanPlanError(f"{name}: {type(field).__name__} on a relation needs an entry in lean_fields")
        self.fields.append((name, self._key("__".join(path)), self._convert(field, column, stored=True),
                            *(guard or (None, None))))

    @staticmethod
    def _convert(field, column, stored=False):
        """How a value of ``column`` becomes what ``field`` writes: as it is, a date-time, or the field's own way.

        ``stored``: ``column`` is a table's own column (not an annotation), so a decimal comes with
        exactly the column's decimal places.
        """
        if _same_value(field, column):
            return None
        if _is_plain_datetime(field):
            return _DateTime(field)
        if stored and _decimal_as_stored(field, column):
            return str
        return _plain_decimal(field) or field.to_representation

    def _many(self, name, field, column):
        child = getattr(field, "child_relation", None)
        if not isinstance(child, serializers.PrimaryKeyRelatedField) or child.pk_field is not None:
            raise LeanPlanError(f"{name}: only a many-to-many of primary keys is read by the lean path")
        key = f"lean_{name}"
        self.many.append((key, column))
        self.fields.append((name, key, None, None, None))

    # -- reading -----------------------------------------------------------------------------------

    def values(self, queryset, also=()):
        """``queryset`` as dicts of the plan's columns and ``also`` (prefetches dropped: the plan reads its own).

        A plain list (the whole table in some order: no filter, search or annotation of the request)
        asks the same query every time: it is built and compiled to SQL once per process and order
        (``CompiledOnce``), which was a third of such a list's CPU.
        """
        key = plain_list_key(queryset, also)
        if key is None:
            return self._values(queryset, also)
        plain = self.__dict__.setdefault("_plain", {})
        found = plain.get(key)
        if found is None:
            found = self._values(queryset, also)
            CompiledOnce.freeze(found.query)
            if len(plain) < PLAIN_SHAPES:
                plain[key] = found
        return found._chain()

    def _values(self, queryset, also):
        annotations = dict(self.annotations)
        if connections[queryset.db].vendor == "postgresql":
            for key, column in self.many:
                annotations[key] = ArraySubquery(_related_ids(column).filter(**{_source_of(column): OuterRef("pk")}))
        lookups = self.lookups + [name for name in also if name not in self.lookups and name not in annotations]
        return queryset.prefetch_related(None).values("pk", *lookups, **annotations)

    def render(self, view, rows, on_postgres: bool) -> list[dict]:
        """The list rows as the serializer would write them, with a fixed number of queries for the page."""
        rows = list(rows)
        ids = [row["pk"] for row in rows]
        if not on_postgres and rows:
            for key, column in self.many:
                found = {pk: [] for pk in ids}
                for owner, target in _related_ids(column, with_owner=True).filter(
                        **{f"{_source_of(column)}__in": ids}):
                    found[owner].append(target)
                for row in rows:
                    row[key] = found[row["pk"]]
        for key, lookup in self.page_lookups:
            found = lookup.load(view, ids) if ids else {}
            for row in rows:
                value = found.get(row["pk"], lookup.missing)
                row[key] = list(value) if value is lookup.missing and isinstance(value, list) else value
        for key, compute, columns in self.computed:
            for row in rows:
                row[key] = compute(view, *[row[column] for column in columns])
        fields = self.fields
        if any(isinstance(convert, _DateTime) for _, _, convert, _, _ in fields):
            zone, left = _datetimes_for(getattr(view, "request", None))
            fields = [(name, key, convert.for_request(zone, left) if isinstance(convert, _DateTime) else convert,
                       guard, missing) for name, key, convert, guard, missing in fields]
        out = []
        for row in rows:
            item = {}
            for name, key, convert, guard, missing in fields:
                if guard is not None and row[guard] is None:
                    if missing is _OMIT:
                        continue
                    value = missing
                else:
                    value = row[key]
                item[name] = value if convert is None or value is None else convert(value)
            out.append(item)
        return out


PLAIN_SHAPES = 32  # orders of one list kept compiled (``?ordering=`` takes a handful)
PAGES_COMPILED = 16  # page slices of one plain query kept compiled (the first pages are the busy ones)


def plain_list_key(queryset, also=()):
    """What a plain list's query depends on (database, model, order), or None when it is not plain.

    Plain: every row of the table, no annotation, extra, distinct or slice; so the query the plan
    builds from it is the same for every request with the same order.
    """
    query = queryset.query
    if (query.where or query.annotations or query.extra or query.extra_tables or query.distinct or query.combinator
            or query.group_by is not None or query.is_sliced or query.values_select or query.select
            or len(query.alias_map) > 1 or query.select_for_update or query.extra_order_by or query.subquery
            or type(query) is not Query):
        return None
    return (queryset.db, query.model, tuple(query.order_by), query.default_ordering, query.standard_ordering,
            tuple(also))


def _shape(query) -> tuple:
    """The parts of a query a pagination or count may change, by identity where cloning keeps objects."""
    return (bool(query.where), query.order_by, query.extra_order_by, query.default_ordering, query.standard_ordering,
            query.values_select, tuple(map(id, query.annotations.values())), query.annotation_select_mask,
            tuple(map(id, query.select)), query.default_cols, query.distinct, query.distinct_fields,
            query.group_by, query.combinator, bool(query.extra), query.select_for_update, query.subquery,
            tuple(query.alias_map))


class CompiledOnce(Query):
    """A plain list's values query that remembers its SQL per database and page slice.

    Clones (a page's slice) share the memory; a clone changed any other way (a cursor's position
    filter, a count) compiles as usual. The compiler's state after compiling (its columns and
    converters) is copied into each new compiler, so rows are read exactly as before.
    """

    _lean_shape: tuple
    _lean_compiled: dict

    @classmethod
    def freeze(cls, query):
        query.__class__ = cls
        query._lean_shape = _shape(query)
        query._lean_compiled = {}

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        compiler = super().get_compiler(using, connection, elide_empty)
        if _shape(self) != self._lean_shape:
            return compiler
        key = (compiler.connection.alias, compiler.connection.vendor, self.low_mark, self.high_mark, elide_empty)
        found = self._lean_compiled.get(key)
        if found is None:
            compiled = compiler.as_sql()
            state = {name: value for name, value in vars(compiler).items() if name not in _PER_COMPILER}
            found = (state, compiled, {})
            if len(self._lean_compiled) < PAGES_COMPILED:
                self._lean_compiled[key] = found
        state, compiled, converters = found
        vars(compiler).update(state)
        original_sql, original_converters = compiler.as_sql, compiler.get_converters

        def as_sql(with_limits=True, with_col_aliases=False):
            return compiled if with_limits and not with_col_aliases else original_sql(with_limits, with_col_aliases)

        def get_converters(expressions):
            # The rows' converters depend only on the selected columns, which are the remembered ones.
            shape = tuple(map(id, expressions))
            known = converters.get(shape)
            if known is None:
                known = converters[shape] = original_converters(expressions)
            return known

        compiler.as_sql, compiler.get_converters = as_sql, get_converters
        return compiler


_PER_COMPILER = frozenset({"query", "connection", "using", "elide_empty", "quote_cache"})


def _source_of(column: models.ManyToManyField) -> str:
    return column.m2m_field_name()


def _related_ids(column: models.ManyToManyField, with_owner: bool = False):
    """Through-table rows of ``column`` ordered like the related model's own ordering (else by id)."""
    through = column.remote_field.through
    target = column.m2m_reverse_field_name()
    ordering = column.related_model._meta.ordering or ["pk"]
    order = [f"-{target}__{o[1:]}" if o.startswith("-") else f"{target}__{o}" for o in ordering]
    rows = through.objects.order_by(*order)
    if with_owner:
        return rows.values_list(f"{_source_of(column)}_id", f"{target}_id")
    return rows.values(f"{target}_id")


_NO_FIELDS: dict = {}


class LeanListMixin:
    """``list`` through a RowPlan of the list serializer when the viewset sets ``lean_list = True``.

    An extra action that lists rows (``devices/<id>/maintenance/``, ``checkouts/overdue/``) answers
    through ``lean_rows(queryset, serializer_class)`` and is named in ``lean_actions``; with
    ``lean_list`` off it answers through its serializer as before (what the byte-for-byte test
    compares with).
    """

    lean_list = False
    lean_fields: dict = {}
    lean_actions: tuple = ()
    # True when the list serializer's own ``to_representation`` only rewrites fields that ``lean_fields``
    # names (quantities written plainly): the plan reads those from there and the rest as usual.
    lean_own_representation = False
    _lean_plans: dict

    def lean_plan(self, serializer_class=None, lean_fields=None, queryset=None, key=None) -> RowPlan:
        """The row plan of a serializer (by default the list's) with its ``lean_fields``, built once per process.

        ``key`` names the plan among the viewset's (by default the serializer class: the list's).
        """
        cls = type(self)
        serializer_class = serializer_class or self.get_serializer_class()
        lean_fields = self.lean_fields if lean_fields is None else lean_fields
        plans = cls.__dict__.get("_lean_plans")
        if plans is None:
            plans = cls._lean_plans = {}
        key = serializer_class if key is None else key
        plan = plans.get(key)
        if plan is None:
            own = serializer_class.to_representation is not serializers.ModelSerializer.to_representation
            if own and not (self.lean_own_representation and key is serializer_class):
                raise LeanPlanError(f"{serializer_class.__name__} has its own to_representation")
            serializer = serializer_class(context=self.get_serializer_context())
            source = self.get_queryset() if queryset is None else queryset
            annotations = {name: getattr(expression, "output_field", None)
                           for name, expression in source.query.annotations.items()}
            plan = plans[key] = RowPlan(serializer, serializer_class.Meta.model, lean_fields, annotations)
        return plan

    def list(self, request, *args, **kwargs):
        if not self.lean_list:
            return super().list(request, *args, **kwargs)
        plan = self.lean_plan()
        return self._lean_answer(plan, self.filter_queryset(self.get_queryset()), paginate=True)

    def lean_rows(self, queryset, serializer_class=None, *, lean_fields=None, paginate=True, context=None):
        """An extra action's list: ``serializer_class``'s rows of ``queryset`` (a page of them unless ``paginate``
        is false), the same answer as ``serializer_class(rows, many=True, context=context).data``.

        Without ``serializer_class``: the list's serializer, its ``lean_fields`` and the viewset's
        serializer context. ``lean_fields`` as for the list; the plan is kept per action.
        """
        if serializer_class is None:
            serializer_class = self.get_serializer_class()
            lean_fields = self.lean_fields if lean_fields is None else lean_fields
            context = self.get_serializer_context() if context is None else context
        if not self.lean_list:
            rows = self.paginate_queryset(queryset) if paginate else None
            data = serializer_class(queryset if rows is None else rows, many=True, context=context or {}).data
            return self.get_paginated_response(data) if rows is not None else Response(data)
        plan = self.lean_plan(serializer_class, _NO_FIELDS if lean_fields is None else lean_fields, queryset,
                              key=("action", self.action, serializer_class))
        return self._lean_answer(plan, queryset, paginate)

    def _lean_answer(self, plan, queryset, paginate):
        # A cursor reads its position from the rows: the ordering columns go into them too.
        ordering = getattr(self.paginator, "get_ordering", None) if paginate else None
        also = [name.lstrip("-") for name in ordering(self.request, queryset, self)] if ordering else []
        queryset = plan.values(queryset, also)
        page = self.paginate_queryset(queryset) if paginate else None
        on_postgres = connections[queryset.db].vendor == "postgresql"
        data = plan.render(self, page if page is not None else queryset, on_postgres)
        return self.get_paginated_response(data) if page is not None else Response(data)
