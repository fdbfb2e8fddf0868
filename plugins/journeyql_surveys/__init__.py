"""JourneyQL standard plugin `surveys` (being written)."""
