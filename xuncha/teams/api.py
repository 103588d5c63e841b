"""REST API of the app; `register_routes(router)` is called by xuncha/api_urls.py."""


def register_routes(router) -> None:
    pass
