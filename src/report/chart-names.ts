// The report's chart names, apart from the charts themselves so the CLI can list them without loading Vega.
export const CHART_NAMES = ['wait', 'utilisation', 'power', 'fairness'] as const;
export type ChartName = (typeof CHART_NAMES)[number];
