// How a person's name is shown: "Given Family", or whichever part exists.

export function fullName(p: { given_name: string; family_name: string }): string {
  return [p.given_name, p.family_name].filter((s) => s.trim()).join(' ');
}
