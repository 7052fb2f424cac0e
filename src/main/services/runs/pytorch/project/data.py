"""The images a Conv Lab run trained on, as PyTorch datasets, prepared as Conv Lab prepares them.

--data may name any of the sources Conv Lab imports, and a Conv Lab dataset itself:
  * a Conv Lab dataset folder (<home>/datasets/ds-..., with manifest.json, images.bin, labels.bin,
    split.bin): exactly the images and the train/validation split the run used;
  * a folder of MNIST IDX files (train-images-idx3-ubyte[.gz] + labels, t10k-* as validation), or
    one IDX images file whose labels file sits beside it;
  * a folder of CIFAR-10 binary batches (data_batch_*.bin train, test_batch.bin validation);
  * an image folder with one subfolder per class (torchvision's ImageFolder layout; needs Pillow),
    split into train and validation by a seeded stratified draw (--val-split).

Every image goes through the run's preprocessing (project.json "preprocessing"), in this order:
channels (grey or RGB) -> fit to H x W (resize, center-crop or pad) -> [0, 1] -> (x - mean) / std.
Images that already have the model's size are not resampled. Conv Lab resamples with its own
filter, so a folder of images of other sizes is close to, not bit-identical with, Conv Lab's
import; a Conv Lab dataset folder is identical.
"""
import gzip
import json
import math
import os
import random
import struct

import numpy as np
import torch
from torch.utils.data import Dataset

IMAGE_EXTENSIONS = ('.png', '.jpg', '.jpeg', '.bmp', '.webp')


class Augment:
    """The run's training-time augmentation (Conv Lab's docs/formats/augmentation.md), on an
    image's values in [0, 1] before normalising: crop with black padding -> horizontal flip ->
    random resized crop (bilinear) -> brightness then contrast. Parameters come from torch's
    generator, so the augmentations follow the same distributions as Conv Lab's, not the same
    draws (Conv Lab draws from a hash of seed, step and slot)."""

    def __init__(self, spec):
        self.crop = int(spec.get('crop') or 0)
        self.flip = bool(spec.get('flip'))
        self.rrc = spec.get('rrc')
        self.jitter = float(spec.get('jitter') or 0)

    def __call__(self, x):
        return self.apply(x, self.draw(*x.shape[1:]))

    def draw(self, h, w):
        """One image's parameters: (dy, dx, flip, top, left, box_h, box_w, brightness, contrast)."""
        dy = dx = 0
        if self.crop:
            dy, dx = (int(v) for v in torch.randint(-self.crop, self.crop + 1, (2,)))
        flip = bool(self.flip and torch.rand(()) < 0.5)
        top, left, bh, bw = self._box(h, w) if self.rrc is not None else (0, 0, h, w)
        b = k = 1.0
        if self.jitter:
            b, k = (1 - self.jitter + 2 * self.jitter * torch.rand(2)).tolist()
        return dy, dx, flip, top, left, bh, bw, b, k

    @staticmethod
    def apply(x, params):
        """The augmentation with given parameters on a (C, H, W) float image in [0, 1]."""
        dy, dx, flip, top, left, bh, bw, b, k = params
        c, h, w = x.shape
        p = max(abs(dy), abs(dx))
        if p:
            x = torch.nn.functional.pad(x, (p, p, p, p))[:, p + dy:p + dy + h, p + dx:p + dx + w]
        if flip:
            x = x.flip(-1)
        if (top, left, bh, bw) != (0, 0, h, w):
            x = torch.nn.functional.interpolate(x[None, :, top:top + bh, left:left + bw], size=(h, w), mode='bilinear', align_corners=False)[0]
        if (b, k) != (1.0, 1.0):
            x = (b * x).clamp(0, 1)
            grey = 0.2989 * x[0] + 0.587 * x[1] + 0.114 * x[2] if c == 3 else x[0]
            x = (k * x + (1 - k) * grey.mean()).clamp(0, 1)
        return x

    def _box(self, h, w):
        """torchvision RandomResizedCrop.get_params with scale (rrc, 1) and ratio (3/4, 4/3)."""
        area = h * w
        low, high = math.log(3 / 4), math.log(4 / 3)
        for _ in range(10):
            target = area * (self.rrc + (1 - self.rrc) * torch.rand(()).item())
            ratio = math.exp(low + (high - low) * torch.rand(()).item())
            bw, bh = round(math.sqrt(target * ratio)), round(math.sqrt(target / ratio))
            if 0 < bw <= w and 0 < bh <= h:
                return int(torch.randint(0, h - bh + 1, ())), int(torch.randint(0, w - bw + 1, ())), bh, bw
        bh, bw = h, w
        if w / h < 3 / 4:
            bh = round(w / (3 / 4))
        elif w / h > 4 / 3:
            bw = round(h * (4 / 3))
        return (h - bh) // 2, (w - bw) // 2, bh, bw


