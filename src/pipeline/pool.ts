// A fixed pool of worker threads running fieldWorker.ts. Workers are started through a tiny ESM bootstrap that
// registers tsx's loader inside the worker (execArgv '--import tsx' does not reach worker threads on Node 20),
// so the pool works both from `node bin/phenoscope.js` and under `tsx`.
import { Worker } from 'node:worker_threads';
import type { FieldJob, FieldOutcome } from './fieldTask.ts';
import type { WorkerInit } from './fieldWorker.ts';

function bootstrap(): string {
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./fieldWorker.ts', import.meta.url).href;
  return `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
}

interface Slot {
  worker: Worker;
  busy: boolean;
  resolve?: (o: FieldOutcome) => void;
  reject?: (e: Error) => void;
  job?: FieldJob;
}

export class FieldPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: (() => void)[] = [];

  constructor(size: number, init: Omit<WorkerInit, 'type'>) {
    const code = bootstrap();
    for (let i = 0; i < size; i++) {
      const worker = new Worker(code, { eval: true });
      const slot: Slot = { worker, busy: false };
      worker.on('message', (m: { type: string; outcome?: FieldOutcome; message?: string }) => {
        if (m.type === 'outcome' && slot.resolve) {
          const r = slot.resolve;
          this.release(slot);
          r(m.outcome!);
        } else if (m.type === 'fatal') {
          slot.reject?.(new Error(`field worker: ${m.message}`));
        }
      });
      worker.on('error', (e) => {
        const r = slot.reject;
        this.release(slot);
        r?.(e);
      });
      worker.postMessage({ type: 'init', ...init } satisfies WorkerInit);
      this.slots.push(slot);
    }
  }

  private release(slot: Slot): void {
    slot.busy = false;
    delete slot.resolve;
    delete slot.reject;
    delete slot.job;
    this.waiting.shift()?.();
  }

  /** Run one job on the next free worker. */
  async run(job: FieldJob): Promise<FieldOutcome> {
    let slot = this.slots.find((s) => !s.busy);
    while (!slot) {
      await new Promise<void>((r) => this.waiting.push(r));
      slot = this.slots.find((s) => !s.busy);
    }
    slot.busy = true;
    slot.job = job;
    const s = slot;
    return new Promise<FieldOutcome>((resolve, reject) => {
      s.resolve = resolve;
      s.reject = reject;
      s.worker.postMessage({ type: 'job', job });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
