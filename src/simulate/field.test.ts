import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultCamera } from './camera.ts';
import { renderField } from './field.ts';
import { illuminationField } from './illumination.ts';

const BASE = { width: 192, height: 192, cellCount: 25, nuclearArea: 200, markerNcRatio: 0.5 };

test('the same seed renders the same field; another seed another one', () => {
  const a = renderField({ ...BASE, seed: 5 });
  const b = renderField({ ...BASE, seed: 5 });
  const c = renderField({ ...BASE, seed: 6 });
  assert.deepEqual(a.image.data, b.image.data);
  assert.deepEqual(a.nuclei.data, b.nuclei.data);
  assert.deepEqual(a.cells.data, b.cells.data);
  assert.notDeepEqual(a.image.data, c.image.data);
  assert.equal(a.image.dtype, 'uint16');
  assert.deepEqual(a.image.channelNames, ['DNA', 'CellBody', 'Marker']);
});

function components(labels: Uint32Array, width: number, k: number): number {
  // 4-connected components of label k, by flood fill
  const seen = new Uint8Array(labels.length);
  let count = 0;
  for (let p = 0; p < labels.length; p++) {
    if (labels[p] !== k || seen[p]) continue;
    count++;
    const stack = [p];
    seen[p] = 1;
    while (stack.length) {
      const q = stack.pop()!;
      const x = q % width;
      for (const r of [x > 0 ? q - 1 : -1, x < width - 1 ? q + 1 : -1, q - width, q + width]) {
        if (r >= 0 && r < labels.length && !seen[r] && labels[r] === k) {
          seen[r] = 1;
          stack.push(r);
        }
      }
    }
  }
  return count;
}

test('ground-truth labels agree with the image and with the per-cell records', () => {
  for (const seed of [1, 2, 3]) {
    const f = renderField({
      ...BASE,
      seed,
      illumination: [0, 1, 2].map((c) => illuminationField(192, 192, 9, c)),
    });
    const n = 192 * 192;
    const nl = f.nuclei.data;
    const cl = f.cells.data;
    const labelsN = new Set(nl);
    labelsN.delete(0);
    const labelsC = new Set(cl);
    labelsC.delete(0);
    assert.equal(labelsN.size, f.cellCount, 'one nucleus label per cell');
    assert.equal(labelsC.size, f.cellCount, 'one cell label per cell');
    assert.equal(f.objects.length, f.cellCount);
    assert.deepEqual(
      [...labelsN].sort((x, y) => x - y),
      Array.from({ length: f.cellCount }, (_, i) => i + 1),
      'labels are 1..N',
    );
    // background (no cell) means per channel
    const bg = [0, 0, 0];
    let nbg = 0;
    for (let p = 0; p < n; p++) {
      if (cl[p] !== 0) continue;
      nbg++;
      for (let c = 0; c < 3; c++) bg[c]! += f.image.data[c * n + p]!;
    }
    for (let c = 0; c < 3; c++) bg[c]! /= nbg;
    const sumN = new Float64Array(f.cellCount + 1);
    const cntN = new Float64Array(f.cellCount + 1);
    const sumC = new Float64Array(f.cellCount + 1);
    const cntC = new Float64Array(f.cellCount + 1);
    for (let p = 0; p < n; p++) {
      const k = nl[p]!;
      if (k) {
        assert.equal(cl[p], k, 'every nuclear pixel lies in its own cell');
        sumN[k]! += f.image.data[p]!;
        cntN[k]!++;
      }
      const j = cl[p]!;
      if (j) {
        sumC[j]! += f.image.data[n + p]!;
        cntC[j]!++;
      }
    }
    for (const o of f.objects) {
      const k = o.label;
      assert.equal(cntN[k], o.nuclearPixels);
      assert.equal(cntC[k], o.cellPixels);
      assert.ok(sumN[k]! / cntN[k]! > bg[0]!, `nucleus ${k} DNA mean above background ${bg[0]}`);
      assert.ok(sumC[k]! / cntC[k]! > bg[1]!, `cell ${k} cell-body mean above background ${bg[1]}`);
      assert.equal(components(nl, 192, k), 1, `nucleus ${k} is one 4-connected piece`);
      assert.equal(components(cl, 192, k), 1, `cell ${k} is one 4-connected piece`);
    }
  }
});

