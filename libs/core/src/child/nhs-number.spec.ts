import { isValidNhsNumber, normaliseNhsNumber } from './nhs-number';

describe('isValidNhsNumber', () => {
  // Check digits worked by hand: weights 10..2 on the first nine digits, check = 11 - (sum mod 11).
  it.each([
    ['9434765919', true], // sum 299, 299 mod 11 = 2, check 9
    ['943 476 5919', true],
    ['  943 476 5919 ', true],
    ['4010232137', true], // sum 92, 92 mod 11 = 4, check 7
    ['1000000400', true], // sum 10 + 12 = 22, mod 11 = 0, check 11 → 0
    ['9434765910', false], // wrong check digit
    ['4010232138', false],
    ['1000000010', false], // sum 12, mod 11 = 1, check 10: never issued
    ['943476591', false], // 9 digits
    ['94347659190', false], // 11 digits
    ['943-476-5919', false], // only spaces are allowed as separators
    ['943476591X', false],
    ['', false],
  ])('%p → %p', (value, valid) => {
    expect(isValidNhsNumber(value)).toBe(valid);
  });

  it('normalises to ten digits', () => {
    expect(normaliseNhsNumber('943 476 5919')).toBe('9434765919');
    expect(normaliseNhsNumber('943 476 5910')).toBeNull();
  });
});
