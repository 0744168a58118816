#!/usr/bin/python3
"""Writes the PyTorch goldens that runtime/test/*.test.ts check the tfjs runtime against.

Run with Debian's python3-torch (not needed by the tests, which read the JSON):

    /usr/bin/python3 runtime/goldens/make_goldens.py

Layouts are converted to the tfjs ones here, so the tests compare directly:
images NCHW -> NHWC, dense weight [out, in] -> kernel [in, out],
conv weight [out, in, kh, kw] -> kernel [kh, kw, in, out].

Weight decay is decoupled everywhere (LANGUAGE.md §5): for the optimizers whose torch
version couples it (SGD, Adagrad, RMSprop, Adam) the decoupled form is applied by hand
before `step()` -- `p.mul_(1 - lr * wd)` -- which is exactly what torch.optim.AdamW does
internally; AdamW itself is torch.optim.AdamW. The bias sits in a second param group
with weight_decay 0, since torch decays every parameter of a group.
"""
import json
import math
import os

import torch
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_default_dtype(torch.float32)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'goldens')


def arr(t):
    return [round(float(v), 9) for v in t.detach().reshape(-1).tolist()]


def tensor(t):
    return {'shape': list(t.shape), 'values': arr(t)}


def write(name, payload):
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, name + '.json')
    with open(path, 'w') as f:
        json.dump(payload, f, separators=(',', ':'))
    print('wrote', os.path.relpath(path), os.path.getsize(path), 'bytes')


# --- optimizers ------------------------------------------------------------------------

STEPS = 5
LR_FACTORS = [1.0, 0.8, 0.5, 0.5, 0.2]  # a schedule's lr_t, so decay must use lr_t


def optimizer_case(kind, args, wd):
    g = torch.Generator().manual_seed(1)
    kernel = torch.randn(3, 4, generator=g)
    bias = torch.randn(4, generator=g)
    grads = [(torch.randn(3, 4, generator=g) * 0.5, torch.randn(4, generator=g) * 0.5) for _ in range(STEPS)]
    k = kernel.clone().requires_grad_(True)
    b = bias.clone().requires_grad_(True)
    lr = args['lr']
    if kind == 'adamw':
        opt = torch.optim.AdamW([{'params': [k], 'weight_decay': wd}, {'params': [b], 'weight_decay': 0.0}],
                                lr=lr, betas=(args['beta1'], args['beta2']), eps=args['epsilon'])
    elif kind == 'adam':
        opt = torch.optim.Adam([k, b], lr=lr, betas=(args['beta1'], args['beta2']), eps=args['epsilon'])
    elif kind == 'sgd':
        opt = torch.optim.SGD([k, b], lr=lr, momentum=args.get('momentum', 0.0), nesterov=args.get('nesterov', False))
    elif kind == 'adagrad':
        opt = torch.optim.Adagrad([k, b], lr=lr)  # initial_accumulator_value 0, eps 1e-10
    elif kind == 'rmsprop':
        opt = torch.optim.RMSprop([k, b], lr=lr, alpha=args['rho'], momentum=args.get('momentum', 0.0))
    else:
        raise ValueError(kind)
    trajectory = []
    lrs = []
    for step in range(STEPS):
        lr_t = lr * LR_FACTORS[step]
        lrs.append(lr_t)
        for group in opt.param_groups:
            group['lr'] = lr_t
        k.grad = grads[step][0].clone()
        b.grad = grads[step][1].clone()
        with torch.no_grad():
            if kind != 'adamw' and wd > 0:
                k.mul_(1 - lr_t * wd)  # decoupled decay, kernel only
        opt.step()
        trajectory.append({'kernel': arr(k), 'bias': arr(b)})
    full_args = dict(args)
    full_args['weight_decay'] = wd
    return {
        'name': f'{kind}{"_nesterov" if args.get("nesterov") else ""}{"_momentum" if args.get("momentum") else ""}_wd{wd}',
        'optimizer': {'kind': kind, 'args': full_args},
        'kernel': tensor(kernel),
        'bias': tensor(bias),
        'grads': [{'kernel': arr(gk), 'bias': arr(gb)} for gk, gb in grads],
        'lrs': lrs,
        'trajectory': trajectory,
    }


