// A fixed pool of worker threads running fieldWorker.ts, started through runtime/workerCode.ts's bootstrap, so
// the pool works from the sources (tsx) and from the build (dist/). A worker that crashes (uncaught error, out of
// memory) rejects its field's promise and is replaced, so one bad field never stops the plate.
import { Worker } from 'node:worker_threads';
import { siblingModule, workerBootstrap } from '../runtime/workerCode.ts';
import type { FieldJob, FieldOutcome } from './fieldTask.ts';
import type { WorkerInit } from './fieldWorker.ts';

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

  private closing = false;
  private readonly code: string;

  /** `entry`: the worker module (URL). @default fieldWorker.ts */
  constructor(
    size: number,
    private readonly init: Omit<WorkerInit, 'type'>,
    entry = siblingModule('fieldWorker', import.meta.url),
  ) {
    this.code = workerBootstrap(entry);
    for (let i = 0; i < size; i++) {
      const slot = { busy: false } as Slot;
      this.spawn(slot);
      this.slots.push(slot);
    }
  }

  /** Start (or restart, after a crash) the worker of a slot. */
  private spawn(slot: Slot): void {
    const worker = new Worker(this.code, { eval: true });
    slot.worker = worker;
    const crash = (error: Error) => {
      if (slot.worker !== worker) return; // already replaced
      const reject = slot.reject;
      if (!this.closing) this.spawn(slot);
      this.release(slot);
      reject?.(error);
    };
    worker.on('message', (m: { type: string; outcome?: FieldOutcome; message?: string }) => {
      if (m.type === 'outcome' && slot.resolve) {
        const resolve = slot.resolve;
        this.release(slot);
        resolve(m.outcome!);
      } else if (m.type === 'fatal') {
        crash(new Error(`field worker could not start: ${m.message}`));
      }
    });
    worker.on('error', crash);
    worker.on('exit', (code) => {
      if (!this.closing) crash(new Error(`field worker exited with code ${code}`));
    });
    worker.postMessage({ type: 'init', ...this.init } satisfies WorkerInit);
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
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
