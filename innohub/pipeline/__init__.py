"""The innovation pipeline: ideas, project designs, pilots and their measured impact."""
