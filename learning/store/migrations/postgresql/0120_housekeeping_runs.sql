-- When the server's housekeeping last ran, for the whole cluster (see the SQLite twin).
CREATE TABLE housekeeping_runs (
    task text PRIMARY KEY,
    last_run text NOT NULL,
    runs bigint NOT NULL DEFAULT 0
);
