"""JourneyQL standard plugin `maps` (being written)."""
