// One field through a pipeline: read and checksum its channel images, correct illumination, QC, segment every
// object set, measure, classify, and return the rows to store. Pure of any store or terminal: the runner calls
// it in worker threads and writes the outcome in one transaction.
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { segmentNucleiCnn } from '../deep/nucleiModel.ts';
import { crop, type Image, toFloat32 } from '../image/image.ts';
import { decodeImage, readOmeZarr, writeImage } from '../io/index.ts';
import { classifyTable, withColumn } from '../learn/classifyTable.ts';
import type { RandomForest } from '../learn/randomForest.ts';
import { measureImageQuality } from '../measure/imageQuality.ts';
import { type Channel, measureObjects, type ObjectSet } from '../measure/measureObjects.ts';
import { primaryObjects } from '../segment/primaryObjects.ts';
import { type Table, tableFromColumns } from '../table/table.ts';
import { applyIllumination } from './illumination.ts';
import { secondaryObjects, tertiaryObjects } from './objects.ts';
import { fieldQc, qcFailure } from './qc.ts';
import type { Pipeline } from './schema.ts';

/** One field to process: serialisable, sent to workers. */
export interface FieldJob {
  /** Stable key 'plate/well/s<site>' (the store's field id within a run). */
  readonly key: string;
  readonly plate: string;
  readonly well: string;
  readonly site: number;
  /** Channel name -> absolute file path (folder source) or field path inside the plate (zarr source). */
  readonly files: Readonly<Record<string, string>>;
  /** OME-Zarr plate root (zarr source only). */
  readonly zarrRoot?: string | undefined;
  /** OME-Zarr channel selector per channel name (name or index as text). */
  readonly zarrChannels?: Readonly<Record<string, string>> | undefined;
}

export interface FieldContext {
  readonly pipeline: Pipeline;
  /** Folder the pipeline's relative paths start from. */
  readonly baseDir: string;
  /** Illumination functions keyed by `${plate}\u0000${channel}`. */
  readonly illumination: ReadonlyMap<string, Float32Array>;
  /** Loaded classifiers, in pipeline order. */
  readonly classifiers: readonly RandomForest[];
  /** Median focus score per plate (for qc.minFocusRelative). */
  readonly focusMedians?: ReadonlyMap<string, number> | undefined;
}

export interface FieldOutcome {
  readonly key: string;
  readonly status: 'done' | 'failed' | 'excluded';
  readonly reason: string;
  /** Channel name -> sha256 of the input (file bytes, or zarr pixel bytes). */
  readonly checksums: Readonly<Record<string, string>>;
  /** Milliseconds per stage. */
  readonly timings: Readonly<Record<string, number>>;
  /** Per-field values (QC metrics, counts, image measurements). */
  readonly image: Readonly<Record<string, number>>;
  /** Object tables keyed by object set (numeric columns; ObjectNumber first). */
  readonly objects: Readonly<Record<string, Table>>;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function readChannels(
  job: FieldJob,
): Promise<{ images: Record<string, Image>; checksums: Record<string, string> }> {
  const images: Record<string, Image> = {};
  const checksums: Record<string, string> = {};
  for (const [name, path] of Object.entries(job.files)) {
    if (job.zarrRoot !== undefined) {
      const sel = job.zarrChannels?.[name] ?? name;
      const channel = /^\d+$/.test(sel) ? Number(sel) : sel;
      const image = await readOmeZarr(join(job.zarrRoot, path), { channel });
      images[name] = image;
      checksums[name] = sha256(
        new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength),
      );
    } else {
      let bytes: Uint8Array;
      try {
        bytes = await readFile(path);
      } catch (error) {
        throw new Error(`channel ${name}: cannot read '${path}'`, { cause: error });
      }
      checksums[name] = sha256(bytes);
      images[name] = decodeImage(bytes, path);
    }
    const image = images[name]!;
    if (image.channels !== 1) {
      throw new RangeError(`channel ${name}: '${path}' has ${image.channels} channels, expected 1`);
    }
  }
  return { images, checksums };
}

