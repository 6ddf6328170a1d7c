"""The public website for citizens."""
