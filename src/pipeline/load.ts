// Loading a pipeline file (YAML or JSON, JSON being YAML): parse with the `yaml` package keeping node ranges,
// upgrade old versions, validate with the zod schema, and map every issue path back to line:column through
// yaml's LineCounter so errors point at the offending key or value. Unknown keys get a "did you mean" suggestion.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { type Pipeline, pipelineSchema, referenceIssues } from './schema.ts';
import { upgradePipeline } from './upgrade.ts';

export interface PipelineIssue {
  /** 1-based line and column, 0 when unknown. */
  readonly line: number;
  readonly column: number;
  /** Dotted path, e.g. 'objects[0].options.diameter'. */
  readonly path: string;
  readonly message: string;
}

export class PipelineError extends Error {
  constructor(
    readonly file: string,
    readonly issues: readonly PipelineIssue[],
  ) {
    super(
      `${file}: ${issues.length} problem(s)\n${issues
        .map((i) => `  ${file}:${i.line}:${i.column}: ${i.path ? `${i.path}: ` : ''}${i.message}`)
        .join('\n')}`,
    );
    this.name = 'PipelineError';
  }
}

export interface LoadedPipeline {
  readonly pipeline: Pipeline;
  /** The file's text, stored with each run. */
  readonly text: string;
  /** sha256 of the text (hex). */
  readonly hash: string;
  /** Upgrade steps applied (empty for a current file). */
  readonly upgraded: readonly string[];
}

/** Levenshtein distance, for suggestions. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** The closest of `candidates` to `word` when close enough to be a typo. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function nodeAt(root: Node | null, path: readonly PropertyKey[]): { node: Node | null; key?: Node } {
  let node: Node | null = root;
  let keyNode: Node | undefined;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === part);
      if (!pair) break;
      keyNode = pair.key as Node;
      node = (pair.value as Node | null) ?? keyNode;
    } else if (isSeq(node) && typeof part === 'number') {
      const item = node.items[part] as Node | undefined;
      if (!item) break;
      node = item;
      keyNode = undefined;
    } else break;
  }
  return keyNode ? { node, key: keyNode } : { node };
}

function pathString(path: readonly PropertyKey[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s === '' ? String(p) : `.${String(p)}`;
  return s;
}

/** Known keys of the object schema at `path` (for suggestions), following the parsed document's values. */
function knownKeys(schema: z.ZodType, path: readonly PropertyKey[], doc: unknown): string[] {
  // biome-ignore lint/suspicious/noExplicitAny: walking zod internals (def shapes) generically
  let s: any = schema;
  let value: unknown = doc;
  const unwrap = () => {
    for (let k = 0; k < 10; k++) {
      const t = s?._zod?.def?.type;
      if (t === 'default' || t === 'optional' || t === 'nullable' || t === 'prefault')
        s = s._zod.def.innerType;
      else if (t === 'pipe') s = s._zod.def.in;
      else break;
    }
    if (s?._zod?.def?.type === 'union' && value && typeof value === 'object') {
      const type = (value as Record<string, unknown>).type;
      s = s._zod.def.options.find(
        (o: { shape?: Record<string, { _zod: { def: { values?: unknown[] } } }> }) =>
          o.shape?.type?._zod.def.values?.includes(type),
      );
    }
  };
  unwrap();
  for (const p of path) {
    const t = s?._zod?.def?.type;
    if (t === 'object') s = s.shape[p as string];
    else if (t === 'array') s = s._zod.def.element;
    else if (t === 'record') s = s._zod.def.valueType;
    else return [];
    value = value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[p] : undefined;
    unwrap();
  }
  return s?._zod?.def?.type === 'object' ? Object.keys(s.shape) : [];
}

/**
 * Parse and validate pipeline text. `file` names it in errors. Throws PipelineError listing every problem with
 * line and column.
 */
