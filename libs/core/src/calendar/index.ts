export * from './bank-holidays';
export {
  formatDate,
  formatLondonInstant,
  isIsoDate,
  londonDate,
  londonDueInstant,
  DUE_HOUR,
  LONDON_ZONE,
} from './dates';
export * from './working-days';
