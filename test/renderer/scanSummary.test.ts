// CPU tier: the sentences the import form and report say about a folder scan.
import { describe, expect, it } from 'vitest';
import { colourText, proposalText, scanHeadline, sizeList } from '../../src/renderer/src/components/datasets/scanSummary';
import type { FolderScanReport } from '../../src/shared/labApi';

const scan: FolderScanReport = {
  scanId: 'scan-000000000000000000000000', path: '/data/pets', layout: 'image-folder',
  classes: [{ name: 'cats', files: 300 }, { name: 'dogs', files: 1800 }], files: 2100, probed: 1000,
  sizes: [{ width: 48, height: 48, count: 990 }, { width: 64, height: 48, count: 10 }], color: 1000, grey: 0,
  proposed: { size: 48, channels: 3 }, skipped: [],
};

describe('scan summary', () => {
  it('says classes, files and when sizes come from a sample', () => {
    expect(scanHeadline(scan)).toBe('2 classes · 2,100 image files · sizes from a sample of 1,000');
    expect(scanHeadline({ ...scan, probed: 2100 })).toBe('2 classes · 2,100 image files');
    expect(scanHeadline({ ...scan, layout: 'idx', files: 1 })).toMatch(/^MNIST IDX files \(1 images file\)/);
  });

  it('lists the common sizes first and counts the rest', () => {
    expect(sizeList(scan)).toBe('48×48 (990), 64×48 (10)');
    expect(sizeList(scan, 1)).toBe('48×48 (990), 1 more size');
  });

  it('tells colour, grey and mixed folders apart', () => {
    expect(colourText(scan)).toBe('colour (all 1,000)');
    expect(colourText({ color: 0, grey: 5 })).toBe('grey (all 5)');
    expect(colourText({ color: 2, grey: 5 })).toMatch(/^mixed: 2 colour, 5 grey/);
    expect(colourText({ color: 0, grey: 0 })).toMatch(/unknown/);
    expect(proposalText(scan)).toBe('48 px, 3 channels (RGB)');
  });
});
