// The `phenoscope` command line: parses arguments with commander and calls library functions; no logic here.
import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands.ts';
import { describeError, UserError } from './errors.ts';

export function buildProgram(): Command {
  const program = new Command('phenoscope')
    .description('AI microscopy image analysis for phenotypic drug discovery')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

/** Run the CLI on `argv` (as `process.argv`); returns the exit code. Errors print as one line. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    process.stderr.write(`phenoscope: error: ${describeError(error)}\n`);
    if (process.env.PHENOSCOPE_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return error instanceof UserError ? error.exitCode : 1;
  }
}
