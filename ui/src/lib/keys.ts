// Keyboard shortcuts: Ctrl on Linux and Windows, Cmd on macOS.

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

/** True for Ctrl+key (Cmd+key on macOS), without Alt or Shift. */
export function isCommand(e: KeyboardEvent, key: string): boolean {
  const mod = isMac ? e.metaKey : e.ctrlKey;
  return mod && !e.altKey && !e.shiftKey && e.key.toLowerCase() === key;
}
