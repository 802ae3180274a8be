// `phenoscope info`: what this installation can do (versions, readers, CPU count).
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('info')
    .description('print versions and machine facts (Node.js, CPU threads)')
    .action(() => {
      console.log(
        `phenoscope 0.1.0 on Node.js ${process.versions.node}, ${availableParallelism()} CPU thread(s)`,
      );
    });
}
