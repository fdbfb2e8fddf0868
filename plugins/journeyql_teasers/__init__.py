"""JourneyQL standard plugin `teasers` (being written)."""
