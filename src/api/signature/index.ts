export {
  TC3_ALGORITHM,
  parseTc3Authorization,
  verifyTc3,
  type RequestHeaders,
  type Tc3Authorization,
  type Tc3VerifyInput,
  type VerifyFailureReason,
  type VerifyResult,
} from './tc3.js';
export { isV1SignatureMethod, verifyV1, type V1SignatureMethod, type V1VerifyInput } from './v1.js';