test('camera noise: variance = (mean - offset) / gain + read^2 + 1/12', () => {
  const camera = defaultCamera(12);
  const f = renderField({
    ...BASE,
    width: 256,
    height: 256,
    cellCount: 40,
    seed: 21,
    camera,
    returnExpected: true,
  });
  const expected = f.expected!;
  const data = f.image.data;
  // bin pixels by expected value (5 quantile bins) and compare the residual variance with the model in each
  const order = Array.from(expected.keys()).sort((i, j) => expected[i]! - expected[j]!);
  const bins = 5;
  for (let b = 0; b < bins; b++) {
    const idx = order.slice(
      Math.floor((b * order.length) / bins),
      Math.floor(((b + 1) * order.length) / bins),
    );
    let sr = 0;
    let sr2 = 0;
    let model = 0;
    for (const i of idx) {
      const r = data[i]! - expected[i]!;
      sr += r;
      sr2 += r * r;
      model += (expected[i]! - camera.offset) / camera.gain + camera.readNoise ** 2 + 1 / 12;
    }
    const m = idx.length;
    const meanR = sr / m;
    const variance = sr2 / m - meanR * meanR;
    model /= m;
    // tolerance: 6 standard errors of a sample variance (sqrt(2 / (m - 1)) relative for near-Gaussian noise)
    // plus 6 SE of the mean residual
    const se = model * Math.sqrt(2 / (m - 1));
    assert.ok(
      Math.abs(variance - model) < 6 * se,
      `bin ${b}: variance ${variance} vs model ${model} (SE ${se})`,
    );
    assert.ok(Math.abs(meanR) < 6 * Math.sqrt(model / m), `bin ${b}: mean residual ${meanR}`);
  }
});

test('an over-exposed field holds pixels at the maximum value; 8-bit cameras give uint8', () => {
  const f = renderField({ ...BASE, seed: 3, exposure: 6 });
  assert.ok(f.saturatedPixels > 0);
  let atMax = 0;
  for (const v of f.image.data) if (v === 65535) atMax++;
  assert.equal(atMax, f.saturatedPixels);
  const normal = renderField({ ...BASE, seed: 3 });
  assert.equal(normal.saturatedPixels, 0, 'a normal exposure does not saturate');
  const eight = renderField({ ...BASE, seed: 3, camera: defaultCamera(8) });
  assert.equal(eight.image.dtype, 'uint8');
  assert.equal(eight.image.bitDepth, 8);
});

test('an out-of-focus field is smoother than the same field in focus', () => {
  const sharp = renderField({ ...BASE, seed: 4, returnExpected: true });
  const blurred = renderField({ ...BASE, seed: 4, blurSigma: 5, returnExpected: true });
  const gradient = (e: Float32Array) => {
    // gradient energy (total variation would not do: blurring a monotone edge keeps its total variation)
    let s = 0;
    for (let p = 1; p < 192 * 192; p++) if (p % 192) s += (e[p]! - e[p - 1]!) ** 2;
    return s;
  };
  assert.ok(gradient(blurred.expected!) < 0.2 * gradient(sharp.expected!));
  assert.deepEqual(blurred.nuclei.data, sharp.nuclei.data, 'blur does not change the ground truth');
});

test('bad field parameters are refused', () => {
  assert.throws(
    () => renderField({ ...BASE, seed: 1, nuclearArea: 0 }),
    /nuclear area must be at least 10 pixels, got 0/,
  );
  assert.throws(
    () => renderField({ ...BASE, seed: 1, markerNcRatio: -1 }),
    /marker N\/C ratio must be > 0, got -1/,
  );
  assert.throws(() => renderField({ ...BASE, seed: 1, exposure: 0 }), /exposure must be > 0/);
  assert.throws(
    () => renderField({ ...BASE, seed: 1, illumination: [new Float32Array(3)] }),
    /illumination plane 0 has 3 values/,
  );
});
