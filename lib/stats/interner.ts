/** Dense integer ids for strings, in first-seen order: statistics index arrays, not string maps. */
export interface Interner {
  ids: string[];
  index: Map<string, number>;
}

export function createInterner(initial: readonly string[] = []): Interner {
  const interner: Interner = { ids: [], index: new Map() };
  for (const id of initial) intern(interner, id);
  return interner;
}

export function intern(interner: Interner, id: string): number {
  let i = interner.index.get(id);
  if (i === undefined) {
    i = interner.ids.length;
    interner.index.set(id, i);
    interner.ids.push(id);
  }
  return i;
}
