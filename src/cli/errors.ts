/** An error meant for the user: printed as one line without a stack trace, exit code 2 for usage errors. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'UserError';
  }
}

/** One line describing an error and its causes, e.g. `reading a.tif: TIFF is truncated`. */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let e: unknown = error;
  for (let depth = 0; e !== undefined && depth < 5; depth++) {
    if (e instanceof Error) {
      if (!parts.some((p) => p.includes(e instanceof Error ? e.message : ''))) parts.push(e.message);
      e = e.cause;
    } else {
      parts.push(String(e));
      break;
    }
  }
  return parts.join(': ');
}
