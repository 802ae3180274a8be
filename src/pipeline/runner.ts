// The plate runner: lists the fields a pipeline's input names, computes illumination functions per plate and
// channel, skips fields a store already holds for the same pipeline hash (resume), processes the rest in a
// worker-thread pool and writes each field to the store as soon as it completes (never holding the plate).
// Stops cleanly on an abort signal after the fields in flight.
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { availableParallelism, hostname } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { crop, type Image } from '../image/image.ts';
import { decodeImage, readOmeZarr, readOmeZarrPlate } from '../io/index.ts';
import { readPlateMap } from '../plate/platemap.ts';
import { scanPlate } from '../plate/scan.ts';
import { openStore, type Store } from '../store/store.ts';
import type { FieldJob, FieldOutcome } from './fieldTask.ts';
import { processField } from './fieldTask.ts';
import { makeContext } from './fieldWorker.ts';
import { IlluminationAccumulator } from './illumination.ts';
import { type LoadedPipeline, loadPipeline } from './load.ts';
import { FieldPool } from './pool.ts';
import { focusScore, medianFocus } from './qc.ts';
import type { Pipeline } from './schema.ts';

export interface RunOptions {
  /** Store path; default: the pipeline's outputs.store (relative to the pipeline file). @default undefined */
  store?: string | undefined;
  /** Worker threads; 0 runs fields in the calling thread. @default available cores - 1 (at least 1) */
  workers?: number | undefined;
  /** Stop cleanly (after the fields in flight) when aborted. @default undefined */
  signal?: AbortSignal | undefined;
  /** Stop after this many fields were stored (for tests of resuming). @default undefined */
  stopAfter?: number | undefined;
  /**
   * Re-read the inputs of fields already stored and process again those whose files changed (sha256 differs
   * from the stored checksum). @default false
   */
  verifyInputs?: boolean | undefined;
  /** Called after each stored field. @default undefined */
  onField?: ((outcome: FieldOutcome, done: number, total: number) => void) | undefined;
  /** Called once the work is known: (fields to process, fields already stored). @default undefined */
  onStart?: ((todo: number, skipped: number) => void) | undefined;
  /** Phenoscope version recorded with the run. @default '0.0.0' */
  version?: string | undefined;
}

export interface RunSummary {
  readonly runId: string;
  readonly store: string;
  readonly pipelineHash: string;
  readonly total: number;
  readonly skipped: number;
  readonly done: number;
  readonly failed: number;
  readonly excluded: number;
  readonly interrupted: boolean;
  readonly seconds: number;
}

/** A field that cannot become a job (a channel file is missing): recorded as failed without processing. */
interface PlannedField {
  readonly job: FieldJob;
  readonly missing?: string | undefined;
}

function resolvePath(baseDir: string, p: string): string {
  return isAbsolute(p) ? p : resolve(baseDir, p);
}

