// Child process for the crash test in runStore.crash.test.ts: creates a run in the home given as
// argv[2], then appends step records forever. After each flush() resolves (the lines are fsynced)
// it prints "flushed <count>", so the parent knows a lower bound on what must survive a SIGKILL.
import { RunStore } from '../../../../src/main/services/runStore';

const home = process.argv[2];
if (!home) throw new Error('usage: metricsChild.ts <home>');

const writer = await new RunStore(home).create({
  config: { lr: 0.1 },
  modelSpec: 'conv(1, 4, 3) relu flatten linear(10)',
  dataset: { id: 'mnist' },
  seed: 7,
});
process.stdout.write(`id ${writer.id}\n`);

let step = 0;
for (;;) {
  for (let i = 0; i < 20; i++, step++) writer.appendMetrics({ kind: 'step', step, loss: 1 / (step + 1) });
  await writer.flush();
  process.stdout.write(`flushed ${step}\n`);
  // Some records stay buffered between flushes, so the kill also lands on unflushed data.
  for (let i = 0; i < 7; i++, step++) writer.appendMetrics({ kind: 'step', step, loss: 1 / (step + 1) });
  await new Promise((r) => setTimeout(r, 3));
}
