"""Benchtop settings: every value comes from the environment.

With nothing set, Benchtop runs embedded (SQLite, in-memory channel layer,
inline Celery tasks, local-memory cache, console email). Setting
``DATABASE_URL``, ``REDIS_URL`` and ``MQTT_URL`` switches to the full stack.
``.env.example`` lists every variable with a comment.
"""
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from redis.asyncio.retry import Retry as AsyncRetry
from redis.backoff import ConstantBackoff
from redis.retry import Retry

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEFAULT_SECRET_KEY = "benchtop-insecure-development-key-change-me"

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"
SECRET_KEY = env.str("SECRET_KEY", default=DEFAULT_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Addresses of reverse proxies whose X-Forwarded-For is believed (nobody else's is).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

if PRODUCTION:
    # A production site with the shipped key or debug pages on is a leak waiting to happen.
    if SECRET_KEY == DEFAULT_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("DJANGO_ENV=production needs its own SECRET_KEY of 50+ characters.")
    if DEBUG:
        raise ImproperlyConfigured("DJANGO_ENV=production refuses to start with DEBUG on.")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "django_htmx",
    "django_prometheus",
    "django_celery_beat",
    "channels",
    "core",
    "accounts",
    "inventory",
    "scheduler",
    "projects",
    "equipment",
    "meetings",
    "workflows",
    "workshop",
]

MIDDLEWARE = [
    "core.metrics.RequestMetrics",
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.StaticFiles",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.timezones.UserTimeZoneMiddleware",
    "core.middleware.Messages",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.Htmx",
    "core.context.RequestContextMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context.navigation",
            ],
        },
    },
]

# --- Data stores -----------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'benchtop.sqlite3'}"),
}
# Under ASGI every request may run in a fresh thread, and a persistent connection per thread
# would exhaust PostgreSQL's client slots; keep 0 unless a pooler sits in front.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait for each other instead of failing at once; IMMEDIATE takes the write
    # lock when a transaction starts, which is what the embedded mode's rules rely on.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests use a database file too, not SQLite's shared in-memory cache: there a second
    # connection (the live test server's threads) finds a busy table locked at once instead
    # of waiting, so browser tests would fail where the real embedded mode just waits.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-benchtop.sqlite3")}
IS_POSTGRES = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")
if IS_POSTGRES:
    # Django's backend with a cheaper pool check and time stamps read in C (core/db/postgresql).
    DATABASES["default"]["ENGINE"] = "core.db.postgresql"
if IS_POSTGRES and env.bool("DB_POOL", default=True):
    # psycopg's pool: a request borrows an open connection instead of paying for a new
    # backend process each time (the ASGI server runs views in threads, so CONN_MAX_AGE can't).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DB_POOL_MIN_SIZE", default=2),
        "max_size": env.int("DB_POOL_MAX_SIZE", default=20),
        "timeout": env.int("DB_POOL_TIMEOUT", default=20),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Requests each web process serves at once: its HTTP threads (config/asgi.py), each holding a
# database connection while it runs. Python runs one thread at a time, so more threads mostly
# wait for each other and for the event loop that talks to the clients (bench/bench_compare.py,
# auth/me: 1,370 requests a second with 8 threads, 1,630 with 4, 2,030 with 2); a file download
# to a slow client holds its thread, so keep a few. For more, run more processes.
HTTP_THREADS = env.int("HTTP_THREADS", default=4)

REDIS_URL = env.str("REDIS_URL", default="")
MQTT_URL = env.str("MQTT_URL", default="")

# channels-redis waits on a blocking pop of 5 s; redis-py 8's default socket timeout is also
# 5 s and cut idle websockets at every pop. The read timeout must outlast the pop; connecting
# to a dead Redis may not take long. After a Redis restart the pooled connections are dead:
# one quick retry on a fresh connection saves the first command (the layer is asyncio's client).
CHANNEL_LAYER_CONNECTION = {"socket_timeout": 15, "socket_connect_timeout": 1, "socket_keepalive": True,
                            "health_check_interval": 30, "retry": AsyncRetry(ConstantBackoff(0.05), 1)}
