"""Gunicorn settings (read from the working directory): access log on stdout, redacted.

Rating requests are logged without client address, time of day or ids
(config/log_redaction.py; docs/anonymity.md).
"""

bind = "0.0.0.0:8000"
workers = 3
accesslog = "-"
logger_class = "config.log_redaction.RedactingAccessLogger"
