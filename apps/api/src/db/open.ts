/** Opens the SQLite file (creating its folder), sets WAL + synchronous=NORMAL and migrates. */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrations.js';

export class DatabaseOpenError extends Error {
  override readonly name = 'DatabaseOpenError';
  readonly code = 'DB_OPEN';
  constructor(
    readonly dbPath: string,
    cause: unknown,
  ) {
    super(`cannot open or write the database at ${dbPath}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

export function openDatabase(dbPath: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    if (dbPath !== ':memory:') fs.mkdirSync(path.dirname(dbPath), { recursive: true });
    db = new Database(dbPath);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = OFF');
    db.pragma('busy_timeout = 5000');
    db.pragma('cache_size = -32768'); // 32 MB of page cache
    db.pragma('temp_store = MEMORY');
    migrate(db);
    // Prove the file is writable now rather than on the first event.
    db.exec('CREATE TABLE IF NOT EXISTS _write_probe (x); DROP TABLE _write_probe;');
    return db;
  } catch (err) {
    db?.close();
    throw new DatabaseOpenError(dbPath, err);
  }
}
