// Reader of CellProfiler's text pipeline format (`.cppipe`, header `Version:3`..`Version:6`, CellProfiler 2.1-5):
// a header of `Key:Value` lines, then one block per module — `Name:[attr:value|...]` followed by indented
// `Setting text:value` lines. Version 3-4 escape `[`, `]`, `:` and `\` as \xHH; 5-6 write them raw. Format as
// written by cellprofiler_core/pipeline/io/_v6.py (dump) and read by its load_v6/load_v5/load_v3.

export interface CpSetting {
  /** The setting's text as shown in CellProfiler's GUI, e.g. 'Select the input image'. */
  readonly name: string;
  readonly value: string;
  /** 1-based line in the file. */
  readonly line: number;
}

export interface CpModule {
  readonly name: string;
  /** 1-based module number (`module_num`). */
  readonly number: number;
  readonly variableRevision: number;
  readonly enabled: boolean;
  readonly settings: readonly CpSetting[];
  readonly line: number;
}

export interface CpPipeline {
  readonly version: number;
  readonly dateRevision?: number | undefined;
  readonly modules: readonly CpModule[];
}

/** Undo CellProfiler's escaping of setting values (\xHH, \\, \', \n) in version-3/4 files. */
export function unescapeCp(text: string): string {
  return text.replace(/\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|.)/g, (_, code: string) => {
    if (code[0] === 'x' || code[0] === 'u') return String.fromCharCode(Number.parseInt(code.slice(1), 16));
    if (code === 'n') return '\n';
    if (code === 't') return '\t';
    return code;
  });
}

/** Parse the text of a `.cppipe` file; `name` names it in errors (with line numbers). */
export function parseCppipe(text: string, name = '.cppipe'): CpPipeline {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (!lines[0]?.startsWith('CellProfiler Pipeline')) {
    throw new Error(`${name}: line 1: not a CellProfiler pipeline (expected 'CellProfiler Pipeline: ...')`);
  }
  let version = 0;
  let dateRevision: number | undefined;
  let i = 1;
  for (; i < lines.length && lines[i]!.trim() !== ''; i++) {
    const m = /^([A-Za-z]+):(.*)$/.exec(lines[i]!);
    if (!m) throw new Error(`${name}: line ${i + 1}: malformed header line '${lines[i]}'`);
    if (m[1] === 'Version') version = Number(m[2]);
    if (m[1] === 'DateRevision') dateRevision = Number(m[2]);
  }
  if (!(version >= 1 && version <= 6)) {
    throw new Error(
      `${name}: unsupported pipeline format Version:${version} (supported: 1-6; save it from CellProfiler 4 or 5)`,
    );
  }
  const escaped = version < 5;
  const modules: CpModule[] = [];
  let current: { name: string; attrs: Map<string, string>; settings: CpSetting[]; line: number } | undefined;
  const finish = () => {
    if (!current) return;
    const attr = (k: string) => current!.attrs.get(k);
    modules.push({
      name: current.name,
      number: Number(attr('module_num') ?? modules.length + 1),
      variableRevision: Number(attr('variable_revision_number') ?? 0),
      enabled: (attr('enabled') ?? 'True') !== 'False',
      settings: current.settings,
      line: current.line,
    });
    current = undefined;
  };
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') {
      finish();
      continue;
    }
    if (/^\s/.test(line)) {
      if (!current) throw new Error(`${name}: line ${i + 1}: setting outside a module: '${line.trim()}'`);
      const body = line.trim();
      // the separator is the first unescaped ':' (escaped files write ':' inside text as \x3A)
      const sep = body.indexOf(':');
      if (sep < 0) throw new Error(`${name}: line ${i + 1}: setting without ':' in module ${current.name}`);
      const key = body.slice(0, sep);
      const value = body.slice(sep + 1);
      current.settings.push({
        name: escaped ? unescapeCp(key) : key,
        value: escaped ? unescapeCp(value) : value,
        line: i + 1,
      });
      continue;
    }
    finish();
    // HasImagePlaneDetails:True files end with the file list as CSV ('"Version":"1","PlaneCount":"9"', then URLs)
    if (line.startsWith('"')) break;
    const m = /^([A-Za-z0-9_]+):\[(.*)\]\s*$/.exec(line);
    if (!m)
      throw new Error(`${name}: line ${i + 1}: expected 'ModuleName:[...]', got '${line.slice(0, 80)}'`);
    const attrs = new Map<string, string>();
    for (const part of m[2]!.split('|')) {
      const k = part.indexOf(':');
      if (k > 0) attrs.set(part.slice(0, k), part.slice(k + 1));
    }
    current = { name: m[1]!, attrs, settings: [], line: i + 1 };
  }
  finish();
  return { version, dateRevision, modules };
}

/** The first setting of `module` whose name starts with `prefix` (CellProfiler's texts change slightly across versions). */
export function setting(module: CpModule, prefix: string): CpSetting | undefined {
  return module.settings.find((s) => s.name.startsWith(prefix));
}

/** All settings of `module` whose name starts with `prefix`, in file order (repeated groups). */
export function settings(module: CpModule, prefix: string): CpSetting[] {
  return module.settings.filter((s) => s.name.startsWith(prefix));
}
