// Worker thread entry of `trainRandomForest`: receives the shared binned features and grows the trees it is
// given, posting each back (typed arrays transferred, not copied).
import { parentPort } from 'node:worker_threads';
import { type ForestTreeJob, growForestTree } from './growForestTree.ts';

export interface WorkerRequest {
  job: ForestTreeJob;
  indices: number[];
}

const port = parentPort;
if (port) {
  port.on('message', (request: WorkerRequest) => {
    try {
      for (const index of request.indices) {
        const tree = growForestTree(request.job, index);
        const buffers = [
          tree.feature,
          tree.threshold,
          tree.left,
          tree.right,
          tree.value,
          tree.cover,
          tree.impurity,
        ];
        port.postMessage(
          { index, tree },
          buffers.map((b) => b.buffer as ArrayBuffer),
        );
      }
      port.postMessage({ done: true });
    } catch (error) {
      port.postMessage({ error: error instanceof Error ? error.message : String(error) });
    }
  });
}