/** The fields a pipeline's input names, with their channel files (absolute paths). */
export async function planFields(pipeline: Pipeline, baseDir: string): Promise<PlannedField[]> {
  const input = pipeline.input;
  const root = resolvePath(baseDir, input.path);
  const wells = input.wells ? new Set(input.wells.map((w) => w.toUpperCase())) : undefined;
  const planned: PlannedField[] = [];
  if (input.source === 'zarr') {
    const plate = await readOmeZarrPlate(root);
    for (const well of plate.wells) {
      const name = `${well.row}${well.column.padStart(2, '0')}`;
      if (wells && !wells.has(name)) continue;
      well.fields.forEach((fieldPath, i) => {
        const files = Object.fromEntries(Object.keys(input.channels).map((c) => [c, fieldPath]));
        const plateName = plate.name ?? 'plate';
        planned.push({
          job: {
            key: `${plateName}/${name}/s${i + 1}`,
            plate: plateName,
            well: name,
            site: i + 1,
            files,
            zarrRoot: root,
            zarrChannels: input.channels,
          },
        });
      });
    }
    return planned;
  }
  const scan = await scanPlate(root, { pattern: input.pattern, plateFromFolder: input.plateFromFolder });
  for (const f of scan.fields) {
    if (wells && !wells.has(f.well)) continue;
    // names without a plate: the folder tells plates apart ('plate' for files directly in the input folder)
    const plate = f.plate ?? (f.folder === '.' ? 'plate' : f.folder);
    const files: Record<string, string> = {};
    const missing: string[] = [];
    for (const [name, token] of Object.entries(input.channels)) {
      const path = f.channels[token];
      if (path === undefined) missing.push(`${name} (${token})`);
      else files[name] = join(root, path);
    }
    const extra = [f.z !== undefined ? `z${f.z}` : '', f.t !== undefined ? `t${f.t}` : '']
      .filter(Boolean)
      .join('');
    planned.push({
      job: {
        key: `${plate}/${f.well}/s${f.site}${extra ? `/${extra}` : ''}`,
        plate,
        well: f.well,
        site: f.site,
        files,
      },
      missing:
        missing.length > 0
          ? `missing channel file(s) ${missing.join(', ')}; found ${Object.keys(f.channels).join(', ')}`
          : undefined,
    });
  }
  if (planned.length === 0) {
    throw new Error(
      `input '${root}': no field found (pattern ${input.pattern}${wells ? `, wells ${[...wells].join(',')}` : ''})`,
    );
  }
  return planned;
}

async function readChannel(job: FieldJob, channel: string, box?: Pipeline['input']['crop']) {
  const path = job.files[channel]!;
  let image: Image;
  if (job.zarrRoot !== undefined) {
    const sel = job.zarrChannels?.[channel] ?? channel;
    image = await readOmeZarr(join(job.zarrRoot, path), { channel: /^\d+$/.test(sel) ? Number(sel) : sel });
  } else image = decodeImage(await readFile(path), path);
  return box ? crop(image, box.x, box.y, box.width, box.height) : image;
}

/**
 * Illumination functions per plate and channel ('Regular', all fields of the plate, at most `maxFields` evenly
 * spaced). Unreadable fields are left out here (they fail later with their reason).
 */
export async function computeIllumination(
  pipeline: Pipeline,
  planned: readonly PlannedField[],
): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  const plates = [...new Set(planned.map((p) => p.job.plate))];
  for (const step of pipeline.illumination) {
    if (step.method === 'none') continue;
    for (const plate of plates) {
      const fields = planned.filter((p) => p.job.plate === plate && p.job.files[step.channel] !== undefined);
      const take = Math.min(step.maxFields, fields.length);
      let acc: IlluminationAccumulator | undefined;
      for (let k = 0; k < take; k++) {
        const f = fields[Math.floor((k * fields.length) / take)]!;
        let image: Awaited<ReturnType<typeof readChannel>>;
        try {
          image = await readChannel(f.job, step.channel, pipeline.input.crop);
        } catch {
          continue;
        }
        acc ??= new IlluminationAccumulator(image.width, image.height, {
          method: step.method,
          smoothing: step.smoothing,
          size: step.size,
        });
        if (image.width !== acc.width || image.height !== acc.height || image.channels !== 1) continue;
        acc.add(image);
      }
      if (!acc) throw new Error(`illumination: no readable ${step.channel} image on plate ${plate}`);
      const fn = acc.result();
      const shared = new Float32Array(new SharedArrayBuffer(fn.byteLength));
      shared.set(fn);
      out.set(`${plate}\u0000${step.channel}`, shared);
    }
  }
  return out;
}

/**
 * Median focus score per plate on up to 64 evenly spaced fields (the QC channel), for qc.minFocusRelative.
 * Deterministic, so a resumed run applies the same threshold.
 */
