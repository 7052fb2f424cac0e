"""Train this Conv Lab model in PyTorch: in one process, or on many with torchrun (DDP).

    python train.py                                  # the run's settings, from its weights
    torchrun --nproc_per_node=4 train.py --epochs 30 # DistributedDataParallel: NCCL on GPUs, gloo on CPUs

Defaults come from project.json (the Conv Lab run this project was exported from); every option
overrides one. The run this writes is a Conv Lab run folder in the Conv Lab home (--home; default:
CONVLAB_HOME, else Conv Lab's own per-user folder), so `convlab runs list`, `convlab runs compare`,
`convlab eval` and the app open it beside Conv Lab's own runs. Only rank 0 writes.
"""
import argparse
import json
import math
import os
import platform
import sys
import time

try:
    import numpy as np
    import torch
    import torch.distributed as dist
    from torch.utils.data import DataLoader
    from torch.utils.data.distributed import DistributedSampler
except ImportError as missing:
    sys.exit(f'train.py needs {missing.name}: install the requirements with `pip install -r requirements.txt` '
             f'(torch and numpy; Pillow for image folders; safetensors is optional)')

import convlab_run
import data
from model import build_model

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, 'project.json'), encoding='utf-8') as f:
    PROJECT = json.load(f)
TRAIN = PROJECT['train']


