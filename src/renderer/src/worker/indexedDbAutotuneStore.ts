// The app's autotune store: the per-adapter kernel choices (engine/webgpu/autotune/autotuner.ts)
// kept in the worker's IndexedDB, so the next launch starts tuned, as the CLI's
// <home>/cache/autotune.json does for the command line. IndexedDB because a worker has no
// localStorage, and the record is one small object replaced whole.
//
// The store is a cache, never a reason to fail: a missing, unreadable or corrupt record loads as
// null (tune again), a failed write is remembered for the UI to mention, and an IndexedDB that
// never answers (blocked by another tab's upgrade, a wedged profile) is given up on after a few
// seconds instead of stalling training.

import { z } from 'zod';
import type { AutotuneFile, AutotuneStore } from '../../../engine/webgpu/autotune/autotuner';

const DATABASE = 'convlab-autotune';
const STORE = 'autotune';
/** The one record: the whole AutotuneFile, every adapter's choices in it. */
const RECORD = 'choices';
const GIVE_UP_MS = 5_000;

const candidate = z.object({ name: z.string(), ms: z.number().nullable().catch(null), rejected: z.string().optional().catch(undefined) });
const entry = z.object({ phase: z.string(), choice: z.string().min(1), candidates: z.array(candidate) });

/**
 * The stored value as an AutotuneFile, or null when it is not one. Entries that do not parse
 * are dropped one by one, so a record damaged in one place keeps its other choices; unknown
 * fields are dropped too, so nothing odd reaches the engine or the UI.
 */
export function parseAutotuneRecord(value: unknown): AutotuneFile | null {
  if (typeof value !== 'object' || value === null) return null;
  const { version, adapters } = value as { version?: unknown; adapters?: unknown };
  if (version !== 1 || typeof adapters !== 'object' || adapters === null || Array.isArray(adapters)) return null;
  const file: AutotuneFile = { version: 1, adapters: {} };
  for (const [adapter, problems] of Object.entries(adapters)) {
    if (typeof problems !== 'object' || problems === null || Array.isArray(problems)) continue;
    const kept: AutotuneFile['adapters'][string] = {};
    for (const [key, choice] of Object.entries(problems)) {
      const parsed = entry.safeParse(choice);
      if (parsed.success) kept[key] = parsed.data;
    }
    file.adapters[adapter] = kept;
  }
  return file;
}

export class IndexedDbAutotuneStore implements AutotuneStore {
  /** Why the last save did not reach IndexedDB (null after one that did). */
  lastSaveError: string | null = null;

  constructor(
    private readonly factory: IDBFactory | undefined = globalThis.indexedDB,
    readonly database = DATABASE,
    private readonly giveUpMs = GIVE_UP_MS,
  ) {}

  async load(): Promise<AutotuneFile | null> {
    try {
      const value = await this.withStore('readonly', (store) => store.get(RECORD));
      return parseAutotuneRecord(value);
    } catch {
      return null;
    }
  }

  async save(file: AutotuneFile): Promise<void> {
    try {
      // A JSON round trip: the record must be plain data (structured clone refuses proxies).
      const plain = JSON.parse(JSON.stringify(file)) as AutotuneFile;
      await this.withStore('readwrite', (store) => store.put(plain, RECORD));
      this.lastSaveError = null;
    } catch (error) {
      this.lastSaveError = error instanceof Error ? error.message : String(error);
    }
  }

  /** Runs one request in its own transaction and resolves once that transaction committed. */
  private async withStore(mode: IDBTransactionMode, request: (store: IDBObjectStore) => IDBRequest): Promise<unknown> {
    const db = await this.open();
    try {
      return await this.deadline(new Promise<unknown>((resolve, reject) => {
        const tx = db.transaction(STORE, mode);
        const req = request(tx.objectStore(STORE));
        tx.oncomplete = () => resolve(req.result);
        tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
        tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
      }));
    } finally {
      db.close();
    }
  }

  /** Opens the database with its object store, creating (or, if someone deleted it, recreating) the store. */
  private async open(version?: number): Promise<IDBDatabase> {
    if (!this.factory) throw new Error('IndexedDB is not available here');
    const factory = this.factory;
    const opening = new Promise<IDBDatabase>((resolve, reject) => {
      const req = version === undefined ? factory.open(this.database) : factory.open(this.database, version);
      req.onupgradeneeded = () => {
        if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE);
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('IndexedDB could not be opened'));
      req.onblocked = () => reject(new Error('IndexedDB is blocked by another connection'));
    });
    const db = await this.deadline(opening).catch((error: unknown) => {
      // Given up on: should it open after all, close it rather than hold the database open.
      opening.then((late) => late.close(), () => undefined);
      throw error;
    });
    if (db.objectStoreNames.contains(STORE)) return db;
    // The database exists without our store (made by something else): one upgrade adds it.
    const next = db.version + 1;
    db.close();
    if (version !== undefined) throw new Error(`IndexedDB database ${this.database} has no "${STORE}" store`);
    return this.open(next);
  }

  private deadline<T>(work: Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`IndexedDB did not answer within ${this.giveUpMs / 1000} s`)), this.giveUpMs);
    });
    return Promise.race([work, late]).finally(() => clearTimeout(timer));
  }
}
