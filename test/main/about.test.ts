import { describe, expect, it } from 'vitest';
import { aboutContent, adapterLine, createAdapterRegister, showAbout } from '../../src/main/about';

const facts = {
  appName: 'Conv Lab',
  appVersion: '0.1.0',
  versions: { electron: '45.5.0', chrome: '142.0.7444.59', node: '24.11.1', v8: '14.2' },
  platform: 'linux',
  arch: 'x64',
  home: '/home/ada/.local/share/Conv Lab',
  logFile: '/home/ada/.config/Conv Lab/logs/main.log',
};
const swiftshader = { vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader Device (Subzero)', isSoftware: true, timestamps: true };

describe('About', () => {
  it('lists the versions, the adapter, the home and the log', () => {
    const { title, message, detail } = aboutContent(facts, swiftshader);
    expect(title).toBe('About Conv Lab');
    expect(message).toBe('Conv Lab');
    expect(detail.split('\n')).toEqual([
      'Version 0.1.0',
      'Electron 45.5.0 · Chromium 142.0.7444.59 · Node 24.11.1 · V8 14.2',
      'linux x64',
      'WebGPU adapter: google · swiftshader · SwiftShader Device (Subzero) (software, runs on the CPU; timestamp queries)',
      '',
      'Runs and datasets: /home/ada/.local/share/Conv Lab',
      'Log: /home/ada/.config/Conv Lab/logs/main.log',
    ]);
  });

  it('says where to look before the page has reported an adapter, and when there is none', () => {
    expect(adapterLine(undefined)).toBe('WebGPU adapter: see the Train view (not reported to this window yet)');
    expect(adapterLine(null)).toBe('WebGPU adapter: none found');
    expect(adapterLine({ ...swiftshader, vendor: 'nvidia', architecture: 'ampere', description: '', isSoftware: false, timestamps: false }))
      .toBe('WebGPU adapter: nvidia · ampere (no timestamp queries)');
  });

  it('keeps what the renderer reports only when it is an adapter summary', () => {
    const register = createAdapterRegister();
    expect(register.get()).toBeUndefined();
    register.report(swiftshader);
    expect(register.get()).toEqual(swiftshader);
    register.report(null);
    expect(register.get()).toBeNull();
    expect(() => register.report({ ...swiftshader, extra: 1 })).toThrow(/app\.reportAdapter: not an adapter summary/);
    expect(() => register.report({ ...swiftshader, description: 'x'.repeat(501) })).toThrow(/description/);
    expect(() => register.report('nvidia')).toThrow(/not an adapter summary/);
    expect(register.get()).toBeNull(); // a refused report changes nothing
  });

  it('shows the box modal to the window (or alone), and Copy puts the text on the clipboard', async () => {
    const shown: unknown[][] = [];
    const copied: string[] = [];
    let response = 1;
    const dialog = { showMessageBox: async (...args: unknown[]) => (shown.push(args), { response }) };
    const content = aboutContent(facts, swiftshader);
    await showAbout(dialog, 'main-window', content, (t) => void copied.push(t));
    expect(shown[0]![0]).toBe('main-window');
    expect(shown[0]![1]).toMatchObject({ type: 'info', buttons: ['OK', 'Copy'], detail: content.detail });
    expect(copied).toEqual([`Conv Lab\n${content.detail}`]);
    response = 0;
    await showAbout(dialog, null, content, (t) => void copied.push(t));
    expect(shown[1]).toHaveLength(1);
    expect(copied).toHaveLength(1);
  });
});
