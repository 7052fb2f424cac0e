// The shell in the real browser: the page loads from the browser host without errors, WebGPU has an
// adapter, and every view opens from its nav button. One screenshot per view, even when empty.
import { describe, expect, it } from 'vitest';
import { useLab } from './lab';
import { goTo, type View } from './pageHelpers';

const lab = useLab();
const VIEWS: View[] = ['datasets', 'model', 'train', 'runs', 'inspect', 'kernels'];

describe('shell', () => {
  it('loads from the browser host and finds a WebGPU adapter', async () => {
    const { page, adapter } = lab();
    expect(await page.title()).toBe('Conv Lab');
    expect(adapter.vendor || adapter.architecture || adapter.description).not.toBe('');
  });

  it.each(VIEWS)('opens the %s view from its nav button', async (view) => {
    const { page, screenshot } = lab();
    await goTo(page, view);
    // The nav button of the open view says so to assistive tech (aria-current), which is also
    // how a test knows the click landed.
    await page.waitForFunction((id) => {
      const el = document.querySelector(`[data-testid="${id}"]`);
      return el?.getAttribute('aria-current') === 'page' || el?.getAttribute('aria-selected') === 'true' || el?.classList.contains('active');
    }, `nav-${view}`, { timeout: 15_000 });
    await screenshot(`empty-${view}`);
  });
});
