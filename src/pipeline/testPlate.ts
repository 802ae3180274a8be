// Test support: a small simulated plate (8 fields of 128x128, one planted out of focus, one saturated) and a
// pipeline for it, shared by the runner tests.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulatePlate } from '../simulate/plate.ts';
import { parseCsvRows } from '../table/csv.ts';

/** The test pipeline for a plate folder (relative to the pipeline file), with optional extra YAML sections. */
export const TEST_PIPELINE = (plate: string, extra = '') => `version: 1
name: test
input: { path: ${plate}, pattern: imagexpress, channels: { DNA: w1, CellBody: w2 }, plateMap: ${plate}/platemap.csv }
illumination: [{ channel: DNA, method: mean, size: 32 }]
qc: { channel: DNA, minFocus: 0.05, maxSaturated: 0.001 }
objects:
  - { name: Nuclei, type: primary, channel: DNA, options: { diameter: [6, 40], threshold: log-otsu } }
  - { name: Cells, type: secondary, primary: Nuclei, channel: CellBody }
measurements:
  - { objects: Nuclei, families: [location, areashape, intensity], channels: [DNA], zernike: false }
${extra}`;

/** A temp folder with `plate/` (simulated) and `p.yaml`; returns the folder and the simulator's fields.csv rows. */
export async function makeTestPlate(
  prefix: string,
): Promise<{ dir: string; fieldsCsv: Record<string, string>[] }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await simulatePlate(join(dir, 'plate'), {
    wells: 'A01-A08',
    size: 128,
    seed: 3,
    outOfFocusFraction: 0.125,
    saturatedFraction: 0.125,
  });
  const [header = [], ...rows] = parseCsvRows(
    await readFile(join(dir, 'plate', 'fields.csv'), 'utf8'),
    'fields.csv',
  );
  const fieldsCsv = rows.map((r) => Object.fromEntries(r.map((v, i) => [header[i]!, v])));
  await writeFile(join(dir, 'p.yaml'), TEST_PIPELINE('plate'));
  return { dir, fieldsCsv };
}
