/** `count(1, 'entry')` is "1 entry", `count(2, 'entry')` is "2 entries": messages never say "1 entries". */
export function count(n: number, noun: string, plural?: string): string {
  if (n === 1) return `${n} ${noun}`;
  return `${n} ${plural ?? (/(s|x|ch|sh)$/.test(noun) ? `${noun}es` : /[^aeiou]y$/.test(noun) ? `${noun.slice(0, -1)}ies` : `${noun}s`)}`;
}
