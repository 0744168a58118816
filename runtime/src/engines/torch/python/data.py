"""The spec's data pipeline on torch: the splits, batches, target encoding and augmentations.

The splits in data.bin are the ones the TensorFlow.js engine trains on: RegNet's loader
already read the source, shuffled it and held out validation, took the subset, applied
label_noise (round(f*N) training labels redrawn uniformly) and normalize (statistics of the
training split), so both engines see the same examples (config.json's "data" says which of
these were applied). Here: the per-epoch order, batches, (smoothed) one-hot targets and the
augment { } block, with fresh randomness from a generator seeded per epoch.
"""
import math

import torch
import torch.nn.functional as F

from model import to_channels_first
from tensors import read_tensors


class Split:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return self.x.shape[0]


def load_splits(path, device):
    """{'train': Split, 'validation'?: Split, 'test'?: Split}; inputs channels-first."""
    t = read_tensors(path)
    splits = {}
    for name in ('train', 'validation', 'test'):
        if name + '_x' in t:
            x = t[name + '_x']
            x = to_channels_first(x).contiguous() if x.dtype == torch.float32 else x.long()
            y = t[name + '_y']
            splits[name] = Split(x.to(device), (y.long() if y.dtype == torch.int32 else y).to(device))
    return splits


def encode_targets(y, out_units, classes, loss, smoothing):
    """Class indices -> (smoothed) one-hot rows, or a [b, 1] column for a one-unit binary output;
    regression targets reshaped to the output's shape."""
    if classes == 0:
        return y.float().reshape(y.shape[0], -1)
    if out_units == 1:
        target = y.float().reshape(-1, 1)
    else:
        target = F.one_hot(y.reshape(-1), out_units).float()
    return smooth(target, loss, smoothing)


def smooth(target, loss, eps):
    if eps == 0 or loss == 'mse':
        return target
    spread = eps / target.shape[-1] if loss == 'crossentropy' else eps / 2
    return target * (1 - eps) + spread


# --- augmentations (on channels-first image batches [b, c, h, w]) --------------------------

def chosen(b, p, g, device):
    return (torch.rand(b, generator=g) < p).to(device)


def uniform(b, lo, hi, g):
    return torch.rand(b, generator=g) * (hi - lo) + lo


def affine(x, theta):
    """Samples each image through its 2x3 map (output -> source, normalized coordinates),
    bilinearly, zeros outside."""
    grid = F.affine_grid(theta.to(x.device, x.dtype), list(x.shape), align_corners=True)
    return F.grid_sample(x, grid, mode='bilinear', padding_mode='zeros', align_corners=True)


def shift(x, dy, dx):
    """Each image moved by whole pixels (dy[i], dx[i]), zeros where it leaves the frame."""
    b, _, h, w = x.shape
    out = torch.zeros_like(x)
    for i in range(b):
        sy, sx = int(dy[i]), int(dx[i])
        ys, yd = (slice(0, h - sy), slice(sy, h)) if sy >= 0 else (slice(-sy, h), slice(0, h + sy))
        xs, xd = (slice(0, w - sx), slice(sx, w)) if sx >= 0 else (slice(-sx, w), slice(0, w + sx))
        out[i, :, yd, xd] = x[i, :, ys, xs]
    return out


