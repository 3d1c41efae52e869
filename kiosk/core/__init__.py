"""The kiosk's core: pure Python, no Qt (a test holds that line)."""
