"""The guide app's pages: reading, editing, training sessions, practices and network."""
