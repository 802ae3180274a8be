// A plate summary from a store: per well, fields by status and objects counted (with the plate map's compound,
// concentration and role when it was given), and every field that QC excluded or that failed, with its reason.
// The table feeds the assay module (dose-response fits of cells per well) and the CLI's end-of-run report.
import type { Store } from '../store/store.ts';
import { sqlIdent, sqlString } from '../store/store.ts';
import type { Table } from '../table/table.ts';

export interface PlateSummary {
  /**
   * One row per plate and well: plate, well, fields_done, fields_excluded, fields_failed, objects (sum of
   * Count_<objectSet> over done fields), objects_per_field, and compound, concentration, role from the plate map.
   */
  readonly wells: Table;
  /** Fields not done, in key order. */
  readonly problems: readonly { field: string; status: string; reason: string }[];
  /** Mean milliseconds per stage over done fields (read, illumination, segment, measure, total). */
  readonly meanTimings: Readonly<Record<string, number>>;
}

/** Summarise the fields stored for `pipelineHash`, counting objects of `objectSet`. */
export async function plateSummary(
  store: Store,
  pipelineHash: string,
  objectSet: string,
): Promise<PlateSummary> {
  const hash = sqlString(pipelineHash);
  const tables = await store.tableNames();
  const imageColumns = (
    await store.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'image'`)
  ).map((r) => String(r.column_name));
  const countColumn = `Count_${objectSet}`;
  const count = imageColumns.includes(countColumn) ? `i.${sqlIdent(countColumn)}` : 'NULL';
  const hasWells = tables.includes('wells');
  const wells = await store.queryTable(`
    SELECT f.plate, f.well,
      count(*) FILTER (WHERE f.status = 'done') AS fields_done,
      count(*) FILTER (WHERE f.status = 'excluded') AS fields_excluded,
      count(*) FILTER (WHERE f.status = 'failed') AS fields_failed,
      sum(CASE WHEN f.status = 'done' THEN ${count} END) AS objects,
      avg(CASE WHEN f.status = 'done' THEN ${count} END) AS objects_per_field
      ${hasWells ? ', any_value(w.compound) AS compound, any_value(w.concentration) AS concentration, any_value(w.role) AS role' : ''}
    FROM fields f
    LEFT JOIN image i ON i.pipeline_hash = f.pipeline_hash AND i.field_key = f.field_key
    ${hasWells ? 'LEFT JOIN wells w ON w.plate = f.plate AND w.well = f.well' : ''}
    WHERE f.pipeline_hash = ${hash}
    GROUP BY f.plate, f.well
    ORDER BY f.plate, f.well`);
  const problems = (
    await store.query(
      `SELECT field_key, status, reason FROM fields WHERE pipeline_hash = ${hash} AND status <> 'done' ORDER BY field_key`,
    )
  ).map((r) => ({ field: String(r.field_key), status: String(r.status), reason: String(r.reason ?? '') }));
  const stages = ['read', 'illumination', 'segment', 'measure', 'total'];
  const [timing] = await store.query(
    `SELECT ${stages
      .map((k) => `avg(CAST(json_extract(timings, '$.${k}') AS DOUBLE)) AS ${k}`)
      .join(', ')} FROM fields WHERE pipeline_hash = ${hash} AND status = 'done'`,
  );
  const meanTimings: Record<string, number> = {};
  for (const k of stages) {
    const v = Number(timing?.[k]);
    if (timing?.[k] !== null && Number.isFinite(v)) meanTimings[k] = v;
  }
  return { wells, problems, meanTimings };
}
