"""The light intake queue: register, check, hand over and give back applications (seed steps 1–7)."""
