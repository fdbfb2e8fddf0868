"""JourneyQL standard plugin `plan` (being written)."""
