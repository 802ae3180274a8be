// Public entry point of the pre-processing filters (one algorithm per file; see each file for its reference).
export { BORDER_MODES, type BorderMode } from './border.ts';
export { type Footprint, type FootprintSpec, footprintMask, makeFootprint } from './footprint.ts';
export { type GaussianOptions, gaussian, gaussianKernel1d, gaussianRadius } from './gaussian.ts';
export { type LaplacianOfGaussianOptions, laplacianOfGaussian } from './laplacianOfGaussian.ts';
export { type MeanOptions, mean } from './mean.ts';
export { type MedianOptions, median } from './median.ts';
export { blackTopHat, close, dilate, erode, open, whiteTopHat } from './morphology.ts';
export {
  type IntensityRange,
  percentiles,
  type RescaleIntensityOptions,
  rescaleIntensity,
} from './rescale.ts';
export {
  type RollingBallOptions,
  rollingBall,
  type SubtractBackgroundOptions,
  subtractBackground,
} from './rollingBall.ts';
export { type SobelOptions, sobel } from './sobel.ts';
