// The Progressive Extrema rule: cap to 50 %, then halve caps down to a floor; below lo double the lowest cap.
import { byPowerDescending, type CapAction, type NodePower } from './window.js';

/** Elektron's `powerCap/progressiveExtrema.go` decisions, one action at most per tick. */
export class ProgressiveExtremaRule {
  /** Current cap % of every node capped below 100. */
  private readonly caps = new Map<string, number>();

  constructor(private readonly hiW: number, private readonly loW: number, private readonly firstPct: number, private readonly floorPct: number) {}

  tick(clusterMean: number, nodes: readonly NodePower[]): CapAction | null {
    if (clusterMean >= this.hiW) {
      const order = [...nodes].sort(byPowerDescending);
      const fresh = order.find((n) => !this.caps.has(n.id));
      if (fresh !== undefined) {
        this.caps.set(fresh.id, this.firstPct);
        return { kind: 'cap', id: fresh.id, pct: this.firstPct };
      }
      const deeper = order.find((n) => (this.caps.get(n.id) ?? 100) > this.floorPct);
      if (deeper === undefined) return null;
      const pct = Math.round(((this.caps.get(deeper.id) as number) / 2) * 100) / 100;
      this.caps.set(deeper.id, pct);
      return { kind: 'cap', id: deeper.id, pct };
    }
    if (clusterMean < this.loW) {
      let lowest: string | undefined;
      for (const [id, pct] of this.caps) {
        const best = lowest === undefined ? Infinity : (this.caps.get(lowest) as number);
        if (pct < best || (pct === best && id < (lowest as string))) lowest = id;
      }
      if (lowest === undefined) return null;
      const pct = Math.min(100, (this.caps.get(lowest) as number) * 2);
      if (pct >= 100) this.caps.delete(lowest);
      else this.caps.set(lowest, pct);
      return { kind: 'uncap', id: lowest, pct };
    }
    return null;
  }
}
