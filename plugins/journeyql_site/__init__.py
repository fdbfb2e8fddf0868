"""JourneyQL standard plugin `site` (being written)."""
