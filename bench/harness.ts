// The benchmark harness: times our code and its peer (a Python script run with /usr/bin/python3) in the same
// run, prints medians and the ratio, and returns rows that bench/run.ts appends to docs/benchmarks.md.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface Peer {
  /** Display name, e.g. 'tifffile 2023.2.3'. */
  name: string;
  /** Python script path relative to the repository root; it must print one JSON line `{"median_ms": number, ...}`. */
  script: string;
  args?: string[];
}

export interface Benchmark<C = unknown> {
  /** Unique name, e.g. 'read 2048x2048 uint16 TIFF'. */
  name: string;
  /** Builds inputs (files, arrays) once; not timed. */
  setup?: () => Promise<C> | C;
  /** The timed operation. */
  run: (context: C) => Promise<unknown> | unknown;
  /** Timed repetitions after one warm-up. @default 7 */
  repeats?: number;
  peer?: Peer | ((context: C) => Peer);
  /** Optional check of the result of the last run (e.g. equality with the peer's output). */
  check?: (result: unknown, context: C) => void;
}

export interface BenchResult {
  name: string;
  oursMs: number;
  peerName?: string;
  peerMs?: number;
  /** ours / peer: below 1 means we are faster. */
  ratio?: number;
  note?: string;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Run a Python peer script and parse its JSON line. */
export function runPeer(peer: Peer): { median_ms: number; [key: string]: unknown } {
  const result = spawnSync('/usr/bin/python3', [peer.script, ...(peer.args ?? [])], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(
      `peer ${peer.script} failed (exit ${result.status}): ${result.stderr.trim().split('\n').pop()}`,
    );
  }
  const line = result.stdout.trim().split('\n').pop() ?? '';
  const parsed = JSON.parse(line) as { median_ms: number };
  if (typeof parsed.median_ms !== 'number')
    throw new Error(`peer ${peer.script} printed no median_ms: ${line}`);
  return parsed;
}

export async function runBenchmark<C>(bench: Benchmark<C>): Promise<BenchResult> {
  const context = (await bench.setup?.()) as C;
  const repeats = bench.repeats ?? 7;
  let result = await bench.run(context); // warm-up
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    result = await bench.run(context);
    times.push(performance.now() - t0);
  }
  bench.check?.(result, context);
  const out: BenchResult = { name: bench.name, oursMs: median(times) };
  if (bench.peer) {
    const peer = typeof bench.peer === 'function' ? bench.peer(context) : bench.peer;
    const p = runPeer(peer);
    out.peerName = peer.name;
    out.peerMs = p.median_ms;
    out.ratio = out.oursMs / p.median_ms;
  }
  return out;
}