def optimizers():
    adam = {'lr': 0.01, 'beta1': 0.9, 'beta2': 0.999, 'epsilon': 1e-8}
    cases = []
    for wd in (0.0, 0.1):
        cases.append(optimizer_case('sgd', {'lr': 0.1}, wd))
        cases.append(optimizer_case('sgd', {'lr': 0.1, 'momentum': 0.9}, wd))
        cases.append(optimizer_case('sgd', {'lr': 0.1, 'momentum': 0.9, 'nesterov': True}, wd))
        cases.append(optimizer_case('adagrad', {'lr': 0.1}, wd))
        cases.append(optimizer_case('rmsprop', {'lr': 0.01, 'rho': 0.9}, wd))
        cases.append(optimizer_case('rmsprop', {'lr': 0.01, 'rho': 0.9, 'momentum': 0.5}, wd))
        cases.append(optimizer_case('adam', adam, wd))
    cases.append(optimizer_case('adamw', adam, 0.01))
    cases.append(optimizer_case('adamw', adam, 0.1))
    write('optimizers', {'steps': STEPS, 'cases': cases})


# --- gradient clipping -----------------------------------------------------------------

def clipping():
    g = torch.Generator().manual_seed(2)
    cases = []
    for max_norm, scale in ((1.0, 1.0), (10.0, 1.0), (0.5, 3.0)):
        a = (torch.randn(3, 4, generator=g) * scale).requires_grad_(True)
        b = (torch.randn(5, generator=g) * scale).requires_grad_(True)
        a.grad = a.detach().clone()
        b.grad = b.detach().clone()
        before = [tensor(a.grad), tensor(b.grad)]
        total = torch.nn.utils.clip_grad_norm_([a, b], max_norm)
        cases.append({'kind': 'norm', 'value': max_norm, 'grads': before, 'norm': float(total),
                      'clipped': [tensor(a.grad), tensor(b.grad)]})
    a = torch.randn(3, 4, generator=g).requires_grad_(True)
    a.grad = a.detach().clone()
    before = [tensor(a.grad)]
    torch.nn.utils.clip_grad_value_([a], 0.5)
    cases.append({'kind': 'value', 'value': 0.5, 'grads': before, 'norm': float(a.detach().norm()),
                  'clipped': [tensor(a.grad)]})
    write('clip', {'cases': cases})


# --- batch normalization ---------------------------------------------------------------

def batchnorm():
    """BatchNorm2d with torch momentum 0.1 == Keras momentum 0.9, eps 1e-3."""
    g = torch.Generator().manual_seed(3)
    c = 3
    bn = torch.nn.BatchNorm2d(c, eps=1e-3, momentum=0.1)
    with torch.no_grad():
        bn.weight.copy_(torch.randn(c, generator=g) * 0.5 + 1)
        bn.bias.copy_(torch.randn(c, generator=g) * 0.5)
    steps = []
    bn.train()
    for _ in range(2):
        x = torch.randn(4, c, 5, 5, generator=g) * 2 + 1
        y = bn(x)
        steps.append({
            'x': tensor(x.permute(0, 2, 3, 1)),
            'y': tensor(y.permute(0, 2, 3, 1)),
            'running_mean': arr(bn.running_mean),
            'running_var': arr(bn.running_var),  # torch: unbiased batch variance
            'batch_var_biased': arr(x.var(dim=(0, 2, 3), unbiased=False)),
        })
    bn.eval()
    x = torch.randn(2, c, 5, 5, generator=g)
    y = bn(x)
    write('batchnorm', {
        'keras_momentum': 0.9, 'epsilon': 1e-3,
        'gamma': arr(bn.weight), 'beta': arr(bn.bias),
        'train_steps': steps,
        'eval': {'x': tensor(x.permute(0, 2, 3, 1)), 'y': tensor(y.permute(0, 2, 3, 1))},
    })


# --- losses ----------------------------------------------------------------------------

def losses():
    g = torch.Generator().manual_seed(4)
    cases = []
    logits = (torch.randn(6, 4, generator=g) * 2).requires_grad_(True)
    labels = torch.tensor([0, 3, 1, 2, 3, 0])
    for eps in (0.0, 0.1, 0.3):
        logits.grad = None
        loss = F.cross_entropy(logits, labels, label_smoothing=eps)
        loss.backward()
        cases.append({'kind': 'crossentropy', 'from_logits': True, 'label_smoothing': eps,
                      'output': tensor(logits), 'labels': labels.tolist(),
                      'loss': float(loss), 'grad': tensor(logits.grad)})
    z = (torch.randn(6, 1, generator=g) * 2).requires_grad_(True)
    t = torch.tensor([[1.0], [0.0], [1.0], [1.0], [0.0], [0.0]])
    loss = F.binary_cross_entropy_with_logits(z, t)
    loss.backward()
    cases.append({'kind': 'binary_crossentropy', 'from_logits': True, 'label_smoothing': 0.0,
                  'output': tensor(z), 'labels': [int(v) for v in t.reshape(-1).tolist()],
                  'loss': float(loss), 'grad': tensor(z.grad)})
    p = torch.sigmoid(torch.randn(6, 1, generator=g)).requires_grad_(True)
    loss = F.binary_cross_entropy(p, t)
    loss.backward()
    cases.append({'kind': 'binary_crossentropy', 'from_logits': False, 'label_smoothing': 0.0,
                  'output': tensor(p), 'labels': [int(v) for v in t.reshape(-1).tolist()],
                  'loss': float(loss), 'grad': tensor(p.grad)})
    yhat = torch.randn(5, 2, generator=g).requires_grad_(True)
    y = torch.randn(5, 2, generator=g)
    loss = F.mse_loss(yhat, y)
    loss.backward()
    cases.append({'kind': 'mse', 'from_logits': False, 'label_smoothing': 0.0,
                  'output': tensor(yhat), 'targets': tensor(y),
                  'loss': float(loss), 'grad': tensor(yhat.grad)})
    write('losses', {'cases': cases})


