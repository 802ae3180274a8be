// The results store: one embedded DuckDB file (@duckdb/node-api) per project holding runs (pipeline text and
// hash, code version, timings), fields (status, reason, input checksums), one table per object set and a
// per-field image table. A field's rows and its status row are written in ONE transaction, so a crash (even
// SIGKILL) leaves each field either complete or absent. One process owns the file and serialises writes (DuckDB
// allows one writer per file); workers only compute. Hand-written SQL: no ORM covers DuckDB's node API.
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { type Column, isNumeric, type Table, tableFromColumns } from '../table/table.ts';

export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function sqlIdent(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

function sqlNumber(v: number): string {
  return Number.isFinite(v) ? String(v) : 'NULL';
}

/** Table names for object sets: `objects_<name>` (names are validated identifiers). */
export function objectTableName(objectSet: string): string {
  return `objects_${objectSet}`;
}

/** Keys that identify a field's rows in every table. */
export interface FieldKey {
  readonly runId: string;
  readonly pipelineHash: string;
  readonly fieldKey: string;
  readonly plate: string;
  readonly well: string;
  readonly site: number;
}

export interface FieldRecord extends FieldKey {
  readonly status: 'done' | 'failed' | 'excluded';
  readonly reason: string;
  readonly checksums: Readonly<Record<string, string>>;
  readonly timings: Readonly<Record<string, number>>;
  /** Per-field numbers (QC, counts, image measurements). */
  readonly image: Readonly<Record<string, number>>;
  /** Object tables by object set; numeric columns, ObjectNumber among them. */
  readonly objects: Readonly<Record<string, Table>>;
}

/** One well of a plate map. */
export interface WellRecord {
  readonly plate: string;
  readonly well: string;
  readonly compound: string;
  readonly concentration: number | null;
  readonly unit: string;
  readonly role: string;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface RunRecord {
  readonly runId: string;
  readonly pipelineName: string;
  readonly pipelineText: string;
  readonly pipelineHash: string;
  readonly version: string;
  readonly parameters: string;
}

const KEY_COLUMNS = `run_id VARCHAR NOT NULL, pipeline_hash VARCHAR NOT NULL, field_key VARCHAR NOT NULL,
  plate VARCHAR, well VARCHAR, site INTEGER`;

/** An open store. Create with `openStore`; close with `close()`. */
export class Store {
  /** Column names of each table, in table order. */
  private readonly columnCache = new Map<string, string[]>();

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async open(path: string): Promise<Store> {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    let instance: DuckDBInstance;
    try {
      // the runner only appends and the views aggregate: a small buffer pool keeps the process's memory bounded
      instance = await DuckDBInstance.create(path, { memory_limit: '256MB' });
    } catch (error) {
      throw new Error(
        `cannot open store '${path}' (is another process using it, or is the folder read-only?)`,
        {
          cause: error,
        },
      );
    }
    const connection = await instance.connect();
    const store = new Store(path, instance, connection);
    await store.init();
    return store;
  }

  private async init(): Promise<void> {
    const c = this.connection;
    await c.run(`CREATE TABLE IF NOT EXISTS runs (
      run_id VARCHAR PRIMARY KEY, pipeline_name VARCHAR, pipeline_text VARCHAR, pipeline_hash VARCHAR,
      phenoscope_version VARCHAR, parameters VARCHAR, started_at TIMESTAMP, finished_at TIMESTAMP, status VARCHAR)`);
    await c.run(`CREATE TABLE IF NOT EXISTS fields (${KEY_COLUMNS}, status VARCHAR NOT NULL, reason VARCHAR,
      checksums VARCHAR, timings VARCHAR, finished_at TIMESTAMP, PRIMARY KEY (pipeline_hash, field_key))`);
    await c.run(`CREATE TABLE IF NOT EXISTS image (${KEY_COLUMNS})`);
  }

  /** SQL query returning rows as plain objects (numbers, strings, null). */
  async query(sql: string): Promise<Record<string, unknown>[]> {
    const reader = await this.connection.runAndReadAll(sql);
    return reader
      .getRowObjectsJS()
      .map((row) =>
        Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
      );
  }

  /** A query's result as a Table (numeric columns Float64Array, others strings). */
  async queryTable(sql: string): Promise<Table> {
    const reader = await this.connection.runAndReadAll(sql);
    const names = reader.columnNames();
    const types = reader.columnTypes();
    const values = reader.getColumnsJS();
    const columns: Record<string, Column> = {};
    names.forEach((name, i) => {
      const raw = values[i] ?? [];
      const numeric = /^(DOUBLE|FLOAT|INTEGER|BIGINT|SMALLINT|TINYINT|HUGEINT|DECIMAL|U)/.test(
        String(types[i]),
      );
      columns[name] = numeric
        ? Float64Array.from(raw, (v) => (v === null || v === undefined ? Number.NaN : Number(v)))
        : raw.map((v) => (v === null || v === undefined ? '' : String(v)));
    });
    return tableFromColumns(columns, names);
  }

  async tableNames(): Promise<string[]> {
    const rows = await this.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name`,
    );
    return rows.map((r) => String(r.table_name));
  }

  private async columns(table: string): Promise<string[]> {
    let list = this.columnCache.get(table);
    if (!list) {
      const rows = await this.query(
        `SELECT column_name FROM information_schema.columns WHERE table_name = ${sqlString(table)} ORDER BY ordinal_position`,
      );
      list = rows.map((r) => String(r.column_name));
      this.columnCache.set(table, list);
    }
    return list;
  }

  private async ensureColumns(table: string, names: readonly string[], extraKeys = ''): Promise<void> {
    await this.connection.run(`CREATE TABLE IF NOT EXISTS ${sqlIdent(table)} (${KEY_COLUMNS}${extraKeys})`);
    const have = await this.columns(table);
    const known = new Set(have);
    for (const n of names) {
      if (known.has(n)) continue;
      await this.connection.run(`ALTER TABLE ${sqlIdent(table)} ADD COLUMN ${sqlIdent(n)} DOUBLE`);
      have.push(n);
      known.add(n);
    }
  }

  /**
   * Record well annotations from a plate map (compound, concentration, role, further columns as JSON), replacing
   * earlier rows of the same plate and well.
   */
  async writeWells(rows: readonly WellRecord[]): Promise<void> {
    const c = this.connection;
    await c.run(`CREATE TABLE IF NOT EXISTS wells (plate VARCHAR, well VARCHAR, compound VARCHAR, concentration DOUBLE,
      unit VARCHAR, role VARCHAR, annotations VARCHAR, PRIMARY KEY (plate, well))`);
    if (rows.length === 0) return;
    const values = rows.map(
      (r) =>
        `(${[r.plate, r.well, r.compound].map(sqlString).join(', ')}, ${r.concentration === null ? 'NULL' : sqlNumber(r.concentration)}, ${[
          r.unit,
          r.role,
          JSON.stringify(r.annotations),
        ]
          .map(sqlString)
          .join(', ')})`,
    );
    await c.run('BEGIN TRANSACTION');
    try {
      await c.run(`INSERT OR REPLACE INTO wells VALUES ${values.join(', ')}`);
      await c.run('COMMIT');
    } catch (error) {
      await c.run('ROLLBACK').catch(() => {});
      throw new Error(`store '${this.path}': cannot write the plate map`, { cause: error });
    }
  }

  async beginRun(run: RunRecord): Promise<void> {
    // one process writes the file at a time, so a run still 'running' now was killed (SIGKILL, power loss)
    await this.connection.run(`UPDATE runs SET status = 'killed' WHERE status = 'running'`);
    await this.connection.run(
      `INSERT INTO runs VALUES (${[
        run.runId,
        run.pipelineName,
        run.pipelineText,
        run.pipelineHash,
        run.version,
        run.parameters,
      ]
        .map(sqlString)
        .join(', ')}, now(), NULL, 'running')`,
    );
  }

  async finishRun(runId: string, status: 'finished' | 'interrupted' | 'failed'): Promise<void> {
    await this.connection.run(
      `UPDATE runs SET finished_at = now(), status = ${sqlString(status)} WHERE run_id = ${sqlString(runId)}`,
    );
  }

  /** Status of every field stored for a pipeline hash: field key -> status. */
  async fieldStatuses(pipelineHash: string): Promise<Map<string, string>> {
    const rows = await this.query(
      `SELECT field_key, status FROM fields WHERE pipeline_hash = ${sqlString(pipelineHash)}`,
    );
    return new Map(rows.map((r) => [String(r.field_key), String(r.status)]));
  }

  /** Input checksums of every field stored for a pipeline hash: field key -> channel -> sha256. */
  async fieldChecksums(pipelineHash: string): Promise<Map<string, Record<string, string>>> {
    const rows = await this.query(
      `SELECT field_key, checksums FROM fields WHERE pipeline_hash = ${sqlString(pipelineHash)}`,
    );
    return new Map(
      rows.map((r) => [
        String(r.field_key),
        JSON.parse(String(r.checksums ?? '{}')) as Record<string, string>,
      ]),
    );
  }

  /**
   * Write one field (its status row, image row and object rows) in one transaction, replacing any earlier rows
   * of the same pipeline hash and field (a retried failure). `replace: false` skips the deletes when the caller
   * knows the field was never stored (they scan every table). @default replace true
   */
  async writeField(record: FieldRecord, options: { replace?: boolean } = {}): Promise<void> {
    const c = this.connection;
    // Schema changes first (DDL outside the data transaction keeps the transaction small).
    await this.ensureColumns('image', Object.keys(record.image));
    for (const [set, table] of Object.entries(record.objects)) {
      await this.ensureColumns(
        objectTableName(set),
        table.names.filter((n) => n !== 'ImageNumber'),
      );
    }
    const where = `pipeline_hash = ${sqlString(record.pipelineHash)} AND field_key = ${sqlString(record.fieldKey)}`;
    const keyValues = [record.runId, record.pipelineHash, record.fieldKey, record.plate, record.well]
      .map(sqlString)
      .concat(String(record.site));
    const keyNames = 'run_id, pipeline_hash, field_key, plate, well, site';
    await c.run('BEGIN TRANSACTION');
    try {
      if (options.replace ?? true) {
        await c.run(`DELETE FROM fields WHERE ${where}`);
        await c.run(`DELETE FROM image WHERE ${where}`);
        for (const t of await this.objectTableNames())
          await c.run(`DELETE FROM ${sqlIdent(t)} WHERE ${where}`);
      }
      const imageNames = Object.keys(record.image);
      await c.run(
        `INSERT INTO image (${keyNames}${imageNames.map((n) => `, ${sqlIdent(n)}`).join('')}) VALUES (${keyValues.join(', ')}${imageNames
          .map((n) => `, ${sqlNumber(record.image[n]!)}`)
          .join('')})`,
      );
      for (const [set, table] of Object.entries(record.objects)) {
        if (table.rows === 0) continue;
        // the appender writes inside the open transaction (a ROLLBACK discards its rows too); every column of
        // the table is appended in table order, NULL where this field has no value
        const name = objectTableName(set);
        const order = await this.columns(name);
        const appender = await c.createAppender(name);
        const sources = order.map((col) => table.columns[col]);
        try {
          for (let r = 0; r < table.rows; r++) {
            appender.appendVarchar(record.runId);
            appender.appendVarchar(record.pipelineHash);
            appender.appendVarchar(record.fieldKey);
            appender.appendVarchar(record.plate);
            appender.appendVarchar(record.well);
            appender.appendInteger(record.site);
            for (let k = 6; k < order.length; k++) {
              const src = sources[k];
              const v = src === undefined ? Number.NaN : isNumeric(src) ? src[r]! : Number(src[r]);
              if (Number.isFinite(v)) appender.appendDouble(v);
              else appender.appendNull();
            }
            appender.endRow();
          }
          appender.flushSync();
        } finally {
          try {
            appender.closeSync();
          } catch {
            // already failed: the transaction is rolled back below
          }
        }
      }
      await c.run(
        `INSERT INTO fields VALUES (${keyValues.join(', ')}, ${sqlString(record.status)}, ${sqlString(record.reason)}, ${sqlString(
          JSON.stringify(record.checksums),
        )}, ${sqlString(JSON.stringify(record.timings))}, now())`,
      );
      await c.run('COMMIT');
    } catch (error) {
      await c.run('ROLLBACK').catch(() => {});
      throw new Error(`store '${this.path}': cannot write field ${record.fieldKey}`, { cause: error });
    }
  }

  /**
   * (Re)create one view per object set, `well_medians_<set>`: per pipeline hash, plate and well, the number of
   * objects and fields and the median of every feature (the usual well-level profile). Views are rebuilt after
   * a run because object tables may have grown columns.
   */
  async refreshWellViews(): Promise<string[]> {
    const views: string[] = [];
    for (const t of await this.objectTableNames()) {
      const view = `well_medians_${t.slice('objects_'.length)}`;
      await this.connection.run(
        `CREATE OR REPLACE VIEW ${sqlIdent(view)} AS SELECT pipeline_hash, plate, well, count(*) AS objects,
          count(DISTINCT field_key) AS fields,
          median(COLUMNS(* EXCLUDE (run_id, pipeline_hash, field_key, plate, well, site, ObjectNumber)))
        FROM ${sqlIdent(t)} GROUP BY pipeline_hash, plate, well ORDER BY pipeline_hash, plate, well`,
      );
      views.push(view);
    }
    return views;
  }

  async objectTableNames(): Promise<string[]> {
    return (await this.tableNames()).filter((t) => t.startsWith('objects_'));
  }

  /**
   * Export every table (or those named) to `folder` as Parquet or CSV (one file per table), through DuckDB's
   * COPY. Returns the files written.
   */
  async export(folder: string, format: 'parquet' | 'csv', tables?: readonly string[]): Promise<string[]> {
    const { mkdir } = await import('node:fs/promises');
    const { join } = await import('node:path');
    await mkdir(folder, { recursive: true });
    const written: string[] = [];
    for (const t of tables ?? (await this.tableNames())) {
      const file = join(folder, `${t}.${format}`);
      const opts = format === 'parquet' ? 'FORMAT parquet, COMPRESSION zstd' : 'FORMAT csv, HEADER true';
      await this.connection.run(`COPY (SELECT * FROM ${sqlIdent(t)}) TO ${sqlString(file)} (${opts})`);
      written.push(file);
    }
    return written;
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** Open (creating if needed) a store file. */
export function openStore(path: string): Promise<Store> {
  return Store.open(path);
}
