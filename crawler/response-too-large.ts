/** A page whose body passed MAX_RESPONSE_BYTES: no retry reads it whole. */
export class ResponseTooLargeError extends Error {
  override name = 'ResponseTooLargeError';
}
