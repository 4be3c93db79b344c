"""Structured logs: one JSON object per line, so refused actions can be searched and counted."""

import json
import logging

#: Attributes every LogRecord has; anything else was passed in `extra` and is logged as a field.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({key: value for key, value in vars(record).items() if key not in _STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class RefusedRequestLogMiddleware:
    """Log every state-changing request the application refused (4xx), with who and where."""

    UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}

    def __init__(self, get_response):
        self.get_response = get_response
        self.log = logging.getLogger("kiemdiem.refused")

    def __call__(self, request):
        response = self.get_response(request)
        if request.method in self.UNSAFE and 400 <= response.status_code < 500:
            user = getattr(request, "user", None)
            self.log.warning(
                "refused",
                extra={
                    "user": user.get_username() if user and user.is_authenticated else "",
                    "path": request.path,
                    "method": request.method,
                    "status": response.status_code,
                },
            )
        return response
