// Password strength for the meter on the first-run screen, by zxcvbn-ts with German and English
// dictionaries (so "Sonnenschein2024" is weak in both languages). Loaded on first use only; the
// rule that decides whether a password is accepted is the core's.

/** zxcvbn's score: 0 (guessed at once) to 4 (very hard); each has its `strength.<score>` text. */
export type Score = 0 | 1 | 2 | 3 | 4;

export interface Strength {
  score: Score;
}

let ready: Promise<(pw: string) => Strength> | null = null;

async function load(): Promise<(pw: string) => Strength> {
  const [{ zxcvbn, zxcvbnOptions }, common, de, en] = await Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-de'),
    import('@zxcvbn-ts/language-en'),
  ]);
  zxcvbnOptions.setOptions({
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...de.dictionary, ...en.dictionary },
  });
  return (pw: string) => ({ score: zxcvbn(pw).score as Strength['score'] });
}

export function strengthOf(password: string): Promise<Strength> {
  ready ??= load();
  return ready.then((f) => f(password));
}
