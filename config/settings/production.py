"""Production: every secret from the environment, HTTPS only."""

from config.env import env, env_bool, mailer_from_url

from .base import *  # noqa: F403

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# A load balancer probes over plain http inside the network; the probes answer it there.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# One JSON object per line, for the log collector (tenancy/logs.py; README, "Operations").
LOGGING["handlers"]["console"]["formatter"] = "json"  # noqa: F405

# Mail must go somewhere real in production: EMAIL_URL is required (smtp://, smtp+tls://, …).
MAILERS = {"default": mailer_from_url(env("EMAIL_URL", required=True))}
