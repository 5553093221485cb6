export {
  DEFAULT_SUPPRESSION_THRESHOLD,
  SUPPRESSED_DISPLAY,
  suppressTable,
  type DisclosedCount,
  type DisclosureCell,
  type DisclosureTable,
  type PublishedSum,
  type SuppressedTable,
  type SuppressionOptions,
} from './suppression';
export * from './cross-tabulation';
export * from './percentile';
export * from './hypercube';
