// The LabApi contract: the only door between the renderer and the rest of the app.
//
// Shape: one nested object of domains (`app`, later `datasets`, `runs`, `settings`), each holding
// async domain verbs, plus `events.on` for pushes from the host. The same type is served by
// three hosts (Electron IPC through the preload, the browser-mode WebSocket host, and direct
// calls in tests), so everything here is plain data and types: no Node, no side effects.
//
// To add a method: add it to the domain interface below AND to LAB_METHODS (the compiler
// refuses a LAB_METHODS that misses a method), then register a handler in main with the
// channel name `labChannel(domain, method)`. Channel names and argument/result types are
// derived from LabApi, so the three hosts cannot drift apart silently.

/** What the renderer shows in "About" and in bug reports. */
export interface AppInfo {
  /** Conv Lab's own version (package.json). */
  version: string;
  /** Electron version, or an empty string when not running inside Electron. */
  electron: string;
  /** Chromium version, or an empty string when the host is not Chromium. */
  chrome: string;
  /** Node's process.platform of the host: 'linux', 'darwin', 'win32', ... */
  platform: string;
}

export interface AppDomain {
  info(): Promise<AppInfo>;
}

/** Pushes from the host to the renderer, keyed by channel name. */
export interface LabEvents {
  /**
   * Chromium's GPU process died (driver crash, device removed, out of memory). Any GPUDevice
   * the renderer holds is lost; the UI should say so and offer to restart training.
   */
  'app.gpuProcessGone': { reason: string; exitCode: number };
}

export type LabEventChannel = keyof LabEvents;

export interface LabEventsDomain {
  /** Subscribe to a host push; returns the function that unsubscribes. */
  on<C extends LabEventChannel>(channel: C, callback: (payload: LabEvents[C]) => void): () => void;
}

export interface LabApi {
  app: AppDomain;
  events: LabEventsDomain;
}

/** Domains whose members are request/response methods (everything but `events`). */
export type LabDomain = Exclude<keyof LabApi, 'events'>;

/** 'app.info', ... : one name per method, derived from LabApi. */
export type LabMethodName = {
  [D in LabDomain]: `${D}.${keyof LabApi[D] & string}`;
}[LabDomain];

type MethodOf<N extends LabMethodName> = N extends `${infer D}.${infer M}`
  ? D extends LabDomain
    ? M extends keyof LabApi[D]
      ? LabApi[D][M]
      : never
    : never
  : never;

/** Arguments of a method as a tuple, e.g. LabArgs<'app.info'> = []. */
export type LabArgs<N extends LabMethodName> = MethodOf<N> extends (...args: infer A) => unknown ? A : never;

/** Resolved result of a method, e.g. LabResult<'app.info'> = AppInfo. */
export type LabResult<N extends LabMethodName> = MethodOf<N> extends (...args: never[]) => infer R ? Awaited<R> : never;

/**
 * The runtime list of methods, needed by hosts that build the API object (the preload cannot
 * read TypeScript types). The mapped type makes a missing or misspelled method a compile error.
 */
export const LAB_METHODS: { readonly [D in LabDomain]: { readonly [M in keyof LabApi[D]]: true } } = {
  app: { info: true },
};

/** The runtime list of event channels the preload lets the renderer subscribe to. */
export const LAB_EVENT_CHANNELS: readonly LabEventChannel[] = ['app.gpuProcessGone'];

/** Prefix that keeps our IPC channels apart from Electron's and from other libraries'. */
export const LAB_IPC_PREFIX = 'lab:';

/** IPC channel of a method: 'lab:app.info'. */
export function labChannel(name: LabMethodName): string {
  return LAB_IPC_PREFIX + name;
}

/** IPC channel of a host push: 'lab:event:app.gpuProcessGone'. */
export function labEventChannel(channel: LabEventChannel): string {
  return `${LAB_IPC_PREFIX}event:${channel}`;
}

/** Every method name listed in LAB_METHODS, e.g. ['app.info']. */
export function labMethodNames(): LabMethodName[] {
  const names: string[] = [];
  for (const [domain, methods] of Object.entries(LAB_METHODS)) {
    for (const method of Object.keys(methods)) names.push(`${domain}.${method}`);
  }
  return names as LabMethodName[];
}

// Lets renderer code write `window.lab.app.info()` with full types. The preload (Electron) or
// the browser-mode bootstrap is what actually puts the object there.
declare global {
  interface Window {
    lab: LabApi;
  }
}
