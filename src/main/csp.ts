// The Content-Security-Policy of the renderer. It is sent as a response header by the app
// scheme handler and repeated as a <meta> tag in src/renderer/index.html (so that dev mode and
// browser mode, which are not served by our handler, get it too). test/main/csp.test.ts keeps
// the two in sync.

const DIRECTIVES: Record<string, string[]> = {
  'default-src': ["'self'"],
  // No 'unsafe-eval' and no inline scripts: Vue's runtime build and ECharts need neither.
  'script-src': ["'self'"],
  // The training worker is a bundled file ('self'); blob: covers workers Vite inlines.
  'worker-src': ["'self'", 'blob:'],
  // ECharts writes its tooltip as HTML with style="..." attributes, which CSP counts as
  // inline style; styles cannot run code, so this is the one relaxation.
  'style-src': ["'self'", "'unsafe-inline'"],
  // Dataset previews and chart exports are drawn to canvases and shown as data:/blob: URLs.
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  // 'self' also matches ws: on the same host, which the dev server's hot reload uses.
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-src': ["'none'"],
};

export const CONTENT_SECURITY_POLICY = Object.entries(DIRECTIVES)
  .map(([name, sources]) => `${name} ${sources.join(' ')}`)
  .join('; ');