class LabelledImages(Dataset):
    """uint8 images (N, C, H, W) at the model's size and their labels, normalised per item
    (after the augmentation, when there is one)."""

    def __init__(self, images, labels, preprocessing, augment=None):
        self.images = torch.from_numpy(np.ascontiguousarray(images))
        self.labels = torch.from_numpy(np.asarray(labels, dtype=np.int64))
        c = preprocessing['input'][0]
        self.mean = torch.tensor(preprocessing['mean'], dtype=torch.float32).view(c, 1, 1)
        self.std = torch.tensor(preprocessing['std'], dtype=torch.float32).view(c, 1, 1)
        self.augment = augment

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        x = self.images[i].float() / 255.0
        if self.augment is not None:
            x = self.augment(x)
        return (x - self.mean) / self.std, self.labels[i]


def load(path, preprocessing, val_split=0.1, seed=1, augment=None):
    """(train, val) LabelledImages for a data source, plus a one-line description of it; `augment`
    (the run's config.train.augment) applies to the training images only."""
    path = os.path.abspath(path)
    if os.path.isdir(path) and os.path.exists(os.path.join(path, 'manifest.json')):
        (train, val), what = _conv_lab_dataset(path), 'Conv Lab dataset'
    elif _idx_files(path):
        (train, val), what = _idx(path), 'MNIST IDX files'
    elif os.path.isdir(path) and any(n.endswith('.bin') for n in os.listdir(path)):
        (train, val), what = _cifar(path), 'CIFAR-10 batches'
    elif os.path.isdir(path):
        (train, val), what = _image_folder(path, preprocessing, val_split, seed), 'image folder'
    else:
        raise SystemExit(f'--data {path}: not a Conv Lab dataset, IDX files, CIFAR-10 batches or an image folder')
    fitted = [(_fit_all(x, preprocessing), y) for x, y in (train, val)]
    _check_classes(fitted, preprocessing, path)
    train_augment = Augment(augment) if augment and any(augment.get(k) for k in ('crop', 'flip', 'rrc', 'jitter')) else None
    return LabelledImages(*fitted[0], preprocessing, train_augment), LabelledImages(*fitted[1], preprocessing), f'{what} {path}'


def _check_classes(parts, preprocessing, path):
    classes = len(preprocessing['classes'])
    for _, labels in parts:
        if len(labels) and int(np.max(labels)) >= classes:
            raise SystemExit(f'--data {path}: labels go up to {int(np.max(labels))} but the model has {classes} classes')


# --- Conv Lab's own dataset format (docs/formats/dataset.md) ------------------------------------

def _conv_lab_dataset(folder):
    with open(os.path.join(folder, 'manifest.json'), encoding='utf-8') as f:
        m = json.load(f)
    n, c, h, w = m['count'], m['channels'], m['height'], m['width']
    images = np.fromfile(os.path.join(folder, 'images.bin'), dtype=np.uint8).reshape(n, c, h, w)
    labels = np.fromfile(os.path.join(folder, 'labels.bin'), dtype=np.uint8)
    split = np.fromfile(os.path.join(folder, 'split.bin'), dtype=np.uint8)
    return (images[split == 0], labels[split == 0]), (images[split == 1], labels[split == 1])


# --- MNIST IDX ------------------------------------------------------------------------------------

def _read_idx(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        raw = f.read()
    if raw[:2] != b'\0\0' or raw[2] != 0x08:
        raise SystemExit(f'{path} is not an unsigned-byte IDX file')
    dims = struct.unpack('>' + 'I' * raw[3], raw[4:4 + 4 * raw[3]])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * raw[3]).reshape(dims)


def _idx_files(path):
    folder = path if os.path.isdir(path) else os.path.dirname(path)
    names = [path] if os.path.isfile(path) else [os.path.join(folder, n) for n in sorted(os.listdir(folder))]
    return [p for p in names if 'images' in os.path.basename(p) and 'idx3' in os.path.basename(p)]


def _idx(path):
    parts = {'train': ([], []), 'val': ([], [])}
    for images in _idx_files(path):
        labels = images.replace('images', 'labels').replace('idx3', 'idx1')
        if not os.path.exists(labels):
            raise SystemExit(f'{images}: no labels file beside it (looked for {labels})')
        part = 'val' if os.path.basename(images).startswith('t10k') else 'train'
        parts[part][0].append(_read_idx(images)[:, None, :, :])
        parts[part][1].append(_read_idx(labels))
    return tuple(_stack(*parts[p]) for p in ('train', 'val'))


# --- CIFAR-10 binary batches ------------------------------------------------------------------------

