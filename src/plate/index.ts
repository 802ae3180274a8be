// Plate layouts: well geometry, file-name layouts, fields, plate maps and folder scans.
export * from './fields.ts';
export * from './geometry.ts';
export * from './layout.ts';
export * from './platemap.ts';
export * from './scan.ts';
