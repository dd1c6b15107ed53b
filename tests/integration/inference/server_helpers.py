"""Pieces the test model servers share, whatever KServe version runs them."""

import argparse

from fastapi.responses import JSONResponse


def server_arguments():
    """--port, and optionally --certfile/--keyfile (HTTPS) and --token."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--certfile")
    parser.add_argument("--keyfile")
    parser.add_argument("--token")
    return parser.parse_args()


def require_bearer_token(app, token):
    """Every route wants this bearer token, as behind an auth proxy."""
    async def check_token(request, call_next):
        if request.headers.get("authorization") != "Bearer " + token:
            return JSONResponse({"error": "missing or wrong bearer token"}, status_code=401)
        return await call_next(request)

    app.middleware("http")(check_token)
