"""Kiosk screens: the touchscreen mode under /kiosk/ and the kiosk fleet in the back office."""
