// The plate simulator: the embedded default data set for the demo and the end-to-end tests.
export * from './camera.ts';
export * from './design.ts';
export * from './field.ts';
export * from './illumination.ts';
export * from './labels.ts';
export * from './logistic.ts';
export * from './options.ts';
export * from './placement.ts';
export * from './plate.ts';
export * from './prng.ts';
export * from './texture.ts';
