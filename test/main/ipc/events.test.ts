import { describe, expect, it } from 'vitest';
import { sendLabEvent } from '../../../src/main/ipc/events';

describe('sendLabEvent', () => {
  it('sends the payload on the lab event channel to live windows only', () => {
    const sent: unknown[][] = [];
    const live = { isDestroyed: () => false, send: (...args: unknown[]) => void sent.push(args) };
    const closed = { isDestroyed: () => true, send: () => { throw new Error('sent to a destroyed window'); } };
    sendLabEvent([live, closed], 'app.gpuProcessGone', { reason: 'crashed', exitCode: 139 });
    expect(sent).toEqual([['lab:event:app.gpuProcessGone', { reason: 'crashed', exitCode: 139 }]]);
  });
});
