"""PyTorch's module outputs and input gradients for one image, for the tests of `convlab inspect`.

The model is rebuilt from the run's canonical model spec (convlab-model/1 JSON) as the
nn.Sequential that docs/formats/model-spec.md describes (residual blocks as its Residual module),
the exported safetensors loaded with strict=True, the image read with Pillow and normalised with
the checkpoint's own `convlab.preprocessing` metadata. Every module's output is kept by a forward
hook; with a target, torch.autograd.grad gives d target / d every output and d target / d input.

  torch_inspect.py SPEC_JSON WEIGHTS PNG TARGET
    TARGET: none | class:K (the logit of class K) | loss:K (cross-entropy for label K)
  -> {"input": {...}, "modules": {"0": {"shape": [..], "data": [..], "grad": [..]}, "4.body.0": ...}}
"""
import json
import struct
import sys

import numpy as np
import torch
from PIL import Image


def read_safetensors(path):
    # As torch_reference.py reads them (that file runs its command when imported).
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


class Residual(torch.nn.Module):
    def __init__(self, body, shortcut=None):
        super().__init__()
        self.body, self.shortcut = body, shortcut

    def forward(self, x):
        return self.body(x) + (x if self.shortcut is None else self.shortcut(x))


def build(layers, shape):
    """nn.Sequential of the spec's layers for a per-sample input `shape` ([C, H, W] or [F])."""
    modules = []
    for spec in layers:
        t = spec['type']
        if t == 'conv2d':
            padding = spec['padding'] if isinstance(spec['padding'], str) else tuple(spec['padding'])
            m = torch.nn.Conv2d(shape[0], spec['out_channels'], tuple(spec['kernel_size']), stride=tuple(spec['stride']),
                                padding=padding, dilation=tuple(spec['dilation']), groups=spec['groups'], bias=spec['bias'],
                                padding_mode=spec.get('padding_mode', 'zeros'))
        elif t == 'linear':
            m = torch.nn.Linear(shape[0], spec['out_features'], bias=spec['bias'])
        elif t == 'relu':
            m = torch.nn.ReLU()
        elif t == 'leaky_relu':
            m = torch.nn.LeakyReLU(spec['negative_slope'])
        elif t in ('sigmoid', 'tanh', 'gelu', 'silu'):
            m = {'sigmoid': torch.nn.Sigmoid, 'tanh': torch.nn.Tanh, 'gelu': torch.nn.GELU, 'silu': torch.nn.SiLU}[t]()
        elif t == 'max_pool2d':
            m = torch.nn.MaxPool2d(tuple(spec['kernel_size']), tuple(spec['stride']), tuple(spec['padding']), tuple(spec['dilation']), ceil_mode=spec['ceil_mode'])
        elif t == 'avg_pool2d':
            m = torch.nn.AvgPool2d(tuple(spec['kernel_size']), tuple(spec['stride']), tuple(spec['padding']), ceil_mode=spec['ceil_mode'], count_include_pad=spec['count_include_pad'])
        elif t == 'adaptive_avg_pool2d':
            m = torch.nn.AdaptiveAvgPool2d(1)
        elif t == 'flatten':
            m = torch.nn.Flatten()
        elif t == 'dropout':
            m = torch.nn.Dropout(spec['p'])
        elif t == 'batch_norm2d':
            m = torch.nn.BatchNorm2d(shape[0], eps=spec['eps'], momentum=spec['momentum'], affine=spec['affine'])
        elif t == 'residual':
            body = build(spec['body'], shape)
            shortcut = build(spec['shortcut'], shape) if spec['shortcut'] is not None else None
            m = Residual(body, shortcut)
        else:
            raise ValueError(f'unknown layer type {t}')
        modules.append(m)
        with torch.no_grad():
            shape = list(m.eval()(torch.zeros(1, *shape)).shape[1:])
    return torch.nn.Sequential(*modules)


def main():
    spec_file, weights, png, target = sys.argv[1:5]
    with open(spec_file) as f:
        spec = json.load(f)
    state, meta = read_safetensors(weights)
    pre = json.loads(meta['convlab.preprocessing'])
    c, h, w = pre['input']
    model = build(spec['layers'], list(spec['input']))
    # num_batches_tracked is saved as a float32 scalar; PyTorch keeps it as int64.
    state = {k: (v.long() if k.endswith('num_batches_tracked') else v) for k, v in state.items()}
    model.load_state_dict(state, strict=True)
    model.eval()

    pixels = np.asarray(Image.open(png).convert('L' if c == 1 else 'RGB'), dtype=np.uint8).reshape(h, w, c).transpose(2, 0, 1)
    x = torch.from_numpy(pixels.astype(np.float32) / 255.0).unsqueeze(0)
    x = (x - torch.tensor(pre['mean']).view(1, -1, 1, 1)) / torch.tensor(pre['std']).view(1, -1, 1, 1)
    x.requires_grad_(True)

    outputs = {}
    for name, module in model.named_modules():
        # The root and the branch containers (4.body, 4.shortcut) are not modules of the spec.
        if name == '' or name.endswith('.body') or name.endswith('.shortcut'):
            continue
        module.register_forward_hook(lambda mod, inp, out, name=name: outputs.__setitem__(name, out))
    logits = model(x)

    grads = {}
    if target != 'none':
        kind, k = target.split(':')
        k = int(k)
        score = logits[0, k] if kind == 'class' else torch.nn.functional.cross_entropy(logits, torch.tensor([k]))
        names = list(outputs)
        found = torch.autograd.grad(score, [x] + [outputs[n] for n in names], allow_unused=True)
        grads['input'] = found[0]
        grads.update({n: g for n, g in zip(names, found[1:])})

    def entry(t, name):
        g = grads.get(name)
        return {'shape': list(t.shape[1:]), 'data': t.detach().flatten().tolist(), 'grad': None if g is None else g.flatten().tolist()}

    print(json.dumps({'input': entry(x, 'input'), 'modules': {n: entry(t, n) for n, t in outputs.items()}, 'logits': logits.detach().flatten().tolist()}))


main()
