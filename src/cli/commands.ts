// The registry of CLI commands. Each command module exports `register(program)`; add one line per command.
import type { Command } from 'commander';
import { register as classify } from './commands/classify.ts';
import { register as cluster } from './commands/cluster.ts';
import { register as demo } from './commands/demo.ts';
import { register as evaluate } from './commands/evaluate.ts';
import { register as fit } from './commands/fit.ts';
import { register as info } from './commands/info.ts';
import { register as inspect } from './commands/inspect.ts';
import { register as measure } from './commands/measure.ts';
import { register as pipeline } from './commands/pipeline.ts';
import { register as plate } from './commands/plate.ts';
import { register as profile } from './commands/profile.ts';
import { register as report } from './commands/report.ts';
import { register as run } from './commands/run.ts';
import { register as segment } from './commands/segment.ts';
import { register as simulate } from './commands/simulate.ts';
import { register as threshold } from './commands/threshold.ts';

export const COMMANDS: readonly ((program: Command) => void)[] = [
  demo,
  info,
  segment,
  evaluate,
  inspect,
  measure,
  classify,
  cluster,
  simulate,
  plate,
  fit,
  profile,
  report,
  threshold,
  pipeline,
  run,
];
