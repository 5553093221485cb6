// Spaces are how NHS numbers are usually written ("943 476 5919"); nothing else is accepted, so a
// typo such as a stray letter is rejected rather than silently dropped.
const NHS_NUMBER_SHAPE = /^\d{10}$/;

/**
 * The 10-digit form of an NHS number if it is well formed and its modulus 11 check digit is right,
 * else null. Use it to store one canonical form.
 */
export function normaliseNhsNumber(value: string): string | null {
  const digits = value.replace(/ /g, '');
  if (!NHS_NUMBER_SHAPE.test(digits)) return null;
  // Weights 10..2 over the first nine digits; check = 11 - (sum mod 11); 11 means 0, 10 is never issued.
  let sum = 0;
  for (let i = 0; i < 9; i += 1) sum += Number(digits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return null;
  return (check === 11 ? 0 : check) === Number(digits[9]) ? digits : null;
}

/** True for a 10-digit NHS number (spaces allowed) with a valid modulus 11 check digit. */
export function isValidNhsNumber(value: string): boolean {
  return normaliseNhsNumber(value) !== null;
}
