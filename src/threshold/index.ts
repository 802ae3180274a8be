// Public entry point of the thresholds (one algorithm per file; see each file for its reference).
export {
  type ApplyThresholdOptions,
  applyThreshold,
  type CellProfilerThresholdOptions,
  type CellProfilerThresholdResult,
  cellprofilerThreshold,
} from './apply.ts';
export type { ThresholdInput } from './histogram.ts';
export { type LiOptions, thresholdLi } from './li.ts';
export { type LocalThresholdOptions, thresholdLocal } from './local.ts';
export { type MultiOtsuOptions, thresholdMultiOtsu } from './multiOtsu.ts';
export { type OtsuOptions, thresholdOtsu } from './otsu.ts';
export {
  type PerObjectThresholdOptions,
  type PerObjectThresholdResult,
  thresholdPerObject,
} from './perObject.ts';
export { type RobustBackgroundOptions, thresholdRobustBackground } from './robustBackground.ts';
export { type TriangleOptions, thresholdTriangle } from './triangle.ts';
