"""JourneyQL standard plugin `readers` (being written)."""