/** Process one field. Never throws for bad data: a failure becomes status 'failed' with the reason. */
export async function processField(job: FieldJob, ctx: FieldContext): Promise<FieldOutcome> {
  const p = ctx.pipeline;
  const timings: Record<string, number> = {};
  let checksums: Record<string, string> = {};
  const t0 = performance.now();
  let stage = 'read';
  const image: Record<string, number> = {};
  try {
    const read = await readChannels(job);
    checksums = read.checksums;
    const raw = read.images;
    const box = p.input.crop;
    if (box) {
      for (const [name, im] of Object.entries(raw)) {
        try {
          raw[name] = crop(im, box.x, box.y, box.width, box.height);
        } catch (error) {
          throw new RangeError(`channel ${name}: input.crop`, { cause: error });
        }
      }
    }
    const first = Object.values(raw)[0]!;
    for (const [name, im] of Object.entries(raw)) {
      if (im.width !== first.width || im.height !== first.height) {
        throw new RangeError(
          `channel ${name} is ${im.width}x${im.height} but the field's first channel is ${first.width}x${first.height}`,
        );
      }
    }
    timings.read = performance.now() - t0;

    stage = 'qc';
    const qcChannel = p.qc.channel ?? Object.keys(p.input.channels)[0]!;
    const metrics = fieldQc(Object.values(raw), raw[qcChannel]!);
    image.QC_Focus = metrics.focus;
    image.QC_SaturatedFraction = metrics.saturated;
    const median = ctx.focusMedians?.get(job.plate);
    const failure = qcFailure(metrics, {
      minFocus: p.qc.minFocus,
      maxSaturated: p.qc.maxSaturated,
      ...(p.qc.minFocusRelative !== undefined && median !== undefined
        ? { minFocusRelative: p.qc.minFocusRelative, plateFocus: median }
        : {}),
    });
    if (failure !== undefined) {
      timings.total = performance.now() - t0;
      return { key: job.key, status: 'excluded', reason: failure, checksums, timings, image, objects: {} };
    }

    stage = 'illumination';
    let t = performance.now();
    const corrected: Record<string, Image> = { ...raw };
    for (const step of p.illumination) {
      if (step.method === 'none') continue;
      const fn = ctx.illumination.get(`${job.plate}\u0000${step.channel}`);
      if (!fn) throw new Error(`no illumination function for plate ${job.plate} channel ${step.channel}`);
      corrected[step.channel] = applyIllumination(raw[step.channel]!, fn);
    }
    timings.illumination = performance.now() - t;

    stage = 'segment';
    t = performance.now();
    const labels: Record<string, Image> = {};
    // primary objects before their border and size filters, for secondary steps with borderCompetitors
    const unedited: Record<string, Image> = {};
    for (const o of p.objects) {
      stage = `segment ${o.name}`;
      if (o.type === 'primary') {
        const input = corrected[o.channel]!;
        if (o.method === 'cnn') {
          const model = o.cnn?.model !== undefined ? resolve(ctx.baseDir, o.cnn.model) : undefined;
          const r = await segmentNucleiCnn(input, {
            ...(model ? { model } : {}),
            ...(o.cnn?.tileSize ? { tileSize: o.cnn.tileSize } : {}),
          });
          labels[o.name] = r.labels;
        } else {
          const r = primaryObjects(input, o.options);
          labels[o.name] = r.labels;
          unedited[o.name] = r.unedited;
          image[`Threshold_${o.name}`] = r.threshold;
        }
      } else if (o.type === 'secondary') {
        const r = secondaryObjects(corrected[o.channel]!, labels[o.primary]!, {
          ...o,
          competitors: o.borderCompetitors ? unedited[o.primary] : undefined,
        });
        labels[o.name] = r.labels;
        if (Number.isFinite(r.threshold)) image[`Threshold_${o.name}`] = r.threshold;
      } else {
        labels[o.name] = tertiaryObjects(labels[o.larger]!, labels[o.smaller]!, o.shrinkSmaller);
      }
    }
    timings.segment = performance.now() - t;
    const firstSet = p.objects[0]?.name;
    const counts: Record<string, number> = {};
    for (const [name, l] of Object.entries(labels)) {
      let max = 0;
      const present = new Set<number>();
      for (const v of l.data) if (v !== 0) present.add(v);
      max = present.size;
      counts[name] = max;
      image[`Count_${name}`] = max;
    }
    if (p.qc.excludeEmpty && firstSet !== undefined && counts[firstSet] === 0) {
      timings.total = performance.now() - t0;
      return {
        key: job.key,
        status: 'excluded',
        reason: `empty: no ${firstSet} found`,
        checksums,
        timings,
        image,
        objects: {},
      };
    }

    stage = 'measure';
    t = performance.now();
    const objects: Record<string, Table> = {};
    for (const name of Object.keys(labels)) {
      objects[name] = objectNumbers(labels[name]!);
    }
    for (const m of p.measurements) {
      const sets: ObjectSet[] = [{ name: m.objects, labels: labels[m.objects]! }];
      const channels: Channel[] = (m.channels ?? Object.keys(p.input.channels)).map((c) => ({
        name: c,
        image: corrected[c]!,
      }));
      const scales = m.families.includes('texture') ? m.textureScales : [3];
      for (let k = 0; k < scales.length; k++) {
        const families = k === 0 ? m.families : (['texture'] as const);
        const r = measureObjects(sets, channels, {
          families,
          areaShape: { zernike: m.zernike },
          texture: { scale: scales[k]!, grayLevels: m.textureGrayLevels },
        });
        objects[m.objects] = mergeColumns(objects[m.objects]!, r.objects[m.objects]!);
      }
    }
    for (const c of p.image.quality) {
      for (const q of measureImageQuality(toFloat32(corrected[c]!), { channelName: c }))
        image[q.spec.name] = q.value;
    }
    if (p.image.colocalization.length >= 2) {
      const r = measureObjects(
        [],
        p.image.colocalization.map((c) => ({ name: c, image: corrected[c]! })),
        {
          families: ['colocalization'],
          colocalization: { thresholdPercent: p.image.colocalizationThreshold },
        },
      );
      for (const name of r.image.names) {
        if (name !== 'ImageNumber') image[name] = (r.image.columns[name] as Float64Array)[0]!;
      }
    }
    timings.measure = performance.now() - t;

    stage = 'classify';
    p.classifiers.forEach((c, i) => {
      const forest = ctx.classifiers[i]!;
      const table = objects[c.objects]!;
      if (table.rows === 0) return;
      const pred = classifyTable(forest, table, { nonFinite: 'skip', name: `${job.key} ${c.objects}` });
      let out = table;
      for (const cls of forest.classes) {
        const col = Float64Array.from(pred.predicted, (v) => (v === cls ? 1 : 0));
        out = withColumn(out, `${c.column}_is_${cls.replace(/[^A-Za-z0-9_]/g, '_')}`, col);
      }
      objects[c.objects] = out;
    });

    if (p.outputs.labels !== undefined) {
      stage = 'labels';
      await mkdir(resolve(ctx.baseDir, p.outputs.labels), { recursive: true });
      for (const [name, l] of Object.entries(labels)) {
        const safe = job.key.replace(/[^A-Za-z0-9_-]+/g, '_');
        await writeImage(resolve(ctx.baseDir, p.outputs.labels, `${safe}_${name}.tif`), l);
      }
    }
    timings.total = performance.now() - t0;
    return { key: job.key, status: 'done', reason: '', checksums, timings, image, objects };
  } catch (error) {
    timings.total = performance.now() - t0;
    return {
      key: job.key,
      status: 'failed',
      reason: `${stage}: ${describe(error)}`,
      checksums,
      timings,
      image,
      objects: {},
    };
  }
}

