// ImageJ hyperstack TIFFs: the ImageDescription header ("ImageJ=...\nchannels=3\nslices=5\nframes=2\n...") says
// how the pages form channels, z-slices and time points, in ImageJ's order (channel fastest, then slice, then
// frame). Reference: ImageJ ij/io/TiffDecoder.java and ij/io/FileSaver.java.
import { ImageFileError } from './errors.ts';

export interface ImageJHyperstack {
  channels: number;
  slices: number;
  frames: number;
  /** Channel names from a `labels=` line is not standard; ImageJ keeps them in private tags, so none here. */
}

/** The hyperstack sizes of an ImageJ description, or undefined when it is not an ImageJ header. */
export function parseImageJ(description: string | undefined): ImageJHyperstack | undefined {
  if (!description?.startsWith('ImageJ=')) return undefined;
  const value = (key: string) => {
    const m = new RegExp(`^${key}=(\\d+)\\s*$`, 'm').exec(description);
    return m ? Number(m[1]) : 1;
  };
  return { channels: value('channels'), slices: value('slices'), frames: value('frames') };
}

/** Page index of (c, z, t) in an ImageJ hyperstack; throws naming the file when out of range. */
export function imageJPage(stack: ImageJHyperstack, c: number, z: number, t: number, name: string): number {
  for (const [what, v, size] of [
    ['channel', c, stack.channels],
    ['z', z, stack.slices],
    ['t', t, stack.frames],
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v >= size) {
      throw new ImageFileError(name, `${what} ${v} is out of range: the ImageJ hyperstack has ${size}`);
    }
  }
  return c + stack.channels * (z + stack.slices * t);
}
