#!/usr/bin/python3
"""PyTorch's side of runtime/bench/training.bench.ts: training epochs of the same networks as the
benchmark's specs (bench/mlp.regnet, convnet.regnet, lstm.regnet, cifar.regnet), written by hand
in PyTorch, on the same examples, batch size and optimizer, for a side-by-side ratio.

Run by the benchmark with Debian's /usr/bin/python3 (python3-torch); not needed by tests:

    /usr/bin/python3 runtime/bench/torch_epoch.py --model mlp --data /tmp/x.f32 --labels /tmp/y.i32 \
        --n 6000 --batch 128 --threads 2 --epochs 1 --warmup-steps 5 [--max-seconds 20]

The data files are raw little-endian examples as the runtime loaded them: float32 images
[n, h, w, c] (NHWC, permuted here to NCHW) or int32 token ids [n, length] for the LSTM, and int32
labels [n]. The loop is a plain PyTorch epoch: a shuffled
permutation, per batch forward + cross-entropy + backward + Adam step, loss and accuracy summed on
the device and read once at the end of the epoch (as our loop's numbers are). Prints one JSON line.
"""
import argparse
import json
import resource
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def mlp():
    # flatten, dense(256, relu), dropout(0.2), dense(10)
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 10))


def convnet():
    # conv2d(16, 3x3, same), batchnorm, relu, maxpool(2), flatten, dense(10)
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(16 * 14 * 14, 10),
    )


class LstmText(nn.Module):
    # embedding(5000, 64), lstm(64) (last h), dense(2)
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(5000, 64)
        self.lstm = nn.LSTM(64, 64, batch_first=True)
        self.dense = nn.Linear(64, 2)

    def forward(self, x):
        _, (h, _) = self.lstm(self.embedding(x))
        return self.dense(h[-1])


def cifar():
    def block(cin, cout):
        return [nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU()]
    # two conv 3x3x32 + bn + relu, maxpool, two conv 3x3x64 + bn + relu, maxpool, dropout, dense 10
    return nn.Sequential(
        *block(3, 32), *block(32, 32), nn.MaxPool2d(2),
        *block(32, 64), *block(64, 64), nn.MaxPool2d(2),
        nn.Dropout(0.25), nn.Flatten(), nn.Linear(64 * 8 * 8, 10),
    )


MODELS = {'mlp': mlp, 'convnet': convnet, 'lstm': LstmText, 'cifar': cifar}


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--model', choices=sorted(MODELS), required=True)
    p.add_argument('--shape', required=True, help='one example, comma-separated: 28,28,1 (NHWC) or 100 (tokens)')
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
    shape = [int(d) for d in a.shape.split(',')]
    if a.model == 'lstm':
        x = torch.from_numpy(np.fromfile(a.data, dtype='<i4').astype(np.int64).reshape(a.n, *shape))
    else:
        x = torch.from_numpy(np.fromfile(a.data, dtype='<f4').reshape(a.n, *shape)).permute(0, 3, 1, 2).contiguous()
    y = torch.from_numpy(np.fromfile(a.labels, dtype='<i4').astype(np.int64))
    model = MODELS[a.model]()
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
        'peak_rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        'torch': torch.__version__,
        'threads': torch.get_num_threads(),
        'epochs': epochs,
    }))


if __name__ == '__main__':
    main()
