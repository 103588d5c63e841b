"""REST routes of fieldwork (registered on the platform router in xuncha/api_urls.py)."""


def register_routes(router) -> None:
    """Add this app's viewsets to the /api/ router."""