def augment_step(call, x, y, g):
    a, kind = call['args'], call['kind']
    p = float(a.get('p', 1))
    b = x.shape[0]
    if b == 0:
        return x, y
    pick = chosen(b, p, g, x.device)
    where = pick.view(-1, *([1] * (x.dim() - 1)))
    if kind == 'flip':
        mode = next((v for v in a.values() if v in ('horizontal', 'vertical', 'both')), 'horizontal')
        if mode in ('horizontal', 'both'):
            x = torch.where(where, x.flip(-1), x)
        if mode in ('vertical', 'both'):
            second = chosen(b, p, g, x.device).view_as(where) if mode == 'both' else where
            x = torch.where(second, x.flip(-2), x)
        return x, y
    if kind == 'crop':
        _, _, h, w = x.shape
        size = a.get('size', [h, w])
        ch, cw = (size, size) if isinstance(size, (int, float)) else size
        ch, cw, pad = int(ch), int(cw), int(a.get('padding', 0))
        tops = torch.randint(0, h + 2 * pad - ch + 1, (b,), generator=g)
        lefts = torch.randint(0, w + 2 * pad - cw + 1, (b,), generator=g)
        padded = F.pad(x, [pad, pad, pad, pad])
        windows = torch.stack([padded[i, :, tops[i]:tops[i] + ch, lefts[i]:lefts[i] + cw] for i in range(b)])
        if (ch, cw) != (h, w):
            windows = F.interpolate(windows, size=(h, w), mode='bilinear', align_corners=False)
        return torch.where(where, windows, x), y
    if kind == 'translate':
        n = int(math.floor(float(a['pixels'])))
        dy = torch.randint(-n, n + 1, (b,), generator=g)
        dx = torch.randint(-n, n + 1, (b,), generator=g)
        return torch.where(where, shift(x, dy, dx), x), y
    if kind == 'rotate':
        t = uniform(b, -float(a['degrees']), float(a['degrees']), g) * math.pi / 180
        cos, sin = torch.cos(t), torch.sin(t)
        theta = torch.stack([torch.stack([cos, -sin, torch.zeros(b)], 1), torch.stack([sin, cos, torch.zeros(b)], 1)], 1)
        return torch.where(where, affine(x, theta), x), y
    if kind == 'zoom':
        r = float(a['range'])
        s = uniform(b, 1 - r, 1 + r, g)
        zero = torch.zeros(b)
        theta = torch.stack([torch.stack([1 / s, zero, zero], 1), torch.stack([zero, 1 / s, zero], 1)], 1)
        return torch.where(where, affine(x, theta), x), y
    if kind == 'brightness':
        d = float(a['delta'])
        v = uniform(b, -d, d, g).to(x.device).view_as(where.float())
        return torch.where(where, x + v, x), y
    if kind == 'contrast':
        d = float(a['delta'])
        f = uniform(b, max(0.0, 1 - d), 1 + d, g).to(x.device).view(-1, 1, 1, 1)
        mean = x.mean((2, 3), keepdim=True)
        return torch.where(where, (x - mean) * f + mean, x), y
    if kind == 'cutout':
        _, _, h, w = x.shape
        size, count = int(a['size']), int(a.get('count', 1))
        sh, sw = min(size, h), min(size, w)
        x = x.clone()
        for _ in range(count):
            tops = torch.randint(0, h - sh + 1, (b,), generator=g)
            lefts = torch.randint(0, w - sw + 1, (b,), generator=g)
            for i in torch.nonzero(pick).flatten().tolist():
                x[i, :, tops[i]:tops[i] + sh, lefts[i]:lefts[i] + sw] = 0
        return x, y
    if kind == 'noise':
        z = torch.randn(x.shape, generator=g).to(x.device)
        return torch.where(where, x + float(a['std']) * z, x), y
    if kind == 'mixup':
        alpha = float(a['alpha'])
        partner = torch.randperm(b, generator=g).to(x.device)
        lam = torch.distributions.Beta(alpha, alpha).sample((b,)).to(x.device)
        lam = torch.where(pick, lam, torch.ones_like(lam))
        lx = lam.view(-1, *([1] * (x.dim() - 1)))
        ly = lam.view(-1, *([1] * (y.dim() - 1)))
        return lx * x + (1 - lx) * x[partner], ly * y + (1 - ly) * y[partner]
    raise ValueError(f"the torch engine has no augmentation {kind!r}")


def augment(calls, x, y, g):
    for call in calls:
        x, y = augment_step(call, x, y, g)
    return x, y
