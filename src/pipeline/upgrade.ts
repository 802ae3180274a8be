// The upgrade chain of pipeline files, as CellProfiler's `upgrade_settings` does per module: each step turns a
// version-n document into version n+1, so a file written by any older Phenoscope keeps loading.

type Doc = Record<string, unknown>;

/** One step: from `from` to `from + 1`, with a note of what changed. */
interface UpgradeStep {
  readonly from: number;
  readonly note: string;
  readonly apply: (doc: Doc) => Doc;
}

const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Version 0 (the pre-release format) had `images` instead of `input` with `folder` for the path, `segmentation`
 * instead of `objects` (each with `input` for the channel and no `type`: all primary), and `store` at the top
 * level instead of `outputs.store`.
 */
function v0ToV1(doc: Doc): Doc {
  const out: Doc = { ...doc, version: 1 };
  if (isObject(doc.images)) {
    const { folder, ...rest } = doc.images;
    out.input = { ...rest, ...(folder !== undefined ? { path: folder } : {}) };
    delete out.images;
  }
  if (Array.isArray(doc.segmentation)) {
    out.objects = doc.segmentation.map((s) => {
      if (!isObject(s)) return s;
      const { input, ...rest } = s;
      return { type: 'primary', ...rest, ...(input !== undefined ? { channel: input } : {}) };
    });
    delete out.segmentation;
  }
  if (doc.store !== undefined) {
    out.outputs = { ...(isObject(doc.outputs) ? doc.outputs : {}), store: doc.store };
    delete out.store;
  }
  return out;
}

export const UPGRADES: readonly UpgradeStep[] = [
  {
    from: 0,
    note: 'images -> input (folder -> path), segmentation -> objects (input -> channel), store -> outputs.store',
    apply: v0ToV1,
  },
];

/** The current version: one past the last upgrade step. */
export const CURRENT_VERSION = UPGRADES.length;

/**
 * Upgrade a parsed pipeline document to the current version. A missing `version` means 0. Throws a RangeError
 * for versions newer than this code or not integers. Returns the document and the notes of the steps applied.
 */
export function upgradePipeline(doc: unknown): { doc: unknown; applied: string[] } {
  if (!isObject(doc)) return { doc, applied: [] };
  const version = doc.version ?? 0;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    return { doc, applied: [] }; // the schema reports the bad value with its line
  }
  if (version > CURRENT_VERSION) {
    throw new RangeError(
      `pipeline version ${version} is newer than this Phenoscope understands (${CURRENT_VERSION}); update Phenoscope`,
    );
  }
  let current: Doc = doc;
  const applied: string[] = [];
  for (const step of UPGRADES) {
    if (step.from >= version) {
      current = step.apply(current);
      applied.push(`v${step.from} -> v${step.from + 1}: ${step.note}`);
    }
  }
  return { doc: current, applied };
}
