import { describe, expect, it } from 'vitest';
import { choiceFlag, expectPositionals, numberFlag, parseCommandArgs, parsedFlag, stringFlag, booleanFlag, UsageError } from '../../src/cli/args';
import { createProgress } from '../../src/cli/progress';

const flags = { name: { type: 'string' as const }, json: { type: 'boolean' as const }, size: { type: 'string' as const } };

describe('parseCommandArgs', () => {
  it('takes --flag value, --flag=value, booleans and positionals', () => {
    const a = parseCommandArgs(['PATH', '--name', 'x y', '--size=28', '--json'], flags);
    expect(a.positionals).toEqual(['PATH']);
    expect([stringFlag(a, 'name'), numberFlag(a, 'size', { integer: true }), booleanFlag(a, 'json')]).toEqual(['x y', 28, true]);
  });

  it('names unknown flags with the known ones, and flags missing a value', () => {
    expect(() => parseCommandArgs(['--nmae', 'x'], flags)).toThrow(new UsageError('unknown option --nmae (known: --name, --json, --size)'));
    expect(() => parseCommandArgs(['--name'], flags)).toThrow('--name needs a value');
    expect(() => parseCommandArgs(['--json=yes'], flags)).toThrow('--json takes no value');
  });

  it('checks numbers and choices', () => {
    const a = parseCommandArgs(['--size', '2.5', '--name', 'zoom'], flags);
    expect(() => numberFlag(a, 'size', { integer: true, min: 1 })).toThrow('--size must be a whole number of at least 1, got "2.5"');
    expect(numberFlag(a, 'size')).toBe(2.5);
    expect(() => choiceFlag(a, 'name', ['resize', 'pad'])).toThrow('--name must be one of resize, pad, got "zoom"');
    expect(() => numberFlag(parseCommandArgs(['--size', ''], flags), 'size')).toThrow(/--size must be a number/);
  });

  it('refuses missing and extra positionals by name', () => {
    expect(() => expectPositionals([], ['ID'], 'x show ID')).toThrow('missing ID; usage: x show ID');
    expect(() => expectPositionals(['a', 'b'], ['ID'], 'x show ID')).toThrow('unexpected argument "b"; usage: x show ID');
  });
});

describe('createProgress', () => {
  it('draws one bar in place on a terminal and ends its line', () => {
    const out: string[] = [];
    let t = 0;
    const p = createProgress({ isTTY: true, columns: 80, write: (s) => out.push(s) }, 'importing', () => t);
    p.update(0, 10);
    t = 10;
    p.update(5, 10); // within the redraw interval: skipped
    t = 100;
    p.update(10, 10, 2);
    p.finish();
    expect(out).toHaveLength(3);
    expect(out[1]).toMatch(/^\r\x1b\[2K\[#{30}\] 100% importing 10\/10 \(2 skipped\)$/);
    expect(out[2]).toBe('\n');
  });

  it('writes plain lines at each tenth when not on a terminal', () => {
    const out: string[] = [];
    const p = createProgress({ isTTY: false, write: (s) => out.push(s) }, 'importing');
    for (let i = 0; i <= 100; i++) p.update(i, 100);
    p.finish();
    expect(out).toHaveLength(11);
    expect(out[10]).toBe('importing 100/100 (100%)\n');
    expect(out.join('')).not.toContain('\r');
  });
});

describe('parsedFlag', () => {
  it('turns a value parser\'s complaint into a UsageError naming the flag', () => {
    const specs = { schedule: { type: 'string' as const } };
    const parse = (raw: string) => {
      if (raw !== 'ok') throw new Error(`bad "${raw}"`);
      return 1;
    };
    expect(parsedFlag(parseCommandArgs(['--schedule', 'ok'], specs), 'schedule', parse)).toBe(1);
    expect(parsedFlag(parseCommandArgs([], specs), 'schedule', parse)).toBeUndefined();
    expect(() => parsedFlag(parseCommandArgs(['--schedule', 'x'], specs), 'schedule', parse)).toThrow(new UsageError('--schedule: bad "x"'));
  });
});
