"""Interkulturelle Lernmodule für Beratungsfachkräfte: ein Lerndienst."""
