"""The OpenAPI description of every app's routes is generated without a warning or an error: no two
serializers share a component name, every computed field has a type, every enum one name. A
warning here means the schema at /api/schema/ describes something wrongly."""

from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator


def test_the_api_schema_has_no_warnings():
    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    warnings, errors = dict(GENERATOR_STATS._warn_cache), dict(GENERATOR_STATS._error_cache)
    GENERATOR_STATS.reset()
    assert not errors, list(errors)
    assert not warnings, list(warnings)
    assert "/api/petitions/intake/" in schema["paths"] and "/api/problems/" in schema["paths"]