function describe(error: unknown): string {
  const parts: string[] = [];
  let e: unknown = error;
  for (let d = 0; e !== undefined && d < 4; d++) {
    if (e instanceof Error) {
      parts.push(e.message);
      e = e.cause;
    } else {
      parts.push(String(e));
      break;
    }
  }
  return parts.join(': ');
}

/** ObjectNumber 1..max for the labels present (sorted). */
function objectNumbers(labels: Image): Table {
  const present = new Set<number>();
  for (const v of labels.data) if (v !== 0) present.add(v);
  return tableFromColumns({ ObjectNumber: Float64Array.from([...present].sort((a, b) => a - b)) });
}

/** Join `extra`'s columns (without ImageNumber/ObjectNumber) onto `base` by ObjectNumber order. */
function mergeColumns(base: Table, extra: Table): Table {
  const columns: Record<string, Float64Array | string[]> = { ...base.columns };
  const names = [...base.names];
  const baseIds = base.columns.ObjectNumber as Float64Array;
  const extraIds = extra.columns.ObjectNumber as Float64Array;
  const row = new Map<number, number>();
  for (let i = 0; i < extraIds.length; i++) row.set(extraIds[i]!, i);
  for (const name of extra.names) {
    if (name === 'ImageNumber' || name === 'ObjectNumber' || columns[name]) continue;
    const src = extra.columns[name]!;
    const out = new Float64Array(baseIds.length).fill(Number.NaN);
    for (let i = 0; i < baseIds.length; i++) {
      const r = row.get(baseIds[i]!);
      if (r !== undefined) out[i] = Number(src[r]);
    }
    columns[name] = out;
    names.push(name);
  }
  return tableFromColumns(columns, names);
}
