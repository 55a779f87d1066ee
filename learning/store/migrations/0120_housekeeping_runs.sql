-- When the server's housekeeping last ran, for the whole cluster: every instance wakes
-- on its own timer, but only the first one past the interval does the work (inside the
-- write transaction, so two instances never both run it). `runs` counts them.
CREATE TABLE housekeeping_runs (
    task TEXT PRIMARY KEY,
    last_run TEXT NOT NULL,
    runs INTEGER NOT NULL DEFAULT 0
);
