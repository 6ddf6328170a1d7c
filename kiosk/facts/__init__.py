"""Shared facts: service points and other locations, departments, categories, legal acts, forms, fees."""
