// Saves documentation as the user types: after a short pause, at the latest every few seconds
// while typing goes on, and at once when asked (leaving the page, locking, closing the window).
// Every pending saver is registered, so `flushAll` can wait for all of them before a lock.

export type SaveState = 'idle' | 'pending' | 'saving' | 'saved' | 'error';

export interface AutosaveOptions {
  /** Save this long after the last keystroke. */
  pauseMs?: number;
  /** …but never later than this after the first unsaved keystroke. */
  maxWaitMs?: number;
  onState?: (s: SaveState, error?: unknown) => void;
}

const live = new Set<Autosave>();

export class Autosave {
  private text: string | null = null;
  private saved: string;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private firstPending = 0;
  private running: Promise<void> = Promise.resolve();
  private readonly pauseMs: number;
  private readonly maxWaitMs: number;

  constructor(
    initial: string,
    private readonly save: (text: string) => Promise<unknown>,
    private readonly opts: AutosaveOptions = {},
  ) {
    this.saved = initial;
    this.pauseMs = opts.pauseMs ?? 800;
    this.maxWaitMs = opts.maxWaitMs ?? 5000;
    live.add(this);
  }

  /** The user changed the text. */
  change(text: string) {
    this.text = text;
    if (text === this.saved) {
      this.clearTimer();
      this.opts.onState?.('saved');
      return;
    }
    const now = Date.now();
    if (this.timer === null) this.firstPending = now;
    this.clearTimer();
    const wait = Math.max(0, Math.min(this.pauseMs, this.firstPending + this.maxWaitMs - now));
    this.timer = setTimeout(() => void this.flush(), wait);
    this.opts.onState?.('pending');
  }

  get dirty(): boolean {
    return this.text !== null && this.text !== this.saved;
  }

  /** Saves what is pending now; resolves when it is stored (or failed). */
  flush(): Promise<void> {
    this.clearTimer();
    this.running = this.running.then(async () => {
      const text = this.text;
      if (text === null || text === this.saved) return;
      this.opts.onState?.('saving');
      try {
        await this.save(text);
        this.saved = text;
        this.opts.onState?.(this.text === text ? 'saved' : 'pending');
      } catch (e) {
        this.opts.onState?.('error', e);
      }
    });
    return this.running;
  }

  /** Saves what is pending and stops listening. */
  async dispose(): Promise<void> {
    await this.flush();
    live.delete(this);
  }

  private clearTimer() {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }
}

/** Saves every editor's pending text; called before locking or closing. */
export async function flushAll(): Promise<void> {
  await Promise.all([...live].map((a) => a.flush()));
}