if REDIS_URL:
    # A Redis outage must not fail requests: the cache falls back to process memory (core.cache),
    # and short timeouts keep a dead Redis from holding a request for seconds.
    CACHES = {"default": {"BACKEND": "core.cache.ResilientRedisCache", "LOCATION": REDIS_URL,
                          "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1,
                                      "retry": Retry(ConstantBackoff(0.05), 1)}}}
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, **CHANNEL_LAYER_CONNECTION}],
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "benchtop"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "core.layers.ThreadSafeInMemoryChannelLayer"}}

# --- Celery ----------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
# A dead broker must fail fast: the job then waits in the outbox (core.outbox) instead of the request.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 5}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# Jobs here are notifications and housekeeping nobody waits on; storing a result would also make
# every enqueue subscribe to the result store first, which fails for good while Redis is down.
# A caller that wants the result asks with apply_async(ignore_result=False).
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_DEFAULT_QUEUE = "default"
# Anything that talks to a machine goes to the hardware queue, whose workers sit next to the gateway.
CELERY_TASK_ROUTES = {"equipment.*": {"queue": "hardware"}, "*": {"queue": "default"}}
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "prune-events": {"task": "core.tasks.prune_events", "schedule": timedelta(minutes=10)},
    "send-outbox": {"task": "core.tasks.send_outbox", "schedule": timedelta(minutes=1)},
    # scheduler: add its entries below this line
    "scheduler-expire-bookings": {"task": "scheduler.tasks.expire_bookings", "schedule": timedelta(minutes=5)},
    "scheduler-send-reminders": {"task": "scheduler.tasks.send_reminders", "schedule": timedelta(minutes=5)},
    "scheduler-power-schedule": {"task": "scheduler.tasks.apply_power_schedule", "schedule": timedelta(minutes=1)},
    "scheduler-power-reconcile": {"task": "scheduler.tasks.reconcile_power", "schedule": timedelta(minutes=5)},
    # inventory: add its entries below this line
    "inventory-maintenance-due": {"task": "inventory.tasks.maintenance_due", "schedule": timedelta(hours=6)},

    # projects: add its entries below this line

    # equipment: add its entries below this line
    "equipment-prune-telemetry": {"task": "equipment.tasks.prune_telemetry", "schedule": timedelta(hours=1)},
    "equipment-watchdog": {"task": "equipment.tasks.watchdog", "schedule": timedelta(seconds=10)},

    # meetings: add its entries below this line

    # workflows: add its entries below this line
    "workflows-sweep": {"task": "workflows.tasks.sweep", "schedule": timedelta(seconds=15)},

    # workshop: add its entries below this line
    "workshop-check-system": {"task": "workshop.tasks.check_system", "schedule": timedelta(minutes=1)},
    "workshop-prune-snapshots": {"task": "workshop.tasks.prune_snapshots", "schedule": timedelta(hours=6)},
}

# --- Auth ------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "accounts.passwords.StrongPasswordValidator", "OPTIONS": {"min_length": 12}},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
REGISTRATION_OPEN = env.bool("REGISTRATION_OPEN", default=True)
LOGIN_FAILURES_PER_MINUTE = env.int("LOGIN_FAILURES_PER_MINUTE", default=5)
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3600)
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=30)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=7)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "AUTH_HEADER_TYPES": ("Bearer",),
}

