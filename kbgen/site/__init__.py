"""The MkDocs adapter: plugin, its options, navigation, theme overrides, staged publishing."""
