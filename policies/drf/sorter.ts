// Mesos' DRFSorter: hierarchical weighted dominant-resource-fairness order over '/'-separated paths.
// Cost: O(depth × (D + log n)) per allocation change or (de)activation, O(depth) to find the lowest
// client, O(n log n) for a full sort, O(n × D) when the cluster total changes.

import { ensureLength } from '../../src/typed-array.js';

/** How equal shares are ordered: Mesos' (allocation count, then path) or by first sight (the paper leaves ties arbitrary). */
export type TieBreak = 'mesos' | 'paper';

/** A node of the tree: a role path, an internal prefix, or the virtual leaf `<path>/.` of a client that also has children. */
export class SorterNode {
  /** Child nodes by path segment; changed only through {@link adopt} and {@link disown}. */
  readonly children = new Map<string, SorterNode>();
  /** True while the node has no children: a field, not `children.size`, as the walk to the lowest client reads it at every step. */
  isLeaf = true;
  /** Active children as a binary min-heap by (share, tie-break); an internal node is active while this is non-empty. */
  readonly heap: SorterNode[] = [];
  heapPos = -1;
  share = 0;
  /** Calls to `allocated` on this node or its subtree; never decreases. */
  count = 0;
  weight = 1;
  /** For a client leaf: whether it takes part in the order. */
  active = false;

  constructor(
    /** The client name for leaves (`d` for the virtual leaf `d/.`), the prefix for internal nodes. */
    readonly path: string,
    /** The path compared in tie-breaks (`d/.` for a virtual leaf). */
    readonly key: string,
    /** The name under which the parent holds this node. */
    readonly segment: string,
    readonly parent: SorterNode | null,
    /** Creation order: the paper tie-break, and where the sorter keeps the node's allocation. */
    readonly seq: number,
  ) {}

  adopt(segment: string, child: SorterNode): void {
    this.children.set(segment, child);
    this.isLeaf = false;
  }

  disown(segment: string): void {
    this.children.delete(segment);
    this.isLeaf = this.children.size === 0;
  }
}

/**
 * Clients are paths `a/b/c`; internal nodes `a`, `a/b` hold the sum of their subtree. At every
 * internal node the active children are ordered by share = max over counted resources of
 * allocation / total (resources with total 0 and excluded ones skipped), divided by the node's
 * weight, compared exactly; then by the tie-break. The order is a pre-order walk. A client that
 * also has children competes as the virtual leaf `<path>/.` of weight 1 beside them.
 */
export class DrfSorter {
  readonly root: SorterNode;
  private readonly total: Float64Array;
  private readonly clients = new Map<string, SorterNode>();
  private readonly weights = new Map<string, number>();
  private seq = 0;
  /**
   * Every node's allocation, `dims` numbers at `seq × dims`: one flat array rather than an array
   * per node, so updating a tenant's allocation reads no object besides the node itself.
   */
  private allocations: Float64Array<ArrayBuffer>;

  constructor(
    private readonly dims: number,
    /** Per dimension: true if it never counts in shares. */
    private readonly excluded: readonly boolean[] = [],
    private readonly tieBreak: TieBreak = 'mesos',
  ) {
    this.allocations = new Float64Array(64 * dims);
    this.root = this.makeNode('', '', '', null);
    this.total = new Float64Array(dims);
  }

  /** What `node` (a client leaf or an internal node, its subtree) holds in dimension `d`. */
  allocationOf(node: SorterNode, d: number): number {
    return this.allocations[node.seq * this.dims + d] as number;
  }

  private makeNode(path: string, key: string, segment: string, parent: SorterNode | null): SorterNode {
    const node = new SorterNode(path, key, segment, parent, this.seq++);
    this.allocations = ensureLength(this.allocations, this.seq * this.dims);
    return node;
  }

  has(client: string): boolean {
    return this.clients.has(client);
  }

  node(client: string): SorterNode {
    const node = this.clients.get(client);
    if (node === undefined) throw new Error(`Unknown sorter client ${JSON.stringify(client)}`);
    return node;
  }

