"""System checks: that tenant rows are scoped, and (`check --deploy`) what sign-in relies on."""

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(deploy=True)
def shared_cache_for_rate_limits(app_configs, **kwargs):
    """allauth's rate limits count in the cache: a per-process memory cache lets every web
    process allow its own share of code requests and password guesses."""
    backend = settings.CACHES["default"]["BACKEND"]
    if "redis" in backend.lower():
        return []
    return [Warning(
        "The cache is not Redis, so sign-in rate limits count per process.",
        hint="Set REDIS_URL.", id="tenancy.W001")]


@register(Tags.models)
def network_rows_are_tenant_models(app_configs, **kwargs):
    """A model with a foreign key to Network holds one network's rows, so it inherits
    TenantModel (and its queries need a scope, see tenancy/scoping.py). A model whose link to
    a network means something else opts out with `tenant_scoping_exempt = "<why>"`."""
    from tenancy.models import Network
    from tenancy.scoping import TenantModel

    models = (apps.get_models() if app_configs is None
              else [model for config in app_configs for model in config.get_models()])
    return [
        Error(f"{model._meta.label}.{field.name} points to Network, but {model.__name__} does "
              "not inherit TenantModel.",
              hint="Inherit tenancy.scoping.TenantModel, or say why not in "
                   "tenant_scoping_exempt.",
              obj=model, id="tenancy.E001")
        for model in models
        if not issubclass(model, TenantModel) and not getattr(model, "tenant_scoping_exempt", "")
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is Network
    ]
