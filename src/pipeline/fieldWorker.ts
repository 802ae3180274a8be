// Worker-thread entry of the runner's pool: receives the pipeline once ('init'), then one field job at a time,
// and posts back each field's outcome. Loaded through tsx (see pool.ts) so it runs the TypeScript sources.

import { resolve } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { readForest } from '../learn/modelJson.ts';
import type { RandomForest } from '../learn/randomForest.ts';
import { type FieldContext, type FieldJob, processField } from './fieldTask.ts';
import { parsePipeline } from './load.ts';

export interface WorkerInit {
  readonly type: 'init';
  readonly pipelineText: string;
  readonly file: string;
  readonly baseDir: string;
  /** Illumination functions (Float32Array over SharedArrayBuffer) keyed by plate\u0000channel. */
  readonly illumination: readonly (readonly [string, Float32Array])[];
  /** Median focus per plate (qc.minFocusRelative). */
  readonly focusMedians?: readonly (readonly [string, number])[] | undefined;
}

export interface WorkerJob {
  readonly type: 'job';
  readonly job: FieldJob;
}

/** Build the context a worker (or the in-process runner) processes fields with. */
export async function makeContext(init: Omit<WorkerInit, 'type'>): Promise<FieldContext> {
  const { pipeline } = parsePipeline(init.pipelineText, init.file);
  const classifiers: RandomForest[] = [];
  for (const c of pipeline.classifiers) classifiers.push(await readForest(resolve(init.baseDir, c.model)));
  return {
    pipeline,
    baseDir: init.baseDir,
    illumination: new Map(init.illumination),
    classifiers,
    focusMedians: new Map(init.focusMedians ?? []),
  };
}

const port = parentPort;
if (port) {
  let context: Promise<FieldContext> | undefined;
  port.on('message', async (message: WorkerInit | WorkerJob) => {
    if (message.type === 'init') {
      context = makeContext(message);
      context.catch((error: unknown) => port.postMessage({ type: 'fatal', message: String(error) }));
      return;
    }
    if (!context) throw new Error('field worker: job before init');
    const outcome = await processField(message.job, await context);
    port.postMessage({ type: 'outcome', outcome });
  });
}