  /** Adds an inactive client with no allocation. */
  add(client: string): SorterNode {
    if (this.clients.has(client)) throw new Error(`Sorter client ${JSON.stringify(client)} already exists`);
    let parent = this.root;
    const parts = client.split('/');
    let path = '';
    let created = false;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      path = i === 0 ? part : `${path}/${part}`;
      let node = parent.children.get(part);
      created = node === undefined;
      if (node === undefined) {
        node = this.makeNode(path, path, part, parent);
        node.weight = this.weights.get(path) ?? 1;
        parent.adopt(part, node);
      } else if (i < parts.length - 1 && this.clients.get(path) === node) {
        this.splitLeaf(node);
      }
      parent = node;
    }
    if (created) {
      this.clients.set(client, parent);
      return parent;
    }
    const leaf = this.makeNode(client, `${client}/.`, '.', parent);
    parent.adopt('.', leaf);
    this.clients.set(client, leaf);
    return leaf;
  }

  /** Removes a client; its allocation leaves its ancestors. */
  remove(client: string): void {
    const leaf = this.node(client);
    this.deactivateNode(leaf);
    const base = leaf.seq * this.dims;
    this.change(leaf, this.allocations.slice(base, base + this.dims), -1, false);
    this.clients.delete(client);
    let node: SorterNode = leaf;
    while (node.parent !== null && node.isLeaf && this.clients.get(node.path) !== node) {
      node.parent.disown(node.segment);
      node = node.parent;
    }
  }

  activate(client: string): void {
    this.activateNode(this.node(client));
  }

  deactivate(client: string): void {
    this.deactivateNode(this.node(client));
  }

  allocated(client: string, resources: Float64Array): void {
    this.change(this.node(client), resources, 1, true);
  }

  unallocated(client: string, resources: Float64Array): void {
    this.change(this.node(client), resources, -1, false);
  }

  /** The weight of a path (role); applies to the node of that path, internal or client. */
  setWeight(path: string, weight: number): void {
    this.weights.set(path, weight);
    const node = this.find(path);
    if (node === undefined) return;
    node.weight = weight;
    this.refresh(node);
  }

  /** Sets the cluster total (the denominator of every share). */
  setTotal(total: Float64Array): void {
    this.total.set(total);
    this.rebuild(this.root);
  }

  /** The total the shares are computed against. */
  get totals(): Float64Array {
    return this.total;
  }

  /** Adds `resources` to the total, e.g. an agent joining. */
  addTotal(resources: Float64Array, sign: 1 | -1 = 1): void {
    for (let d = 0; d < this.dims; d++) this.total[d] = (this.total[d] as number) + sign * (resources[d] as number);
    this.rebuild(this.root);
  }

  share(client: string): number {
    return this.node(client).share;
  }

  /** The active clients, lowest first. */
  sort(): string[] {
    const out: string[] = [];
    this.walk(this.root, (leaf) => {
      out.push(leaf.path);
      return true;
    });
    return out;
  }

  /** Visits the active client leaves in order until `visit` returns false; the tree must not change meanwhile. */
  walk(node: SorterNode, visit: (leaf: SorterNode) => boolean): boolean {
    const ordered = node.heap.slice().sort((a, b) => this.compare(a, b));
    for (const child of ordered) {
      if (child.isLeaf ? !visit(child) : !this.walk(child, visit)) return false;
    }
    return true;
  }

  /** The lowest active client (under `from`, default the whole tree), or undefined: O(depth). */
  lowest(from: SorterNode = this.root): SorterNode | undefined {
    if (from.isLeaf && from !== this.root) return from.active ? from : undefined;
    let node = from.heap[0];
    while (node !== undefined && !node.isLeaf) node = node.heap[0];
    return node;
  }

  activateNode(leaf: SorterNode): void {
    if (leaf.active) return;
    leaf.active = true;
    let node: SorterNode = leaf;
    while (node.parent !== null && node.heapPos < 0) {
      const parent: SorterNode = node.parent;
      const wasEmpty = parent.heap.length === 0;
      this.heapPush(parent, node);
      if (!wasEmpty) break;
      node = parent;
    }
  }

  deactivateNode(leaf: SorterNode): void {
    if (!leaf.active) return;
    leaf.active = false;
    let node: SorterNode = leaf;
    while (node.parent !== null && node.heapPos >= 0) {
      const parent: SorterNode = node.parent;
      this.heapRemove(parent, node);
      if (parent.heap.length > 0) break;
      node = parent;
    }
  }

  /** Adds (sign 1) or removes `resources` along the leaf's path; an allocation also counts. */
  change(leaf: SorterNode, resources: Float64Array, sign: 1 | -1, count: boolean): void {
    const a = this.allocations;
    for (let node: SorterNode | null = leaf; node !== null && node.parent !== null; node = node.parent) {
      const base = node.seq * this.dims;
      for (let d = 0; d < this.dims; d++) a[base + d] = (a[base + d] as number) + sign * (resources[d] as number);
      if (count) node.count++;
      this.refresh(node);
    }
  }

  compare(a: SorterNode, b: SorterNode): number {
    if (a.share !== b.share) return a.share < b.share ? -1 : 1;
    if (this.tieBreak === 'paper') return a.seq - b.seq;
    if (a.count !== b.count) return a.count - b.count;
    return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  }

  private computeShare(node: SorterNode): number {
    let share = 0;
    const a = this.allocations;
    const base = node.seq * this.dims;
    for (let d = 0; d < this.dims; d++) {
      const t = this.total[d] as number;
      if (t > 0 && this.excluded[d] !== true) {
        const q = (a[base + d] as number) / t;
        if (q > share) share = q;
      }
    }
    return share / node.weight;
  }

  private refresh(node: SorterNode): void {
    node.share = this.computeShare(node);
    if (node.heapPos >= 0 && node.parent !== null) this.heapFix(node.parent, node.heapPos);
  }

  private rebuild(node: SorterNode): void {
    for (const child of node.children.values()) {
      child.share = this.computeShare(child);
      this.rebuild(child);
    }
    for (let i = (node.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(node, i);
  }

  /** The node of a path (a client, or an internal prefix), if it exists. */
  find(path: string): SorterNode | undefined {
    let node: SorterNode | undefined = this.root;
    for (const part of path.split('/')) {
      node = node.children.get(part);
      if (node === undefined) return undefined;
    }
    return node;
  }

  /** Client `node` gains children: its client state moves to a virtual leaf `<path>/.` under it. */
  private splitLeaf(node: SorterNode): void {
    const leaf = this.makeNode(node.path, `${node.path}/.`, '.', node);
    this.allocations.copyWithin(leaf.seq * this.dims, node.seq * this.dims, (node.seq + 1) * this.dims);
    leaf.count = node.count;
    leaf.share = this.computeShare(leaf);
    node.adopt('.', leaf);
    this.clients.set(node.path, leaf);
    if (node.active) {
      node.active = false;
      leaf.active = true;
      this.heapPush(node, leaf);
    }
  }

  private heapPush(parent: SorterNode, node: SorterNode): void {
    node.heapPos = parent.heap.length;
    parent.heap.push(node);
    this.siftUp(parent, node.heapPos);
  }

  private heapRemove(parent: SorterNode, node: SorterNode): void {
    const heap = parent.heap;
    const i = node.heapPos;
    const last = heap.pop() as SorterNode;
    node.heapPos = -1;
    if (last !== node) {
      heap[i] = last;
      last.heapPos = i;
      this.heapFix(parent, i);
    }
  }

  private heapFix(parent: SorterNode, i: number): void {
    if (!this.siftUp(parent, i)) this.siftDown(parent, i);
  }

  private siftUp(parent: SorterNode, i: number): boolean {
    const heap = parent.heap;
    const node = heap[i] as SorterNode;
    const start = i;
    while (i > 0) {
      const up = (i - 1) >> 1;
      const other = heap[up] as SorterNode;
      if (this.compare(node, other) >= 0) break;
      heap[i] = other;
      other.heapPos = i;
      i = up;
    }
    heap[i] = node;
    node.heapPos = i;
    return i !== start;
  }

  private siftDown(parent: SorterNode, i: number): void {
    const heap = parent.heap;
    const n = heap.length;
    const node = heap[i] as SorterNode;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && this.compare(heap[right] as SorterNode, heap[child] as SorterNode) < 0) child = right;
      const c = heap[child] as SorterNode;
      if (this.compare(c, node) >= 0) break;
      heap[i] = c;
      c.heapPos = i;
      i = child;
    }
    heap[i] = node;
    node.heapPos = i;
  }
}
