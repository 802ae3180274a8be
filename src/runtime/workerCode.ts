// How worker threads start their module. The package runs either from its TypeScript sources (through tsx's
// loader) or from its build (`npm run build` compiles src/ to dist/, same layout, `.js`). A worker is started from
// an eval'd ESM bootstrap: from sources it registers tsx inside the worker first (execArgv '--import tsx' does not
// reach worker threads on Node 20), from the build it imports the compiled module directly.

/** URL of module `name` beside `base` (the caller's `import.meta.url`), with the caller's own extension. */
export function siblingModule(name: string, base: string): string {
  return new URL(`./${name}${base.endsWith('.ts') ? '.ts' : '.js'}`, base).href;
}

/** Source of an eval'd ESM bootstrap that loads the worker module at `entry` (a file URL). */
export function workerBootstrap(entry: string): string {
  if (!entry.endsWith('.ts')) return `import(${JSON.stringify(entry)});`;
  const tsx = import.meta.resolve('tsx/esm/api');
  return `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
}
