// Tokens of the compact text form. Columns are 1-based so that error messages match what an
// editor shows. `3x5` is one token (a size) so that `x` never reads as a name.

import { ModelSyntaxError } from './errors';

export type TokenKind = 'name' | 'number' | 'size' | '(' | ')' | ',' | '=' | ';' | 'end';

export interface Token {
  kind: TokenKind;
  text: string;
  column: number;
  /** number: its value; size: [h, w]. */
  value?: number | [number, number];
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const SIZE = /(\d+)x(\d+)(?![A-Za-z0-9_.])/y;
const NUMBER = /[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?![A-Za-z0-9_.])/y;
const SPACE = /\s+/y;

function matchAt(re: RegExp, text: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(text);
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const space = matchAt(SPACE, text, at);
    if (space) {
      at += space[0].length;
      continue;
    }
    const column = at + 1;
    const ch = text[at]!;
    if (ch === '(' || ch === ')' || ch === ',' || ch === '=' || ch === ';') {
      tokens.push({ kind: ch, text: ch, column });
      at += 1;
      continue;
    }
    const size = matchAt(SIZE, text, at);
    if (size) {
      tokens.push({ kind: 'size', text: size[0], column, value: [Number(size[1]), Number(size[2])] });
      at += size[0].length;
      continue;
    }
    const num = matchAt(NUMBER, text, at);
    if (num) {
      tokens.push({ kind: 'number', text: num[0], column, value: Number(num[0]) });
      at += num[0].length;
      continue;
    }
    const name = matchAt(NAME, text, at);
    if (name) {
      tokens.push({ kind: 'name', text: name[0], column });
      at += name[0].length;
      continue;
    }
    // A number glued to letters (`3q`, `1.2.3`) lands here too: report the whole word.
    const word = /[^\s(),=;]+/y;
    const bad = matchAt(word, text, at)![0];
    const detail = /^[-+.\d]/.test(bad) ? `"${bad}" is not a number or a size like 3x5` : `unexpected character "${ch}"`;
    throw new ModelSyntaxError(column, /^[-+.\d]/.test(bad) ? bad : ch, detail);
  }
  tokens.push({ kind: 'end', text: '', column: text.length + 1 });
  return tokens;
}
