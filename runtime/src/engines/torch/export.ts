// `regnetc export --torch`: the spec as a small self-contained Python package that trains
// with nothing but python3 + torch. The Python files are static source (python/*.py, copied
// as they are); everything spec-specific travels as data the Python code reads:
//   ir.json                  the compiler's graph IR (model, data and train sections)
//   config.json              export facts (what the data already went through, file names)
//   data.json + data.bin     the splits, as RegNet's loader made them (see python/data.py)
//   initial_weights.json/.bin  the initial weights, drawn exactly as the tfjs engine draws
//                            them (seeded), in torch layout: both engines start alike
// So a shared spec never becomes code: its strings end up only inside JSON.
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GraphIR } from '@regnet/compiler';
import type { LoadedData, Split, TF } from '../../contracts.js';
import { loadData } from '../../data/load.js';
import { buildModel } from '../../model/build.js';
import { Random } from '../../random.js';
import { toTorchStateDict } from './convert-weights.js';
import { writeTensors, type NamedTensor } from './tensor-file.js';

/** Where the Python sources live (runtime/src/engines/torch/python, next to this module's source). */
export const PYTHON_SOURCES = fileURLToPath(new URL('../../../../src/engines/torch/python/', import.meta.url));

export const EXPORT_FILES = {
  ir: 'ir.json',
  config: 'config.json',
  data: 'data',
  initialWeights: 'initial_weights',
  train: 'train.py',
} as const;

export interface ExportSummary {
  dir: string;
  splits: Record<string, number>;
}

function splitTensors(name: string, split: Split): NamedTensor[] {
  const x = split.x.dataSync() as Float32Array | Int32Array;
  const y = split.y.dataSync() as Float32Array | Int32Array;
  return [
    { name: `${name}_x`, shape: split.x.shape, values: x },
    { name: `${name}_y`, shape: split.y.shape, values: y },
  ];
}

const RUN_INSTRUCTIONS = `# RegNet export for PyTorch

Written by \`regnetc export --torch\`. Needs python3 and torch (torchvision is not needed).

    python3 train.py --out run                    # one process
    torchrun --nproc_per_node 2 --redirects 1 --tee 1 train.py --out run   # 2 processes (DDP, gloo)
    torchrun --nnodes 2 --node_rank R --master_addr HOST --master_port 29500 \\
             --nproc_per_node 1 --redirects 1 --tee 1 train.py --out run   # on each of 2 machines

\`--device cuda\` uses one GPU per process (NCCL). \`--threads N\` sets torch's threads per process.
Under DDP the spec's batch_size is per process: a step takes batch_size x processes examples.

Files: model.py (the nn.Module, built from ir.json), train.py (the training loop), data.py (batches,
targets, augmentations), tensors.py (the .json + .bin tensor files). The spec itself is only data:
ir.json and config.json. The run writes metrics.jsonl, checkpoint.pt (a restarted run resumes from
it), weights.json/.bin (final weights, torch state_dict layout) and result.json into --out.
`;

/**
 * Writes the export of `ir` into `dir`. `data` defaults to loading the spec's data as the tfjs
 * engine does (DataError when a file is bad: the caller prints it).
 */
export async function exportTorch(tf: TF, ir: GraphIR, dir: string, data?: LoadedData): Promise<ExportSummary> {
  mkdirSync(dir, { recursive: true });
  // Data files are read from the spec's own folder (the same confinement as `regnetc train`).
  const loaded = data ?? (await loadData(tf, ir.data, ir.train.seed, ir.file ? { specDir: dirname(ir.file) } : undefined));
  const model = buildModel(tf, ir, new Random(ir.train.seed));
  try {
    writeTensors(join(dir, EXPORT_FILES.initialWeights), toTorchStateDict(model, ir));
  } finally {
    model.dispose();
  }
  const tensors: NamedTensor[] = [];
  const splits: Record<string, number> = {};
  for (const name of ['train', 'validation', 'test'] as const) {
    const split = loaded[name];
    if (!split) continue;
    tensors.push(...splitTensors(name, split));
    splits[name] = split.size;
  }
  writeTensors(join(dir, EXPORT_FILES.data), tensors);
  writeFileSync(join(dir, EXPORT_FILES.ir), JSON.stringify(ir, null, 1) + '\n');
  const config = {
    format: 'regnet-torch-export',
    version: 1,
    splits,
    // The steps of the data block RegNet's loader already applied to data.bin (identically
    // for both engines); train.py does the per-epoch order, batching and augment { }.
    applied_at_export: ['read source', 'shuffle and validation split', 'subset', 'label_noise', 'text vocabulary', 'normalize'],
    label_noise: ir.data.labelNoise,
    normalize: ir.data.normalize,
  };
  writeFileSync(join(dir, EXPORT_FILES.config), JSON.stringify(config, null, 2) + '\n');
  for (const file of readdirSync(PYTHON_SOURCES)) {
    if (file.endsWith('.py')) copyFileSync(join(PYTHON_SOURCES, file), join(dir, file));
  }
  writeFileSync(join(dir, 'README.md'), RUN_INSTRUCTIONS);
  return { dir, splits };
}
