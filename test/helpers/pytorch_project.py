"""Runs an exported Conv Lab PyTorch project's model.py on given inputs, for the export tests.

  forward PROJECT INPUT_JSON          -> {"logits": [[..], ..]}   INPUT_JSON: {"shape": [N,C,H,W], "data": [...]} (already normalised)
  pngs PROJECT PNG...                 -> {"logits": [[..], ..]}   the PNGs read with Pillow, normalised from project.json
"""
import json
import os
import sys

import numpy as np
import torch

project = sys.argv[2]
sys.path.insert(0, project)
import convlab_run  # noqa: E402
from model import build_model  # noqa: E402

model = build_model()
state, _ = convlab_run.read_safetensors(os.path.join(project, 'weights.safetensors'))
model.load_state_dict(state, strict=True)
model.eval()
with open(os.path.join(project, 'project.json'), encoding='utf-8') as f:
    pre = json.load(f)['preprocessing']

with torch.no_grad():
    if sys.argv[1] == 'forward':
        with open(sys.argv[3], encoding='utf-8') as f:
            given = json.load(f)
        x = torch.tensor(given['data'], dtype=torch.float32).reshape(given['shape'])
    else:
        from PIL import Image
        c, h, w = pre['input']
        images = np.stack([np.asarray(Image.open(p).convert('L' if c == 1 else 'RGB'), dtype=np.uint8).reshape(h, w, c).transpose(2, 0, 1) for p in sys.argv[3:]])
        mean = torch.tensor(pre['mean']).view(1, -1, 1, 1)
        std = torch.tensor(pre['std']).view(1, -1, 1, 1)
        x = (torch.from_numpy(images).float() / 255 - mean) / std
    print(json.dumps({'logits': model(x).tolist()}))
