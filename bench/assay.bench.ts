// Dose-response fitting throughput: 10,000 four-parameter logistic curves (8 half-log concentrations ×
// 3 replicates, planted IC50/Hill/plateaus, Gaussian noise) fitted by fitFourPL (Levenberg-Marquardt, SEs and
// Wald intervals; profile intervals off, as curve_fit gives none) against a Python loop of
// scipy.optimize.curve_fit with the same model and start values on the same numbers (written to a temporary CSV).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FourPLParams, fitFourPL, fourPL, fourPLStart } from '../src/assay/fourPL.ts';
import type { Benchmark } from './harness.ts';

const CURVES = 10_000;
const LOGX = Array.from({ length: 8 }, (_, k) => -8.5 + 0.5 * k).flatMap((x) => [x, x, x]);

interface Context {
  ys: Float64Array[];
  starts: FourPLParams[];
  csv: string;
}

function setup(): Context {
  let seed = 2026;
  const rand = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-300)) * Math.cos(2 * Math.PI * rand());
  const ys: Float64Array[] = [];
  const lines = ['curve,logx,y'];
  for (let c = 0; c < CURVES; c++) {
    const p = {
      top: 90 + 20 * rand(),
      bottom: 20 * rand(),
      logIC50: -7.5 + 2 * rand(),
      hill: -(0.6 + 2 * rand()),
    };
    const y = Float64Array.from(LOGX, (x) => fourPL(x, p) + 4 * gauss());
    ys.push(y);
    y.forEach((v, k) => {
      lines.push(`${c},${LOGX[k]},${v}`);
    });
  }
  const dir = mkdtempSync(join(tmpdir(), 'phenoscope-bench-assay-'));
  const csv = join(dir, 'curves.csv');
  writeFileSync(csv, `${lines.join('\n')}\n`);
  return { ys, starts: ys.map((y) => fourPLStart(LOGX, y)), csv };
}

export const benchmarks: Benchmark<Context>[] = [
  {
    name: 'fit 10,000 4PL curves (24 points each)',
    setup,
    repeats: 3,
    run: ({ ys }) => {
      let sum = 0;
      for (const y of ys) sum += fitFourPL(LOGX, y, { profile: false }).params.logIC50;
      return sum;
    },
    peer: ({ csv }) => ({
      name: 'scipy curve_fit loop',
      script: 'bench/peers/assay_curve_fit.py',
      args: [csv],
    }),
  },
];
