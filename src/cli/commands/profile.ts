// `phenoscope profile <step>`: profiling over tables — aggregate objects to wells, normalise per plate, select
// features, compute similarity matrices, and score MoA retrieval (NSC 1-NN accuracy and mAP).
import type { Command } from 'commander';
import type { MoaRetrievalOptions } from '../../profile/moaRetrieval.ts';
import { UserError } from '../errors.ts';

const list = (v: string | undefined) =>
  v
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

async function load(path: string) {
  const { readTable } = await import('../../table/index.ts');
  try {
    return await readTable(path);
  } catch (error) {
    throw new UserError(`cannot read ${path}`, 1, { cause: error });
  }
}

function wrap<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw new UserError(error instanceof Error ? error.message : String(error), 1, { cause: error });
  }
}

export function register(program: Command): void {
  const profile = program
    .command('profile')
    .description('profiling over tables: aggregate, normalize, select, similarity, map (MoA retrieval)');

  profile
    .command('aggregate')
    .description('aggregate per-object rows to one row per group (e.g. plate and well)')
    .argument('<objects>', 'per-object table (.csv/.parquet)')
    .requiredOption('-o, --out <table>', 'output table')
    .option('--by <columns>', 'comma-separated key columns', 'Metadata_Plate,Metadata_Well')
    .option('--features <list>', 'comma-separated features (default: numeric columns not prefixed Metadata_)')
    .option('--stats <list>', 'statistics: any of mean,median,std', 'median')
    .option(
      '--positive <column=value|column>threshold>',
      'gate for a fraction-positive column, e.g. Class=mitotic or Area>300',
    )
    .action(
      async (
        path: string,
        o: { out: string; by: string; features?: string; stats: string; positive?: string },
      ) => {
        const { aggregate } = await import('../../profile/aggregate.ts');
        const { writeTable } = await import('../../table/index.ts');
        const stats = list(o.stats)!;
        for (const s of stats) {
          if (!['mean', 'median', 'std'].includes(s))
            throw new UserError(`--stats: unknown statistic '${s}'`, 2);
        }
        const gates: import('../../profile/aggregate.ts').Gate[] = [];
        if (o.positive) {
          const m = /^([^=>]+)(=|>)(.+)$/.exec(o.positive);
          if (!m)
            throw new UserError(`--positive: expected column=value or column>number, got '${o.positive}'`, 2);
          if (m[2] === '>') {
            const v = Number(m[3]);
            if (!Number.isFinite(v)) throw new UserError(`--positive: '${m[3]}' is not a number`, 2);
            gates.push({ column: m[1]!, above: v });
          } else gates.push({ column: m[1]!, equals: m[3]! });
        }
        const table = await load(path);
        const out = wrap(() =>
          aggregate(table, {
            groupBy: list(o.by)!,
            features: list(o.features),
            statistics: stats as ('mean' | 'median' | 'std')[],
            gates,
          }),
        );
        await writeTable(o.out, out);
        console.log(`aggregated ${table.rows} rows to ${out.rows} groups; wrote ${o.out}`);
      },
    );

  profile
    .command('normalize')
    .description('normalise features per plate to negative controls or all wells')
    .argument('<wells>', 'well-profile table')
    .requiredOption('-o, --out <table>', 'output table')
    .option('--method <m>', 'robustize | standardize | percent_of_control', 'robustize')
    .option('--plate-col <columns>', 'comma-separated plate key columns', 'Metadata_Plate')
    .option('--control-col <column>', 'column identifying controls (omit to normalise to all wells)')
    .option('--control-value <value>', 'value of --control-col marking negative controls', 'DMSO')
    .option('--features <list>', 'comma-separated features (default: numeric columns not prefixed Metadata_)')
    .action(
      async (
        path: string,
        o: {
          out: string;
          method: string;
          plateCol: string;
          controlCol?: string;
          controlValue: string;
          features?: string;
        },
      ) => {
        const { normalize } = await import('../../profile/normalize.ts');
        const { writeTable } = await import('../../table/index.ts');
        const { stringColumn } = await import('../../table/table.ts');
        if (!['robustize', 'standardize', 'percent_of_control'].includes(o.method)) {
          throw new UserError(
            `--method: expected robustize, standardize or percent_of_control, got '${o.method}'`,
            2,
          );
        }
        const table = await load(path);
        const controls = o.controlCol ? wrap(() => stringColumn(table, o.controlCol!)) : undefined;
        const out = wrap(() =>
          normalize(table, {
            method: o.method as 'robustize',
            plateColumns: list(o.plateCol),
            reference: controls ? (r) => controls[r] === o.controlValue : undefined,
            features: list(o.features),
          }),
        );
        await writeTable(o.out, out);
        console.log(`normalised ${out.rows} rows (${o.method}); wrote ${o.out}`);
      },
    );

  profile
    .command('select')
    .description(
      "feature selection as pycytominer: 'na', 'frequency', 'variance', 'correlation', 'blocklist'",
    )
    .argument('<wells>', 'well-profile table')
    .requiredOption('-o, --out <table>', 'output table with the kept features (and all Metadata_ columns)')
    .option('--ops <list>', 'operations in order', 'frequency,correlation')
    .option('--corr <r>', 'correlation threshold', '0.9')
    .option('--freq-cut <v>', 'frequency cut', '0.05')
    .option('--unique-cut <v>', 'unique cut', '0.01')
    .option('--blocklist <file>', 'text file with one blocked feature per line')
    .action(
      async (
        path: string,
        o: { out: string; ops: string; corr: string; freqCut: string; uniqueCut: string; blocklist?: string },
      ) => {
        const { featureSelect } = await import('../../profile/featureSelect.ts');
        const { inferFeatures } = await import('../../profile/matrix.ts');
        const { writeTable } = await import('../../table/index.ts');
        const { tableFromColumns } = await import('../../table/table.ts');
        const { readFile } = await import('node:fs/promises');
        const ops = list(o.ops)!;
        for (const op of ops) {
          if (!['na', 'frequency', 'variance', 'correlation', 'blocklist'].includes(op)) {
            throw new UserError(`--ops: unknown operation '${op}'`, 2);
          }
        }
        const blocked = o.blocklist
          ? (await readFile(o.blocklist, 'utf8')).split(/\r?\n/).map((s) => s.trim())
          : [];
        const table = await load(path);
        const features = inferFeatures(table);
        const { kept, excluded } = wrap(() =>
          featureSelect(table, features, {
            operations: ops as 'frequency'[],
            correlation: Number(o.corr),
            freqCut: Number(o.freqCut),
            uniqueCut: Number(o.uniqueCut),
            blocked,
          }),
        );
        const keep = table.names.filter((n) => !features.includes(n) || kept.includes(n));
        await writeTable(
          o.out,
          tableFromColumns(Object.fromEntries(keep.map((n) => [n, table.columns[n]!])), keep),
        );
        for (const [op, drop] of Object.entries(excluded)) console.log(`${op}: excluded ${drop.length}`);
        console.log(`kept ${kept.length} of ${features.length} features; wrote ${o.out}`);
      },
    );

  profile
    .command('similarity')
    .description('similarity matrix of rows (or of consensus profiles per group)')
    .argument('<profiles>', 'profile table')
    .requiredOption('-o, --out <table>', 'output matrix table (id column + one column per row)')
    .option('--metric <m>', 'cosine | pearson', 'cosine')
    .option(
      '--id <columns>',
      'comma-separated columns naming a row/group',
      'Metadata_Compound,Metadata_Concentration',
    )
    .option('--consensus <op>', 'median | mean over rows sharing --id; none for every row', 'median')
    .action(async (path: string, o: { out: string; metric: string; id: string; consensus: string }) => {
      const { similarityMatrix } = await import('../../profile/similarity.ts');
      const { consensus } = await import('../../profile/consensus.ts');
      const { featureRows, inferFeatures, groupKeys } = await import('../../profile/matrix.ts');
      const { writeTable } = await import('../../table/index.ts');
      const { tableFromColumns } = await import('../../table/table.ts');
      if (o.metric !== 'cosine' && o.metric !== 'pearson')
        throw new UserError(`--metric: got '${o.metric}'`, 2);
      const table = await load(path);
      const ids = list(o.id)!;
      const features = inferFeatures(table, ids);
      const source =
        o.consensus === 'none'
          ? table
          : wrap(() => consensus(table, { groupBy: ids, features, operation: o.consensus as 'median' }));
      const labels = wrap(() => groupKeys(source, ids)).map((k) => k.replaceAll('\u0000', ' @ '));
      const sim = similarityMatrix(featureRows(source, features), o.metric);
      const n = labels.length;
      const columns: Record<string, Float64Array | string[]> = { id: labels };
      labels.forEach((l, j) => {
        columns[l] = Float64Array.from({ length: n }, (_, i) => sim[i * n + j]!);
      });
      await writeTable(o.out, tableFromColumns(columns, ['id', ...labels]));
      console.log(`${n}×${n} ${o.metric} similarity; wrote ${o.out}`);
    });

  profile
    .command('map')
    .description(
      'MoA retrieval: treatment-level not-same-compound 1-NN accuracy and mAP (copairs definition)',
    )
    .argument('<wells>', 'well-profile table with compound, concentration and MoA columns')
    .option('--compound-col <c>', 'compound column', 'Metadata_Compound')
    .option('--conc-col <c>', 'concentration column', 'Metadata_Concentration')
    .option('--moa-col <c>', 'MoA column', 'Metadata_moa')
    .option(
      '--control <value>',
      'compound value of negative-control wells (left out; sphering reference)',
      'DMSO',
    )
    // Defaults: DEFAULT_PROFILE_METHOD of src/profile/profileCandidates.ts, the label-free choice on BBBC021.
    .option('--sphere <method>', 'none | ZCA | PCA | ZCA-cor | PCA-cor', 'ZCA')
    .option('--shrinkage <s>', 'covariance for sphering: ledoit-wolf | none', 'none')
    .option('--consensus <op>', 'mean | median over replicate wells', 'mean')
    .option('--metric <m>', 'cosine | pearson', 'cosine')
    .option(
      '--auto-method',
      'choose sphering, shrinkage, consensus and metric among the pre-registered candidates by replicate mAP ' +
        'against the controls (no MoA labels); overrides those four options',
    )
    .option('--out <table>', 'write per-MoA results to this table')
    .action(
      async (
        path: string,
        o: {
          compoundCol: string;
          concCol: string;
          moaCol: string;
          control: string;
          sphere: string;
          shrinkage: string;
          consensus: string;
          metric: string;
          autoMethod?: boolean;
          out?: string;
        },
      ) => {
        const { moaRetrieval } = await import('../../profile/moaRetrieval.ts');
        const { writeTable } = await import('../../table/index.ts');
        const { stringColumn, tableFromColumns } = await import('../../table/table.ts');
        if (!['none', 'ZCA', 'PCA', 'ZCA-cor', 'PCA-cor'].includes(o.sphere)) {
          throw new UserError(`--sphere: got '${o.sphere}'`, 2);
        }
        if (o.shrinkage !== 'ledoit-wolf' && o.shrinkage !== 'none')
          throw new UserError(`--shrinkage: got '${o.shrinkage}'`, 2);
        if (o.consensus !== 'mean' && o.consensus !== 'median')
          throw new UserError(`--consensus: got '${o.consensus}'`, 2);
        if (o.metric !== 'cosine' && o.metric !== 'pearson')
          throw new UserError(`--metric: got '${o.metric}'`, 2);
        const table = await load(path);
        const compounds = wrap(() => stringColumn(table, o.compoundCol));
        const isControl = (r: number) => compounds[r] === o.control;
        let method: Pick<MoaRetrievalOptions, 'sphere' | 'consensus' | 'metric'> = {
          sphere:
            o.sphere === 'none' ? false : { method: o.sphere as 'ZCA', shrinkage: o.shrinkage as 'none' },
          consensus: o.consensus as 'mean',
          metric: o.metric as 'cosine',
        };
        if (o.autoMethod) {
          const { PROFILE_METHODS, profileCandidates } = await import('../../profile/profileCandidates.ts');
          const { selectProfileMethod } = await import('../../profile/selectProfileMethod.ts');
          const { inferFeatures } = await import('../../profile/matrix.ts');
          const choice = wrap(() =>
            selectProfileMethod(profileCandidates(table, isControl, inferFeatures(table)), {
              isControl,
              groupBy: [o.compoundCol, o.concCol],
            }),
          );
          console.log('replicate mAP against the controls (label-free; rank 1 is used):');
          for (const c of choice.scores)
            console.log(`  ${c.rank.toString().padStart(2)}  ${c.score.toFixed(4)}  ${c.name}`);
          const chosen = PROFILE_METHODS[choice.index]!;
          method = { sphere: chosen.sphere, consensus: chosen.consensus, metric: chosen.metric };
          console.log(`method: ${chosen.name}`);
        }
        const result = wrap(() =>
          moaRetrieval(table, {
            compoundColumn: o.compoundCol,
            concentrationColumn: o.concCol,
            moaColumn: o.moaCol,
            isControl,
            features: undefined,
            ...method,
          }),
        );
        console.log(`treatments: ${result.treatments}`);
        console.log(`NSC 1-NN accuracy: ${result.nscAccuracy.toFixed(4)}`);
        console.log(
          `mAP (queries): ${result.map.toFixed(4)}  mAP (mean over MoAs): ${result.mapMacro.toFixed(4)}`,
        );
        for (const m of result.perMoa) {
          console.log(
            `  ${m.moa}: mAP ${m.map.toFixed(3)}, NSC ${m.nsc.toFixed(3)}, ${m.queries} treatment(s)`,
          );
        }
        if (o.out) {
          await writeTable(
            o.out,
            tableFromColumns({
              moa: result.perMoa.map((m) => m.moa),
              treatments: Float64Array.from(result.perMoa, (m) => m.queries),
              map: Float64Array.from(result.perMoa, (m) => m.map),
              nsc: Float64Array.from(result.perMoa, (m) => m.nsc),
            }),
          );
        }
      },
    );
}
