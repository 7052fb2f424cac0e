"""Conv Lab's file formats, from Python: safetensors files, and run folders that Conv Lab opens.

A run folder (Conv Lab's docs/formats/run.md, "run folder format, version 1") holds:
  manifest.json       replaced atomically (temp file, fsync, rename, fsync the folder)
  metrics.jsonl       one JSON record per line, appended, flushed and fsynced every second
  checkpoints/*.safetensors   the state_dict, with the run's preprocessing in __metadata__
New runs are assembled in runs/.staging/<id>/ and renamed into runs/ whole. While a run is
written, its manifest's heartbeatAt is refreshed every 3 s (readers take a run whose heartbeat is
10 s old for interrupted).
"""
import json
import os
import secrets
import socket
import string
import struct
import sys
import threading
import time
from datetime import datetime, timezone

FORMAT_VERSION = 1
PREPROCESSING_KEY = 'convlab.preprocessing'
HEARTBEAT_SECONDS = 3.0
FLUSH_SECONDS = 1.0


# --- safetensors --------------------------------------------------------------------------------

def read_safetensors(path):
    """(tensors, metadata): tensors as {name: torch.Tensor} (F32 only), metadata as {str: str}."""
    try:
        from safetensors.torch import load_file
        from safetensors import safe_open
        with safe_open(path, framework='pt') as f:
            metadata = f.metadata() or {}
        return load_file(path), metadata
    except ImportError:
        pass
    import torch
    with open(path, 'rb') as f:
        raw = f.read()
    if len(raw) < 8:
        raise ValueError(f'{path} is not a safetensors file (too short)')
    n = struct.unpack('<Q', raw[:8])[0]
    if n > len(raw) - 8 or n > 100_000_000:
        raise ValueError(f'{path} is not a safetensors file (header length {n})')
    header = json.loads(raw[8:8 + n])
    metadata = header.pop('__metadata__', {}) or {}
    data = raw[8 + n:]
    tensors = {}
    for name, entry in header.items():
        if entry['dtype'] != 'F32':
            raise ValueError(f'{path}: tensor {name} is {entry["dtype"]}; this reader takes F32 only')
        begin, end = entry['data_offsets']
        if not 0 <= begin <= end <= len(data):
            raise ValueError(f'{path}: tensor {name} lies outside the file')
        tensors[name] = torch.frombuffer(bytearray(data[begin:end]), dtype=torch.float32).reshape(entry['shape']).clone()
    return tensors, metadata


