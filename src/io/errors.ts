// Errors of the image readers and writers: every message starts with the file path, then the problem.

/** A file that cannot be read or written as an image; `path` is the file, `message` starts with it. */
export class ImageFileError extends Error {
  constructor(
    readonly path: string,
    problem: string,
    options?: ErrorOptions,
  ) {
    super(`${path}: ${problem}`, options);
    this.name = 'ImageFileError';
  }
}

/** Wrap any error thrown while reading `path` so that its message starts with the path (kept as `cause`). */
export function wrapFileError(path: string, error: unknown): ImageFileError {
  if (error instanceof ImageFileError && error.path === path) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && message.startsWith(`${path}: `)) {
    return new ImageFileError(path, message.slice(path.length + 2), { cause: error });
  }
  return new ImageFileError(path, message, { cause: error });
}
