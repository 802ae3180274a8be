// Test support: run the CLI in-process and capture what it prints. console.log is captured (process.stdout
// carries the test runner's own report, so it is left alone) and process.stderr.write.
import { main } from './main.ts';

export interface CliResult {
  /** Exit code main() returned: 0 success, 1 failed run, 2 usage error. */
  code: number;
  stdout: string;
  stderr: string;
}

/** `phenoscope ...args`, as a user would type it. */
export async function runCli(...args: string[]): Promise<CliResult> {
  const log = console.log;
  const write = process.stderr.write.bind(process.stderr);
  let stdout = '';
  let stderr = '';
  console.log = (...parts: unknown[]) => {
    stdout += `${parts.join(' ')}\n`;
  };
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    return { code: await main(['node', 'phenoscope', ...args]), stdout, stderr };
  } finally {
    console.log = log;
    process.stderr.write = write;
  }
}
