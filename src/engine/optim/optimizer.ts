// Optimizers on the GPU: torch.optim.SGD (momentum, dampening, nesterov, weight decay) and
// torch.optim.Adam / AdamW. The update rules live in the kernels (and their CPU twins); this file
// keeps the per-parameter state and the step counter, exactly as torch.optim does.

import type { Backend } from '../backend';
import type { Parameter } from '../nn/layer';

export type OptimizerName = 'sgd' | 'adam' | 'adamw';

export interface OptimizerConfig {
  name: OptimizerName;
  momentum: number;
  dampening: number;
  nesterov: boolean;
  weightDecay: number;
  beta1: number;
  beta2: number;
  eps: number;
}

export const DEFAULT_OPTIMIZER: OptimizerConfig = {
  name: 'sgd', momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0, beta1: 0.9, beta2: 0.999, eps: 1e-8,
};

export class Optimizer<B> {
  /** Steps taken so far (Adam's bias correction uses step + 1). */
  steps = 0;

  constructor(readonly be: Backend<B>, readonly params: Parameter<B>[], readonly config: OptimizerConfig) {
    if (config.nesterov && (config.momentum <= 0 || config.dampening !== 0)) {
      throw new Error('nesterov momentum needs momentum > 0 and dampening 0 (as torch.optim.SGD)');
    }
  }

  step(lr: number): void {
    const { be, config: c } = this;
    be.setScope({ layer: 'optimizer', phase: 'optimizer' });
    for (const p of this.params) {
      const n = p.shape.reduce((a, b) => a * b, 1);
      if (c.name === 'sgd') {
        be.sgdStep(n, { lr, momentum: c.momentum, dampening: c.dampening, nesterov: c.nesterov, weightDecay: c.weightDecay, firstStep: this.steps === 0 }, p.data, p.grad, this.state(p, 'momentum_buffer', n));
      } else {
        be.adamStep(n, { lr, beta1: c.beta1, beta2: c.beta2, eps: c.eps, weightDecay: c.weightDecay, decoupled: c.name === 'adamw', step: this.steps + 1 }, p.data, p.grad, this.state(p, 'exp_avg', n), this.state(p, 'exp_avg_sq', n));
      }
    }
    this.steps++;
  }

  private state(p: Parameter<B>, key: string, n: number): B {
    let t = p.state.get(key);
    if (!t) {
      t = this.be.zeros(n, `${p.name}.${key}`);
      p.state.set(key, t);
    }
    return t;
  }
}
