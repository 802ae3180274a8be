// Smooth random texture for chromatin, cytoplasm and granular markers: white noise low-pass filtered with a
// Gaussian of width `scale`, rescaled to unit variance (white noise of variance v smoothed by a 2-D Gaussian of
// sigma s has variance v / (4 pi s^2)). The white noise is uniform, 5x cheaper to draw than normal deviates;
// after smoothing over ~4 pi s^2 pixels it is Gaussian to a good approximation (central limit theorem). Uses
// the project's scipy-compatible Gaussian filter.
import { gaussian } from '../filter/gaussian.ts';
import { fromData } from '../image/image.ts';
import type { Rng } from './prng.ts';

/** A W x H field of correlated, approximately N(0, 1) noise with correlation length `scale` pixels (> 0). */
export function smoothNoise(width: number, height: number, scale: number, rng: Rng): Float32Array {
  const white = new Float32Array(width * height);
  for (let i = 0; i < white.length; i++) white[i] = rng.uniform() - 0.5;
  const smoothed = gaussian(fromData(white, width, height), { sigma: scale, truncate: 3 }).data;
  const gain = 2 * Math.sqrt(Math.PI) * scale * Math.sqrt(12); // uniform(-0.5, 0.5) has variance 1/12
  for (let i = 0; i < smoothed.length; i++) smoothed[i]! *= gain;
  return smoothed;
}
