// Two revisions side by side: the older one with what was removed marked, the newer one with
// what was added marked (word by word, jsdiff).

import { diffWords } from 'diff';

export interface Piece {
  text: string;
  changed: boolean;
}

export function sideBySide(older: string, newer: string): { left: Piece[]; right: Piece[] } {
  const left: Piece[] = [];
  const right: Piece[] = [];
  for (const part of diffWords(older, newer)) {
    if (part.added) right.push({ text: part.value, changed: true });
    else if (part.removed) left.push({ text: part.value, changed: true });
    else {
      left.push({ text: part.value, changed: false });
      right.push({ text: part.value, changed: false });
    }
  }
  return { left, right };
}
