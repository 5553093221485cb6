/**
 * Learning themes are typed by people (up to 20 short texts per resolution). Free text may name people or
 * places, so it never reaches the read model: each theme is mapped to one code of this fixed vocabulary, and
 * anything unrecognised becomes OTHER.
 */
export const LEARNING_THEME_CODES = [
  'INFORMATION_SHARING',
  'COMMUNICATION',
  'THRESHOLDS',
  'ROLES_RESPONSIBILITIES',
  'DRIFT_DELAY',
  'PROFESSIONAL_CURIOSITY',
  'VOICE_OF_THE_CHILD',
  'MULTI_AGENCY_WORKING',
  'RECORDING',
  'SUPERVISION',
  'RISK_ASSESSMENT',
  'ESCALATION_AWARENESS',
  'OTHER',
] as const;
export type LearningThemeCode = (typeof LEARNING_THEME_CODES)[number];

const KEYWORDS: [RegExp, LearningThemeCode][] = [
  [/information|sharing|consent/, 'INFORMATION_SHARING'],
  [/threshold|criteria|eligib/, 'THRESHOLDS'],
  [/communicat|feedback|contact/, 'COMMUNICATION'],
  [/role|responsib|accountab/, 'ROLES_RESPONSIBILITIES'],
  [/drift|delay|timel/, 'DRIFT_DELAY'],
  [/curios|challenge/, 'PROFESSIONAL_CURIOSITY'],
  [/voice|lived experience|wishes/, 'VOICE_OF_THE_CHILD'],
  [/multi.?agency|partnership working|joint working|strategy/, 'MULTI_AGENCY_WORKING'],
  [/record|documentation|case notes/, 'RECORDING'],
  [/supervis/, 'SUPERVISION'],
  [/risk|assessment/, 'RISK_ASSESSMENT'],
  [/escalat|resolution procedure/, 'ESCALATION_AWARENESS'],
];

const CODES = new Set<string>(LEARNING_THEME_CODES);

/** One theme as a code: a code given as such (any case, spaces or hyphens), else the first keyword that matches. */
export function learningThemeCode(theme: string): LearningThemeCode {
  const asCode = theme
    .trim()
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (CODES.has(asCode)) return asCode as LearningThemeCode;
  const text = theme.toLowerCase();
  return KEYWORDS.find(([pattern]) => pattern.test(text))?.[1] ?? 'OTHER';
}

/** The distinct codes of a case's themes, in vocabulary order. */
export function learningThemeCodes(themes: unknown): LearningThemeCode[] {
  const list = Array.isArray(themes) ? themes.filter((t): t is string => typeof t === 'string') : [];
  const found = new Set(list.map(learningThemeCode));
  return LEARNING_THEME_CODES.filter((code) => found.has(code));
}
