/**
 * Ordered-tree edit distance (Zhang & Shasha 1989) with unit costs: deleting, inserting or
 * relabelling a node each costs 1. The syntactic distance of a paraphrase compares the
 * constituency trees of source and output with the words removed (only phrase labels remain, as
 * in the TED used by SCPN, Iyyer et al. 2018, and by the paraphrase-generation papers after it),
 * over the full tree and over its first three levels (the sentence's top-level shape), each
 * divided by the two trees' sizes added together, so 0 = same structure and 1 = nothing shared.
 */
export interface Tree {
  label: string;
  children: Tree[];
}

export function treeSize(tree: Tree): number {
  return 1 + tree.children.reduce((n, c) => n + treeSize(c), 0);
}

/** The tree cut below `levels` levels (the root is level 1). */
export function pruneTree(tree: Tree, levels: number): Tree {
  return { label: tree.label, children: levels <= 1 ? [] : tree.children.map((c) => pruneTree(c, levels - 1)) };
}

/** Postorder labels and, for each node, the postorder index of its leftmost leaf. */
function postorder(tree: Tree): { labels: string[]; leftmost: number[] } {
  const labels: string[] = [];
  const leftmost: number[] = [];
  const visit = (node: Tree): number => {
    let first = -1;
    for (const child of node.children) {
      const l = visit(child);
      if (first < 0) first = l;
    }
    labels.push(node.label);
    const index = labels.length - 1;
    leftmost.push(first < 0 ? index : first);
    return leftmost[index];
  };
  visit(tree);
  return { labels, leftmost };
}

function keyroots(leftmost: number[]): number[] {
  const seen = new Map<number, number>();
  leftmost.forEach((l, i) => seen.set(l, i)); // the highest node with each leftmost leaf
  return [...seen.values()].sort((a, b) => a - b);
}

/** Unit-cost tree edit distance between two ordered labelled trees. */
export function treeEditDistance(a: Tree, b: Tree): number {
  const A = postorder(a);
  const B = postorder(b);
  const n = A.labels.length;
  const m = B.labels.length;
  const td = Array.from({ length: n }, () => new Array<number>(m).fill(0));
  for (const i of keyroots(A.leftmost)) {
    for (const j of keyroots(B.leftmost)) {
      const li = A.leftmost[i];
      const lj = B.leftmost[j];
      const rows = i - li + 2;
      const cols = j - lj + 2;
      const fd = Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
      for (let x = 1; x < rows; x++) fd[x][0] = fd[x - 1][0] + 1;
      for (let y = 1; y < cols; y++) fd[0][y] = fd[0][y - 1] + 1;
      for (let x = 1; x < rows; x++) {
        for (let y = 1; y < cols; y++) {
          const ai = li + x - 1;
          const bj = lj + y - 1;
          if (A.leftmost[ai] === li && B.leftmost[bj] === lj) {
            fd[x][y] = Math.min(
              fd[x - 1][y] + 1,
              fd[x][y - 1] + 1,
              fd[x - 1][y - 1] + (A.labels[ai] === B.labels[bj] ? 0 : 1),
            );
            td[ai][bj] = fd[x][y];
          } else {
            const px = A.leftmost[ai] - li;
            const py = B.leftmost[bj] - lj;
            fd[x][y] = Math.min(fd[x - 1][y] + 1, fd[x][y - 1] + 1, fd[px][py] + td[ai][bj]);
          }
        }
      }
    }
  }
  return td[n - 1][m - 1];
}

/** Tree edit distance divided by the sum of the two sizes, in [0, 1]. */
export function normalizedTreeEditDistance(a: Tree, b: Tree): number {
  return treeEditDistance(a, b) / (treeSize(a) + treeSize(b));
}

/** Syntactic distance over the full label tree and over its first `levels` levels. */
export function syntacticTreeDistance(a: Tree, b: Tree, levels = 3): { full: number; top: number } {
  return {
    full: normalizedTreeEditDistance(a, b),
    top: normalizedTreeEditDistance(pruneTree(a, levels), pruneTree(b, levels)),
  };
}

/**
 * Reads a bracketed tree such as "(S (NP the cat.n) (VP sat.v-d) .)" and keeps only the phrase
 * nodes: a token right after "(" is a label, any other token is a word and is dropped.
 */
export function parseBracketedLabels(text: string): Tree {
  const tokens = text.match(/\(|\)|[^\s()]+/g) ?? [];
  let i = 0;
  const node = (): Tree => {
    if (tokens[i] !== "(") throw new Error(`expected "(" at token ${i} of ${JSON.stringify(text.slice(0, 80))}`);
    i++;
    const label = tokens[i++];
    if (!label || label === "(" || label === ")")
      throw new Error(`a bracket without a label in ${JSON.stringify(text.slice(0, 80))}`);
    const children: Tree[] = [];
    while (i < tokens.length && tokens[i] !== ")") {
      if (tokens[i] === "(") children.push(node());
      else i++; // a word
    }
    if (tokens[i] !== ")") throw new Error(`unbalanced brackets in ${JSON.stringify(text.slice(0, 80))}`);
    i++;
    return { label, children };
  };
  const tree = node();
  return tree;
}
