"""The plugin host: hook specifications, plugin loading (guarded), the render context handed to
renderers, and the output sink that writes their files atomically inside the output directory.
"""
