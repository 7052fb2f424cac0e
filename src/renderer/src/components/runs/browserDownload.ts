// Browser mode's exports: the browser host streams the file at GET /api/export (token checked) and
// the browser saves it as a download, so nothing is written on the machine running the host.
//
// The page fetches the file first and saves it from a blob: a failed export (a run without
// checkpoints, a damaged file) then answers with the host's one-line reason shown in the page,
// where a plain link would have left the user a failed download with no explanation.
import type { RunExportRequest } from '../../../../shared/labApi';
import { tokenFromLocation } from '../../lab/wsClient';

export type DownloadRequest = Pick<RunExportRequest, 'format' | 'checkpoint' | 'kind'>;

export interface DownloadResult {
  fileName: string;
  bytes: number;
  checkpoint?: string;
  note?: string;
}

/** The route's URL for a run's export, relative to the page's origin. */
export function exportDownloadUrl(token: string, id: string, request: DownloadRequest): string {
  const query = new URLSearchParams({ token, run: id, format: request.format });
  if (request.checkpoint && request.format !== 'csv') query.set('checkpoint', request.checkpoint);
  if (request.kind && request.format === 'csv') query.set('kind', request.kind);
  return `/api/export?${query}`;
}

/** The file name of a Content-Disposition header (the host sends a plain ASCII one). */
export function attachmentName(header: string | null, fallback: string): string {
  const match = header ? /filename="([^"]+)"/.exec(header) : null;
  return match?.[1] ?? fallback;
}

export async function downloadExport(id: string, request: DownloadRequest): Promise<DownloadResult> {
  const token = tokenFromLocation(window.location);
  if (token === null) throw new Error('This page has no Conv Lab token in its address; open the URL that `convlab web` printed');
  let res: Response;
  try {
    res = await fetch(exportDownloadUrl(token, id, request), { cache: 'no-store' });
  } catch (e) {
    throw new Error(`The Conv Lab host did not answer (${(e as Error).message}); is \`convlab web\` still running?`, { cause: e });
  }
  if (!res.ok) throw new Error((await res.text()).trim() || `The host refused the export (HTTP ${res.status})`);
  const blob = await res.blob();
  const fileName = attachmentName(res.headers.get('Content-Disposition'), `${id}.${request.format}`);
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken its copy once click() returns; a moment's grace for slow browsers.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  const checkpoint = res.headers.get('X-Convlab-Checkpoint');
  const note = res.headers.get('X-Convlab-Note');
  return { fileName, bytes: blob.size, ...(checkpoint ? { checkpoint } : {}), ...(note ? { note: decodeURIComponent(note) } : {}) };
}
