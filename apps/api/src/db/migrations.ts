/**
 * Schema migrations: an append-only list. `PRAGMA user_version` records how many ran, so opening a
 * database written by an older version applies only the missing ones. Never edit or reorder an
 * entry that shipped; add a new one.
 */
import type Database from 'better-sqlite3';

const NON_TERMINAL_LIVE = `('PENDING','RUNNING','PAUSED','CANCELLING')`;

export const MIGRATIONS: readonly string[] = [
  // 1: runs, state history, logs (FTS5), commands, flows
  `
  CREATE TABLE flows (
    name TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE flow_runs (
    id TEXT PRIMARY KEY,
    flow_name TEXT NOT NULL,
    name TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '[]',
    parameters TEXT,
    parent_flow_run_id TEXT,
    parent_task_run_id TEXT,
    deployment_id TEXT,
    flow_version TEXT,
    state_type TEXT NOT NULL,
    state_name TEXT NOT NULL,
    state_message TEXT,
    state_ts INTEGER NOT NULL,
    state_data TEXT,
    state_seq INTEGER NOT NULL,
    max_seq INTEGER NOT NULL,
    start_time INTEGER,
    end_time INTEGER,
    duration_ms INTEGER,
    expected_start_time INTEGER,
    result TEXT,
    error TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    task_run_count INTEGER NOT NULL DEFAULT 0,
    task_counts TEXT NOT NULL DEFAULT '{}',
    start_key INTEGER GENERATED ALWAYS AS (COALESCE(start_time, expected_start_time, created_at)) VIRTUAL,
    end_key INTEGER GENERATED ALWAYS AS (COALESCE(end_time, 0)) VIRTUAL,
    duration_key INTEGER GENERATED ALWAYS AS (COALESCE(duration_ms, -1)) VIRTUAL
  );
  CREATE INDEX flow_runs_start ON flow_runs(start_key, id);
  CREATE INDEX flow_runs_end ON flow_runs(end_key, id);
  CREATE INDEX flow_runs_duration ON flow_runs(duration_key, id);
  CREATE INDEX flow_runs_name ON flow_runs(name, id);
  CREATE INDEX flow_runs_state_start ON flow_runs(state_type, start_key, id);
  CREATE INDEX flow_runs_flow_start ON flow_runs(flow_name, start_key, id);
  CREATE INDEX flow_runs_flow_state ON flow_runs(flow_name, state_type);
  CREATE INDEX flow_runs_parent ON flow_runs(parent_flow_run_id) WHERE parent_flow_run_id IS NOT NULL;
  CREATE INDEX flow_runs_live ON flow_runs(last_seen) WHERE state_type IN ${NON_TERMINAL_LIVE};

  CREATE TABLE flow_run_tags (
    tag TEXT NOT NULL,
    flow_run_id TEXT NOT NULL,
    PRIMARY KEY (tag, flow_run_id)
  ) WITHOUT ROWID;
  CREATE INDEX flow_run_tags_run ON flow_run_tags(flow_run_id);

  -- Runs per current state type, kept by triggers so unfiltered chip counts need no scan.
  CREATE TABLE flow_run_counts (
    state_type TEXT PRIMARY KEY,
    n INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TRIGGER flow_runs_count_ins AFTER INSERT ON flow_runs BEGIN
    INSERT INTO flow_run_counts(state_type, n) VALUES (NEW.state_type, 1)
      ON CONFLICT(state_type) DO UPDATE SET n = n + 1;
  END;
  CREATE TRIGGER flow_runs_count_del AFTER DELETE ON flow_runs BEGIN
    UPDATE flow_run_counts SET n = n - 1 WHERE state_type = OLD.state_type;
  END;
  CREATE TRIGGER flow_runs_count_upd AFTER UPDATE OF state_type ON flow_runs
    WHEN OLD.state_type IS NOT NEW.state_type BEGIN
    UPDATE flow_run_counts SET n = n - 1 WHERE state_type = OLD.state_type;
    INSERT INTO flow_run_counts(state_type, n) VALUES (NEW.state_type, 1)
      ON CONFLICT(state_type) DO UPDATE SET n = n + 1;
  END;

  CREATE TABLE task_runs (
    id TEXT PRIMARY KEY,
    flow_run_id TEXT NOT NULL,
    task_name TEXT NOT NULL,
    task_key TEXT NOT NULL,
    name TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '[]',
    map_index INTEGER,
    parameters TEXT,
    state_type TEXT NOT NULL,
    state_name TEXT NOT NULL,
    state_message TEXT,
    state_ts INTEGER NOT NULL,
    state_data TEXT,
    state_seq INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 1,
    start_time INTEGER,
    end_time INTEGER,
    duration_ms INTEGER,
    result TEXT,
    error TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX task_runs_flow ON task_runs(flow_run_id, created_at);

  -- Every state a run ever had (also stale ones that arrived after a newer one), by event id.
  CREATE TABLE states (
    id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    message TEXT,
    ts INTEGER NOT NULL,
    data TEXT
  ) WITHOUT ROWID;
  CREATE INDEX states_run ON states(run_id, seq);

  CREATE TABLE logs (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    flow_run_id TEXT NOT NULL,
    task_run_id TEXT,
    level INTEGER NOT NULL,
    message TEXT NOT NULL,
    ts INTEGER NOT NULL
  );
  CREATE INDEX logs_flow ON logs(flow_run_id, ts);
  CREATE INDEX logs_task ON logs(task_run_id, ts) WHERE task_run_id IS NOT NULL;
  -- Contentless index: text lives in logs. "scope" holds hashed run tokens so a search inside one
  -- run intersects two doclists instead of filtering every match.
  CREATE VIRTUAL TABLE logs_fts USING fts5(message, scope, content='', contentless_delete=1);

  CREATE TABLE commands (
    id TEXT PRIMARY KEY,
    flow_run_id TEXT NOT NULL,
    command TEXT NOT NULL,
    reason TEXT,
    requested_at INTEGER NOT NULL,
    delivered INTEGER NOT NULL DEFAULT 0,
    outcome TEXT
  );
  CREATE INDEX commands_run ON commands(flow_run_id, requested_at);
  `,
  // 2: per-state and per-flow indexes for every sort, so a list filtered by several states (or
  // flows) is a merge of small in-order index reads instead of a sort of every matching row.
  `
  CREATE INDEX flow_runs_state_end ON flow_runs(state_type, end_key, id);
  CREATE INDEX flow_runs_state_duration ON flow_runs(state_type, duration_key, id);
  CREATE INDEX flow_runs_state_name ON flow_runs(state_type, name, id);
  CREATE INDEX flow_runs_flow_end ON flow_runs(flow_name, end_key, id);
  CREATE INDEX flow_runs_flow_duration ON flow_runs(flow_name, duration_key, id);
  CREATE INDEX flow_runs_flow_name ON flow_runs(flow_name, name, id);
  `,
  // 3: a start range sorted by end time reads (start, end, id) keys only, then fetches one page.
  `
  CREATE INDEX flow_runs_start_end ON flow_runs(start_key, end_key, id);
  `,
  // 4: deployments (issue 5) and what claiming, scheduling and the deployment page read of runs.
  `
  CREATE TABLE deployments (
    id TEXT PRIMARY KEY,
    flow_name TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    schedule TEXT,
    schedule_anchor INTEGER,
    parameters TEXT NOT NULL DEFAULT '{}',
    parameter_schema TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    concurrency_limit INTEGER,
    allow_suspend INTEGER NOT NULL DEFAULT 0,
    paused INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    last_worker_seen_at INTEGER,
    UNIQUE (flow_name, name)
  );
  ALTER TABLE flow_runs ADD COLUMN claimed_by TEXT;
  -- The schedule occurrence a run was created for; one run per deployment and occurrence.
  ALTER TABLE flow_runs ADD COLUMN schedule_slot INTEGER;
  CREATE UNIQUE INDEX flow_runs_deployment_slot ON flow_runs(deployment_id, schedule_slot)
    WHERE schedule_slot IS NOT NULL;
  -- Due runs of these deployments, oldest first; live runs per deployment (concurrency limit).
  CREATE INDEX flow_runs_deployment_state ON flow_runs(deployment_id, state_type, expected_start_time)
    WHERE deployment_id IS NOT NULL;
  CREATE INDEX flow_runs_deployment_start ON flow_runs(deployment_id, start_key)
    WHERE deployment_id IS NOT NULL;
  `,
  // 5: runs per flow and state type kept by triggers, for the chips of a flow filter.
  `
  CREATE TABLE flow_run_flow_counts (
    flow_name TEXT NOT NULL,
    state_type TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (flow_name, state_type)
  ) WITHOUT ROWID;
  INSERT INTO flow_run_flow_counts (flow_name, state_type, n)
    SELECT flow_name, state_type, count(*) FROM flow_runs GROUP BY flow_name, state_type;
  CREATE TRIGGER flow_runs_flow_count_ins AFTER INSERT ON flow_runs BEGIN
    INSERT INTO flow_run_flow_counts (flow_name, state_type, n) VALUES (NEW.flow_name, NEW.state_type, 1)
      ON CONFLICT (flow_name, state_type) DO UPDATE SET n = n + 1;
  END;
  CREATE TRIGGER flow_runs_flow_count_del AFTER DELETE ON flow_runs BEGIN
    UPDATE flow_run_flow_counts SET n = n - 1 WHERE flow_name = OLD.flow_name AND state_type = OLD.state_type;
  END;
  CREATE TRIGGER flow_runs_flow_count_upd AFTER UPDATE OF state_type, flow_name ON flow_runs
    WHEN OLD.state_type IS NOT NEW.state_type OR OLD.flow_name IS NOT NEW.flow_name BEGIN
    UPDATE flow_run_flow_counts SET n = n - 1 WHERE flow_name = OLD.flow_name AND state_type = OLD.state_type;
    INSERT INTO flow_run_flow_counts (flow_name, state_type, n) VALUES (NEW.flow_name, NEW.state_type, 1)
      ON CONFLICT (flow_name, state_type) DO UPDATE SET n = n + 1;
  END;
  `,
  // 6: the state history keyed by (run, seq, event id): one b-tree per stored state instead of two
  // (the id key and a run index), a third less work per state event. A re-sent event has the same
  // run, seq and id, so it is still recognized as a duplicate; a run's history is a range of the key.
  `
  CREATE TABLE states_by_run (
    run_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    id TEXT NOT NULL,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    message TEXT,
    ts INTEGER NOT NULL,
    data TEXT,
    PRIMARY KEY (run_id, seq, id)
  ) WITHOUT ROWID;
  INSERT INTO states_by_run (run_id, seq, id, type, name, message, ts, data)
    SELECT run_id, seq, id, type, name, message, ts, data FROM states;
  DROP TABLE states;
  ALTER TABLE states_by_run RENAME TO states;
  `,
  // 7: a task run's state history lives in its own row, as a JSON array of
  // [seq, event id, type, timestamp, name, message?, data?] entries (see taskHistory.ts; new
  // entries leave out a default name): the Pending → Running → Completed of a task run is one row
  // written instead of four, which is most of what storing a task run costs. The states table
  // keeps the flow runs' histories. Data that is not valid JSON is left out, as readers did.
  `
  ALTER TABLE task_runs ADD COLUMN history TEXT NOT NULL DEFAULT '[]';
  UPDATE task_runs SET history = (
    SELECT json_group_array(json(entry)) FROM (
      SELECT CASE
          WHEN json_valid(data) THEN json_array(seq, id, type, ts, name, message, json(data))
          WHEN message IS NOT NULL THEN json_array(seq, id, type, ts, name, message)
          ELSE json_array(seq, id, type, ts, name)
        END AS entry
      FROM states WHERE run_id = task_runs.id ORDER BY seq, ts
    )
  ) WHERE EXISTS (SELECT 1 FROM states WHERE run_id = task_runs.id);
  DELETE FROM states WHERE run_id IN (SELECT id FROM task_runs);
  `,
];

/** Applies the missing migrations in one transaction each. Returns the resulting version. */
export function migrate(db: Database.Database): number {
  let version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new Error(
      `database schema version ${version} is newer than this server knows (${MIGRATIONS.length}); upgrade Flowlight`,
    );
  }
  for (; version < MIGRATIONS.length; version++) {
    const sql = MIGRATIONS[version]!;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  return version;
}