def _cifar(folder):
    parts = {'train': ([], []), 'val': ([], [])}
    for name in sorted(os.listdir(folder)):
        if not name.endswith('.bin') or name == 'batches.meta.txt':
            continue
        raw = np.fromfile(os.path.join(folder, name), dtype=np.uint8).reshape(-1, 3073)
        part = 'val' if name.startswith('test') else 'train'
        parts[part][0].append(raw[:, 1:].reshape(-1, 3, 32, 32))
        parts[part][1].append(raw[:, 0])
    return tuple(_stack(*parts[p]) for p in ('train', 'val'))


# --- an image folder ----------------------------------------------------------------------------------

def _image_folder(folder, preprocessing, val_split, seed):
    try:
        from PIL import Image
    except ImportError:
        raise SystemExit('Reading an image folder needs Pillow: pip install Pillow')
    classes = preprocessing['classes']
    found = sorted(d for d in os.listdir(folder) if os.path.isdir(os.path.join(folder, d)) and not d.startswith('.'))
    unknown = [d for d in found if d not in classes]
    if unknown:
        raise SystemExit(f'--data {folder}: class folders the model does not know: {", ".join(unknown)}')
    c = preprocessing['input'][0]
    by_class = {}
    for d in found:
        files = []
        for root, _, names in os.walk(os.path.join(folder, d)):
            files += [os.path.join(root, n) for n in names if n.lower().endswith(IMAGE_EXTENSIONS) and not n.startswith('.')]
        by_class[classes.index(d)] = sorted(files)
    rng = random.Random(seed)
    parts = {'train': ([], []), 'val': ([], [])}
    for label, files in by_class.items():
        files = files[:]
        rng.shuffle(files)
        n_val = int(round(len(files) * val_split))
        for i, file in enumerate(files):
            with Image.open(file) as img:
                img = img.convert('L' if c == 1 else 'RGB')
                array = np.asarray(img, dtype=np.uint8).reshape(img.height, img.width, c).transpose(2, 0, 1)
            part = 'val' if i < n_val else 'train'
            parts[part][0].append(_fit(array, preprocessing))
            parts[part][1].append(label)
    return tuple((np.stack(x) if x else np.zeros((0, c, *preprocessing['input'][1:]), np.uint8), np.asarray(y, np.uint8)) for x, y in (parts['train'], parts['val']))


# --- fitting to the model's input -----------------------------------------------------------------------

def _fit_all(images, preprocessing):
    c, h, w = preprocessing['input']
    if images.shape[1:] == (c, h, w):
        return images
    if images.shape[1] != c:
        if c == 1:
            images = np.round(images.astype(np.float64).transpose(0, 2, 3, 1) @ [0.299, 0.587, 0.114]).astype(np.uint8)[:, None]
        else:
            images = np.repeat(images, 3, axis=1)
    return np.stack([_fit(x, preprocessing) for x in images]) if images.shape[2:] != (h, w) else images


def _fit(image, preprocessing):
    """One (C, H', W') uint8 image to the model's H x W, as preprocessing['fit'] says."""
    c, h, w = preprocessing['input']
    if image.shape[1:] == (h, w):
        return image
    t = torch.from_numpy(image.astype(np.float32))[None]
    mode = preprocessing['fit']
    if mode == 'center-crop':
        ih, iw = image.shape[1:]
        scale = max(h / ih, w / iw)
        ch, cw = round(h / scale), round(w / scale)
        top, left = (ih - ch) // 2, (iw - cw) // 2
        t = t[:, :, top:top + ch, left:left + cw]
        mode = 'resize'
    if mode == 'resize':
        return _resample(t, h, w)[0].round().clamp(0, 255).to(torch.uint8).numpy()
    # pad: fit the long side, centre on black
    ih, iw = image.shape[1:]
    scale = min(h / ih, w / iw)
    nh, nw = max(1, round(ih * scale)), max(1, round(iw * scale))
    inner = _resample(t, nh, nw)[0]
    out = torch.zeros((c, h, w))
    top, left = (h - nh) // 2, (w - nw) // 2
    out[:, top:top + nh, left:left + nw] = inner
    return out.round().clamp(0, 255).to(torch.uint8).numpy()


def _resample(t, h, w):
    """Area averaging when shrinking (no aliasing), bilinear when enlarging."""
    if t.shape[2] >= h and t.shape[3] >= w:
        return torch.nn.functional.interpolate(t, size=(h, w), mode='area')
    return torch.nn.functional.interpolate(t, size=(h, w), mode='bilinear', align_corners=False)


def _stack(images, labels):
    if not images:
        return np.zeros((0, 1, 1, 1), np.uint8), np.zeros((0,), np.uint8)
    return np.concatenate(images), np.concatenate(labels)
