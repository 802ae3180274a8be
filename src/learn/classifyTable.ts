// Applying a classifier to a whole feature table: a prediction table (row, predicted, prob_<class>), the
// prediction as a new column of the table, and the fraction of each class per group (e.g. per well).
import { type Column, isNumeric, type Table, tableFromColumns } from '../table/table.ts';
import { selectFeatureRows } from './features.ts';
import { featuresFromTable, finiteRows } from './featureTable.ts';
import { argmaxRows, predictProba, type RandomForest } from './randomForest.ts';

export interface ClassifyTableOptions {
  /** Rows with non-finite features: 'error', or 'skip' (predicted '' and probabilities NaN). @default 'error' */
  nonFinite?: 'error' | 'skip';
  /** Name of the table in errors (e.g. its path). @default 'table' */
  name?: string;
}

export interface TablePredictions {
  /** Columns: row (0-based index in the input table), predicted, prob_<class> per class. */
  table: Table;
  predicted: string[];
  /** Rows skipped because of non-finite features. */
  skipped: number;
}

/** Predict every row of a table with a classification forest (feature columns matched by name). */
export function classifyTable(
  forest: RandomForest,
  table: Table,
  options: ClassifyTableOptions = {},
): TablePredictions {
  if (forest.task !== 'classification') throw new TypeError('classifyTable needs a classification model');
  const name = options.name ?? 'table';
  const all = featuresFromTable(table, forest.featureNames, name);
  const { rows: keep, dropped } = finiteRows(all);
  if (dropped > 0 && (options.nonFinite ?? 'error') === 'error') {
    throw new RangeError(
      `${name}: ${dropped} row(s) have NaN or infinite features (first at row ${firstMissing(keep, table.rows)}); ` +
        'use nonFinite: skip to leave them unpredicted',
    );
  }
  const K = forest.classes.length;
  const proba = predictProba(forest, selectFeatureRows(all, keep));
  const best = argmaxRows(proba, K);
  const predicted = new Array<string>(table.rows).fill('');
  const probs = forest.classes.map(() => new Float64Array(table.rows).fill(Number.NaN));
  keep.forEach((row, j) => {
    predicted[row] = forest.classes[best[j]!]!;
    for (let c = 0; c < K; c++) probs[c]![row] = proba[j * K + c]!;
  });
  const columns: Record<string, Column> = {
    row: Float64Array.from({ length: table.rows }, (_, i) => i),
    predicted,
  };
  forest.classes.forEach((c, k) => {
    columns[`prob_${c}`] = probs[k]!;
  });
  return { table: tableFromColumns(columns), predicted, skipped: dropped };
}

function firstMissing(keep: Int32Array, rows: number): number {
  for (let i = 0; i < keep.length; i++) if (keep[i] !== i) return i;
  return keep.length < rows ? keep.length : -1;
}

/** The table with one more column (replacing one of the same name). */
export function withColumn(table: Table, name: string, column: Column): Table {
  const names = table.names.includes(name) ? table.names : [...table.names, name];
  return tableFromColumns({ ...table.columns, [name]: column }, names);
}

/** Per group: the number of predicted rows and the fraction of each class (rows predicted '' are not counted). */
export function classFractions(
  groups: Column,
  predicted: readonly string[],
  classes: readonly string[],
  groupName = 'group',
): Table {
  const keys = isNumeric(groups) ? Array.from(groups, String) : groups;
  const counts = new Map<string, number[]>();
  predicted.forEach((p, i) => {
    if (p === '') return;
    const key = keys[i]!;
    let row = counts.get(key);
    if (!row) {
      row = new Array<number>(classes.length).fill(0);
      counts.set(key, row);
    }
    const c = classes.indexOf(p);
    if (c >= 0) row[c]!++;
  });
  const sorted = [...counts.keys()].sort();
  const columns: Record<string, Column> = {
    [groupName]: sorted,
    n: Float64Array.from(sorted, (k) => counts.get(k)!.reduce((a, b) => a + b, 0)),
  };
  classes.forEach((c, k) => {
    columns[`fraction_${c}`] = Float64Array.from(sorted, (key) => {
      const row = counts.get(key)!;
      return row[k]! / row.reduce((a, b) => a + b, 0);
    });
  });
  return tableFromColumns(columns);
}