# --- REST API --------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.JWTAuthentication",
        "accounts.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "core.api.filters.FilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "core.api.throttles.UserThrottle",
        "core.api.throttles.AnonThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": env.str("API_RATE_USER", default="100/minute"),
        "anon": env.str("API_RATE_ANON", default="100/minute"),
    },
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "core.api.renderers.OrjsonRenderer",
        "core.api.renderers.ActionFormRenderer",
    ],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "core.api.negotiation.RememberingNegotiation",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Benchtop API",
    "DESCRIPTION": "Bookings, inventory, machines, projects, meetings and workflows for a shared lab.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # The API speaks JSON; form encodings exist only for the browsable API's HTML forms.
    "PARSER_WHITELIST": ["rest_framework.parsers.JSONParser"],
    # Several models call a choice set "status", "kind" or "category"; name each enum after its model.
    "ENUM_NAME_OVERRIDES": {
        "DeviceStatusEnum": "scheduler.models.Device.Status",
        "BookingStatusEnum": "scheduler.models.Booking.Status",
        "AssetStatusEnum": "inventory.models.assets.Asset.Status",
        "DeviceTypeCategoryEnum": "inventory.models.catalog.DeviceType.Category",
        "MaterialCategoryEnum": "inventory.models.stock.Material.Category",
        "LocationKindEnum": "inventory.models.locations.Location.Kind",
        "MovementKindEnum": "inventory.models.stock.StockMovement.Kind",

        # projects: add its enums below this line
        "ProjectStatusEnum": "projects.models.projects.Project.Status",
        "TaskStatusEnum": "projects.models.tasks.Task.Status",
        # One priority scale for tasks and meeting action items (an item becomes a task).
        "TaskPriorityEnum": "projects.models.tasks.Task.Priority",
        "TeamRoleEnum": "projects.models.teams.TeamMembership.Role",

        # equipment: add its enums below this line
        "MachineKindEnum": "equipment.models.Machine.Kind",
        "MachineDriverEnum": "equipment.models.Machine.Driver",
        "JobStatusEnum": "equipment.models.Job.Status",
        "SafetyEventLevelEnum": "equipment.models.SafetyEvent.Level",
        "SafetyEventStatusEnum": "equipment.models.SafetyEvent.Status",

        # meetings: add its enums below this line
        "MeetingStatusEnum": "meetings.models.Meeting.Status",
        "MeetingKindEnum": "meetings.models.Meeting.Kind",
        "RecordingStatusEnum": "meetings.models.Recording.Status",
        "ActionItemStatusEnum": "meetings.models.ActionItem.Status",

        # workflows: add its enums below this line
        "RunStateEnum": "workflows.models.Run.State",
        "TaskStateEnum": "workflows.models.Task.State",
        "AgentStatusEnum": "workflows.models.Agent.Status",
        "SuggestionStateEnum": "workflows.models.Suggestion.State",
        # An agent acts with one of the three roles below admin.
        "AgentRoleEnum": [("viewer", "viewer"), ("member", "member"), ("operator", "operator")],
        "UserRoleEnum": "accounts.roles.ROLES",

        # workshop: add its enums below this line
        "VoiceCommandStatusEnum": "workshop.models.VoiceCommand.Status",
    },
    # Swagger UI and ReDoc are served from our own static files, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
if not CORS_ALLOWED_ORIGINS:
    # No browser origin may call the API: CORS would only add ``Vary: Origin`` to every answer.
    MIDDLEWARE.remove("corsheaders.middleware.CorsMiddleware")

# --- Scheduler -------------------------------------------------------------
# The longest any booking may be, whatever the device policy says; it also bounds the
# index range the conflict check scans (see scheduler.queries.overlapping).
SCHEDULER_MAX_BOOKING_DAYS = env.int("SCHEDULER_MAX_BOOKING_DAYS", default=31)
# How long before a confirmed booking starts its holders get a reminder.
SCHEDULER_REMINDER_MINUTES = env.int("SCHEDULER_REMINDER_MINUTES", default=30)
# How many occurrences one recurring request may produce.
SCHEDULER_MAX_SERIES_OCCURRENCES = env.int("SCHEDULER_MAX_SERIES_OCCURRENCES", default=100)
# How long one request to a PDU may take before it counts as failed.
SCHEDULER_PDU_TIMEOUT_SECONDS = env.float("SCHEDULER_PDU_TIMEOUT_SECONDS", default=5.0)
# How long a power cycle waits between off and on, unless the request says, and the longest it may ask.
SCHEDULER_PDU_CYCLE_SECONDS = env.float("SCHEDULER_PDU_CYCLE_SECONDS", default=5.0)
SCHEDULER_PDU_MAX_CYCLE_SECONDS = env.float("SCHEDULER_PDU_MAX_CYCLE_SECONDS", default=60.0)

# --- Inventory -------------------------------------------------------------
INVENTORY_ID_PREFIX = env.str("INVENTORY_ID_PREFIX", default="BT")
INVENTORY_MAINTENANCE_REMINDER_DAYS = env.int("INVENTORY_MAINTENANCE_REMINDER_DAYS", default=14)

