"""PyTorch's answers for an exported Conv Lab model, for the tests that compare with it.

The weights are read with a small safetensors reader of our own (the `safetensors` package is not
in Debian), the model is the reference CNN as nn.Sequential, and the preprocessing comes only from
the file's own `convlab.preprocessing` metadata:

  accuracy WEIGHTS IMAGES_IDX_GZ LABELS_IDX_GZ START COUNT   -> {"accuracy": a, "n": n}
  argmax WEIGHTS PNG...                                     -> {"argmax": [..]} (PNGs read with Pillow)
"""
import gzip
import json
import struct
import sys

import numpy as np
import torch


def read_safetensors(path):
    with open(path, 'rb') as f:
        raw = f.read()
    n = struct.unpack('<Q', raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    meta = header.pop('__metadata__', {})
    state = {}
    for name, entry in header.items():
        assert entry['dtype'] == 'F32', entry['dtype']
        begin, end = entry['data_offsets']
        state[name] = torch.frombuffer(bytearray(data[begin:end]), dtype=torch.float32).reshape(entry['shape'])
    return state, meta


def reference_model(state):
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 8, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(8, 16, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(784, 10))
    model.load_state_dict(state, strict=True)
    return model.eval()


def normalise(images_uint8, pre):
    # decode -> channels -> fit (already the input size here) -> [0, 1] -> (x - mean) / std
    x = torch.from_numpy(images_uint8.astype(np.float32) / 255.0)
    mean = torch.tensor(pre['mean'], dtype=torch.float32).view(1, -1, 1, 1)
    std = torch.tensor(pre['std'], dtype=torch.float32).view(1, -1, 1, 1)
    return (x - mean) / std


def read_idx(path):
    with gzip.open(path, 'rb') as f:
        raw = f.read()
    dims = raw[3]
    shape = struct.unpack('>' + 'I' * dims, raw[4:4 + 4 * dims])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def main():
    what, weights = sys.argv[1], sys.argv[2]
    state, meta = read_safetensors(weights)
    pre = json.loads(meta['convlab.preprocessing'])
    c, h, w = pre['input']
    model = reference_model(state)
    with torch.no_grad():
        if what == 'accuracy':
            start, count = int(sys.argv[5]), int(sys.argv[6])
            images = read_idx(sys.argv[3])[start:start + count].reshape(-1, c, h, w)
            labels = torch.from_numpy(read_idx(sys.argv[4])[start:start + count].astype(np.int64))
            pred = model(normalise(images, pre)).argmax(1)
            print(json.dumps({'accuracy': (pred == labels).float().mean().item(), 'n': int(labels.numel())}))
        elif what == 'argmax':
            from PIL import Image
            images = np.stack([np.asarray(Image.open(p).convert('L' if c == 1 else 'RGB'), dtype=np.uint8).reshape(h, w, c).transpose(2, 0, 1) for p in sys.argv[3:]])
            print(json.dumps({'argmax': model(normalise(images, pre)).argmax(1).tolist()}))


main()
