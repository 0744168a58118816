#!/usr/bin/python3
"""PyTorch's side of runtime/bench/training.bench.ts: training epochs of the same MNIST MLP
and small convnet, on the same digits, batch size and optimizer, for a side-by-side ratio.

Run by the benchmark with Debian's /usr/bin/python3 (python3-torch); not needed by tests:

    /usr/bin/python3 runtime/bench/torch_epoch.py --model mlp --data /tmp/x.f32 --labels /tmp/y.i32 \
        --n 7996 --batch 64 --threads 2 --epochs 1 --warmup-steps 10 [--max-seconds 20]

The data files are raw little-endian float32 images [n, 28, 28] and int32 labels [n], written by the
benchmark from the runtime's own MNIST loader. The loop is a plain PyTorch epoch: a shuffled
permutation, per batch forward + cross-entropy + backward + Adam step, loss and accuracy summed on
the device and read once at the end of the epoch (as our loop's numbers are). Prints one JSON line.
"""
import argparse
import json
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))


def convnet():
    # conv2d(32, 3x3, same) relu maxpool(2) conv2d(64, 3x3, same) relu maxpool(2) flatten dense(10)
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 10),
    )


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--model', choices=['mlp', 'convnet'], required=True)
    p.add_argument('--data', required=True)
    p.add_argument('--labels', required=True)
    p.add_argument('--n', type=int, required=True)
    p.add_argument('--batch', type=int, default=64)
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--epochs', type=int, default=1, help='timed epochs (each reported)')
    p.add_argument('--warmup-steps', type=int, default=10)
    p.add_argument('--lr', type=float, default=0.001)
    p.add_argument('--max-seconds', type=float, default=float('inf'),
                   help='stop an epoch after this long (the caller extrapolates from the steps run)')
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    x = torch.from_numpy(np.fromfile(a.data, dtype='<f4').reshape(a.n, 1, 28, 28).copy())
    y = torch.from_numpy(np.fromfile(a.labels, dtype='<i4').astype(np.int64))
    model = mlp() if a.model == 'mlp' else convnet()
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)

    def step(xb, yb, sums):
        opt.zero_grad(set_to_none=True)
        out = model(xb)
        loss = F.cross_entropy(out, yb)
        loss.backward()
        opt.step()
        with torch.no_grad():
            sums[0] += loss.detach() * len(yb)
            sums[1] += (out.argmax(1) == yb).sum()

    model.train()
    warm = torch.zeros(2)
    for s in range(a.warmup_steps):
        i = torch.randint(0, a.n, (a.batch,))
        step(x[i], y[i], warm)

    epochs = []
    for _ in range(a.epochs):
        start = time.perf_counter()
        cpu_start = time.process_time()
        order = torch.randperm(a.n)
        sums = torch.zeros(2)
        steps = 0
        for s in range(0, a.n, a.batch):
            i = order[s:s + a.batch]
            step(x[i], y[i], sums)
            steps += 1
            if time.perf_counter() - start > a.max_seconds:
                break
        loss, correct = sums.tolist()
        seconds = time.perf_counter() - start
        cpu_seconds = time.process_time() - cpu_start
        seen = min(a.n, steps * a.batch)
        epochs.append({'seconds': seconds, 'cpu_seconds': cpu_seconds, 'steps': steps, 'loss': loss / seen, 'accuracy': correct / seen})
    print(json.dumps({
        'model': a.model,
        'torch': torch.__version__,
        'threads': torch.get_num_threads(),
        'epochs': epochs,
    }))


if __name__ == '__main__':
    main()
