// CPU tier: what the header tells the host about the adapter (lab.app.reportAdapter's argument),
// checked against the host's own argument schema.
import { describe, expect, it } from 'vitest';
import { adapterReportOf } from '../../src/renderer/src/components/shell/adapterProbe';
import { labArgSchemas } from '../../src/shared/labSchemas';

describe('adapterReportOf', () => {
  const schema = labArgSchemas('electron')['app.reportAdapter'];

  it('reports a found adapter in the shape both hosts accept', () => {
    const report = adapterReportOf({ kind: 'ok', vendor: 'google', architecture: 'swiftshader', description: '', software: true, timestamps: true });
    expect(report).toEqual({ vendor: 'google', architecture: 'swiftshader', description: '', isSoftware: true, timestamps: true });
    expect(schema.safeParse([report]).success).toBe(true);
  });

  it('reports null without an adapter, and nothing while still checking', () => {
    for (const kind of ['no-webgpu', 'no-adapter'] as const) expect(adapterReportOf({ kind })).toBeNull();
    expect(adapterReportOf({ kind: 'error', message: 'boom' })).toBeNull();
    expect(adapterReportOf({ kind: 'checking' })).toBeUndefined();
    expect(schema.safeParse([null]).success).toBe(true);
  });

  it('cuts strings a driver made too long for the schema', () => {
    const report = adapterReportOf({ kind: 'ok', vendor: 'v'.repeat(300), architecture: '', description: 'd'.repeat(900), software: false, timestamps: false });
    expect(schema.safeParse([report]).success).toBe(true);
  });
});
