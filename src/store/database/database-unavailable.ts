/**
 * Thrown by a backend of the database chain (SPEC §8) that does not apply on
 * this machine; the message is the reason the chain prints for skipping it.
 * Anything else a backend throws is a failure, reported the same way.
 */
export class DatabaseUnavailable extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "DatabaseUnavailable";
  }
}
