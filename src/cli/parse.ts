// Parsing of numeric command-line option values, shared by every command: a bad value is a usage error (exit 2)
// naming the option and the value received.
import { UserError } from './errors.ts';

/** A finite number >= `min`; empty text is refused. */
export function parseNumber(value: string, option: string, min = Number.NEGATIVE_INFINITY): number {
  const v = Number(value);
  if (value.trim() === '' || !Number.isFinite(v) || v < min) {
    throw new UserError(
      `${option}: expected a number${min > -Infinity ? ` >= ${min}` : ''}, got '${value}'`,
      2,
    );
  }
  return v;
}

/** An integer in [min, max]; empty text is refused. */
export function parseInteger(value: string, option: string, min = 1, max = Number.POSITIVE_INFINITY): number {
  const v = Number(value);
  if (value.trim() === '' || !Number.isInteger(v) || v < min || v > max) {
    const range = max < Number.POSITIVE_INFINITY ? `in ${min}..${max}` : `>= ${min}`;
    throw new UserError(`${option}: expected an integer ${range}, got '${value}'`, 2);
  }
  return v;
}

/** `parseNumber` for an option that may be absent. */
export function optionalNumber(value: string | undefined, option: string): number | undefined {
  return value === undefined ? undefined : parseNumber(value, option);
}

/** `parseInteger` for an option that may be absent. */
export function optionalInteger(value: string | undefined, option: string, min = 1): number | undefined {
  return value === undefined ? undefined : parseInteger(value, option, min);
}
