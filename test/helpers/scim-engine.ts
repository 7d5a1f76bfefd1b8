import { ScimError, type ScimErrorType } from '../../src/scim/engine/index.js';

/** Runs `fn`, which must throw a ScimError with this status and scimType; returns the error. */
export function expectScimError(fn: () => unknown, status: number, scimType: ScimErrorType): ScimError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ScimError);
  const err = caught as ScimError;
  expect({ status: err.status, scimType: err.scimType }).toEqual({ status, scimType });
  return err;
}