# --- a conv + dense network, forward and backward --------------------------------------

def conv_dense():
    """conv2d(4, kernel 3, same) -> relu -> flatten (NHWC order) -> dense(3); CE with smoothing 0.1."""
    g = torch.Generator().manual_seed(5)
    n, h, w, cin, cout, classes = 2, 5, 5, 2, 4, 3
    x = torch.randn(n, cin, h, w, generator=g)
    conv_w = (torch.randn(cout, cin, 3, 3, generator=g) * 0.3).requires_grad_(True)
    conv_b = (torch.randn(cout, generator=g) * 0.1).requires_grad_(True)
    dense_w = (torch.randn(classes, h * w * cout, generator=g) * 0.1).requires_grad_(True)
    dense_b = (torch.randn(classes, generator=g) * 0.1).requires_grad_(True)
    labels = torch.tensor([2, 0])
    a = F.relu(F.conv2d(x, conv_w, conv_b, stride=1, padding=1))
    flat = a.permute(0, 2, 3, 1).reshape(n, -1)  # tfjs flattens NHWC
    logits = flat @ dense_w.T + dense_b
    loss = F.cross_entropy(logits, labels, label_smoothing=0.1)
    loss.backward()
    write('conv_dense', {
        'x': tensor(x.permute(0, 2, 3, 1)),
        'labels': labels.tolist(),
        'label_smoothing': 0.1,
        'conv_kernel': tensor(conv_w.permute(2, 3, 1, 0)), 'conv_bias': tensor(conv_b),
        'dense_kernel': tensor(dense_w.T), 'dense_bias': tensor(dense_b),
        'logits': tensor(logits), 'loss': float(loss),
        'grads': {
            'conv_kernel': tensor(conv_w.grad.permute(2, 3, 1, 0)), 'conv_bias': tensor(conv_b.grad),
            'dense_kernel': tensor(dense_w.grad.T), 'dense_bias': tensor(dense_b.grad),
        },
    })


# --- schedules -------------------------------------------------------------------------

def schedules():
    base, epochs, steps = 0.1, 6, 4
    dummy = [torch.zeros(1, requires_grad=True)]

    def per_epoch(make):
        opt = torch.optim.SGD(dummy, lr=base)
        sched = make(opt)
        out = []
        for _ in range(epochs):
            out.append(opt.param_groups[0]['lr'])
            opt.step()
            sched.step()
        return out

    step = per_epoch(lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=2, gamma=0.5))
    exponential = per_epoch(lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.9))

    opt = torch.optim.SGD(dummy, lr=base)
    cosine_sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs * steps, eta_min=0.001)
    cosine = []
    for _ in range(epochs * steps):
        cosine.append(opt.param_groups[0]['lr'])
        opt.step()
        cosine_sched.step()

    def sgdr(period, mult):
        opt = torch.optim.SGD(dummy, lr=base)
        sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=period, T_mult=mult, eta_min=0.001)
        out = []
        for e in range(epochs * 2):
            for i in range(steps):
                sched.step(e + i / steps)
                out.append(opt.param_groups[0]['lr'])
        return out

    write('schedules', {
        'base_lr': base, 'epochs': epochs, 'steps_per_epoch': steps,
        'step': {'args': {'every': 2, 'gamma': 0.5}, 'per_epoch': step},
        'exponential': {'args': {'gamma': 0.9}, 'per_epoch': exponential},
        'cosine': {'args': {'warmup': 0, 'min_lr': 0.001}, 'per_step': cosine},
        'warm_restarts': [
            {'args': {'period': 2, 'mult': 1, 'min_lr': 0.001}, 'epochs': epochs * 2, 'per_step': sgdr(2, 1)},
            {'args': {'period': 1, 'mult': 2, 'min_lr': 0.001}, 'epochs': epochs * 2, 'per_step': sgdr(1, 2)},
        ],
    })


