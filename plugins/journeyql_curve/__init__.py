"""JourneyQL standard plugin `curve` (being written)."""
