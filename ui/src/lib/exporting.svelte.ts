// One report export at a time: ask for the path in the native save dialog (filtered to the
// format), let the core render and write it, show that it runs, and let the user cancel it.
// A cancelled export writes nothing; the core checks before it writes.

import { api, asApiError, type ApiError } from './api';
import type { ExportFormat, Names, ReportKind } from './bindings';

export interface ExportRequest {
  report: ReportKind;
  format: ExportFormat;
  from: string;
  to: string;
  names: Names;
  /** The save dialog's title and suggested file name. */
  title: string;
  fileName: string;
}

export type ExportResult =
  | { kind: 'saved'; path: string }
  | { kind: 'cancelled' }
  | { kind: 'failed'; error: ApiError }
  | { kind: 'dismissed' };

let nextJob = 1;

export class Exporter {
  /** The export running now (its request), or null. */
  running = $state<ExportRequest | null>(null);
  /** What the last export ended with; null while none ended yet or one runs. */
  last = $state<ExportResult | null>(null);
  private job = 0;

  async run(req: ExportRequest): Promise<ExportResult> {
    if (this.running) return { kind: 'dismissed' };
    this.last = null;
    let path: string | null;
    try {
      path = await api.pickExportFile(req.title, req.fileName, req.format);
    } catch (e) {
      return (this.last = { kind: 'failed', error: asApiError(e) });
    }
    if (!path) return { kind: 'dismissed' };
    this.job = nextJob++;
    this.running = req;
    try {
      const outcome = await api.exportReport(
        this.job,
        req.report,
        req.format,
        req.from,
        req.to,
        req.names,
        path,
      );
      this.last = outcome === 'saved' ? { kind: 'saved', path } : { kind: 'cancelled' };
    } catch (e) {
      this.last = { kind: 'failed', error: asApiError(e) };
    } finally {
      this.running = null;
    }
    return this.last;
  }

  /** Asks the running export to stop before it writes. */
  async cancel(): Promise<void> {
    if (this.running) await api.cancelExport(this.job).catch(() => undefined);
  }
}
