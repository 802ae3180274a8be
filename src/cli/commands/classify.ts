// `phenoscope classify train|apply|explain|cv|suggest`: random forest phenotype classification over plain feature
// tables (CSV or Parquet, one row per object). Thin: parses options and calls src/learn.
import type { Command } from 'commander';
import type { RandomForestOptions } from '../../learn/randomForest.ts';
import type { Table } from '../../table/table.ts';
import { UserError } from '../errors.ts';
import { optionalInteger } from '../parse.ts';

interface ForestCliOptions {
  trees: string;
  seed: string;
  threads?: string;
  maxDepth?: string;
  minSamplesLeaf: string;
  maxFeatures: string;
  classWeight?: string;
  ignore?: string;
  nan: string;
  annotations?: string;
  keys: string;
}

function choice<const T extends string>(value: string, option: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T))
    throw new UserError(`${option}: expected ${allowed.join(' or ')}, got '${value}'`, 2);
  return value as T;
}

async function loadTable(path: string): Promise<Table> {
  const { readTable } = await import('../../table/index.ts');
  try {
    return await readTable(path);
  } catch (error) {
    throw new UserError(`cannot read ${path}`, 1, { cause: error });
  }
}

async function progressBar(
  label: string,
): Promise<{ update: (done: number, total: number) => void; stop: () => void }> {
  const { SingleBar, Presets } = await import('cli-progress');
  const bar = new SingleBar(
    { stream: process.stderr, hideCursor: true, format: `${label} [{bar}] {value}/{total}` },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update: (done, total) => {
      if (!process.stderr.isTTY) return;
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

function forestOptions(o: ForestCliOptions): RandomForestOptions {
  const maxFeatures =
    o.maxFeatures === 'sqrt' || o.maxFeatures === 'log2' ? o.maxFeatures : Number(o.maxFeatures);
  if (typeof maxFeatures === 'number' && !(maxFeatures > 0 && maxFeatures <= 1)) {
    throw new UserError(
      `--max-features: expected sqrt, log2 or a fraction in (0, 1], got '${o.maxFeatures}'`,
      2,
    );
  }
  const options: RandomForestOptions = {
    trees: optionalInteger(o.trees, '--trees')!,
    seed: optionalInteger(o.seed, '--seed', 0)!,
    minSamplesLeaf: optionalInteger(o.minSamplesLeaf, '--min-samples-leaf')!,
    maxFeatures,
  };
  const threads = optionalInteger(o.threads, '--threads');
  if (threads !== undefined) options.threads = threads;
  const maxDepth = optionalInteger(o.maxDepth, '--max-depth');
  if (maxDepth !== undefined) options.maxDepth = maxDepth;
  if (o.classWeight !== undefined)
    options.classWeight = choice(o.classWeight, '--class-weight', ['balanced'] as const);
  return options;
}

/** Labelled training rows of a table: features by the metadata rule, rows without a label or with NaN handled. */
async function labelledData(path: string, label: string, o: ForestCliOptions) {
  const { featureColumnNames, featuresFromTable, finiteRows } = await import('../../learn/featureTable.ts');
  const { selectFeatureRows } = await import('../../learn/features.ts');
  const { stringColumn } = await import('../../table/table.ts');
  let table = await loadTable(path);
  if (o.annotations) {
    const { joinColumn } = await import('../../table/table.ts');
    const annotations = await loadTable(o.annotations);
    try {
      table = joinColumn(
        table,
        annotations,
        o.keys.split(',').map((k) => k.trim()),
        label,
      );
    } catch (error) {
      throw new UserError(`${o.annotations}: ${(error as Error).message}`, 2);
    }
  }
  if (!table.columns[label]) {
    throw new UserError(`${path}: no label column '${label}'; columns: ${table.names.join(', ')}`, 2);
  }
  const ignore = o.ignore ? o.ignore.split(',').map((s) => s.trim()) : [];
  let names: string[];
  try {
    names = featureColumnNames(table, { label, ignore });
  } catch (error) {
    throw new UserError(`${path}: ${(error as Error).message}`, 2);
  }
  if (names.length === 0) throw new UserError(`${path}: no numeric feature columns besides metadata`, 2);
  const labels = stringColumn(table, label);
  const all = featuresFromTable(table, names, path);
  const labelled: number[] = [];
  labels.forEach((l, i) => {
    if (l !== '') labelled.push(i);
  });
  let rows = Int32Array.from(labelled);
  const features = selectFeatureRows(all, rows);
  const { rows: finite, dropped } = finiteRows(features);
  const nan = choice(o.nan, '--nan', ['error', 'drop']);
  if (dropped > 0 && nan === 'error') {
    throw new UserError(
      `${path}: ${dropped} labelled row(s) have NaN or infinite features; pass --nan drop to leave them out`,
      2,
    );
  }
  rows = Int32Array.from(finite, (j) => rows[j]!);
  const y = Array.from(rows, (i) => labels[i]!);
  const classes = [...new Set(y)];
  if (classes.length < 2) {
    throw new UserError(
      `${path}: column '${label}' has ${classes.length} class(es) (${classes.join(', ')}); need at least 2`,
      2,
    );
  }
  return {
    table,
    names,
    features: selectFeatureRows(all, rows),
    rows,
    labels: y,
    dropped,
    unlabelled: table.rows - labelled.length,
  };
}

function addForestOptions(command: Command): Command {
  return command
    .option('--trees <n>', 'number of trees', '100')
    .option('--seed <s>', 'random seed (same seed, same model for any thread count)', '0')
    .option('--threads <t>', 'worker threads (default: all CPU threads)')
    .option('--max-depth <d>', 'maximum tree depth (default: unlimited)')
    .option('--min-samples-leaf <n>', 'fewest samples per leaf', '1')
    .option('--max-features <m>', 'features tried per split: sqrt, log2 or a fraction in (0, 1]', 'sqrt')
    .option('--class-weight <w>', "'balanced': weight classes by n / (classes x count)")
    .option('--ignore <columns>', 'comma-separated numeric columns to keep out of the features')
    .option('--nan <policy>', 'labelled rows with NaN/Inf features: error or drop', 'error')
    .option(
      '--annotations <table>',
      'labels kept apart from the features (e.g. cells clicked in the workspace): a table with the key columns and --label',
    )
    .option(
      '--keys <columns>',
      'with --annotations: columns identifying an object in both tables',
      'plate,well,site,ObjectNumber',
    );
}

function counts(labels: readonly string[]): string {
  const m = new Map<string, number>();
  for (const l of labels) m.set(l, (m.get(l) ?? 0) + 1);
  return [...m.entries()]
    .sort()
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

export function register(program: Command): void {
  const classify = program
    .command('classify')
    .description('random forest phenotype classification of per-object feature tables (CSV or Parquet)');

  addForestOptions(
    classify
      .command('train')
      .description('train a random forest on the labelled rows of a feature table (empty label = unlabelled)')
      .requiredOption(
        '--features <table>',
        'feature table (.csv, .parquet or STORE.duckdb:TABLE, e.g. results.duckdb:objects_Nuclei), one row per object',
      )
      .requiredOption('--label <column>', 'column holding the class label of each labelled row')
      .requiredOption('--out <model>', 'model file to write (.json)')
      .option('--oob', 'compute the out-of-bag accuracy'),
  ).action(async (o: ForestCliOptions & { features: string; label: string; out: string; oob?: boolean }) => {
    const { trainRandomForestClassifier } = await import('../../learn/randomForest.ts');
    const { writeForest } = await import('../../learn/modelJson.ts');
    const data = await labelledData(o.features, o.label, o);
    const options = forestOptions(o);
    const bar = await progressBar('trees');
    const t0 = performance.now();
    let forest: Awaited<ReturnType<typeof trainRandomForestClassifier>>;
    try {
      forest = await trainRandomForestClassifier(data.features, data.labels, {
        ...options,
        oobScore: o.oob ?? false,
        onProgress: bar.update,
      });
    } finally {
      bar.stop();
    }
    await writeForest(o.out, forest);
    console.log(
      `trained ${forest.trees.length} trees on ${data.labels.length} rows x ${data.names.length} features ` +
        `in ${((performance.now() - t0) / 1000).toFixed(1)} s; classes: ${counts(data.labels)}`,
    );
    if (data.unlabelled > 0) console.log(`${data.unlabelled} unlabelled row(s) not used`);
    if (data.dropped > 0) console.log(`${data.dropped} row(s) with NaN/Inf features dropped`);
    if (forest.oobScore !== undefined) console.log(`out-of-bag accuracy ${forest.oobScore.toFixed(4)}`);
    console.log(`wrote ${o.out}`);
  });

  classify
    .command('apply')
    .description('predict every row of a feature table: writes row, predicted, prob_<class> per class')
    .requiredOption('--model <model>', 'model file written by classify train')
    .requiredOption(
      '--features <table>',
      "feature table (.csv, .parquet or STORE.duckdb:TABLE) with the model's feature columns",
    )
    .requiredOption(
      '--out <predictions>',
      'predictions table to write (.csv, .parquet, or STORE.duckdb:TABLE to keep them in the results store)',
    )
    .option(
      '--nan <policy>',
      'rows with NaN/Inf features: error, or skip (predicted empty, probabilities NaN)',
      'error',
    )
    .option('--group <column>', 'also write the fraction of each class per value of this column (e.g. well)')
    .option(
      '--fractions <table>',
      'where to write the per-group fractions (default: <out> with .fractions, or table <out>_fractions in a store)',
    )
    .option('--append <table>', 'also write the input table with the prediction as a new column "predicted"')
    .action(
      async (o: {
        model: string;
        features: string;
        out: string;
        nan: string;
        group?: string;
        fractions?: string;
        append?: string;
      }) => {
        const { readForest } = await import('../../learn/modelJson.ts');
        const { classifyTable, classFractions, withColumn } = await import('../../learn/classifyTable.ts');
        const { writeTable } = await import('../../table/index.ts');
        const nonFinite = choice(o.nan, '--nan', ['error', 'skip']);
        const forest = await readForest(o.model);
        const table = await loadTable(o.features);
        if (o.group && !table.columns[o.group]) {
          throw new UserError(
            `${o.features}: no column '${o.group}' for --group; columns: ${table.names.join(', ')}`,
            2,
          );
        }
        let result: ReturnType<typeof classifyTable>;
        try {
          result = classifyTable(forest, table, { nonFinite, name: o.features });
        } catch (error) {
          throw new UserError((error as Error).message, 2, { cause: error });
        }
        await writeTable(o.out, result.table);
        console.log(
          `predicted ${table.rows - result.skipped} row(s): ${counts(result.predicted.filter((p) => p !== ''))}`,
        );
        if (result.skipped > 0)
          console.log(`${result.skipped} row(s) with NaN/Inf features left unpredicted`);
        console.log(`wrote ${o.out}`);
        if (o.group) {
          const { parseDuckdbPath } = await import('../../table/duckdb.ts');
          const db = parseDuckdbPath(o.out);
          const path =
            o.fractions ??
            (db ? `${db.file}:${db.table}_fractions` : o.out.replace(/(\.[^.]+)$/, '.fractions$1'));
          await writeTable(
            path,
            classFractions(table.columns[o.group]!, result.predicted, forest.classes, o.group),
          );
          console.log(`wrote ${path}`);
        }
        if (o.append) {
          await writeTable(o.append, withColumn(table, 'predicted', result.predicted));
          console.log(`wrote ${o.append}`);
        }
      },
    );

  classify
    .command('explain')
    .description('per-row TreeSHAP contributions of each feature, and optionally global feature importance')
    .requiredOption('--model <model>', 'model file written by classify train')
    .requiredOption(
      '--features <table>',
      "feature table (.csv, .parquet or STORE.duckdb:TABLE) with the model's feature columns",
    )
    .requiredOption(
      '--out <shap>',
      'SHAP table to write: row, predicted, class, expected_value, shap_<feature>...',
    )
    .option('--class <label>', "explain the probability of this class (default: each row's predicted class)")
    .option('--rows <n>', 'explain only the first n rows')
    .option('--importance <kind>', 'also print global importance: impurity or permutation (needs --label)')
    .option('--label <column>', 'true labels for permutation importance')
    .option('--importance-out <table>', 'write the importance table here instead of printing it')
    .action(
      async (o: {
        model: string;
        features: string;
        out: string;
        class?: string;
        rows?: string;
        importance?: string;
        label?: string;
        importanceOut?: string;
      }) => {
        const { readForest } = await import('../../learn/modelJson.ts');
        const { featuresFromTable, finiteRows } = await import('../../learn/featureTable.ts');
        const { treeShap } = await import('../../learn/treeShap.ts');
        const { argmaxRows, predictProba } = await import('../../learn/randomForest.ts');
        const { writeTable } = await import('../../table/index.ts');
        const { tableFromColumns, stringColumn } = await import('../../table/table.ts');
        const forest = await readForest(o.model);
        if (forest.task !== 'classification')
          throw new UserError(`${o.model}: not a classification model`, 2);
        const table = await loadTable(o.features);
        let features: ReturnType<typeof featuresFromTable>;
        try {
          features = featuresFromTable(table, forest.featureNames, o.features);
        } catch (error) {
          throw new UserError((error as Error).message, 2, { cause: error });
        }
        const limit = optionalInteger(o.rows, '--rows') ?? table.rows;
        const { rows: finite, dropped } = finiteRows(features);
        const rows = finite.filter((r) => r < limit);
        if (dropped > 0) console.log(`${dropped} row(s) with NaN/Inf features not explained`);
        let classIndex: number | undefined;
        if (o.class !== undefined) {
          classIndex = forest.classes.indexOf(o.class);
          if (classIndex < 0)
            throw new UserError(
              `--class: '${o.class}' is not a class of the model (${forest.classes.join(', ')})`,
              2,
            );
        }
        const K = forest.classes.length;
        const p = forest.featureNames.length;
        const best = argmaxRows(predictProba(forest, features), K);
        const bar = await progressBar('rows');
        let shap: ReturnType<typeof treeShap>;
        try {
          shap = treeShap(forest, features, {
            rows,
            ...(classIndex === undefined ? {} : { output: classIndex }),
            onProgress: bar.update,
          });
        } finally {
          bar.stop();
        }
        const O = shap.outputs;
        const explained = Array.from(rows, (r) => classIndex ?? best[r]!);
        const columns: Record<string, Float64Array | string[]> = {
          row: Float64Array.from(rows),
          predicted: Array.from(rows, (r) => forest.classes[best[r]!]!),
          class: explained.map((c) => forest.classes[c]!),
          expected_value: Float64Array.from(explained, (c) => shap.expected[O === 1 ? 0 : c]!),
        };
        forest.featureNames.forEach((name, f) => {
          columns[`shap_${name}`] = Float64Array.from(
            explained,
            (c, j) => shap.values[(j * p + f) * O + (O === 1 ? 0 : c)]!,
          );
        });
        await writeTable(o.out, tableFromColumns(columns));
        console.log(`explained ${rows.length} row(s); wrote ${o.out}`);
        if (o.importance !== undefined) {
          const kind = choice(o.importance, '--importance', ['impurity', 'permutation']);
          const { impurityImportance, permutationImportance } = await import('../../learn/importance.ts');
          const { selectFeatureRows } = await import('../../learn/features.ts');
          let values: Float64Array;
          let std: Float64Array | undefined;
          if (kind === 'impurity') values = impurityImportance(forest);
          else {
            if (!o.label)
              throw new UserError('--importance permutation needs --label <column> with the true classes', 2);
            if (!table.columns[o.label])
              throw new UserError(`${o.features}: no label column '${o.label}'`, 2);
            const labels = stringColumn(table, o.label);
            const labelled = finite.filter((r) => labels[r] !== '');
            const result = permutationImportance(
              forest,
              selectFeatureRows(features, labelled),
              Array.from(labelled, (r) => labels[r]!),
            );
            values = result.mean;
            std = result.std;
          }
          const order = forest.featureNames.map((_, f) => f).sort((a, b) => values[b]! - values[a]!);
          const importance = tableFromColumns({
            feature: order.map((f) => forest.featureNames[f]!),
            importance: Float64Array.from(order, (f) => values[f]!),
            ...(std ? { std: Float64Array.from(order, (f) => std[f]!) } : {}),
          });
          if (o.importanceOut) {
            await writeTable(o.importanceOut, importance);
            console.log(`wrote ${o.importanceOut}`);
          } else {
            console.log(`${kind} importance:`);
            for (const f of order.slice(0, 30))
              console.log(`  ${forest.featureNames[f]}\t${values[f]!.toFixed(4)}`);
          }
        }
      },
    );

  addForestOptions(
    classify
      .command('cv')
      .description(
        'cross-validate a random forest: stratified k-fold (or leave-one-group-out) accuracy and confusion matrix',
      )
      .requiredOption('--features <table>', 'feature table (.csv or .parquet)')
      .requiredOption('--label <column>', 'class label column (empty = unlabelled, not used)')
      .option('--folds <k>', 'number of stratified folds', '5')
      .option('--group <column>', 'leave one group out instead of k folds (e.g. compound)')
      .option('--out <table>', 'write the out-of-fold predictions (row, label, predicted)'),
  ).action(
    async (
      o: ForestCliOptions & { features: string; label: string; folds: string; group?: string; out?: string },
    ) => {
      const { crossValidate } = await import('../../learn/crossValidate.ts');
      const data = await labelledData(o.features, o.label, o);
      const options = { ...forestOptions(o), folds: optionalInteger(o.folds, '--folds', 2)! };
      if (o.group) {
        const { stringColumn } = await import('../../table/table.ts');
        if (!data.table.columns[o.group])
          throw new UserError(`${o.features}: no column '${o.group}' for --group`, 2);
        const g = stringColumn(data.table, o.group);
        Object.assign(options, { groups: Array.from(data.rows, (r) => g[r]!) });
      }
      let cv: Awaited<ReturnType<typeof crossValidate>>;
      try {
        cv = await crossValidate(data.features, data.labels, options);
      } catch (error) {
        throw new UserError((error as Error).message, 2, { cause: error });
      }
      const width = Math.max(9, ...cv.classes.map((c) => c.length)) + 1;
      console.log(
        `${o.group ? `leave-one-${o.group}-out` : `${options.folds}-fold`} accuracy ${cv.accuracy.toFixed(4)} on ${data.labels.length} rows`,
      );
      console.log('confusion matrix (rows: true class, columns: predicted)');
      console.log(`${''.padEnd(width)}${cv.classes.map((c) => c.padStart(width)).join('')}`);
      cv.classes.forEach((c, t) => {
        console.log(`${c.padEnd(width)}${cv.confusion[t]!.map((v) => String(v).padStart(width)).join('')}`);
      });
      if (o.out) {
        const { writeTable } = await import('../../table/index.ts');
        const { tableFromColumns } = await import('../../table/table.ts');
        await writeTable(
          o.out,
          tableFromColumns({
            row: Float64Array.from(data.rows),
            label: data.labels,
            predicted: cv.predicted,
          }),
        );
        console.log(`wrote ${o.out}`);
      }
    },
  );

  classify
    .command('suggest')
    .description('active learning: propose the rows the model is least sure about, to label next')
    .requiredOption('--model <model>', 'model file written by classify train')
    .requiredOption('--features <table>', 'feature table (.csv or .parquet)')
    .option('--n <n>', 'how many rows to propose', '20')
    .option('--strategy <s>', 'uncertainty: margin, entropy or least-confident', 'margin')
    .option('--label <column>', 'only propose rows whose label in this column is empty')
    .option('--out <table>', 'write the proposals (row, score, predicted, metadata columns) to a table')
    .action(
      async (o: {
        model: string;
        features: string;
        n: string;
        strategy: string;
        label?: string;
        out?: string;
      }) => {
        const { readForest } = await import('../../learn/modelJson.ts');
        const { featuresFromTable, finiteRows, isMetadataName } = await import('../../learn/featureTable.ts');
        const { predictProba, argmaxRows } = await import('../../learn/randomForest.ts');
        const { uncertaintySampling } = await import('../../learn/uncertaintySampling.ts');
        const { stringColumn, tableFromColumns, isNumeric } = await import('../../table/table.ts');
        const forest = await readForest(o.model);
        const table = await loadTable(o.features);
        let features: ReturnType<typeof featuresFromTable>;
        try {
          features = featuresFromTable(table, forest.featureNames, o.features);
        } catch (error) {
          throw new UserError((error as Error).message, 2, { cause: error });
        }
        let candidates = finiteRows(features).rows;
        if (o.label) {
          if (!table.columns[o.label]) throw new UserError(`${o.features}: no label column '${o.label}'`, 2);
          const labels = stringColumn(table, o.label);
          candidates = candidates.filter((r) => labels[r] === '');
        }
        const strategy = choice(o.strategy, '--strategy', ['margin', 'entropy', 'least-confident']);
        const proba = predictProba(forest, features);
        const best = argmaxRows(proba, forest.classes.length);
        const picks = uncertaintySampling(proba, forest.classes.length, {
          n: optionalInteger(o.n, '--n')!,
          strategy,
          candidates,
        });
        const meta = table.names
          .filter((n) => !isNumeric(table.columns[n]!) || isMetadataName(n))
          .filter((n) => n !== o.label);
        const columns: Record<string, Float64Array | string[]> = {
          row: Float64Array.from(picks, (s) => s.row),
          score: Float64Array.from(picks, (s) => s.score),
          predicted: picks.map((s) => forest.classes[best[s.row]!]!),
        };
        for (const name of meta) {
          const c = stringColumn(table, name);
          columns[name] = picks.map((s) => c[s.row]!);
        }
        const result = tableFromColumns(columns);
        if (o.out) {
          const { writeTable } = await import('../../table/index.ts');
          await writeTable(o.out, result);
          console.log(`proposed ${picks.length} row(s); wrote ${o.out}`);
        } else {
          console.log(['row', 'score', 'predicted', ...meta].join('\t'));
          picks.forEach((s, j) => {
            console.log(
              [
                s.row,
                s.score.toFixed(4),
                columns.predicted![j],
                ...meta.map((m) => (columns[m] as string[])[j]),
              ].join('\t'),
            );
          });
        }
      },
    );
}
