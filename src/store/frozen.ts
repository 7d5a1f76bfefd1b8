/**
 * Records are shared between the store and every reader, so nothing may change
 * one in place: entity types are declared readonly (the compiler's check) and
 * the store freezes what it keeps (the run-time check).
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const member of Object.values(value as Record<string, unknown>)) deepFreeze(member);
  return Object.freeze(value);
}
