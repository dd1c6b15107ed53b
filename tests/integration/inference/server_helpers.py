"""Pieces the test model servers share, whatever KServe version runs them."""

from fastapi.responses import JSONResponse


def require_bearer_token(app, token):
    """Every route wants this bearer token, as behind an auth proxy."""
    async def check_token(request, call_next):
        if request.headers.get("authorization") != "Bearer " + token:
            return JSONResponse({"error": "missing or wrong bearer token"}, status_code=401)
        return await call_next(request)

    app.middleware("http")(check_token)
