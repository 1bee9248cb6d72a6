// The Extrema rule: above hi cap the hungriest uncapped node to 50 %, below lo uncap the last capped.
import { byPowerDescending, type CapAction, type NodePower } from './window.js';

/** Elektron's `powerCap/extrema.go` decisions, one action at most per tick. */
export class ExtremaRule {
  private readonly capped: string[] = [];

  constructor(private readonly hiW: number, private readonly loW: number, private readonly capPct: number) {}

  tick(clusterMean: number, nodes: readonly NodePower[]): CapAction | null {
    if (clusterMean > this.hiW) {
      const victim = [...nodes].sort(byPowerDescending).find((n) => !this.capped.includes(n.id));
      if (victim === undefined) return null;
      this.capped.push(victim.id);
      return { kind: 'cap', id: victim.id, pct: this.capPct };
    }
    if (clusterMean < this.loW) {
      const id = this.capped.pop();
      return id === undefined ? null : { kind: 'uncap', id, pct: 100 };
    }
    return null;
  }
}