# --- Projects -----------------------------------------------------------------
PROJECTS_FILE_MAX_BYTES = env.int("PROJECTS_FILE_MAX_BYTES", default=25 * 1024 * 1024)
# Kinds of content a project file may have, decided from its bytes: pdf png jpeg gif webp zip text.
PROJECTS_FILE_TYPES = env.list("PROJECTS_FILE_TYPES", default=["pdf", "png", "jpeg", "gif", "webp", "zip", "text"])
PROJECTS_SHARE_HOURS = env.int("PROJECTS_SHARE_HOURS", default=72)
PROJECTS_SHARE_MAX_HOURS = env.int("PROJECTS_SHARE_MAX_HOURS", default=720)
PROJECTS_INVITATION_HOURS = env.int("PROJECTS_INVITATION_HOURS", default=168)

# --- Equipment ----------------------------------------------------------------
EQUIPMENT_SECRETS_KEY = env.str("EQUIPMENT_SECRETS_KEY", default="")
EQUIPMENT_MAX_UPLOAD_MB = env.int("EQUIPMENT_MAX_UPLOAD_MB", default=50)
EQUIPMENT_MATERIAL_PER_JOB = env.float("EQUIPMENT_MATERIAL_PER_JOB", default=0.0)
EQUIPMENT_TELEMETRY_RAW_HOURS = env.int("EQUIPMENT_TELEMETRY_RAW_HOURS", default=24)
EQUIPMENT_TELEMETRY_KEEP_DAYS = env.int("EQUIPMENT_TELEMETRY_KEEP_DAYS", default=30)
EQUIPMENT_WATCHDOG_SECONDS = env.int("EQUIPMENT_WATCHDOG_SECONDS", default=30)
EQUIPMENT_OFFLINE_SECONDS = env.float("EQUIPMENT_OFFLINE_SECONDS", default=3.0)
EQUIPMENT_LIVE_PER_SECOND = env.float("EQUIPMENT_LIVE_PER_SECOND", default=2.0)
EQUIPMENT_MQTT_BASE = env.str("EQUIPMENT_MQTT_BASE", default="benchtop/equipment")
EQUIPMENT_SIMULATORS = env.bool("EQUIPMENT_SIMULATORS", default=True)
# Where a paused print parks its head (a machine's own ``park`` setting overrides these).
EQUIPMENT_PARK_LIFT_MM = env.float("EQUIPMENT_PARK_LIFT_MM", default=10.0)
EQUIPMENT_PARK_X = env.float("EQUIPMENT_PARK_X", default=0.0)
EQUIPMENT_PARK_Y = env.float("EQUIPMENT_PARK_Y", default=0.0)
# Filament pulled back before a paused print parks, and pushed out again before it resumes (0: none).
EQUIPMENT_PARK_RETRACT_MM = env.float("EQUIPMENT_PARK_RETRACT_MM", default=2.0)

# --- Meetings -----------------------------------------------------------------
MEETINGS_MAX_UPLOAD_MB = env.int("MEETINGS_MAX_UPLOAD_MB", default=200)
TRANSCRIBE_PROVIDER = env.str("TRANSCRIBE_PROVIDER", default="whisper")
TRANSCRIBE_MODEL_DIR = env.str("TRANSCRIBE_MODEL_DIR", default="")
TRANSCRIBE_THREADS = env.int("TRANSCRIBE_THREADS", default=2)
TRANSCRIBE_BEAM_SIZE = env.int("TRANSCRIBE_BEAM_SIZE", default=5)
TRANSCRIBE_BATCH_SIZE = env.int("TRANSCRIBE_BATCH_SIZE", default=8)
TRANSCRIBE_OPENAI_MODEL = env.str("TRANSCRIBE_OPENAI_MODEL", default="whisper-1")
ANALYZE_PROVIDER = env.str("ANALYZE_PROVIDER", default="rules")
ANALYZE_OPENAI_MODEL = env.str("ANALYZE_OPENAI_MODEL", default="gpt-4o-mini")
AI_API_BASE_URL = env.str("AI_API_BASE_URL", default="")
AI_API_KEY = env.str("AI_API_KEY", default="")
AI_TIMEOUT_SECONDS = env.float("AI_TIMEOUT_SECONDS", default=120.0)