def write_safetensors(path, tensors, metadata=None):
    """Float32 tensors {name: tensor} in state_dict order, atomically."""
    header = {}
    blobs = []
    offset = 0
    for name, t in tensors.items():
        blob = t.detach().to('cpu').contiguous().float().numpy().astype('<f4').tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(t.shape), 'data_offsets': [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    if metadata:
        header['__metadata__'] = {str(k): str(v) for k, v in metadata.items()}
    text = json.dumps(header, separators=(',', ':')).encode('utf-8')
    text += b' ' * ((8 - len(text) % 8) % 8)  # the data section starts 8-byte aligned
    _write_atomic(path, struct.pack('<Q', len(text)) + text + b''.join(blobs))


# --- the Conv Lab home ----------------------------------------------------------------------------

def conv_lab_home():
    """Where Conv Lab keeps runs: CONVLAB_HOME, else the platform's data folder for "Conv Lab"
    (as Conv Lab itself resolves it, older homes included)."""
    env = os.environ.get('CONVLAB_HOME')
    if env:
        return os.path.abspath(env)
    home = os.path.expanduser('~')
    if sys.platform == 'win32':
        local = os.environ.get('LOCALAPPDATA') or os.path.join(home, 'AppData', 'Local')
        target = os.path.join(local, 'Conv Lab')
        older = [os.path.join(os.environ.get('APPDATA') or os.path.join(home, 'AppData', 'Roaming'), n) for n in ('Conv Lab', 'conv-lab')]
    elif sys.platform == 'darwin':
        support = os.path.join(home, 'Library', 'Application Support')
        target = os.path.join(support, 'Conv Lab', 'Data')
        older = [os.path.join(support, n) for n in ('Conv Lab', 'conv-lab')]
    else:
        xdg = os.environ.get('XDG_DATA_HOME')
        target = os.path.join(xdg if xdg and os.path.isabs(xdg) else os.path.join(home, '.local', 'share'), 'Conv Lab')
        config = os.environ.get('XDG_CONFIG_HOME')
        config = config if config and os.path.isabs(config) else os.path.join(home, '.config')
        older = [os.path.join(config, n) for n in ('Conv Lab', 'conv-lab')]
    if not _holds_lab_data(target):
        for dir in older:
            if _holds_lab_data(dir):
                return dir  # not moved yet: Conv Lab itself still reads this one
    return target


def _holds_lab_data(dir):
    for sub in ('runs', 'datasets'):
        try:
            if any(not n.startswith('.') for n in os.listdir(os.path.join(dir, sub))):
                return True
        except OSError:
            pass
    return False


# --- a run being written --------------------------------------------------------------------------

def _now():
    return datetime.now(timezone.utc).isoformat(timespec='milliseconds').replace('+00:00', 'Z')


def _new_run_id():
    t = datetime.now(timezone.utc)
    alphabet = string.ascii_lowercase + string.digits
    return t.strftime('%Y%m%d-%H%M%S-') + ''.join(secrets.choice(alphabet) for _ in range(6))


def _write_atomic(path, data):
    folder = os.path.dirname(path) or '.'
    tmp = os.path.join(folder, f'.{os.path.basename(path)}.{os.getpid()}.{secrets.token_hex(4)}.tmp')
    try:
        with open(tmp, 'wb') as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    _fsync_dir(folder)


def _fsync_dir(folder):
    if os.name == 'nt':
        return  # NTFS journals renames itself; folders cannot be opened for fsync
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _json_number(value):
    """JSON has no NaN or infinity: Conv Lab writes them as null."""
    if isinstance(value, float) and (value != value or value in (float('inf'), float('-inf'))):
        return None
    if isinstance(value, dict):
        return {k: _json_number(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_number(v) for v in value]
    return value


class RunWriter:
    """One run Conv Lab can open: create() it, append() records, checkpoint(), finish()."""

    def __init__(self, home, run_id, folder):
        self.home, self.id, self.folder = home, run_id, folder
        self._pending = []
        self._lock = threading.Lock()
        self._log = open(os.path.join(folder, 'metrics.jsonl'), 'a', encoding='utf-8')
        self._finished = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._tick, name='convlab-run-writer', daemon=True)
        self._thread.start()

    @classmethod
    def create(cls, home, name, config, model_spec, dataset, seed, adapter, versions, preprocessing):
        runs = os.path.join(home, 'runs')
        staging = os.path.join(runs, '.staging')
        os.makedirs(staging, exist_ok=True)
        run_id = _new_run_id()
        now = _now()
        manifest = {
            'formatVersion': FORMAT_VERSION, 'id': run_id, 'name': name or run_id, 'createdAt': now, 'updatedAt': now,
            'status': 'running', 'config': config, 'modelSpec': model_spec, 'dataset': dataset,
            'preprocessing': preprocessing, 'seed': int(seed), 'adapter': adapter, 'versions': versions,
            'summary': {}, 'notes': '', 'tags': [], 'pid': os.getpid(), 'host': socket.gethostname(),
            'heartbeatAt': now, 'endedAt': None,
        }
        staged = os.path.join(staging, run_id)
        os.makedirs(os.path.join(staged, 'checkpoints'))
        _write_atomic(os.path.join(staged, 'manifest.json'), (json.dumps(_json_number(manifest), indent=2) + '\n').encode('utf-8'))
        open(os.path.join(staged, 'metrics.jsonl'), 'w').close()
        _fsync_dir(staged)
        final = os.path.join(runs, run_id)
        os.rename(staged, final)
        _fsync_dir(runs)
        return cls(home, run_id, final)

    def append(self, record):
        with self._lock:
            self._pending.append(json.dumps(_json_number(record), separators=(',', ':')))

    def checkpoint(self, name, state_dict, metadata):
        write_safetensors(os.path.join(self.folder, 'checkpoints', f'{name}.safetensors'), state_dict, metadata)

    def update_summary(self, **summary):
        self._patch(lambda m: m['summary'].update(_json_number(summary)))

    def finish(self, status, **summary):
        """status: completed, stopped, diverged or failed."""
        self._stop.set()
        self._thread.join()
        self._flush()
        self._log.close()
        self._finished = True
        now = _now()

        def done(m):
            m['status'] = status
            m['summary'].update(_json_number(summary))
            m['heartbeatAt'] = now
            m['endedAt'] = now
        self._patch(done)

    def _patch(self, change):
        with self._lock:
            path = os.path.join(self.folder, 'manifest.json')
            with open(path, encoding='utf-8') as f:
                m = json.load(f)
            change(m)
            if not self._finished:
                m['status'] = 'running'
                m['pid'] = os.getpid()
                m['host'] = socket.gethostname()
                m['heartbeatAt'] = _now()
            m['updatedAt'] = _now()
            _write_atomic(path, (json.dumps(m, indent=2) + '\n').encode('utf-8'))

    def _flush(self):
        with self._lock:
            lines, self._pending = self._pending, []
        if lines:
            self._log.write(''.join(line + '\n' for line in lines))
            self._log.flush()
            os.fsync(self._log.fileno())

    def _tick(self):
        beat = time.monotonic()
        while not self._stop.wait(FLUSH_SECONDS):
            self._flush()
            if time.monotonic() - beat >= HEARTBEAT_SECONDS:
                self._patch(lambda m: None)
                beat = time.monotonic()
