// The 4-parameter logistic (Hill) dose-response curve in GraphPad Prism's "log(agonist) vs. response -- variable
// slope" form: y = bottom + (top - bottom) / (1 + 10^((logIC50 - log10 x) * hill)). With hill < 0 the response
// falls from `top` (no drug) to `bottom` (saturating dose); with hill > 0 it rises from `bottom` to `top`.
// Ref: Motulsky & Christopoulos, "Fitting models to biological data using linear and nonlinear regression" (2004).

/** Parameters of a 4PL curve; concentrations in the unit of `ic50`. */
export interface Logistic4 {
  /** Upper plateau. */
  readonly top: number;
  /** Lower plateau. */
  readonly bottom: number;
  /** log10 of the concentration giving the half-way response. */
  readonly logIC50: number;
  /** Hill slope; negative for responses that fall with dose. */
  readonly hill: number;
}

/** The formula in words, written beside planted parameters so a reader can fit the same model. */
export const LOGISTIC4_FORMULA = 'y = bottom + (top - bottom) / (1 + 10^((logIC50 - log10(x)) * hill))';

/** Response at `concentration` (>= 0); 0 gives the no-drug plateau. */
export function logistic4(concentration: number, p: Logistic4): number {
  if (!(concentration >= 0)) throw new RangeError(`concentration must be >= 0, got ${concentration}`);
  if (p.hill === 0) return (p.top + p.bottom) / 2;
  if (concentration === 0) return p.hill > 0 ? p.bottom : p.top;
  return p.bottom + (p.top - p.bottom) / (1 + 10 ** ((p.logIC50 - Math.log10(concentration)) * p.hill));
}