# --- Workflows ----------------------------------------------------------------
WORKFLOWS_HEARTBEAT_SECONDS = env.int("WORKFLOWS_HEARTBEAT_SECONDS", default=10)
WORKFLOWS_LOG_BATCH_MAX = env.int("WORKFLOWS_LOG_BATCH_MAX", default=500)
WORKFLOWS_AGENT_URL = env.str("WORKFLOWS_AGENT_URL", default=SITE_URL)
WORKFLOWS_AGENT_KEY = env.str("WORKFLOWS_AGENT_KEY", default="")
WORKFLOWS_AGENT_RATE = env.str("WORKFLOWS_AGENT_RATE", default="600/minute")

# --- Workshop -----------------------------------------------------------------
WORKSHOP_CPU_WARN_PERCENT = env.float("WORKSHOP_CPU_WARN_PERCENT", default=90.0)
WORKSHOP_MEMORY_WARN_PERCENT = env.float("WORKSHOP_MEMORY_WARN_PERCENT", default=90.0)
WORKSHOP_DISK_WARN_PERCENT = env.float("WORKSHOP_DISK_WARN_PERCENT", default=90.0)
WORKSHOP_TEMPERATURE_WARN_C = env.float("WORKSHOP_TEMPERATURE_WARN_C", default=85.0)
WORKSHOP_QUEUE_WARN_DEPTH = env.int("WORKSHOP_QUEUE_WARN_DEPTH", default=100)
WORKSHOP_COMMAND_WAIT_WARN_SECONDS = env.float("WORKSHOP_COMMAND_WAIT_WARN_SECONDS", default=30.0)
WORKSHOP_VOICE_CONFIRM_SECONDS = env.int("WORKSHOP_VOICE_CONFIRM_SECONDS", default=120)
WORKSHOP_CAMERA_TIMEOUT_SECONDS = env.float("WORKSHOP_CAMERA_TIMEOUT_SECONDS", default=5.0)
WORKSHOP_SNAPSHOT_MAX_MB = env.int("WORKSHOP_SNAPSHOT_MAX_MB", default=10)
WORKSHOP_SNAPSHOT_KEEP_DAYS = env.int("WORKSHOP_SNAPSHOT_KEEP_DAYS", default=14)
WORKSHOP_STALL_MINUTES = env.float("WORKSHOP_STALL_MINUTES", default=10.0)
WORKSHOP_STALL_CHANGE = env.float("WORKSHOP_STALL_CHANGE", default=0.01)
WORKSHOP_CAPTURE_SECONDS = env.float("WORKSHOP_CAPTURE_SECONDS", default=10.0)
WORKSHOP_TIMELAPSE_FPS = env.float("WORKSHOP_TIMELAPSE_FPS", default=10.0)
WORKSHOP_QUEUE_WARN_SECONDS = env.float("WORKSHOP_QUEUE_WARN_SECONDS", default=300.0)

# --- Events ----------------------------------------------------------------
EVENTS_KEEP = env.int("EVENTS_KEEP", default=10000)

# How far from today (either way) anything may be booked or planned (core.validation).
PLANNING_HORIZON_DAYS = env.int("PLANNING_HORIZON_DAYS", default=730)

# --- Gateway: request size, metrics ------------------------------------------
# Bodies above this are refused on their declared length, before they are read (uploads are 20 MB at most).
MAX_REQUEST_BYTES = env.int("MAX_REQUEST_MB", default=25) * 1024 * 1024
# /metrics answers loopback clients, and others sending "Authorization: Bearer <METRICS_TOKEN>".
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")

# --- I18N, static, email ---------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="benchtop@localhost")
DISCORD_WEBHOOK_URL = env.str("DISCORD_WEBHOOK_URL", default="")

if not PRODUCTION:
    import warnings

    # Outside production static files come from the app folders (WHITENOISE_USE_FINDERS);
    # the collected folder is not needed, so WhiteNoise's warning about it is noise.
    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
