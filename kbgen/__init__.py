"""kbgen: turns structured de-escalation entries into a contact-centre handbook."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kbgen")
except PackageNotFoundError:  # running from a source folder that was never installed
    __version__ = "0+unknown"