# --- a whole training run --------------------------------------------------------------

def cosine_lr(base, warmup, min_lr, epochs, e, s, steps):
    """The runtime's cosine(warmup) schedule (runtime/src/train/schedules.ts), per step."""
    warmup_steps = warmup * steps
    k = e * steps + s
    if k < warmup_steps:
        return base * (k + 1) / warmup_steps
    t = e + s / steps
    progress = min(1.0, (t - warmup) / (epochs - warmup))
    return min_lr + (base - min_lr) * (1 + math.cos(math.pi * progress)) / 2


def training_run():
    """MLP 4 -> 8 relu -> 3, 12 examples in batches of 5 (a short last batch), 3 epochs,
    no shuffling; adamw(lr 0.02, wd 0.1), l2(1e-3) on kernels, clip norm(0.5),
    label smoothing 0.1, cosine(warmup: 1). Records per-epoch mean losses and the final weights."""
    g = torch.Generator().manual_seed(6)
    n, d, hidden, classes, batch, epochs = 12, 4, 8, 3, 5, 3
    x = torch.randn(n, d, generator=g)
    y = torch.randint(0, classes, (n,), generator=g)
    w1 = (torch.randn(hidden, d, generator=g) * 0.5).requires_grad_(True)
    b1 = torch.zeros(hidden).requires_grad_(True)
    w2 = (torch.randn(classes, hidden, generator=g) * 0.5).requires_grad_(True)
    b2 = (torch.randn(classes, generator=g) * 0.1).requires_grad_(True)
    init = {'w1': w1.detach().clone(), 'b1': b1.detach().clone(), 'w2': w2.detach().clone(), 'b2': b2.detach().clone()}
    base_lr, wd, l2, clip, smoothing = 0.02, 0.1, 1e-3, 0.5, 0.1
    opt = torch.optim.AdamW([{'params': [w1, w2], 'weight_decay': wd}, {'params': [b1, b2], 'weight_decay': 0.0}],
                            lr=base_lr)
    steps = math.ceil(n / batch)
    history = []
    for e in range(epochs):
        loss_sum, acc_sum, norm_sum = 0.0, 0.0, 0.0
        for s in range(steps):
            xb, yb = x[s * batch:(s + 1) * batch], y[s * batch:(s + 1) * batch]
            lr_t = cosine_lr(base_lr, 1, 0.0, epochs, e, s, steps)
            for group in opt.param_groups:
                group['lr'] = lr_t
            opt.zero_grad()
            logits = F.relu(xb @ w1.T + b1) @ w2.T + b2
            data_loss = F.cross_entropy(logits, yb, label_smoothing=smoothing)
            penalty = l2 / 2 * ((w1 ** 2).sum() + (w2 ** 2).sum())
            (data_loss + penalty).backward()
            norm = torch.nn.utils.clip_grad_norm_([w1, b1, w2, b2], clip)
            opt.step()
            loss_sum += float(data_loss) * len(yb)
            acc_sum += float((logits.argmax(-1) == yb).float().mean()) * len(yb)
            norm_sum += float(norm)
        history.append({'loss': loss_sum / n, 'accuracy': acc_sum / n, 'grad_norm': norm_sum / steps,
                        'lr': cosine_lr(base_lr, 1, 0.0, epochs, e, steps - 1, steps)})  # the rate at the epoch's end
    write('training_run', {
        'x': tensor(x), 'y': y.tolist(), 'batch_size': batch, 'epochs': epochs,
        'optimizer': {'kind': 'adamw', 'args': {'lr': base_lr, 'beta1': 0.9, 'beta2': 0.999, 'epsilon': 1e-8,
                                                 'weight_decay': wd}},
        'schedule': {'kind': 'cosine', 'args': {'warmup': 1, 'min_lr': 0.0}},
        'l2': l2, 'clip': clip, 'label_smoothing': smoothing,
        'initial': {'dense_1/kernel': tensor(init['w1'].T), 'dense_1/bias': tensor(init['b1']),
                    'dense_2/kernel': tensor(init['w2'].T), 'dense_2/bias': tensor(init['b2'])},
        'final': {'dense_1/kernel': tensor(w1.T), 'dense_1/bias': tensor(b1),
                  'dense_2/kernel': tensor(w2.T), 'dense_2/bias': tensor(b2)},
        'history': history,
    })


if __name__ == '__main__':
    optimizers()
    clipping()
    batchnorm()
    losses()
    conv_dense()
    schedules()
    training_run()
