/** "Did you mean …?" for misspelled option names (typo protection for the config file and env). */

export function suggestName(name: string, candidates: readonly string[]): string | undefined {
  const wanted = name.toUpperCase();
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(wanted, candidate);
    if (best === undefined || distance < best.distance) best = { candidate, distance };
  }
  // Allow roughly one slip per 6 characters; beyond that a suggestion is more confusing than useful.
  const tolerance = Math.max(2, Math.floor(wanted.length / 6));
  return best !== undefined && best.distance <= tolerance ? best.candidate : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
