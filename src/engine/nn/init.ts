// PyTorch's default initialisation of Conv2d and Linear: kaiming_uniform_(weight, a=√5) and a
// uniform bias, both with bound 1/√fan_in. (gain = √(2/(1+a²)) = √(1/3), and kaiming's bound
// gain·√(3/fan_in) simplifies to 1/√fan_in.) Values come from the seeded RNG of src/shared.

import { Random } from '../../shared/random';

export function uniformInit(length: number, fanIn: number, rng: Random): Float32Array {
  const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = (rng.nextFloat() * 2 - 1) * bound;
  return out;
}
