// The patient's age as typed: a number of years, months or days (an infant's age is said in months or days), with a
// decimal comma or point whatever the browser's locale. A plain text field, because a number input in a locale it
// does not expect drops the comma: "0,5" became 5 years.

const PER_YEAR = { years: 1, months: 12, days: 365.25 };
const MAX_YEARS = 130; // the API's bound
const ISO_UNIT = { years: 'Y', months: 'M', days: 'D' };

/** { empty } for no age, { invalid } for text that is not an age, else the value, its unit and the years it makes. */
export function parseAge(text, unit) {
  const s = text.trim();
  if (s === '') return { empty: true };
  if (!/^\d{1,6}([.,]\d{1,4})?$/.test(s)) return { invalid: true };
  const value = Number(s.replace(',', '.'));
  const years = value / PER_YEAR[unit];
  return years > MAX_YEARS ? { invalid: true } : { value, unit, years };
}

/** The age as a phenopacket's ISO 8601 duration: whole units as typed, a fraction in the next smaller unit. */
export function isoAge({ value, unit }) {
  if (Number.isInteger(value)) return `P${value}${ISO_UNIT[unit]}`;
  if (unit === 'years') return `P${Math.round(value * 12)}M`;
  return `P${Math.round(unit === 'months' ? value * (PER_YEAR.days / 12) : value)}D`;
}
