"""The access layer: the only way views fetch the objects a user may see or change."""
