// Length units of pixel sizes, as the writers turn them into resolution fields (TIFF, PNG pHYs).

/** Micrometres per `unit` (µm, um, micron, micrometer, nm, nanometer, mm, millimeter); undefined when unknown. */
export function unitMicrons(unit: string): number | undefined {
  switch (unit) {
    case 'µm':
    case 'um':
    case 'micron':
    case 'micrometer':
      return 1;
    case 'nm':
    case 'nanometer':
      return 1e-3;
    case 'mm':
    case 'millimeter':
      return 1e3;
    default:
      return undefined;
  }
}