export async function computeFocusMedians(
  pipeline: Pipeline,
  planned: readonly PlannedField[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (pipeline.qc.minFocusRelative === undefined) return out;
  const channel = pipeline.qc.channel ?? Object.keys(pipeline.input.channels)[0]!;
  for (const plate of new Set(planned.map((p) => p.job.plate))) {
    const fields = planned.filter((p) => p.job.plate === plate && p.job.files[channel] !== undefined);
    const take = Math.min(64, fields.length);
    const scores: number[] = [];
    for (let k = 0; k < take; k++) {
      const f = fields[Math.floor((k * fields.length) / take)]!;
      try {
        scores.push(focusScore(await readChannel(f.job, channel, pipeline.input.crop)));
      } catch {
        // unreadable or multi-channel: the field fails later with its reason
      }
    }
    const median = medianFocus(scores);
    if (Number.isFinite(median)) out.set(plate, median);
  }
  return out;
}

/** Keys of stored fields whose input files no longer match their stored sha256 (folder inputs). */
async function changedFields(
  store: Store,
  hash: string,
  planned: readonly PlannedField[],
): Promise<Set<string>> {
  const stored = await store.fieldChecksums(hash);
  const changed = new Set<string>();
  for (const p of planned) {
    const sums = stored.get(p.job.key);
    if (!sums || p.job.zarrRoot !== undefined) continue;
    for (const [channel, path] of Object.entries(p.job.files)) {
      let now: string;
      try {
        now = createHash('sha256')
          .update(await readFile(path))
          .digest('hex');
      } catch {
        now = '';
      }
      if (sums[channel] !== now) {
        changed.add(p.job.key);
        break;
      }
    }
  }
  return changed;
}

/** Run a loaded pipeline. `file` is the pipeline's path (relative paths start from its folder). */
export async function runLoadedPipeline(
  loaded: LoadedPipeline,
  file: string,
  options: RunOptions = {},
): Promise<RunSummary> {
  const started = performance.now();
  const baseDir = dirname(resolve(file));
  const pipeline = loaded.pipeline;
  const storePath = options.store ?? resolvePath(baseDir, pipeline.outputs.store);
  const planned = await planFields(pipeline, baseDir);
  try {
    await mkdir(dirname(storePath), { recursive: true });
  } catch (error) {
    throw new Error(`cannot create the store's folder '${dirname(storePath)}'`, { cause: error });
  }
  const store = await openStore(storePath);
  const runId = randomUUID();
  let done = 0;
  let failed = 0;
  let excluded = 0;
  let stored = 0;
  let interrupted = false;
  let pool: FieldPool | undefined;
  try {
    const statuses = await store.fieldStatuses(loaded.hash);
    const changed = options.verifyInputs
      ? await changedFields(store, loaded.hash, planned)
      : new Set<string>();
    const todo = planned.filter((p) => {
      const s = statuses.get(p.job.key);
      return (s !== 'done' && s !== 'excluded') || changed.has(p.job.key);
    });
    const skipped = planned.length - todo.length;
    await store.beginRun({
      runId,
      pipelineName: pipeline.name,
      pipelineText: loaded.text,
      pipelineHash: loaded.hash,
      version: options.version ?? '0.0.0',
      parameters: JSON.stringify({
        file: resolve(file),
        store: storePath,
        workers: options.workers ?? null,
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
        host: hostname(),
        fields: planned.length,
      }),
    });
    if (pipeline.input.plateMap !== undefined) {
      const map = await readPlateMap(resolvePath(baseDir, pipeline.input.plateMap), {
        plateFormat: pipeline.input.plateFormat,
      });
      const plates = [...new Set(planned.map((p) => p.job.plate))];
      await store.writeWells(
        map.entries.flatMap((e) =>
          (e.plate !== undefined ? [e.plate] : plates).map((plate) => ({
            plate,
            well: e.well,
            compound: e.compound,
            concentration: e.concentration,
            unit: e.unit,
            role: e.role,
            annotations: e.annotations,
          })),
        ),
      );
    }
    options.onStart?.(todo.length, skipped);
    const illumination = todo.length > 0 ? await computeIllumination(pipeline, planned) : new Map();
    const focusMedians = todo.length > 0 ? await computeFocusMedians(pipeline, planned) : new Map();
    const init = {
      pipelineText: loaded.text,
      file,
      baseDir,
      illumination: [...illumination.entries()],
      focusMedians: [...focusMedians.entries()],
    };
    const workers = options.workers ?? Math.max(1, availableParallelism() - 1);
    let processJob: (job: FieldJob) => Promise<FieldOutcome>;
    // built here too so configuration errors (a missing classifier model) stop the run before any field
    const ctx = await makeContext(init);
    if (workers === 0) {
      processJob = (job) => processField(job, ctx);
    } else {
      const p = new FieldPool(Math.min(workers, Math.max(1, todo.length)), init);
      pool = p;
      processJob = (job) => p.run(job);
    }
    let writes = Promise.resolve();
    let next = 0;
    const stopping = () =>
      options.signal?.aborted === true || (options.stopAfter !== undefined && stored >= options.stopAfter);
    const record = async (outcome: FieldOutcome, job: FieldJob) => {
      // writes are serialised: one transaction at a time on the store's single connection
      writes = writes.then(async () => {
        if (options.stopAfter !== undefined && stored >= options.stopAfter) return;
        await store.writeField(
          {
            runId,
            pipelineHash: loaded.hash,
            fieldKey: job.key,
            plate: job.plate,
            well: job.well,
            site: job.site,
            ...outcome,
          },
          { replace: statuses.has(job.key) },
        );
        stored++;
        if (outcome.status === 'done') done++;
        else if (outcome.status === 'failed') failed++;
        else excluded++;
        options.onField?.(outcome, stored, todo.length);
      });
      await writes;
    };
    const lane = async () => {
      while (next < todo.length && !stopping()) {
        const item = todo[next++]!;
        const outcome: FieldOutcome = item.missing
          ? {
              key: item.job.key,
              status: 'failed',
              reason: item.missing,
              checksums: {},
              timings: {},
              image: {},
              objects: {},
            }
          : await processJob(item.job).catch(
              (error: unknown): FieldOutcome => ({
                key: item.job.key,
                status: 'failed',
                reason: `worker crashed: ${error instanceof Error ? error.message : String(error)}`,
                checksums: {},
                timings: {},
                image: {},
                objects: {},
              }),
            );
        await record(outcome, item.job);
      }
    };
    const lanes = Math.max(1, workers);
    await Promise.all(Array.from({ length: lanes }, lane));
    await writes;
    interrupted = stored < todo.length;
    await store.refreshWellViews();
    // outputs.parquet / outputs.csv: every table and view, after each run (also a resumed or interrupted one)
    if (pipeline.outputs.parquet !== undefined) {
      await store.export(resolvePath(baseDir, pipeline.outputs.parquet), 'parquet');
    }
    if (pipeline.outputs.csv !== undefined)
      await store.export(resolvePath(baseDir, pipeline.outputs.csv), 'csv');
    await store.finishRun(runId, interrupted ? 'interrupted' : 'finished');
    return {
      runId,
      store: storePath,
      pipelineHash: loaded.hash,
      total: planned.length,
      skipped,
      done,
      failed,
      excluded,
      interrupted,
      seconds: (performance.now() - started) / 1000,
    };
  } catch (error) {
    await store.finishRun(runId, 'failed').catch(() => {});
    throw error;
  } finally {
    await pool?.close();
    store.close();
  }
}

/** Load and run a pipeline file. */
export async function runPipeline(file: string, options: RunOptions = {}): Promise<RunSummary> {
  return runLoadedPipeline(await loadPipeline(file), file, options);
}

export type { Store };
