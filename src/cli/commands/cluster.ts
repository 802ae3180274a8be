// `phenoscope cluster`: unsupervised grouping and embedding of per-object or per-well feature tables (k-means,
// hierarchical linkage with a dendrogram cut, PCA, UMAP). Thin: parses options and calls src/learn.
import type { Command } from 'commander';
import { UserError } from '../errors.ts';
import { parseInteger } from '../parse.ts';

interface ClusterCliOptions {
  features: string;
  out: string;
  method: string;
  k: string;
  embed: string;
  components: string;
  scale: boolean;
  seed: string;
  ignore?: string;
  neighbors: string;
}

export function register(program: Command): void {
  program
    .command('cluster')
    .description(
      'cluster the rows of a feature table (k-means or hierarchical) and/or embed them (PCA, UMAP); writes the ' +
        'metadata columns, the cluster (1..k) and the embedding coordinates',
    )
    .requiredOption('--features <table>', 'feature table (.csv or .parquet), one row per object or well')
    .requiredOption('--out <table>', 'output table (.csv or .parquet)')
    .option('--method <m>', 'kmeans, ward, average, complete, single, or none', 'kmeans')
    .option('--k <k>', 'number of clusters', '5')
    .option('--embed <e>', 'embedding: none, pca or umap', 'none')
    .option('--components <n>', 'embedding dimensions', '2')
    .option('--neighbors <n>', 'UMAP neighbours', '15')
    .option('--no-scale', 'do not standardise features (z-score) before clustering/embedding')
    .option('--seed <s>', 'random seed (k-means++, UMAP)', '0')
    .option('--ignore <columns>', 'comma-separated numeric columns to keep out of the features')
    .action(async (o: ClusterCliOptions) => {
      const { readTable, writeTable } = await import('../../table/index.ts');
      const { featureColumnNames, featuresFromTable, finiteRows } = await import(
        '../../learn/featureTable.ts'
      );
      const { matrixFromFeatures } = await import('../../learn/matrix.ts');
      const { tableFromColumns, isNumeric } = await import('../../table/table.ts');
      const { isMetadataName } = await import('../../learn/featureTable.ts');
      const method = o.method;
      if (!['kmeans', 'ward', 'average', 'complete', 'single', 'none'].includes(method)) {
        throw new UserError(
          `--method: expected kmeans, ward, average, complete, single or none, got '${method}'`,
          2,
        );
      }
      if (!['none', 'pca', 'umap'].includes(o.embed))
        throw new UserError(`--embed: expected none, pca or umap, got '${o.embed}'`, 2);
      const k = parseInteger(o.k, '--k');
      const seed = parseInteger(o.seed, '--seed', 0);
      let table: Awaited<ReturnType<typeof readTable>>;
      try {
        table = await readTable(o.features);
      } catch (error) {
        throw new UserError(`cannot read ${o.features}`, 1, { cause: error });
      }
      const names = featureColumnNames(table, {
        ignore: o.ignore ? o.ignore.split(',').map((s) => s.trim()) : [],
      });
      if (names.length === 0)
        throw new UserError(`${o.features}: no numeric feature columns besides metadata`, 2);
      const features = featuresFromTable(table, names, o.features);
      const { rows: finite, dropped } = finiteRows(features);
      if (dropped > 0)
        console.log(`${dropped} row(s) with NaN/Inf features left out (cluster 0, embedding NaN)`);
      const m = matrixFromFeatures({
        names,
        columns: features.columns.map((c) => Float32Array.from(finite, (r) => c[r]!)),
      });
      if (o.scale) {
        for (let j = 0; j < m.cols; j++) {
          let s = 0;
          let s2 = 0;
          for (let i = 0; i < m.rows; i++) {
            const v = m.data[i * m.cols + j]!;
            s += v;
            s2 += v * v;
          }
          const mean = s / m.rows;
          const sd = Math.sqrt(Math.max(0, s2 / m.rows - mean * mean)) || 1;
          for (let i = 0; i < m.rows; i++) m.data[i * m.cols + j] = (m.data[i * m.cols + j]! - mean) / sd;
        }
      }
      if (method !== 'none' && k > m.rows) throw new UserError(`--k: ${k} clusters for ${m.rows} rows`, 2);
      const out: Record<string, Float64Array | string[]> = {};
      for (const name of table.names) {
        const c = table.columns[name]!;
        if (!isNumeric(c) || isMetadataName(name)) out[name] = isNumeric(c) ? Float64Array.from(c) : [...c];
      }
      if (method !== 'none') {
        let labels: Int32Array;
        if (method === 'kmeans') {
          const { kmeans } = await import('../../learn/kmeans.ts');
          const result = kmeans(m, { k, seed });
          labels = Int32Array.from(result.labels, (l) => l + 1);
          console.log(`k-means: ${k} clusters, inertia ${result.inertia.toPrecision(6)}`);
        } else {
          const { linkage, cutTree } = await import('../../learn/hierarchical.ts');
          labels = cutTree(linkage(m, method as 'ward'), { clusters: k });
          console.log(`${method} linkage cut into ${k} clusters`);
        }
        const cluster = new Float64Array(table.rows);
        finite.forEach((r, i) => {
          cluster[r] = labels[i]!;
        });
        out.cluster = cluster;
      }
      if (o.embed !== 'none') {
        const components = parseInteger(o.components, '--components');
        let coords: Float64Array;
        if (o.embed === 'pca') {
          const { pca } = await import('../../learn/pca.ts');
          const result = pca(m, { components });
          coords = result.scores;
          console.log(
            `PCA: explained variance ratio ${Array.from(result.explainedVarianceRatio, (v) => v.toFixed(3)).join(', ')}`,
          );
        } else {
          const { umap } = await import('../../learn/umap.ts');
          coords = umap(m, { components, seed, neighbors: parseInteger(o.neighbors, '--neighbors', 2) });
        }
        for (let c = 0; c < components; c++) {
          const col = new Float64Array(table.rows).fill(Number.NaN);
          finite.forEach((r, i) => {
            col[r] = coords[i * components + c]!;
          });
          out[`${o.embed}${c + 1}`] = col;
        }
      }
      await writeTable(o.out, tableFromColumns(out));
      console.log(`wrote ${o.out}`);
    });
}
