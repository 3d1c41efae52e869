"""Stellingenkiosk: a touchscreen kiosk for a library Taalhuis stand."""

__version__ = "0.1.0"
APP_NAME = "Stellingenkiosk"
