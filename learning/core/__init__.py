"""Settings, time and translations: the base every layer may import."""
