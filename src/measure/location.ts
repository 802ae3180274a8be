// Object centres as CellProfiler's Identify modules record them (Location_Center_X/Y/Z: centrosome
// centers_of_labels, the mean pixel coordinate) and the object number column (Number_Object_Number).
import type { LabelImage } from '../image/image.ts';
import { indexObjects, type ObjectIndex } from './objects.ts';
import type { FeatureSet, FeatureSpec } from './types.ts';

/** Location_Center_X, Location_Center_Y, Location_Center_Z (0 in 2-D) and Number_Object_Number. */
export function locationSchema(): FeatureSpec[] {
  return [
    { name: 'Location_Center_X', type: 'float', unit: 'px', description: 'mean x of the object pixels' },
    { name: 'Location_Center_Y', type: 'float', unit: 'px', description: 'mean y of the object pixels' },
    { name: 'Location_Center_Z', type: 'float', unit: 'px', description: 'z of the object (0 in 2-D)' },
    {
      name: 'Number_Object_Number',
      type: 'integer',
      unit: '',
      description: 'the object number (label value)',
    },
  ];
}

/** Centre and number of every object of a label image. */
export function measureLocation(labels: LabelImage, index: ObjectIndex = indexObjects(labels)): FeatureSet {
  if (index.width !== labels.width || index.height !== labels.height) {
    throw new RangeError('measureLocation: the object index was built for a different label image');
  }
  const count = index.count;
  const cx = new Float64Array(count);
  const cy = new Float64Array(count);
  const { width } = index;
  for (let k = 0; k < count; k++) {
    let sx = 0;
    let sy = 0;
    const start = index.offsets[k]!;
    const end = index.offsets[k + 1]!;
    for (let q = start; q < end; q++) {
      const p = index.pixels[q]!;
      const y = Math.floor(p / width);
      sx += p - y * width;
      sy += y;
    }
    cx[k] = sx / (end - start);
    cy[k] = sy / (end - start);
  }
  const [sx, sy, sz, num] = locationSchema();
  return {
    objectNumbers: index.labels,
    features: [
      { spec: sx!, values: cx },
      { spec: sy!, values: cy },
      { spec: sz!, values: new Float64Array(count) },
      { spec: num!, values: Float64Array.from(index.labels) },
    ],
  };
}
