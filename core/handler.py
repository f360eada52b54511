"""Django's WSGI handler, remembering where each path leads.

Django matches a request's path against the URL map pattern by pattern on every request: an
API list near the end of the map (the stock ledger) tried some 70 patterns, about a tenth of
its CPU. The answer depends only on the path and the map, so it is kept per path (up to
``REMEMBERED`` paths; the memory starts over when full, since paths are the client's to choose).
A path that matches nothing is not kept and is looked up every time, as before. The memory
lives on the URL resolver, so a changed URL map (``clear_url_caches``) starts with none.
"""
from django.core.handlers.wsgi import WSGIHandler
from django.urls import get_resolver, set_urlconf

REMEMBERED = 4096


class Handler(WSGIHandler):
    """The WSGI handler of ``config.wsgi`` and ``config.asgi``."""

    def resolve_request(self, request):
        if hasattr(request, "urlconf"):  # a middleware chose another URL map for this request
            set_urlconf(request.urlconf)
            resolver = get_resolver(request.urlconf)
        else:
            resolver = get_resolver()
        found = resolver.__dict__.get("_benchtop_matches")
        if found is None:
            found = resolver.__dict__.setdefault("_benchtop_matches", {})
        path = request.path_info
        match = found.get(path)
        if match is None:
            match = resolver.resolve(path)  # Resolver404 goes on to the 404 answer, remembering nothing
            if len(found) >= REMEMBERED:
                found.clear()
            found[path] = match
        request.resolver_match = match
        return match


def application():
    """A set-up Django's WSGI application with this handler (as ``get_wsgi_application`` makes Django's)."""
    import django

    django.setup(set_prefix=False)
    return Handler()
