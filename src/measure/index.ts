// Public API of the measurement families: CellProfiler-compatible per-object features declared as schemas.
export * from './areaShape.ts';
export * from './convexHull.ts';
export * from './feret.ts';
export * from './intensity.ts';
export * from './location.ts';
export * from './measureObjects.ts';
export * from './objects.ts';
export * from './texture.ts';
export * from './types.ts';
export * from './zernike.ts';
