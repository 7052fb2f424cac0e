// What a store that drives long work from this page (a training run, a sweep) needs from the page
// itself: one id remembered across a reload of this tab (sessionStorage, so another tab or window
// starts clean), and a question before the page is left or reloaded while the work is active —
// leaving interrupts it; the host keeps what was saved.
import type { Ref } from 'vue';

export interface RememberedId {
  read(): string | null;
  remember(id: string): void;
  forget(): void;
}

/** The id under `key` in this tab's sessionStorage (nothing outside a browser page). */
export function rememberedId(key: string): RememberedId {
  const storage = (): Storage | null => (typeof sessionStorage !== 'undefined' ? sessionStorage : null);
  return {
    read: () => storage()?.getItem(key) ?? null,
    remember: (id) => storage()?.setItem(key, id),
    forget: () => storage()?.removeItem(key),
  };
}

/** Asks the browser to confirm leaving or reloading while `active` is true. */
export function confirmLeavingWhile(active: Readonly<Ref<boolean>>): void {
  if (typeof window === 'undefined') return;
  window.addEventListener('beforeunload', (event) => {
    if (!active.value) return;
    event.preventDefault();
    event.returnValue = '';
  });
}
