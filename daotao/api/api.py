"""The JSON API under /api/v1/ (django-ninja); OpenAPI schema at /api/v1/openapi.json."""

from ninja import NinjaAPI

api = NinjaAPI(title="DaoTao API", version="1", urls_namespace="api", openapi_url="/openapi.json", docs_url=None)
