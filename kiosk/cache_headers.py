"""Cache-Control for public responses, one rule for the website, the kiosk and the API."""

from flask import Response, current_app


def public_cache_control(response: Response, max_age: int) -> None:
    """Browsers keep the response `max_age` seconds; a shared cache (nginx) only WEB_SHARED_MAX_AGE, then
    revalidates with the ETag, serving its stale copy at most WEB_SHARED_STALE_SECONDS longer meanwhile.

    The two shared values bound how long a publish takes to show through nginx (docs/deploy.md).
    """
    config = current_app.config
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    response.cache_control.s_maxage = config.get("WEB_SHARED_MAX_AGE", 5)
    response.cache_control.stale_while_revalidate = config.get("WEB_SHARED_STALE_SECONDS", 5)