def learning_rate(base, schedule, step, epoch, total_steps):
    """Conv Lab's schedules, per step: constant, step decay (per epoch), cosine to the last step,
    each optionally after a linear warm-up from 0 (src/engine/optim/schedule.ts)."""
    lr = base
    if schedule['kind'] == 'step':
        lr = base * schedule['gamma'] ** (epoch // max(1, schedule['stepEpochs']))
    elif schedule['kind'] == 'cosine':
        span = max(1, total_steps - schedule['warmupSteps'])
        t = min(1.0, max(0, step - schedule['warmupSteps']) / span)
        lr = schedule['minLr'] + (base - schedule['minLr']) * (1 + math.cos(math.pi * t)) / 2
    if schedule['warmupSteps'] > 0 and step < schedule['warmupSteps']:
        lr *= (step + 1) / schedule['warmupSteps']
    return lr


def make_optimizer(params, lr):
    o = TRAIN['optimizer']
    if o['name'] == 'sgd':
        return torch.optim.SGD(params, lr=lr, momentum=o['momentum'], dampening=o['dampening'], nesterov=o['nesterov'], weight_decay=o['weightDecay'])
    kind = torch.optim.AdamW if o['name'] == 'adamw' else torch.optim.Adam
    return kind(params, lr=lr, betas=(o['beta1'], o['beta2']), eps=o['eps'], weight_decay=o['weightDecay'])


def parse_args():
    p = argparse.ArgumentParser(description='Train the exported Conv Lab model; defaults are the run\'s (project.json).')
    p.add_argument('--data', default=None, help='a Conv Lab dataset folder, IDX files, CIFAR-10 batches or an image folder (default: project.json)')
    p.add_argument('--epochs', type=int, default=TRAIN['epochs'])
    p.add_argument('--batch', type=int, default=TRAIN['batchSize'], help='images per step and per process')
    p.add_argument('--lr', type=float, default=TRAIN['lr'])
    p.add_argument('--init', default='weights.safetensors', help="weights to start from, or 'none' for PyTorch's fresh initialisation")
    p.add_argument('--seed', type=int, default=TRAIN['seed'])
    p.add_argument('--no-shuffle', action='store_true', default=not TRAIN['shuffle'], help='the same batch order every epoch')
    p.add_argument('--max-steps', type=int, default=None)
    p.add_argument('--val-split', type=float, default=PROJECT['data'].get('valFraction', 0.1), help='for an image folder: the validation fraction')
    p.add_argument('--home', default=None, help='the Conv Lab home to write the run into (default: CONVLAB_HOME, else Conv Lab\'s folder)')
    p.add_argument('--name', default=None, help='the run\'s name in Conv Lab')
    p.add_argument('--device', default=None, help='cpu, cuda, cuda:1, ... (default: cuda when available)')
    return p.parse_args()


def main():
    args = parse_args()
    world = int(os.environ.get('WORLD_SIZE', '1'))
    rank = int(os.environ.get('RANK', '0'))
    local_rank = int(os.environ.get('LOCAL_RANK', '0'))
    if args.device:
        device = torch.device(args.device)
    elif torch.cuda.is_available():
        device = torch.device('cuda', local_rank)
    else:
        device = torch.device('cpu')
    backend = 'nccl' if device.type == 'cuda' else 'gloo'
    if world > 1:
        if device.type == 'cuda':
            torch.cuda.set_device(device)
        dist.init_process_group(backend=backend)
    torch.manual_seed(args.seed)
    say = (lambda *a: print(*a, flush=True)) if rank == 0 else (lambda *a: None)

    preprocessing = PROJECT['preprocessing']
    data_path = args.data or os.path.join(HERE, PROJECT['data']['default'])
    train_set, val_set, described = data.load(data_path, preprocessing, args.val_split, args.seed, TRAIN.get('augment'))
    say(f'data: {described}: {len(train_set)} train, {len(val_set)} validation images')

    model = build_model()
    if args.init != 'none':
        init = args.init if os.path.isabs(args.init) else os.path.join(os.getcwd(), args.init) if os.path.exists(args.init) else os.path.join(HERE, args.init)
        state, _ = convlab_run.read_safetensors(init)
        model.load_state_dict(state, strict=True)
        say(f'weights: {init}')
    model.to(device)
    net = torch.nn.parallel.DistributedDataParallel(model, device_ids=[device.index] if device.type == 'cuda' else None) if world > 1 else model

    shuffle = not args.no_shuffle
    sampler = DistributedSampler(train_set, num_replicas=world, rank=rank, shuffle=shuffle, seed=args.seed) if world > 1 else None
    generator = torch.Generator().manual_seed(args.seed)
    loader = DataLoader(train_set, batch_size=args.batch, shuffle=shuffle and sampler is None, sampler=sampler, generator=generator)
    optimizer = make_optimizer(model.parameters(), args.lr)
    criterion = torch.nn.CrossEntropyLoss(label_smoothing=TRAIN.get('labelSmoothing', 0.0))
    steps_per_epoch = len(loader)
    total_steps = args.epochs * steps_per_epoch if args.max_steps is None else min(args.epochs * steps_per_epoch, args.max_steps)
    names = [n for n, _ in model.named_parameters()]

    run = None
    if rank == 0:
        home = os.path.abspath(args.home) if args.home else convlab_run.conv_lab_home()
        train_config = dict(TRAIN, epochs=args.epochs, batchSize=args.batch, lr=args.lr, seed=args.seed, shuffle=shuffle, spec=PROJECT['spec'])
        if args.max_steps is not None:
            train_config['maxSteps'] = args.max_steps
        same_data = args.data is None
        run = convlab_run.RunWriter.create(
            home, args.name or f'{PROJECT["run"]["name"]} (PyTorch)',
            config={'data': data_path, 'model': PROJECT['model'], 'train': train_config, 'backend': 'pytorch',
                    'exportedFrom': PROJECT['run']['id'], 'init': args.init, 'worldSize': world, 'distributedBackend': backend if world > 1 else None},
            model_spec=PROJECT['model'],
            dataset=PROJECT['dataset'] if same_data else {'id': data_path, 'name': described},
            seed=args.seed,
            adapter={'backend': 'pytorch', 'device': device_name(device), 'worldSize': world,
                     'kernelTimes': 'not recorded: PyTorch runs have no per-kernel GPU timings'},
            versions={'torch': torch.__version__, 'python': platform.python_version(), 'numpy': np.__version__, 'exportedBy': PROJECT['exportedBy']},
            preprocessing=preprocessing,
        )
        say(f'run {run.id} in {home}')

    status, step, epoch, best, started = 'completed', 0, 0, None, time.perf_counter()
    last_val = (float('nan'), float('nan'))
    try:
        while epoch < args.epochs and step < total_steps:
            if sampler is not None:
                sampler.set_epoch(epoch)
            model.train()
            epoch_started = time.perf_counter()
            totals = torch.zeros(3, dtype=torch.float64)  # loss·n, correct, n
            for x, y in loader:
                if step >= total_steps:
                    break
                lr = learning_rate(args.lr, TRAIN['schedule'], step, epoch, total_steps)
                for g in optimizer.param_groups:
                    g['lr'] = lr
                t0 = time.perf_counter()
                x, y = x.to(device), y.to(device)
                logits = net(x)
                loss = criterion(logits, y)
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                norms = {n: (p.grad.detach().norm().item() if p.grad is not None else 0.0) for n, p in zip(names, model.parameters())}
                optimizer.step()
                stats = torch.tensor([loss.item() * len(y), (logits.argmax(1) == y).sum().item(), len(y)], dtype=torch.float64)
                if world > 1:
                    dist.all_reduce(stats)
                totals += stats
                step += 1
                if run is not None:
                    seconds = time.perf_counter() - t0
                    run.append({'kind': 'step', 'step': step, 'epoch': epoch, 'time': time.time() * 1000, 'elapsed': time.perf_counter() - started,
                                'loss': stats[0].item() / stats[2].item(), 'accuracy': stats[1].item() / stats[2].item(), 'lr': lr,
                                'imagesPerSecond': stats[2].item() / max(seconds, 1e-9), 'gradNorms': norms, 'timing': 'coarse'})
                if not math.isfinite(loss.item()):
                    status = 'diverged'
                    break
            if status == 'diverged':
                break
            # Validated after every epoch, and once more when the step cap ends one early.
            whole = step == (epoch + 1) * steps_per_epoch
            if whole:
                epoch += 1
            if rank == 0:
                last_val = evaluate(model, val_set, device)
                if whole:
                    train_loss, train_accuracy = (totals[0] / max(1, totals[2])).item(), (totals[1] / max(1, totals[2])).item()
                    run.append({'kind': 'epoch', 'epoch': epoch, 'step': step, 'time': time.time() * 1000, 'trainLoss': train_loss, 'trainAccuracy': train_accuracy,
                                'valLoss': last_val[0], 'valAccuracy': last_val[1], 'seconds': time.perf_counter() - epoch_started})
                    say(f'epoch {epoch}: train loss {train_loss:.4f}, val loss {last_val[0]:.4f}, val accuracy {100 * last_val[1]:.2f}%')
                best = save_checkpoints(run, model, optimizer, epoch, step, last_val, best, at_epoch_end=whole)
            if world > 1:
                dist.barrier()
    except KeyboardInterrupt:
        status = 'stopped'
    except BaseException as error:
        if run is not None:
            run.finish('failed', error=str(error), step=step)
        raise
    if run is not None:
        summary = {'epoch': epoch, 'step': step, 'epochs': epoch, 'steps': step, 'valLoss': last_val[0], 'valAccuracy': last_val[1]}
        if step < args.epochs * steps_per_epoch and status == 'completed':
            summary['stopReason'] = f'stopped at the step cap ({step} steps)'
        run.finish(status, **summary)
        say(f'run {run.id} {status}: {epoch} epochs, {step} steps, val accuracy {100 * last_val[1]:.2f}%')
    if world > 1:
        dist.destroy_process_group()
    return 0 if status in ('completed', 'stopped') else 1


@torch.no_grad()
def evaluate(model, val_set, device):
    """Mean cross-entropy and accuracy over the validation images (no label smoothing)."""
    if len(val_set) == 0:
        return float('nan'), float('nan')
    model.eval()
    loss, correct = 0.0, 0
    for x, y in DataLoader(val_set, batch_size=256):
        logits = model(x.to(device))
        loss += torch.nn.functional.cross_entropy(logits, y.to(device), reduction='sum').item()
        correct += (logits.argmax(1).cpu() == y).sum().item()
    model.train()
    return loss / len(val_set), correct / len(val_set)


def save_checkpoints(run, model, optimizer, epoch, step, val, best, at_epoch_end):
    """Conv Lab's checkpoints: epoch-N at each epoch end, last (+ last-optimizer), best."""
    meta = {'format': 'pytorch-state-dict', 'epoch': str(epoch), 'step': str(step), convlab_run.PREPROCESSING_KEY: json.dumps(PROJECT['preprocessing'])}
    state = {k: v.float() for k, v in model.state_dict().items()}
    if at_epoch_end:
        run.checkpoint(f'epoch-{epoch}', state, meta)
    run.checkpoint('last', state, meta)
    run.checkpoint('last-optimizer', optimizer_state(model, optimizer, step), {'format': 'convlab-optimizer-state', 'epoch': str(epoch), 'step': str(step)})
    summary = {'epoch': epoch, 'step': step, 'valLoss': val[0], 'valAccuracy': val[1], 'lastCheckpoint': 'last'}
    accuracy, loss = val[1], val[0]
    better = math.isfinite(accuracy) and (best is None or accuracy > best[0] or (accuracy == best[0] and loss < best[1]))
    if better:
        run.checkpoint('best', state, meta)
        best = (accuracy, loss, epoch)
        summary.update(bestCheckpoint='best', bestValAccuracy=accuracy, bestValLoss=loss, bestEpoch=epoch)
    run.update_summary(**summary)
    return best


def optimizer_state(model, optimizer, steps):
    """torch.optim's state in Conv Lab's names: `step` (steps taken), then `<param>.momentum_buffer`
    (SGD) or `<param>.exp_avg` / `<param>.exp_avg_sq` (Adam, AdamW)."""
    out = {'step': torch.tensor(float(steps))}
    for name, p in model.named_parameters():
        s = optimizer.state.get(p, {})
        for key in ('momentum_buffer', 'exp_avg', 'exp_avg_sq'):
            if s.get(key) is not None:
                out[f'{name}.{key}'] = s[key].float()
    return out


def device_name(device):
    if device.type == 'cuda':
        return f'{device} ({torch.cuda.get_device_name(device)})'
    return f'cpu ({platform.processor() or platform.machine()}, {torch.get_num_threads()} threads)'


if __name__ == '__main__':
    sys.exit(main())
