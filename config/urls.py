"""URL map: pages, admin, API, docs, health and metrics."""
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from accounts.forms import AdminLoginForm
from accounts.urls import browsable_api_urlpatterns
from core.api.audit import AuditEntryViewSet
from core.api.root import APIRoot

admin.site.login_form = AdminLoginForm
admin.site.site_header = "Benchtop administration"
admin.site.site_title = "Benchtop admin"

api_router = DefaultRouter()
api_router.APIRootView = APIRoot
api_router.register("audit", AuditEntryViewSet, basename="audit")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("api/auth/", include(("accounts.api.urls", "auth"))),
    path("api/audit/export.csv", AuditEntryViewSet.as_view({"get": "export"}), name="audit-export"),
    path("api/", include(api_router.urls)),
    # scheduler: API and pages are included below this line
    path("api/scheduler/", include(("scheduler.api.urls", "scheduler-api"))),
    path("scheduler/", include(("scheduler.urls", "scheduler"))),
    # inventory: API and pages are included below this line
    path("api/inventory/", include(("inventory.api.urls", "inventory-api"))),
    path("inventory/", include(("inventory.urls", "inventory"))),
    # projects: API and pages are included below this line
    path("api/projects/", include(("projects.api.urls", "projects-api"))),
    path("projects/", include(("projects.urls", "projects"))),

    # equipment: API and pages are included below this line
    path("api/equipment/", include(("equipment.api.urls", "equipment-api"))),
    path("equipment/", include(("equipment.urls", "equipment"))),

    # meetings: API and pages are included below this line
    path("api/meetings/", include(("meetings.api.urls", "meetings-api"))),
    path("meetings/", include(("meetings.urls", "meetings"))),

    # workflows: API and pages are included below this line
    path("api/workflows/", include(("workflows.api.urls", "workflows-api"))),
    path("workflows/", include(("workflows.urls", "workflows"))),

    # workshop: API and pages are included below this line
    path("api/", include(("workshop.api.urls", "workshop-api"))),
    path("workshop/", include(("workshop.urls", "workshop"))),

    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    # The browsable API's login and logout, through the throttled login service.
    path("api-auth/", include((browsable_api_urlpatterns, "rest_framework"))),
    path("", include("django_prometheus.urls")),
    path("", include("core.urls")),
]
