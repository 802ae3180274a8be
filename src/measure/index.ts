// Public API of the measurement families: CellProfiler-compatible per-object features declared as schemas.
export * from './areaShape.ts';
export * from './colocalization.ts';
export * from './convexHull.ts';
export * from './feret.ts';
export * from './granularity.ts';
export * from './imageQuality.ts';
export * from './intensity.ts';
export * from './location.ts';
export * from './measureObjects.ts';
export * from './neighbors.ts';
export * from './objects.ts';
export * from './radialDistribution.ts';
export * from './texture.ts';
export * from './types.ts';
export * from './zernike.ts';
