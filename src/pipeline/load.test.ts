import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { editDistance, PipelineError, parsePipeline, suggest } from './load.ts';
import { CURRENT_VERSION, upgradePipeline } from './upgrade.ts';

const example = readFileSync('examples/pipelines/simulated.yaml', 'utf8');

function issuesOf(text: string) {
  try {
    parsePipeline(text, 'p.yaml');
  } catch (error) {
    assert.ok(error instanceof PipelineError, String(error));
    return error.issues;
  }
  assert.fail('expected a PipelineError');
}

/** 1-based line of the first line containing `needle`. */
function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
}

test('the shipped examples validate, with defaults filled in', () => {
  const { pipeline, hash, upgraded } = parsePipeline(example, 'simulated.yaml');
  assert.equal(pipeline.version, 1);
  assert.deepEqual(upgraded, []);
  assert.equal(hash.length, 64);
  const nuclei = pipeline.objects[0]!;
  assert.equal(nuclei.type, 'primary');
  if (nuclei.type === 'primary') {
    assert.deepEqual(nuclei.options.diameter, [8, 40]);
    assert.equal(nuclei.options.thresholdCorrection, 1); // default
    assert.equal(nuclei.options.fillHoles, true); // default
  }
  assert.equal(pipeline.illumination[0]!.maxFields, 64); // default
  parsePipeline(readFileSync('examples/pipelines/cp_example_plates_human.yaml', 'utf8'), 'human.yaml');
});

test('a typo in an option name is reported at its line and column with a suggestion', () => {
  const text = example.replace('      declump: shape', '      declunp: shape');
  const [issue, ...rest] = issuesOf(text);
  assert.equal(rest.length, 0);
  assert.equal(issue!.line, lineOf(text, 'declunp'));
  assert.equal(issue!.column, 7);
  assert.equal(issue!.path, 'objects[0].options.declunp');
  assert.match(issue!.message, /did you mean 'declump'/);
});

test('a bad enum value points at the value and suggests the closest', () => {
  const text = example.replace('threshold: log-otsu', 'threshold: log-otsuu');
  const [issue] = issuesOf(text);
  assert.equal(issue!.line, lineOf(text, 'log-otsuu'));
  assert.equal(issue!.column, text.split('\n')[issue!.line - 1]!.indexOf('log-otsuu') + 1);
  assert.match(issue!.message, /got 'log-otsuu'.*did you mean 'log-otsu'/);
  const typed = example.replace('type: tertiary', 'type: tertiarx');
  const [t] = issuesOf(typed);
  assert.equal(t!.line, lineOf(typed, 'tertiarx'));
  assert.match(
    t!.message,
    /got 'tertiarx'; expected one of 'primary', 'secondary', 'tertiary' \(did you mean 'tertiary'\?\)/,
  );
});

test('unknown channel and object references are reported at their line', () => {
  const text = example
    .replace('larger: Cells', 'larger: Cellz')
    .replace('channels: [DNA, Marker]', 'channels: [DNA, Markr]');
  const issues = issuesOf(text);
  assert.equal(issues.length, 2);
  assert.equal(issues.find((i) => i.path === 'objects[2].larger')!.line, lineOf(text, 'Cellz'));
  const ch = issues.find((i) => i.path === 'measurements[0].channels[1]')!;
  assert.equal(ch.line, lineOf(text, 'Markr'));
  assert.match(ch.message, /unknown channel 'Markr'/);
});

test('YAML syntax errors and non-mappings are errors with a line', () => {
  const issues = issuesOf('version: 1\ninput: [a, b\nobjects: []\n');
  assert.ok(issues[0]!.line >= 2);
  assert.match(issuesOf('- a\n- b\n')[0]!.message, /must be a mapping/);
  assert.match(
    issuesOf(example.replace('version: 1', 'version: 9'))[0]!.message,
    /newer than this Phenoscope/,
  );
});

test('version 0 files are upgraded to version 1', () => {
  const v0 = [
    'name: old',
    'images: { folder: plate, pattern: auto, channels: { DNA: w1 } }',
    'segmentation:',
    '  - { name: Nuclei, input: DNA }',
    'store: old.duckdb',
  ].join('\n');
  const loaded = parsePipeline(v0, 'old.yaml');
  assert.equal(loaded.upgraded.length, 1);
  assert.equal(loaded.pipeline.input.path, 'plate');
  assert.equal(loaded.pipeline.objects[0]!.type, 'primary');
  assert.equal(loaded.pipeline.outputs.store, 'old.duckdb');
  const { doc } = upgradePipeline({ version: 1, name: 'x' });
  assert.deepEqual(doc, { version: 1, name: 'x' });
  assert.equal(CURRENT_VERSION, 1);
});

test('suggestions use the edit distance', () => {
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(suggest('declunp', ['declump', 'diameter']), 'declump');
  assert.equal(suggest('zzzzzz', ['declump', 'diameter']), undefined);
});

test('JSON pipeline files load too, with line numbers in errors', () => {
  const json = JSON.stringify(
    {
      version: 1,
      input: { path: 'plate', channels: { DNA: 'w1' } },
      objects: [{ name: 'Nuclei', type: 'primary', channel: 'DNA', options: { diameter: [8, 40] } }],
    },
    null,
    2,
  );
  assert.deepEqual(parsePipeline(json, 'p.json').pipeline.input.channels, { DNA: 'w1' });
  const bad = json.replace('"diameter"', '"diametre"');
  const [issue] = issuesOf(bad);
  assert.equal(issue!.line, lineOf(bad, 'diametre'));
  assert.match(issue!.message, /did you mean 'diameter'/);
});