export function parsePipeline(text: string, file = 'pipeline.yaml'): LoadedPipeline {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new PipelineError(
      file,
      document.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { line: pos.line, column: pos.col, path: '', message: e.message.split('\n')[0]! };
      }),
    );
  }
  const locate = (path: readonly PropertyKey[], atKey = false) => {
    const { node, key } = nodeAt(document.contents, path);
    const target = atKey && key ? key : (node ?? key);
    const offset = target?.range?.[0] ?? 0;
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  const raw: unknown = document.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new PipelineError(file, [
      {
        line: 1,
        column: 1,
        path: '',
        message: 'a pipeline file must be a mapping (version:, input:, objects:, ...)',
      },
    ]);
  }
  let upgraded: { doc: unknown; applied: string[] };
  try {
    upgraded = upgradePipeline(raw);
  } catch (error) {
    throw new PipelineError(file, [
      { ...locate(['version']), path: 'version', message: (error as Error).message },
    ]);
  }
  const result = pipelineSchema.safeParse(upgraded.doc);
  const isCurrent = upgraded.applied.length === 0;
  if (!result.success) {
    const issues: PipelineIssue[] = [];
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        const known = knownKeys(pipelineSchema, issue.path, upgraded.doc);
        for (const k of issue.keys) {
          const hint = suggest(k, known);
          issues.push({
            ...(isCurrent ? locate([...issue.path, k], true) : { line: 0, column: 0 }),
            path: pathString([...issue.path, k]),
            message: `unknown option '${k}'${hint ? ` (did you mean '${hint}'?)` : ''}; known: ${known.join(', ')}`,
          });
        }
        continue;
      }
      let message = issue.message;
      const at = isCurrent ? locate(issue.path) : { line: 0, column: 0 };
      if (message.startsWith('Invalid discriminator value')) {
        const { node } = nodeAt(document.contents, issue.path);
        const got = isScalar(node) ? String(node.value) : undefined;
        const options = [...message.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
        const hint = got !== undefined ? suggest(got, options) : undefined;
        message = `got '${got}'; expected one of ${options.map((o) => `'${o}'`).join(', ')}${hint ? ` (did you mean '${hint}'?)` : ''}`;
      }
      if (issue.code === 'invalid_value' && 'values' in issue) {
        const { node } = nodeAt(document.contents, issue.path);
        const got = isScalar(node) ? String(node.value) : undefined;
        const hint = got !== undefined ? suggest(got, issue.values.map(String)) : undefined;
        message = `got '${got}'; expected one of ${issue.values.map((v) => `'${String(v)}'`).join(', ')}${hint ? ` (did you mean '${hint}'?)` : ''}`;
      }
      issues.push({ ...at, path: pathString(issue.path), message });
    }
    throw new PipelineError(
      file,
      issues.sort((a, b) => a.line - b.line || a.column - b.column),
    );
  }
  const refs = referenceIssues(result.data);
  if (refs.length > 0) {
    throw new PipelineError(
      file,
      refs.map((r) => ({
        ...(isCurrent ? locate(r.path) : { line: 0, column: 0 }),
        path: pathString(r.path),
        message: r.message,
      })),
    );
  }
  return {
    pipeline: result.data,
    text,
    hash: createHash('sha256').update(text).digest('hex'),
    upgraded: upgraded.applied,
  };
}

/** Read and validate a pipeline file. */
export async function loadPipeline(path: string): Promise<LoadedPipeline> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read pipeline file '${path}'`, { cause: error });
  }
  return parsePipeline(text, path);
}

/** A short human summary of a valid pipeline. */
export function summarizePipeline(p: Pipeline): string {
  const lines = [
    `pipeline '${p.name}' (version ${p.version})`,
    `  input: ${p.input.source} ${p.input.path} (pattern ${p.input.pattern}); channels ${Object.entries(
      p.input.channels,
    )
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}${p.input.plateMap ? `; plate map ${p.input.plateMap}` : ''}`,
    `  illumination: ${p.illumination.length === 0 ? 'none' : p.illumination.map((s) => `${s.channel} ${s.method}/${s.smoothing} ${s.size}`).join('; ')}`,
    `  qc: ${
      [
        p.qc.minFocus !== undefined ? `focus >= ${p.qc.minFocus}` : '',
        p.qc.minFocusRelative !== undefined ? `focus >= ${p.qc.minFocusRelative} x plate median` : '',
        p.qc.maxSaturated !== undefined ? `saturated <= ${p.qc.maxSaturated}` : '',
        p.qc.excludeEmpty ? 'exclude empty fields' : '',
      ]
        .filter(Boolean)
        .join(', ') || 'none'
    }`,
    `  objects: ${p.objects.map((o) => `${o.name} (${o.type}${o.type === 'primary' ? `, ${o.method} on ${o.channel}` : ''})`).join(', ')}`,
    `  measurements: ${p.measurements.map((m) => `${m.objects}: ${m.families.join('/')}`).join('; ') || 'none'}`,
    `  classifiers: ${p.classifiers.map((c) => `${c.model} on ${c.objects}`).join('; ') || 'none'}`,
    `  outputs: store ${p.outputs.store}${p.outputs.parquet ? `, parquet ${p.outputs.parquet}` : ''}${p.outputs.csv ? `, csv ${p.outputs.csv}` : ''}${p.outputs.labels ? `, labels ${p.outputs.labels}` : ''}`,
  ];
  return lines.join('\n');
}
