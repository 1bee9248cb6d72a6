// RAPL package limits as Elektron sets them: a percentage of the package's maximum power.

/** The long-window limit in µW for a cap of `pct` % of `maxPowerUw`: ceil(max × pct / 100). */
export function raplLimitUw(maxPowerUw: number, pct: number): number {
  return Math.ceil((maxPowerUw * pct) / 100);
}
