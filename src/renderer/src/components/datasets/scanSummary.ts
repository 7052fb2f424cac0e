// Sentences about a folder scan (lab.datasets.scanFolder) for the import form and report. Pure:
// unit-tested in test/renderer.
import type { FolderScanReport } from '../../../../shared/labApi';
import { formatCount } from '../shell/format';

/** "48×48 (470), 64×48 (10)": the most common declared sizes, at most `limit`. */
export function sizeList(scan: Pick<FolderScanReport, 'sizes'>, limit = 4): string {
  const shown = scan.sizes.slice(0, limit).map((s) => `${s.width}×${s.height} (${formatCount(s.count)})`);
  const more = scan.sizes.length - limit;
  return shown.join(', ') + (more > 0 ? `, ${more} more size${more === 1 ? '' : 's'}` : '');
}

/** "colour (all 480)", "grey (470 of 480)", "mixed: 10 colour, 470 grey". */
export function colourText(scan: Pick<FolderScanReport, 'color' | 'grey'>): string {
  const total = scan.color + scan.grey;
  if (total === 0) return 'unknown (no readable image)';
  if (scan.grey === 0) return `colour (all ${formatCount(total)})`;
  if (scan.color === 0) return `grey (all ${formatCount(total)})`;
  return `mixed: ${formatCount(scan.color)} colour, ${formatCount(scan.grey)} grey (imported as colour)`;
}

/** One line: "4 classes · 480 images · headers of 480 read". */
export function scanHeadline(scan: FolderScanReport): string {
  if (scan.layout === 'idx') return `MNIST IDX files (${scan.files} images file${scan.files === 1 ? '' : 's'}): imported as IDX at their stored size`;
  const parts = [
    `${scan.classes.length} class${scan.classes.length === 1 ? '' : 'es'}`,
    `${formatCount(scan.files)} image file${scan.files === 1 ? '' : 's'}`,
  ];
  if (scan.probed < scan.files) parts.push(`sizes from a sample of ${formatCount(scan.probed)}`);
  return parts.join(' · ');
}

/** The proposal in words: "48 px, 3 channels (colour)". */
export function proposalText(scan: FolderScanReport): string {
  const p = scan.proposed;
  return `${p.size} px, ${p.channels === 3 ? '3 channels (RGB)' : '1 channel (grey)'}`;
}
