import { describe, expect, it } from 'vitest';
import { csvField, metricsToCsv } from '../../../src/main/services/runs/exportCsv';
import type { MetricsRecord } from '../../../src/shared/runFormat';

describe('csvField (RFC 4180)', () => {
  it('quotes only when needed and doubles quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
  });
});

describe('metricsToCsv', () => {
  const records: MetricsRecord[] = [
    { kind: 'step', step: 1, epoch: 0, time: 1000, loss: 2, accuracy: 0.1, kernelTimes: { 'conv,fwd': 0.25 } },
    { kind: 'step', step: 2, epoch: 0, time: 2000, loss: null, lr: 0.01 } as MetricsRecord,
    { kind: 'epoch', epoch: 0, valAccuracy: 0.5 },
  ];

  it('puts the axes first, then sorted columns; empty cells for missing and null', () => {
    expect(metricsToCsv(records, 'step')).toBe(
      'step,epoch,time,accuracy,"kernelTimes.conv,fwd",loss,lr\r\n' +
        '1,0,1000,0.1,0.25,2,\r\n' +
        '2,0,2000,,,,0.01\r\n',
    );
  });

  it('exports epoch records on their own', () => {
    expect(metricsToCsv(records, 'epoch')).toBe('epoch,valAccuracy\r\n0,0.5\r\n');
  });

  it('gives the same column order whatever the field order in the records', () => {
    const shuffled: MetricsRecord[] = [{ lr: 0.01, kind: 'step', loss: 1, step: 1 } as MetricsRecord];
    const ordered: MetricsRecord[] = [{ kind: 'step', step: 1, loss: 1, lr: 0.01 } as MetricsRecord];
    expect(metricsToCsv(shuffled, 'step')).toBe(metricsToCsv(ordered, 'step'));
  });

  it("'all' is one table over step and epoch records: a kind column, each row leaving the other kind's columns empty", () => {
    const log: MetricsRecord[] = [
      { kind: 'step', step: 1, epoch: 0, loss: 2, lr: 0.1 },
      { kind: 'event', time: 5, message: 'resumed' } as MetricsRecord,
      { kind: 'step', step: 2, epoch: 0, loss: 1, lr: 0.1 },
      { kind: 'epoch', epoch: 1, step: 2, trainLoss: 1.5, valLoss: 1.2, valAccuracy: 0.5 },
    ];
    expect(metricsToCsv(log, 'all')).toBe(
      'kind,step,epoch,loss,lr,trainLoss,valAccuracy,valLoss\r\n' +
        'step,1,0,2,0.1,,,\r\n' +
        'step,2,0,1,0.1,,,\r\n' +
        'epoch,2,1,,,1.5,0.5,1.2\r\n',
    );
    expect(() => metricsToCsv([{ kind: 'event', time: 1 }], 'all')).toThrow(/no step or epoch records/);
  });

  it('says what to do when there is nothing of that kind', () => {
    expect(() => metricsToCsv([{ kind: 'step', step: 1 }], 'epoch')).toThrow(/no epoch records.*--kind step/);
  });
});
