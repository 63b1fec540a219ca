"""kbgen: turns structured de-escalation entries into a contact-centre handbook."""

__version__ = "0.1.0"
