// Host-name order as Fenzo compares names: Java's String.compareTo, UTF-16 code units ("host10" < "host2").

export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
