// Test support: a small simulated 96-well run (wells.csv + platemap.csv text) for the report tests.

/** A small 96-well plate: DMSO in column 1, positive control in column 12, two 8-point compounds on rows A-D. */
export function smallRun(): { wells: string; platemap: string } {
  const wells = ['plate,well,area,intensity'];
  const map = ['well,compound,concentration,unit,role'];
  let seed = 7;
  const noise = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31 - 0.5;
  };
  for (const row of 'ABCD') {
    for (let c = 1; c <= 12; c++) {
      const well = `${row}${String(c).padStart(2, '0')}`;
      let compound = row < 'C' ? 'cpd-a' : 'cpd-b';
      let role = 'treatment';
      let conc = 10 ** (-3 + (c - 2) * 0.5);
      if (c === 1) [compound, role, conc] = ['DMSO', 'negative_control', Number.NaN];
      if (c === 12) [compound, role, conc] = ['PC', 'positive_control', 10];
      const ic50 = compound === 'cpd-a' ? -1 : 0;
      const lx = Math.log10(conc);
      const effect =
        role === 'positive_control' ? 1 : Number.isNaN(conc) ? 0 : 1 / (1 + 10 ** ((ic50 - lx) * 1.2));
      wells.push(
        `P1,${well},${(200 + 150 * effect + 8 * noise()).toFixed(3)},${(1000 - 400 * effect + 30 * noise()).toFixed(2)}`,
      );
      map.push(`${well},${compound},${Number.isNaN(conc) ? '' : conc},uM,${role}`);
    }
  }
  return { wells: wells.join('\n'), platemap: map.join('\n') };
}
