// What the train flow asks of the Kernels panel (which conv kernel each layer and phase runs, and
// why) and of the autotune cache behind it, which lives in the page origin's IndexedDB: the
// worker that writes it shares the origin, so the page can read or damage it as a test needs.
import type { Page } from 'playwright-core';

export interface KernelRowSeen {
  layer: string;
  phase: string;
  why: string;
  algorithm: string;
  text: string;
}

/** The panel's rows as shown. */
export async function kernelRows(page: Page): Promise<KernelRowSeen[]> {
  return page.getByTestId('kernel-row').evaluateAll((rows) =>
    rows.map((r) => ({
      layer: r.getAttribute('data-layer') ?? '',
      phase: r.getAttribute('data-phase') ?? '',
      why: r.getAttribute('data-why') ?? '',
      algorithm: r.getAttribute('data-algorithm') ?? '',
      text: (r.textContent ?? '').replace(/\s+/g, ' ').trim(),
    })),
  );
}

/** From now on, notes whether the Train view ever says it is tuning (read with sawTuning): the
 *  'tuning' status before the first step (adapters without timestamp queries), or the note under
 *  the progress bar while the first steps time candidates. */
export async function watchForTuning(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __convlabSawTuning?: boolean; __convlabTuningWatch?: MutationObserver };
    w.__convlabSawTuning = false;
    w.__convlabTuningWatch?.disconnect();
    const check = (): void => {
      if (document.querySelector('[data-testid="train-status"]')?.getAttribute('data-status') === 'tuning') w.__convlabSawTuning = true;
      if (document.querySelector('[data-testid="train-tuning-steps"]')) w.__convlabSawTuning = true;
    };
    w.__convlabTuningWatch = new MutationObserver(check);
    w.__convlabTuningWatch.observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-status'], childList: true });
  });
}

export async function sawTuning(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { __convlabSawTuning?: boolean }).__convlabSawTuning === true);
}

// Where src/renderer/src/worker/indexedDbAutotuneStore.ts keeps the choices.
const DATABASE = 'convlab-autotune';
const STORE = 'autotune';
const RECORD = 'choices';

/** Replaces the stored autotune record with `value` (creating the database if needed). */
export async function writeAutotuneRecord(page: Page, value: unknown): Promise<void> {
  await page.evaluate(
    ([database, store, record, v]) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open(database);
        open.onupgradeneeded = () => {
          if (!open.result.objectStoreNames.contains(store)) open.result.createObjectStore(store);
        };
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(store, 'readwrite');
          tx.objectStore(store).put(v, record);
          tx.oncomplete = () => (db.close(), resolve());
          tx.onerror = () => (db.close(), reject(tx.error));
        };
      }),
    [DATABASE, STORE, RECORD, value] as const,
  );
}

/** The stored autotune record, or undefined when there is none. */
export async function readAutotuneRecord(page: Page): Promise<unknown> {
  return page.evaluate(
    ([database, store, record]) =>
      new Promise<unknown>((resolve, reject) => {
        const open = indexedDB.open(database);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains(store)) return (db.close(), resolve(undefined));
          const get = db.transaction(store, 'readonly').objectStore(store).get(record);
          get.onsuccess = () => (db.close(), resolve(get.result));
          get.onerror = () => (db.close(), reject(get.error));
        };
      }),
    [DATABASE, STORE, RECORD] as const,
  );
}
