"""Kiosk screens: the touchscreen mode under /kiosk/ and the kiosk fleet in the back office."""

COOKIE = "kiosk_id"  # the kiosk's id, left by its start URL (?k=); the fast lane keys on it too
