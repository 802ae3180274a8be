// Test helpers for real data in ../shared/data: tests skip, with the reason printed, where it is absent (CI
// without the data folder, or a fresh clone elsewhere).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Root of the shared real-data folder: $PHENOSCOPE_SHARED_DATA or ../shared/data beside the checkout. */
export const SHARED_DATA = resolve(
  process.env.PHENOSCOPE_SHARED_DATA ?? join(process.cwd(), '..', 'shared', 'data'),
);

/** Absolute path of `relative` inside the shared data folder, or undefined when it is absent. */
export function sharedPath(relative: string): string | undefined {
  const path = join(SHARED_DATA, relative);
  return existsSync(path) ? path : undefined;
}

/**
 * For `test(name, { skip: skipUnlessShared('dsb2018_nuclei_dev') }, ...)`: false when present, else the reason
 * (node:test prints it in its summary).
 */
export function skipUnlessShared(relative: string): false | string {
  return sharedPath(relative) ? false : `shared data ${join(SHARED_DATA, relative)} is absent`;
}
