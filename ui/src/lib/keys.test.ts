import { describe, expect, it } from 'vitest';
import { altDigit, isBrowserAccelerator, isCommand, isEditable } from './keys';

const key = (code: string, mods: Partial<KeyboardEventInit> = {}, key = '') =>
  new KeyboardEvent('keydown', { code, key, ...mods });

describe('shortcuts by the key, not the character it types', () => {
  it('matches Ctrl+K by its place, whatever the layout types', () => {
    expect(isCommand(key('KeyK', { ctrlKey: true }, 'k'), 'k')).toBe(true);
    expect(isCommand(key('KeyK', { ctrlKey: true, shiftKey: true }, 'K'), 'k')).toBe(false);
    expect(isCommand(key('KeyL', { ctrlKey: true }, 'k'), 'k')).toBe(false);
  });

  it('reads Alt+digit from the code: Option+1 on a Mac types ¡', () => {
    expect(altDigit(key('Digit1', { altKey: true }, '¡'))).toBe(1);
    expect(altDigit(key('Digit6', { altKey: true }, '¶'))).toBe(6);
    expect(altDigit(key('Digit1', { altKey: true, ctrlKey: true }))).toBeNull();
    expect(altDigit(key('KeyA', { altKey: true }))).toBeNull();
    expect(altDigit(key('Digit1'))).toBeNull();
  });
});

describe('the browser’s own shortcuts are refused', () => {
  it('refuses reload, print, find, zoom and the developer tools', () => {
    for (const e of [
      key('F5'),
      key('KeyR', { ctrlKey: true }),
      key('KeyR', { ctrlKey: true, shiftKey: true }),
      key('KeyP', { ctrlKey: true }),
      key('KeyF', { ctrlKey: true }),
      key('Equal', { ctrlKey: true }),
      key('Minus', { ctrlKey: true }),
      key('KeyI', { ctrlKey: true, shiftKey: true }),
      key('F12'),
    ])
      expect(isBrowserAccelerator(e), e.code).toBe(true);
  });

  it('lets typing and the app’s own shortcuts through', () => {
    for (const e of [
      key('KeyR'),
      key('KeyR', { shiftKey: true }),
      key('KeyK', { ctrlKey: true }),
      key('KeyL', { ctrlKey: true }),
      key('KeyC', { ctrlKey: true }),
      key('KeyV', { ctrlKey: true }),
      key('KeyZ', { ctrlKey: true }),
      key('Digit1', { altKey: true }),
      key('Enter'),
    ])
      expect(isBrowserAccelerator(e), e.code).toBe(false);
  });
});

describe('where the context menu stays', () => {
  it('is a text field or an editable area, not a button or the page', () => {
    const text = document.createElement('input');
    const box = document.createElement('input');
    box.type = 'checkbox';
    const area = document.createElement('textarea');
    const readOnly = document.createElement('textarea');
    readOnly.readOnly = true;
    expect(isEditable(text)).toBe(true);
    expect(isEditable(area)).toBe(true);
    expect(isEditable(box)).toBe(false);
    expect(isEditable(readOnly)).toBe(false);
    expect(isEditable(document.createElement('div'))).toBe(false);
    expect(isEditable(null)).toBe(false);
  });
});
