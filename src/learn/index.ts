// Phenotype classification, explanation and unsupervised learning: the public API of src/learn.
export * from './binning.ts';
export * from './classifyTable.ts';
export * from './crossValidate.ts';
export * from './features.ts';
export * from './featureTable.ts';
export * from './hierarchical.ts';
export * from './importance.ts';
export * from './kmeans.ts';
export * from './matrix.ts';
export * from './modelJson.ts';
export * from './pca.ts';
export * from './random.ts';
export * from './randomForest.ts';
export * from './tree.ts';
export * from './treeShap.ts';
export * from './umap.ts';
export * from './uncertaintySampling.ts';
