// Paths typed into the browser-mode import form: one per line (or separated by commas when
// pasted on one line), blanks dropped. A path with a comma in it goes on its own line.

export function splitPaths(text: string): string[] {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length === 1 && lines[0]!.includes(',')) return lines[0]!.split(',').map((p) => p.trim()).filter((p) => p !== '');
  return lines;
}
