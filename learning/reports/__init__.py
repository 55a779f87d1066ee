"""What the service hands out as documents: report figures, export files, certificates."""
