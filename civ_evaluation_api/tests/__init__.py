from . import test_api_http
