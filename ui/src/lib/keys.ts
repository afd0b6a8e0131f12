// Keyboard shortcuts: Ctrl on Linux and Windows, Cmd on macOS. Matched by `event.code` (the key's
// place), not `event.key`: on a Mac, Option+1 types `¡`, and layouts differ in what a key types.

export const isMac =
  typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

/** `Strg+K` / `Ctrl+K` / `⌘K`, for tooltips and hints. */
export function shortcut(key: string, language: 'de' | 'en'): string {
  if (isMac) return `⌘${key}`;
  return `${language === 'de' ? 'Strg' : 'Ctrl'}+${key}`;
}

export function altShortcut(key: string): string {
  return isMac ? `⌥${key}` : `Alt+${key}`;
}

/** The `event.code` of a letter or digit key: `KeyK`, `Digit1`. */
function codeOf(key: string): string {
  return /^[0-9]$/.test(key) ? `Digit${key}` : `Key${key.toUpperCase()}`;
}

/** True for Ctrl+key (Cmd+key on macOS), without Alt or Shift. */
export function isCommand(e: KeyboardEvent, key: string): boolean {
  const mod = isMac ? e.metaKey : e.ctrlKey;
  return mod && !e.altKey && !e.shiftKey && e.code === codeOf(key);
}

/** The digit of Alt+1…9 (Option on macOS), or null. */
export function altDigit(e: KeyboardEvent): number | null {
  if (!e.altKey || e.ctrlKey || e.metaKey) return null;
  const m = /^Digit([1-9])$/.exec(e.code);
  return m ? Number(m[1]) : null;
}

/**
 * The browser's own shortcuts, which a practice manager must not obey: reloading (it would drop
 * what is typed but not saved yet), printing the page, finding in the page, zooming, history
 * navigation, the source view and the developer tools.
 */
export function isBrowserAccelerator(e: KeyboardEvent): boolean {
  const mod = isMac ? e.metaKey : e.ctrlKey;
  if (e.code === 'F5' || e.code === 'BrowserRefresh' || e.code === 'F12' || e.code === 'F7') return true;
  if (e.code === 'BrowserBack' || e.code === 'BrowserForward') return true;
  if (e.altKey && !mod && (e.code === 'ArrowLeft' || e.code === 'ArrowRight') && !isEditable(e.target))
    return true;
  if (!mod) return false;
  if (['KeyR', 'KeyP', 'KeyU', 'KeyG', 'KeyJ', 'KeyH', 'KeyN', 'KeyT', 'KeyW'].includes(e.code)) return true;
  if (e.code === 'KeyF' && !e.shiftKey) return true;
  if (e.shiftKey && ['KeyI', 'KeyC', 'KeyJ', 'KeyM', 'Delete'].includes(e.code)) return true;
  return ['Equal', 'Minus', 'Digit0', 'NumpadAdd', 'NumpadSubtract', 'Numpad0'].includes(e.code);
}

/** A place where typing happens: there the WebView's own context menu (cut, copy, paste) stays. */
export function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement) return !target.readOnly;
  if (target instanceof HTMLInputElement) {
    return (
      !target.readOnly && !['button', 'checkbox', 'radio', 'submit', 'reset', 'file'].includes(target.type)
    );
  }
  return false;
}
