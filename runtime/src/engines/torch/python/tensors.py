"""Named tensors on disk: NAME.json (name, dtype, shape, byte offset of each) + NAME.bin (the
raw little-endian values, one after another). RegNet's exporter writes the data and the
initial weights this way, and the trainer writes weights back the same way; plain JSON and
bytes, so nothing in a shared export is ever unpickled or executed."""
import json
import os

import torch

DTYPES = {'float32': torch.float32, 'int32': torch.int32}
NAMES = {v: k for k, v in DTYPES.items()}


def read_tensors(path):
    """{name: tensor} from PATH.json + PATH.bin."""
    with open(path + '.json') as f:
        manifest = json.load(f)
    with open(path + '.bin', 'rb') as f:
        raw = bytearray(f.read())
    out = {}
    for entry in manifest['tensors']:
        dtype = DTYPES[entry['dtype']]
        count = 1
        for d in entry['shape']:
            count *= d
        if count == 0:
            out[entry['name']] = torch.zeros(entry['shape'], dtype=dtype)
            continue
        flat = torch.frombuffer(raw, dtype=dtype, count=count, offset=entry['offset'])
        out[entry['name']] = flat.reshape(entry['shape']).clone()
    return out


def write_tensors(path, tensors):
    """Writes {name: tensor} (float32 / int32) atomically as PATH.json + PATH.bin."""
    entries, chunks, offset = [], [], 0
    for name, t in tensors.items():
        t = t.detach().cpu().contiguous()
        if t.dtype not in NAMES:
            t = t.float()
        data = t.numpy().tobytes()  # little-endian hosts (x86, arm)
        entries.append({'name': name, 'dtype': NAMES[t.dtype], 'shape': list(t.shape), 'offset': offset})
        chunks.append(data)
        offset += len(data)
    tmp = f'{path}.tmp-{os.getpid()}'
    with open(tmp + '.bin', 'wb') as f:
        for c in chunks:
            f.write(c)
    with open(tmp + '.json', 'w') as f:
        json.dump({'tensors': entries}, f)
    os.replace(tmp + '.bin', path + '.bin')
    os.replace(tmp + '.json', path + '.json')
