"""Tools on top of the language: ``diff`` (what changed between two versions of a workspace) and
``starter`` (``journeyql init``).
"""
