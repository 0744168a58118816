#!/usr/bin/python3
"""Test helper of runtime/test/torch-engine.test.ts: one torch process for many cases
(importing torch takes seconds). Usage:

    engine_check.py forward PYTHON_SOURCES CASE_DIR...   # prints {case: max |torch - tfjs|}
    engine_check.py train EXPORT_DIR...                  # trains each export into EXPORT_DIR/run

A forward case folder holds ir.json and tensors case.json/.bin: the torch state_dict
(`layers.*`), the input `x` and the tfjs model's output `y` (both channels-last).
"""
import json
import os
import runpy
import sys

import torch

torch.set_num_threads(1)


def forward(sources, cases):
    sys.path.insert(0, sources)
    from model import build_model, to_channels_first, to_channels_last
    from tensors import read_tensors
    out = {}
    for case in cases:
        with open(os.path.join(case, 'ir.json')) as f:
            ir = json.load(f)
        t = read_tensors(os.path.join(case, 'case'))
        model = build_model(ir)
        state = {k: v for k, v in t.items() if k.startswith('layers.')}
        missing, unexpected = model.load_state_dict(state, strict=False)
        missing = [k for k in missing if not k.endswith('num_batches_tracked')]
        model.eval()
        with torch.no_grad():
            x = t['x'] if t['x'].dtype != torch.float32 else to_channels_first(t['x'])
            y = to_channels_last(model(x))
        diff = float((y - t['y']).abs().max()) if y.shape == t['y'].shape else None
        out[os.path.basename(case)] = {'max_diff': diff, 'shape': list(y.shape), 'missing': missing, 'unexpected': unexpected}
    print(json.dumps(out))


def train(exports):
    for export in exports:
        sys.argv = ['train.py', '--out', os.path.join(export, 'run'), '--threads', '1']
        try:
            runpy.run_path(os.path.join(export, 'train.py'), run_name='__main__')
        except SystemExit as e:
            if e.code not in (0, None):
                raise


if __name__ == '__main__':
    if sys.argv[1] == 'forward':
        forward(sys.argv[2], sys.argv[3:])
    else:
        train(sys.argv[2:])
